"""The feedback review's typed contract (API, admin page, evaluation export): a case is an
answer with a thumbs down or a comment; a review says which of its citations were right."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

Verdict = Literal["ned", "kommentar"]  # a thumbs down; a comment (with either thumb)


class Review(BaseModel):
    """The coordinator's reading of one answer: which citations ([n]) were right and which
    wrong, whether the documents answer the question at all, and optionally the facts a
    good answer holds (default: the right citations' quotes)."""

    model_config = ConfigDict(extra="forbid")

    right: list[int] = Field(default_factory=list)
    wrong: list[int] = Field(default_factory=list)
    answerable: bool | None = Field(None, description="default: whether any citation was right")
    facts: list[str] = Field(default_factory=list)
    note: str | None = Field(None, max_length=2000)


class FeedbackEntry(BaseModel):
    given_at: str
    helpful: bool
    comment: str | None = None


class FeedbackCase(BaseModel):
    answer_id: str
    asked_at: str
    question: str
    answer: str
    answerable: bool
    mode: str | None
    citations: list[dict[str, Any]]
    feedback: list[FeedbackEntry]
    last_feedback_at: str
    handled_at: str | None = None
    review: Review | None = None


class FeedbackQuery(BaseModel):
    """Which cases: feedback given from `since` to `until` (dates, inclusive), one verdict,
    handled or not; None means any."""

    since: date | None = None
    until: date | None = None
    verdict: Verdict | None = None
    handled: bool | None = None


class FeedbackReview(Protocol):
    """What the admin page needs of the review desk (`service.http.review.FeedbackDesk`)."""

    def cases(
        self, query: FeedbackQuery, *, reader: str, reason: str | None
    ) -> list[FeedbackCase]: ...

    def mark_handled(self, answer_id: str, review: Review) -> None: ...
