"""Which documents are in force: status in the catalog and over the admin API, a replaced
document's badge (`superseded_by`), the status filter, and the present-tense rule; a status
change re-embeds nothing."""

from __future__ import annotations

import json

import pytest

from service.pipeline import run_ingest
from tests.conftest import CORPUS, add_to_catalog
from tests.service.http.desk import AUTH, TOKEN, desk_client

OLD = "falun-policy-internationella-kontakter-och-eu"
NEW = "falun-policy-2024"
NEW_TEXT = """Policy för internationella kontakter 2024

Ansvar
Den internationella koordinatorn samordnar från 2024 alla internationella kontakter.
Något nätverk med kontaktpersoner finns inte längre.
"""
QUESTION = "Vad säger policyn om nätverket av kontaktpersoner?"


@pytest.fixture
def desk(tmp_path):
    corpus = tmp_path / "corpus"
    import shutil

    shutil.copytree(CORPUS, corpus)
    (corpus / f"{NEW}.txt").write_text(NEW_TEXT, encoding="utf-8")
    add_to_catalog(
        corpus, NEW, file=f"{NEW}.txt", title="Policy för internationella kontakter 2024",
        municipality="Falu kommun", doc_type="policy", year=None, valid_from="2024-01-01",
    )  # fmt: skip
    return desk_client(tmp_path, admin_token=TOKEN)


def _replace(client, **body):
    body = {"status": "ersatt", "replaced_by": NEW, **body}
    return client.patch(f"/api/admin/documents/{OLD}", json=body, headers=AUTH)


def _ask(client, **filters) -> dict:
    response = client.post("/api/ask", json={"question": QUESTION, "filters": filters})
    assert response.status_code == 200, response.text
    return response.json()


def test_a_replaced_policy_loses_to_its_replacement_and_stays_citable(desk):
    client, settings, embedder = desk
    before = _ask(client)
    assert before["answerable"] and before["citations"][0]["doc_id"] == OLD
    embedded = len(embedder.passages)

    r = _replace(client)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "ersatt" and r.json()["superseded_by"]["doc_id"] == NEW

    now = _ask(client)
    cited = [c["doc_id"] for c in now["citations"]]
    assert now["answerable"] and cited[0] == NEW, now["answer"]
    for c in now["citations"]:  # an old quote that remains is marked with what replaced it
        expected = {
            "doc_id": NEW,
            "title": "Policy för internationella kontakter 2024",
            "year": 2024,
        }
        assert c["superseded_by"] == (expected if c["doc_id"] == OLD else None)

    # what only the replaced policy says is still answered from it, badged, over /v1 too
    only_old = "Vad ska göras vid besök från kommunens vänorter enligt policyn?"
    chat = {"model": "falun-kb", "messages": [{"role": "user", "content": only_old}]}
    text = client.post("/v1/chat/completions", json=chat).json()["choices"][0]["message"]
    assert "Ersatt av «Policy för internationella kontakter 2024» 2024" in text["content"]

    old = _ask(client, status="ersatt")  # still citable, badged
    assert old["answerable"] and {c["doc_id"] for c in old["citations"]} == {OLD}
    assert all(
        c["status"] == "ersatt" and c["superseded_by"]["doc_id"] == NEW for c in old["citations"]
    )

    found = client.post(
        "/api/search", json={"query": "kontaktpersoner", "filters": {"status": "ersatt"}}
    )
    assert {r["doc_id"] for r in found.json()["results"]} == {OLD}
    assert client.post(
        "/api/search", json={"query": "x", "filters": {"status": "arkiverad"}}
    ).json() == {"results": []}

    # nothing was embedded for the change, and re-reading the corpus embeds nothing either
    assert len(embedder.passages) == embedded
    catalog = json.loads((settings.corpus_dir / "catalog.json").read_text(encoding="utf-8"))
    assert catalog[OLD]["status"] == "ersatt" and catalog[OLD]["replaced_by"] == NEW
    assert run_ingest(settings, embedder=embedder).unchanged
    assert len(embedder.passages) == embedded


def test_a_year_named_in_the_question_keeps_the_old_answer(desk):
    client, _, _ = desk
    _replace(client)
    r = client.post(
        "/api/ask", json={"question": "Vad sa policyn 2019 om nätverket av kontaktpersoner?"}
    )
    assert OLD in {c["doc_id"] for c in r.json()["citations"]}


def test_status_changes_are_checked_and_need_the_token(desk):
    client, _, _ = desk
    assert client.patch(f"/api/admin/documents/{OLD}", json={"status": "ersatt"}).status_code == 403
    assert _replace(client, replaced_by="finns-inte").status_code == 422
    assert _replace(client, replaced_by=OLD).status_code == 422
    assert _replace(client, status="gammal").status_code == 422
    assert client.patch("/api/admin/documents/finns-inte", json={}, headers=AUTH).status_code == 404
    assert _replace(client).status_code == 200
    back = client.patch(
        f"/api/admin/documents/{OLD}",
        json={"status": "gällande", "replaced_by": None},
        headers=AUTH,
    )
    assert back.json()["status"] == "gällande" and back.json()["superseded_by"] is None
    listed = {d["doc_id"]: d for d in client.get("/api/documents").json()["documents"]}
    assert listed[NEW]["valid_from"] == "2024-01-01" and listed[NEW]["status"] == "gällande"


def test_the_catalog_sets_status_at_open(tmp_path):
    corpus = tmp_path / "corpus"
    import shutil

    shutil.copytree(CORPUS, corpus)
    catalog = json.loads((corpus / "catalog.json").read_text(encoding="utf-8"))
    catalog[OLD]["status"] = "arkiverad"
    (corpus / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    client, _, _ = desk_client(tmp_path)
    listed = {d["doc_id"]: d for d in client.get("/api/documents").json()["documents"]}
    assert listed[OLD]["status"] == "arkiverad" and listed[OLD]["superseded_by"] is None
