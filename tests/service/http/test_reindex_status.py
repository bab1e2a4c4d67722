"""The admin reindex's progress: each stage in the response and in
`GET /api/admin/reindex/status`, and a stop that leaves the previous index serving."""

from __future__ import annotations

import shutil
import threading

from fastapi.testclient import TestClient

from index.generations import current_generation
from service.http.app import create_app
from service.kb import KnowledgeBaseService
from service.pipeline import run_ingest
from service.settings import Settings
from tests.conftest import CORPUS, add_to_catalog
from tests.fakes import coverage_model_file
from tests.service.http.desk import AUTH, TOKEN, CountingEmbedding

STAGES = ["load", "repair", "chunk", "embed", "units", "store", "bm25", "write"]


class GatedEmbedding(CountingEmbedding):
    """Counts what it embeds; while `holding` is set, each batch waits for `release`."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        object.__setattr__(self, "holding", threading.Event())
        object.__setattr__(self, "entered", threading.Event())
        object.__setattr__(self, "release", threading.Event())

    def _embed_passages(self, texts: list[str]):
        if self.holding.is_set():
            self.entered.set()
            assert self.release.wait(60), "the test never released the embedder"
        return super()._embed_passages(texts)


def _client(root) -> tuple[TestClient, Settings, GatedEmbedding]:
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    settings = Settings(
        data_dir=root / "data",
        corpus_dir=corpus,
        admin_token=TOKEN,
        answering_model=coverage_model_file(root),
    )
    embedder = GatedEmbedding(embed_batch_size=2)
    run_ingest(settings, embedder=embedder)
    kb = KnowledgeBaseService.open(settings, embedder=embedder)
    return TestClient(create_app(settings, kb=kb)), settings, embedder


def _add_document(corpus) -> None:
    text = "\n\n".join(
        f"Avsnitt {i}. Kommunen planerar utbyte nummer {i} med Tartu inom kultur och skola."
        for i in range(12)
    )
    (corpus / "bilaga-tartu.txt").write_text("Bilaga om Tartu\n\n" + text, encoding="utf-8")
    add_to_catalog(
        corpus,
        "bilaga-tartu",
        file="bilaga-tartu.txt",
        title="Bilaga om Tartu",
        municipality="Falu kommun",
        doc_type="bilaga",
        year=2024,
        ocr=False,
    )


def test_reindex_reports_each_stage_in_its_response_and_its_status(tmp_path):
    client, settings, _ = _client(tmp_path)
    assert client.get("/api/admin/reindex/status").status_code == 403  # admin token only
    assert client.post("/api/admin/reindex/stop").status_code == 403
    status = client.get("/api/admin/reindex/status", headers=AUTH)
    assert status.status_code == 200 and status.json()["state"] == "idle"
    assert client.post("/api/admin/reindex/stop", headers=AUTH).status_code == 409  # none runs

    _add_document(settings.corpus_dir)
    r = client.post("/api/admin/reindex", headers=AUTH)
    assert r.status_code == 200, r.text
    progress = r.json()["progress"]
    assert progress["state"] == "done" and progress["error"] is None
    assert [s["name"] for s in progress["stages"]] == STAGES
    for stage in progress["stages"]:
        assert stage["finished"] and stage["done"] == stage["total"], stage
        assert stage["seconds"] >= 0 and stage["eta_s"] in (0, None)
    embed = next(s for s in progress["stages"] if s["name"] == "embed")
    assert 0 < embed["total"] < 20  # only the new document's passages: the rest are cached

    status = client.get("/api/admin/reindex/status", headers=AUTH).json()
    assert status["state"] == "done" and status["finished"] >= status["started"]
    assert [s["name"] for s in status["stages"]] == STAGES
    hits = client.post("/api/search", json={"query": "Tartu kultur", "k": 1}).json()["results"]
    assert hits[0]["doc_id"] == "bilaga-tartu"


def test_a_running_reindex_shows_its_stage_and_a_stop_keeps_the_old_index(tmp_path):
    client, settings, embedder = _client(tmp_path)
    live = current_generation(settings.data_dir)
    _add_document(settings.corpus_dir)
    before = len(embedder.passages)
    embedder.holding.set()
    answers: list = []
    worker = threading.Thread(
        target=lambda: answers.append(client.post("/api/admin/reindex", headers=AUTH))
    )
    worker.start()
    try:
        assert embedder.entered.wait(60), "the reindex never reached embedding"
        status = client.get("/api/admin/reindex/status", headers=AUTH).json()
        assert status["state"] == "running" and status["stage"] == "embed"
        assert status["finished"] is None and status["total"] > 0
        assert [s["name"] for s in status["stages"]] == STAGES[:4]
        assert all(s["finished"] for s in status["stages"][:3])
        assert client.post("/api/admin/reindex/stop", headers=AUTH).status_code == 202
    finally:
        embedder.release.set()
        worker.join(60)
    assert answers[0].status_code == 409 and "avbröts" in answers[0].json()["detail"]
    status = client.get("/api/admin/reindex/status", headers=AUTH).json()
    assert status["state"] == "stopped" and status["finished"] and status["error"]
    assert current_generation(settings.data_dir) == live  # the old index still serves
    assert [g.name for g in (settings.data_dir / "generations").iterdir()] == [live.name]
    r = client.post("/api/search", json={"query": "Tartu kultur", "k": 3}).json()["results"]
    assert "bilaga-tartu" not in {h["doc_id"] for h in r}

    stopped = embedder.passages[before:]
    assert len(stopped) == 2  # the one batch that was under way, kept in the cache
    embedder.holding.clear()
    r = client.post("/api/admin/reindex", headers=AUTH)
    assert r.status_code == 200 and r.json()["progress"]["state"] == "done"
    again = embedder.passages[before + len(stopped) :]
    assert again and not set(again) & set(stopped)  # the rerun embeds only what was missing
    hits = client.post("/api/search", json={"query": "Tartu kultur", "k": 1}).json()["results"]
    assert hits[0]["doc_id"] == "bilaga-tartu"


def test_a_reindex_started_in_the_background_is_followed_by_its_status(tmp_path):
    client, settings, embedder = _client(tmp_path)
    _add_document(settings.corpus_dir)
    embedder.holding.set()
    try:
        r = client.post("/api/admin/reindex/start", headers=AUTH)
        assert r.status_code == 202 and r.json()["state"] == "running"
        assert embedder.entered.wait(60)
        assert client.post("/api/admin/reindex/start", headers=AUTH).status_code == 409
        assert client.post("/api/admin/reindex", headers=AUTH).status_code == 409
    finally:
        embedder.holding.clear()
        embedder.release.set()
    for _ in range(1800):  # until it ends (bounded: a hang fails, not a slow machine)
        status = client.get("/api/admin/reindex/status", headers=AUTH).json()
        if status["state"] != "running":
            break
        threading.Event().wait(0.1)
    assert status["state"] == "done", status
    assert [s["name"] for s in status["stages"]] == STAGES
    hits = client.post("/api/search", json={"query": "Tartu kultur", "k": 1}).json()["results"]
    assert hits[0]["doc_id"] == "bilaga-tartu"
