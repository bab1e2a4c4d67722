"""Corpus administration over the API, its token, its limits; and the per-client rate limit."""

from __future__ import annotations

import json
import shutil

import pytest
from fastapi.testclient import TestClient

from service.http.app import create_app
from service.http.ratelimit import TokenBuckets
from service.kb import KnowledgeBaseService
from service.pipeline import run_ingest
from service.settings import Settings
from tests.conftest import CORPUS
from tests.fakes import HashEmbedding

TOKEN = "s3cret-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def make_client(tmp_path, **overrides) -> tuple[TestClient, Settings]:
    corpus = tmp_path / "corpus"
    if not corpus.exists():
        shutil.copytree(CORPUS, corpus)
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus, **overrides)
    embedder = HashEmbedding()
    run_ingest(settings, embedder=embedder)
    kb = KnowledgeBaseService.open(settings, embedder=embedder)
    return TestClient(create_app(settings, kb=kb)), settings


@pytest.fixture
def admin(tmp_path):
    return make_client(tmp_path, admin_token=TOKEN, max_upload_bytes=20_000)


def upload(client, name, content, **fields):
    data = {"title": "Testdokument", "municipality": "Falu kommun", "doc_type": "notis", **fields}
    return client.post(
        "/api/admin/documents", files={"file": (name, content)}, data=data, headers=AUTH
    )


def test_without_a_configured_token_admin_answers_403_and_does_nothing(tmp_path):
    client, settings = make_client(tmp_path)
    before = sorted(p.name for p in settings.corpus_dir.iterdir())
    assert client.post("/api/admin/reindex", headers=AUTH).status_code == 403
    r = upload(client, "ny.txt", b"Text om vanorter.")
    assert r.status_code == 403 and "FALUN_KB_ADMIN_TOKEN" in r.json()["detail"]
    assert (
        client.delete("/api/admin/documents/falun-handlingsplan-2020", headers=AUTH).status_code
        == 403
    )
    assert sorted(p.name for p in settings.corpus_dir.iterdir()) == before


def test_wrong_or_missing_token_is_refused(admin):
    client, _ = admin
    assert client.post("/api/admin/reindex").status_code == 403
    assert (
        client.post("/api/admin/reindex", headers={"Authorization": "Bearer nope"}).status_code
        == 403
    )


def test_upload_replace_and_delete_a_document(admin):
    client, settings = admin
    r = upload(
        client, "vanort-tartu.txt", b"Falun inleder samarbete med Tartu i Estland.", year=2025
    )
    assert r.status_code == 200, r.text
    assert {"doc_id": "vanort-tartu", "status": "ok"}.items() <= next(
        f for f in r.json()["files"] if f["doc_id"] == "vanort-tartu"
    ).items()
    catalog = json.loads((settings.corpus_dir / "catalog.json").read_text("utf-8"))
    assert catalog["vanort-tartu"]["year"] == 2025
    hits = client.post("/api/search", json={"query": "Tartu Estland", "k": 3}).json()["results"]
    assert hits[0]["doc_id"] == "vanort-tartu"

    upload(
        client, "vanort-tartu.txt", "Samarbetet med Tartu gäller nu även Riga i Lettland.".encode()
    )
    text = client.get("/api/documents/vanort-tartu").json()["text"]
    assert "Riga" in text and "inleder" not in text

    assert client.delete("/api/admin/documents/vanort-tartu", headers=AUTH).status_code == 200
    assert client.get("/api/documents/vanort-tartu").status_code == 404
    assert not (settings.corpus_dir / "vanort-tartu.txt").exists()
    assert client.delete("/api/admin/documents/vanort-tartu", headers=AUTH).status_code == 404


def test_file_names_cannot_escape_the_corpus_directory(admin, tmp_path):
    client, settings = admin
    r = upload(client, "ok.txt", b"Text.", doc_id="../../utanfor")
    assert r.status_code == 422
    r = upload(client, "../../utanfor.txt", b"Text om vanorter och samarbete.")
    assert r.status_code == 200  # only the file's own name counts: it lands in the corpus
    assert (settings.corpus_dir / "utanfor.txt").exists()
    assert (
        not (tmp_path / "utanfor.txt").exists() and not (tmp_path.parent / "utanfor.txt").exists()
    )


def test_type_and_size_limits(admin):
    client, _ = admin
    r = upload(client, "program.exe", b"MZ\x00\x00")
    assert r.status_code == 415 and ".exe" in r.json()["detail"]
    r = upload(client, "stor.txt", b"a" * 20_001)
    assert r.status_code == 413
    r = upload(client, "tom.txt", b"")
    assert r.status_code == 422


def test_reindex_of_unchanged_files_does_no_work(admin):
    client, _ = admin
    r = client.post("/api/admin/reindex", headers=AUTH)
    assert r.status_code == 200 and r.json()["unchanged"] is True


def test_question_endpoints_are_rate_limited_per_client(tmp_path):
    client, _ = make_client(tmp_path, rate_limit_per_second=0.5, rate_limit_burst=3)
    codes = [client.post("/api/search", json={"query": "vänort"}).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3] == 429
    limited = client.post("/api/search", json={"query": "vänort"})
    assert int(limited.headers["Retry-After"]) >= 1
    assert client.get("/healthz").status_code == 200  # health is not limited


def test_chat_completions_are_rate_limited_in_openais_error_shape(tmp_path):
    client, _ = make_client(tmp_path, rate_limit_per_second=0.5, rate_limit_burst=2)
    body = {"model": "falun-kb", "messages": [{"role": "user", "content": "vänort"}]}
    codes = [client.post("/v1/chat/completions", json=body).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    limited = client.post("/v1/chat/completions", json=body)
    assert limited.json()["error"]["code"] == "rate_limit_exceeded"
    assert int(limited.headers["Retry-After"]) >= 1
    assert client.get("/v1/models").status_code == 200  # listing models is not limited


def test_token_buckets_refill_with_time():
    now = [0.0]
    buckets = TokenBuckets(rate=2.0, burst=2, clock=lambda: now[0])
    assert buckets.take("a") == 0 and buckets.take("a") == 0
    assert buckets.take("a") == pytest.approx(0.5)
    assert buckets.take("b") == 0  # another client has its own bucket
    now[0] += 0.5
    assert buckets.take("a") == 0


def test_an_upload_without_a_municipality_is_the_home_municipalitys(tmp_path):
    client, settings = make_client(tmp_path, admin_token=TOKEN, home_municipality="Testby kommun")
    r = client.post(
        "/api/admin/documents",
        files={"file": ("ny.txt", b"Text om vanorter.")},
        data={"title": "Ny"},
        headers=AUTH,
    )
    assert r.status_code == 200, r.text
    catalog = json.loads((settings.corpus_dir / "catalog.json").read_text("utf-8"))
    assert catalog["ny"]["municipality"] == "Testby kommun"
