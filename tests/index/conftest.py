"""Tiny Swedish corpus fixtures and a counting fake embedder for the index tests."""

from __future__ import annotations

import pytest
from pydantic import PrivateAttr

from ingest.schema import Chunk, Document
from tests.fakes import HashEmbedding

from .builders import FALKOPING, PLAN, STRATEGY, make_document


@pytest.fixture
def corpus() -> tuple[list[Document], list[Chunk]]:
    documents, chunks = [], []
    for doc_id, paragraphs, kwargs in [
        ("falun-strategi", STRATEGY, {"doc_type": "strategi"}),
        ("falun-plan-2023", PLAN, {"doc_type": "verksamhetsplan", "year": 2023}),
        (
            "falkoping-policy",
            FALKOPING,
            {"municipality": "Falköpings kommun", "doc_type": "policy"},
        ),
    ]:
        document, doc_chunks = make_document(doc_id, paragraphs, **kwargs)
        documents.append(document)
        chunks.extend(doc_chunks)
    return documents, chunks


class CountingEmbedding(HashEmbedding):
    """HashEmbedding that records every passage it is asked to embed."""

    _embedded: list[str] = PrivateAttr(default_factory=list)

    @property
    def embedded(self) -> list[str]:
        return self._embedded

    def _embed_passages(self, texts: list[str]):
        self._embedded.extend(texts)
        return super()._embed_passages(texts)


@pytest.fixture
def counting_embedder() -> CountingEmbedding:
    return CountingEmbedding(dim=32, embed_batch_size=2)
