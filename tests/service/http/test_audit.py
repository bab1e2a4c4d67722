"""The audit log: answers with citations, feedback, retention, export; no client kept by default."""

from datetime import UTC, datetime, timedelta

import pytest

from service.http.audit import AuditLog, ReasonRequired, UnknownAnswer
from service.models import Answer, Citation, Location


def answer(question="Vem är koordinator?"):
    cite = Citation(
        n=1, doc_id="falun-handlingsplan-2020", title="Internationell handlingsplan 2020",
        municipality="Falu kommun", doc_type="handlingsplan", year=2020,
        section="Organisationens medlemmar", quote="Internationell koordinator är Karin Perérs.",
        location=Location(start_line=31, end_line=31), chunk_id="x:1", context="…",
    )  # fmt: skip
    return Answer(
        question=question, answer='Enligt ...: "..." [1]', answerable=True, citations=[cite]
    )


def test_answers_and_feedback_are_exported_together(tmp_path):
    log = AuditLog(tmp_path / "audit.sqlite")
    first = log.record(answer(), client="10.0.0.7")
    log.feedback(first, helpful=True)
    log.feedback(first, helpful=False, comment="fel år")
    items = list(log.export(reader="test", reason="test"))
    assert len(items) == 1
    item = items[0]
    assert item["question"] == "Vem är koordinator?" and item["answerable"] is True
    assert item["citations"][0]["quote"] == "Internationell koordinator är Karin Perérs."
    assert [f["helpful"] for f in item["feedback"]] == [True, False]
    assert item["client"] is None  # no IP addresses unless asked for


def test_client_is_kept_only_when_configured(tmp_path):
    log = AuditLog(tmp_path / "audit.sqlite", store_client=True)
    log.record(answer(), client="10.0.0.7")
    assert next(log.export(reader="test", reason="test"))["client"] == "10.0.0.7"


def test_feedback_for_an_unknown_answer_is_refused(tmp_path):
    with pytest.raises(UnknownAnswer):
        AuditLog(tmp_path / "audit.sqlite").feedback("finns-inte", True)


def test_retention_removes_old_answers_and_their_feedback(tmp_path):
    log = AuditLog(tmp_path / "audit.sqlite", retention_days=30)
    kept = log.record(answer("ny"))
    log.feedback(kept, True)
    assert log.purge(now=datetime.now(UTC) + timedelta(days=10)) == 0
    assert log.purge(now=datetime.now(UTC) + timedelta(days=31)) == 1
    assert list(log.export(reader="test", reason="test")) == []


def test_reading_without_a_reason_is_refused_and_reading_is_logged(tmp_path):
    log = AuditLog(tmp_path / "audit.sqlite")
    log.record(answer())
    for reason in (None, "", "   "):
        with pytest.raises(ReasonRequired):
            log.export(reader="cli:anna", reason=reason)
    assert len(list(log.export(reader="cli:anna", reason="begäran om allmän handling"))) == 1
    reads = log.reads("cli:bo", "kontroll av läsloggen")
    assert [(r["reader"], r["reason"], r["what"]) for r in reads] == [
        ("cli:anna", "begäran om allmän handling", "export"),
        ("cli:bo", "kontroll av läsloggen", "reads"),
    ]


def test_retention_applies_to_the_read_log(tmp_path):
    log = AuditLog(tmp_path / "audit.sqlite", retention_days=30)
    list(log.export(reader="cli:anna", reason="revision"))
    log.purge(now=datetime.now(UTC) + timedelta(days=31))
    assert [r["reason"] for r in log.reads("cli:bo", "kontroll")] == ["kontroll"]
