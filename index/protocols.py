"""The narrow seams between the index and the service: what an embedder and a retriever are.

llama-index stays the adapter it is: the bundled embedders are llama-index `BaseEmbedding`s
that also satisfy `Embedder`; `HybridRetriever` satisfies `Retriever`. The service is typed
against these protocols only, so a test can inject any object that has these methods.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    import numpy as np

    from index.hybrid import ScoredChunk


@runtime_checkable
class Embedder(Protocol):
    """Turns passages and queries into vectors; `model_name` is recorded in the index."""

    @property
    def model_name(self) -> str: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text (float32), in order."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """The query's vector (float32)."""
        ...


@runtime_checkable
class Retriever(Protocol):
    """What the service asks of retrieval: the fused top-k passages for a question."""

    def retrieve(
        self,
        query: str,
        k: int = 10,
        filters: Mapping[str, Any] | None = None,
        lexical_extra: str = "",
        lexical_query: str | None = None,
        dense_also: str = "",
    ) -> list[ScoredChunk]: ...

    def query_vector(self, query: str) -> np.ndarray:
        """The vector `retrieve` compares passages with for this query."""
        ...
