"""The Python facade the UI talks to; the FastAPI routes expose the same operations."""

from __future__ import annotations

from typing import Protocol

from service.models import Answer, DocumentDetail, DocumentInfo, Filters, SearchResult


class KnowledgeBase(Protocol):
    """What a front end may ask of the service; never Chroma or the embedder directly."""

    def ask(self, question: str, filters: Filters | None = None) -> Answer: ...

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
