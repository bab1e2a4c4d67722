"""`falun-kb audit-export` reads the audit log only with the admin token and a reason, and
the read is logged."""

import json

import pytest

from service.cli import main
from service.http.audit import AuditLog
from service.settings import Settings
from tests.service.http.test_audit import answer

TOKEN = "cli-token"


@pytest.fixture
def logged(monkeypatch):
    monkeypatch.setenv("FALUN_KB_ADMIN_TOKEN", TOKEN)
    settings = Settings()
    AuditLog.open(settings.data_dir, settings.audit).record(answer())
    return settings


def test_export_needs_the_token_and_a_reason(logged, tmp_path, capsys):
    out = tmp_path / "audit.jsonl"
    with pytest.raises(SystemExit, match="reason"):
        main(["audit-export", "--token", TOKEN, "--out", str(out)])
    with pytest.raises(SystemExit, match="admin token"):
        main(["audit-export", "--token", "fel", "--reason", "revision", "--out", str(out)])
    assert not out.exists()
    assert main(["audit-export", "--token", TOKEN, "--reason", "revision", "--out", str(out)]) == 0
    assert [json.loads(line)["question"] for line in out.read_text().splitlines()] == [
        "Vem är koordinator?"
    ]
    capsys.readouterr()
    assert main(["audit-export", "--token", TOKEN, "--reason", "kontroll", "--reads"]) == 0
    reads = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["reason"], r["what"]) for r in reads] == [
        ("revision", "export"),
        ("kontroll", "reads"),
    ]
    assert reads[0]["reader"].startswith("cli:")


def test_without_a_configured_token_the_log_is_not_read(logged, monkeypatch):
    monkeypatch.delenv("FALUN_KB_ADMIN_TOKEN")
    with pytest.raises(SystemExit, match="FALUN_KB_ADMIN_TOKEN"):
        main(["audit-export", "--token", TOKEN, "--reason", "revision"])
