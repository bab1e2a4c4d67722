"""The coordinator's feedback review: cases over the API (token and reason required, the
read logged), marked handled with right and wrong citations, exported as evaluation
questions that `falun-kb eval` runs."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

import index.embed
from service.cli import main
from service.evaluate import load_questions, question_problems
from service.http.audit import AuditLog
from tests.fakes import hash_embedder_factory
from tests.service.http.desk import AUTH, TOKEN, desk_client

QUESTIONS = [
    "Vem är internationell koordinator?",
    "Vilken vänort har Falun i Finland?",
    "Hur finansieras det stödjande arbetet i utvecklingsländer?",
]


@pytest.fixture
def reviewed(tmp_path):
    """Three answers: thumbs down with a comment, thumbs up, thumbs up with a comment."""
    client, settings, _ = desk_client(tmp_path, admin_token=TOKEN)
    answers = [client.post("/api/ask", json={"question": q}).json() for q in QUESTIONS]
    verdicts = [(False, "fel källa"), (True, None), (True, "Vad saknades? Beloppet")]
    for answer, (helpful, comment) in zip(answers, verdicts, strict=True):
        body = {"answer_id": answer["answer_id"], "helpful": helpful, "comment": comment}
        assert client.post("/api/feedback", json=body).status_code == 200
    return client, settings, answers


def _cases(client, **params):
    return client.get("/api/admin/feedback", params=params, headers=AUTH)


def test_cases_need_the_token_and_a_reason_and_the_read_is_logged(reviewed):
    client, settings, answers = reviewed
    assert client.get("/api/admin/feedback", params={"reason": "x"}).status_code == 403
    refused = _cases(client)
    assert refused.status_code == 422 and "skäl" in refused.json()["detail"]
    cases = _cases(client, reason="veckogenomgång").json()
    # thumbs down or a comment, newest first; the plain thumbs up is not a case
    assert [c["question"] for c in cases] == [QUESTIONS[2], QUESTIONS[0]]
    first = cases[1]
    assert first["answer"] == answers[0]["answer"] and first["mode"] == "extractive"
    assert [c["quote"] for c in first["citations"]] == [c["quote"] for c in answers[0]["citations"]]
    assert first["feedback"][0] == {
        "given_at": first["feedback"][0]["given_at"], "helpful": False, "comment": "fel källa",
    }  # fmt: skip
    assert [c["question"] for c in _cases(client, reason="r", verdict="ned").json()] == [
        QUESTIONS[0]
    ]
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert _cases(client, reason="r", since=tomorrow).json() == []
    assert len(_cases(client, reason="r", until=tomorrow).json()) == 2
    log = AuditLog.open(settings.data_dir, settings.audit)
    reads = log.reads("test", "kontroll")
    assert [r["reason"] for r in reads[:2]] == ["veckogenomgång", "r"]
    assert reads[0]["reader"] == "api:testclient" and reads[0]["what"].startswith("feedback")


def test_a_handled_case_becomes_an_evaluation_question(reviewed, tmp_path, monkeypatch, capsys):
    client, settings, answers = reviewed
    case = answers[0]
    ns = [c["n"] for c in case["citations"]]
    assert ns, case
    review = {"right": ns[:1], "wrong": ns[1:], "answerable": True}
    url = f"/api/admin/feedback/{case['answer_id']}/handled"
    assert client.post(url, json=review).status_code == 403
    assert client.post(url, json={"right": [99]}, headers=AUTH).status_code == 422
    assert client.post("/api/admin/feedback/x/handled", json={}, headers=AUTH).status_code == 404
    assert client.post(url, json=review, headers=AUTH).json() == {"status": "hanterad"}
    handled = _cases(client, reason="r", handled=True).json()
    assert [c["answer_id"] for c in handled] == [case["answer_id"]]
    assert handled[0]["review"]["right"] == ns[:1] and handled[0]["handled_at"]
    assert [c["answer_id"] for c in _cases(client, reason="r", handled=False).json()] == [
        answers[2]["answer_id"]
    ]

    # the export and the eval run from the command line on the same data
    monkeypatch.setenv("FALUN_KB_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("FALUN_KB_CORPUS_DIR", str(settings.corpus_dir))
    monkeypatch.setenv("FALUN_KB_ADMIN_TOKEN", TOKEN)
    monkeypatch.setenv("FALUN_KB_ANSWERING_MODEL", str(settings.answering_model))
    monkeypatch.setattr(index.embed, "make_embedder", hash_embedder_factory)
    out = tmp_path / "feedback.jsonl"
    with pytest.raises(SystemExit, match="reason"):
        main(["feedback-export", "--as-eval", str(out), "--token", TOKEN])
    assert not out.exists()
    argv = ["feedback-export", "--as-eval", str(out), "--token", TOKEN, "--reason", "eval"]
    assert main(argv) == 0
    (item,) = load_questions(out)
    cited = {c["n"]: c for c in case["citations"]}
    assert item["question"] == QUESTIONS[0] and item["answerable"] is True
    assert item["evidence"] == [cited[ns[0]]["quote"]]
    assert item["docs"] == [cited[ns[0]]["doc_id"]]
    assert item["wrong_evidence"] == [cited[n]["quote"] for n in ns[1:]]
    assert item["note"] == "fel källa"
    kb_texts = {
        d["doc_id"]: client.get(f"/api/documents/{d['doc_id']}").json()["text"]
        for d in client.get("/api/documents").json()["documents"]
    }
    assert question_problems(item, kb_texts) == []
    capsys.readouterr()
    summary = tmp_path / "summary.json"
    assert main(["eval", str(out), "--json", str(summary)]) == 0
    assert item["id"] in capsys.readouterr().out
    scores = json.loads(summary.read_text())
    assert scores["questions"] == 1 and scores["answerable_accuracy"] == 1.0
    # the answer has not changed: it still quotes the passage the coordinator marked wrong
    assert scores["wrong_evidence_cited"] == 1.0
