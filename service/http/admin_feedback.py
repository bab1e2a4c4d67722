"""The coordinator's feedback review over the API: list the cases (admin token and a stated
reason, the read logged) and mark one handled with the citations that were right or wrong."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request

from service.http.admin import Admin
from service.http.audit import ReasonRequired, UnknownAnswer
from service.http.review import FeedbackDesk
from service.review_models import FeedbackCase, FeedbackQuery, Review, Verdict

router = APIRouter(prefix="/api/admin", tags=["administration"])


def desk(request: Request) -> FeedbackDesk:
    """The review desk over the running service's audit log; 409 when the log is off."""
    log = request.app.state.kb.audit
    if log is None:
        raise HTTPException(409, "Granskningsloggen är avstängd (FALUN_KB_AUDIT_ENABLED)")
    return FeedbackDesk(log)


def reader(request: Request) -> str:
    """Who reads: the API and the client's address (behind a trusted proxy, the user's)."""
    return f"api:{request.client.host if request.client else 'okänd'}"


@router.get("/feedback", response_model=list[FeedbackCase])
def list_feedback(
    request: Request,
    _: Admin,
    reason: Annotated[str | None, Query(max_length=500, description="why (logged)")] = None,
    since: date | None = None,
    until: date | None = None,
    verdict: Verdict | None = None,
    handled: bool | None = None,
) -> list[FeedbackCase]:
    """Answers with a thumbs down or a comment, newest first, with the question, the
    answer, its citations, the mode and the comments. Reading them needs a `reason`, and
    the read is logged."""
    query = FeedbackQuery(since=since, until=until, verdict=verdict, handled=handled)
    try:
        return desk(request).cases(query, reader=reader(request), reason=reason)
    except ReasonRequired as exc:
        raise HTTPException(422, str(exc)) from None


@router.post("/feedback/{answer_id}/handled", response_model=dict[str, str])
def mark_handled(request: Request, answer_id: str, review: Review, _: Admin) -> dict[str, str]:
    """Mark a case handled: which citations ([n]) were right, which wrong, and whether the
    documents answer the question; `falun-kb feedback-export --as-eval` writes these."""
    try:
        desk(request).mark_handled(answer_id, review)
    except UnknownAnswer:
        raise HTTPException(404, f"Okänt svar / unknown answer: {answer_id!r}") from None
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    return {"status": "hanterad"}
