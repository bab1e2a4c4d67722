"""What the service asks of an answerer: the extractive one and the LLM mode both fit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from index.hybrid import ScoredChunk
from service.answer.query import QueryPlan
from service.models import Answer


class Answerer(Protocol):
    """Answers a read question from retrieved passages; refuses when they do not answer it."""

    def answer(self, plan: QueryPlan, hits: list[ScoredChunk]) -> Answer: ...

    def stream(self, plan: QueryPlan, hits: list[ScoredChunk]) -> Iterator[str | Answer]:
        """Draft text pieces as they are written (none when nothing is generated), then the
        final Answer as the last item."""
        ...
