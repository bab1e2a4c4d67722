"""The Python facade the UI talks to; the FastAPI routes expose the same operations."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from service.models import (
    Answer,
    ComparedItem,
    DocumentDetail,
    DocumentInfo,
    Filters,
    SearchResult,
    WordingResult,
)


class KnowledgeBase(Protocol):
    """What a front end may ask of the service; never Chroma or the embedder directly."""

    @property
    def home_municipality(self) -> str:
        """The municipality whose documents these are (a source from another is badged)."""
        ...

    def ask(
        self, question: str, filters: Filters | None = None, *, history: Sequence[str] = ()
    ) -> Answer: ...

    def ask_stream(
        self, question: str, filters: Filters | None = None, *, history: Sequence[str] = ()
    ) -> Iterator[str | Answer]:
        """Draft text pieces as an LLM writes them (none in extractive mode), then the
        final Answer as the last item."""
        ...

    def search(
        self, query: str, k: int = 10, filters: Filters | None = None
    ) -> list[SearchResult]: ...

    def documents(self) -> list[DocumentInfo]: ...

    def document(self, doc_id: str) -> DocumentDetail:
        """Raises KeyError for an unknown doc_id."""
        ...

    def filter_options(self) -> dict[str, list[str | int]]:
        """Known values per filter field: municipality, doc_type, year."""
        ...

    def wording(self, text: str, filters: Filters | None = None) -> WordingResult:
        """Passages holding this wording, exactly or approximately; exact ones first."""
        ...

    def compare(self, doc_a: str, doc_b: str, topic: str | None = None) -> list[ComparedItem]:
        """Aligned items of two documents; raises KeyError for an unknown doc_id."""
        ...

    def feedback(self, answer_id: str, helpful: bool, comment: str | None = None) -> None:
        """Record whether an answer helped ("Hjälpte svaret?"); KeyError for an unknown id."""
        ...
