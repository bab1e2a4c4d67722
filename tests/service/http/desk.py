"""A small served knowledge base for the coordinator's-desk tests: the bundled corpus in a
tmp copy, indexed with the hash embedder (whose embed calls can be counted)."""

from __future__ import annotations

import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from service.http.app import create_app
from service.kb import KnowledgeBaseService
from service.pipeline import run_ingest
from service.settings import Settings
from tests.conftest import CORPUS
from tests.fakes import HashEmbedding, coverage_model_file

TOKEN = "desk-token-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


class CountingEmbedding(HashEmbedding):
    """The hash embedder, counting the passages it embeds."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        object.__setattr__(self, "_passages", [])

    @property
    def passages(self) -> list[str]:
        return self._passages

    def _embed_passages(self, texts: list[str]):
        self._passages.extend(texts)
        return super()._embed_passages(texts)


def desk_client(
    root: Path, client: tuple[str, int] = ("testclient", 50000), **overrides
) -> tuple[TestClient, Settings, CountingEmbedding]:
    """An app over a corpus copy in `root` (copied once), with `overrides` as settings."""
    corpus = root / "corpus"
    if not corpus.exists():
        shutil.copytree(CORPUS, corpus)
    # hash vectors mean nothing to the fitted answering model: answer by term coverage
    overrides.setdefault("answering_model", coverage_model_file(root))
    settings = Settings(data_dir=root / "data", corpus_dir=corpus, **overrides)
    embedder = CountingEmbedding()
    run_ingest(settings, embedder=embedder)
    kb = KnowledgeBaseService.open(settings, embedder=embedder)
    return TestClient(create_app(settings, kb=kb), client=client), settings, embedder
