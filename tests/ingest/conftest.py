"""Shared fixtures for the ingest tests: the real corpus, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.load import LoadResult, load_corpus
from ingest.schema import Document

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(scope="session")
def corpus() -> LoadResult:
    return load_corpus(CORPUS)


@pytest.fixture(scope="session")
def docs(corpus: LoadResult) -> dict[str, Document]:
    return {doc.doc_id: doc for doc in corpus.documents}
