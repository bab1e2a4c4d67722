"""Feedback review for the coordinator: answers with a thumbs down or a comment, newest
first, marked as handled with which citations were right or wrong; the reviewed ones
become evaluation questions (the `dev_questions.jsonl` format) that `falun-kb eval` tracks.

Listing the cases reads the audit log, so it needs a reason and is logged (`AuditLog.log_read`).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

from service.http.audit import AuditLog, UnknownAnswer
from service.review_models import FeedbackCase, FeedbackEntry, FeedbackQuery, Review

SCHEMA = """
CREATE TABLE IF NOT EXISTS reviews (
    answer_id TEXT PRIMARY KEY REFERENCES answers (id) ON DELETE CASCADE,
    handled_at TEXT NOT NULL,
    review TEXT NOT NULL
);
"""
EVAL_PERSONA = "feedback"


class FeedbackDesk:
    """The review queries over the audit log's database."""

    def __init__(self, log: AuditLog) -> None:
        self.log = log
        with log.connect() as db:
            db.executescript(SCHEMA)

    def cases(self, query: FeedbackQuery, *, reader: str, reason: str | None) -> list[FeedbackCase]:
        """The answers with a thumbs down or a comment, newest feedback first; the read is
        logged, and refused (ReasonRequired) without a reason."""
        self.log.log_read(reader, reason, f"feedback {query.model_dump_json(exclude_none=True)}")
        return [c for c in self._all() if _matches(c, query)]

    def reviewed(self, *, reader: str, reason: str | None) -> list[FeedbackCase]:
        """The handled cases, oldest handled first (for the evaluation file)."""
        self.log.log_read(reader, reason, "feedback reviewed")
        done = [c for c in self._all() if c.review is not None]
        return sorted(done, key=lambda c: c.handled_at or "")

    def mark_handled(self, answer_id: str, review: Review) -> None:
        """Record the review of one answer (again: the newer review counts); UnknownAnswer
        for an answer the log does not hold, ValueError for a citation it does not have."""
        with self.log.connect() as db:
            row = db.execute("SELECT citations FROM answers WHERE id = ?", (answer_id,)).fetchone()
            if row is None:
                raise UnknownAnswer(answer_id)
            known = {c["n"] for c in json.loads(row[0])}
            unknown = sorted(set(review.right + review.wrong) - known)
            if unknown:
                raise ValueError(f"the answer has no citation {unknown}")
            db.execute(
                "INSERT OR REPLACE INTO reviews VALUES (?, ?, ?)",
                (answer_id, datetime.now(UTC).isoformat(), review.model_dump_json()),
            )

    def _all(self) -> list[FeedbackCase]:
        with self.log.connect() as db:
            db.row_factory = sqlite3.Row
            rows = db.execute(
                "SELECT a.*, MAX(f.given_at) AS last_feedback_at, r.handled_at, r.review "
                "FROM answers a JOIN feedback f ON f.answer_id = a.id "
                "LEFT JOIN reviews r ON r.answer_id = a.id "
                "GROUP BY a.id HAVING SUM(f.helpful = 0 OR f.comment IS NOT NULL) > 0 "
                "ORDER BY last_feedback_at DESC"
            ).fetchall()
            cases = []
            for row in rows:
                feedback = [
                    FeedbackEntry(given_at=f[0], helpful=bool(f[1]), comment=f[2])
                    for f in db.execute(
                        "SELECT given_at, helpful, comment FROM feedback WHERE answer_id = ? "
                        "ORDER BY given_at",
                        (row["id"],),
                    )
                ]
                cases.append(
                    FeedbackCase(
                        answer_id=row["id"],
                        asked_at=row["asked_at"],
                        question=row["question"],
                        answer=row["answer"],
                        answerable=bool(row["answerable"]),
                        mode=row["mode"],
                        citations=json.loads(row["citations"]),
                        feedback=feedback,
                        last_feedback_at=row["last_feedback_at"],
                        handled_at=row["handled_at"],
                        review=Review.model_validate_json(row["review"]) if row["review"] else None,
                    )
                )
        return cases


def _matches(case: FeedbackCase, query: FeedbackQuery) -> bool:
    day = datetime.fromisoformat(case.last_feedback_at).date()
    if (query.since and day < query.since) or (query.until and day > query.until):
        return False
    if query.handled is not None and (case.review is not None) != query.handled:
        return False
    if query.verdict == "ned":
        return any(not f.helpful for f in case.feedback)
    if query.verdict == "kommentar":
        return any(f.comment for f in case.feedback)
    return True


def as_eval_item(case: FeedbackCase) -> dict[str, Any]:
    """A reviewed case as one line of a question file (eval/README.md's format): the right
    citations are the evidence, the wrong ones `wrong_evidence` (an answer should no longer
    cite them)."""
    review = case.review or Review()
    by_n = {c["n"]: c for c in case.citations}
    right = [by_n[n] for n in review.right if n in by_n]
    wrong = [by_n[n] for n in review.wrong if n in by_n]
    answerable = review.answerable if review.answerable is not None else bool(right)
    evidence = [c["quote"] for c in right] if answerable else []
    return {
        "id": f"fb-{case.answer_id[:10]}",
        "persona": EVAL_PERSONA,
        "question": case.question,
        "docs": sorted({c["doc_id"] for c in right}),
        "evidence": evidence,
        "facts": (review.facts or evidence) if answerable else [],
        "answerable": answerable,
        "wrong_evidence": [c["quote"] for c in wrong],
        "note": review.note or "; ".join(f.comment for f in case.feedback if f.comment) or None,
    }
