"""Audit log of questions and answers, with the users' feedback, in SQLite; no IPs by default."""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from service.config import DEFAULT_AUDIT, AuditConfig
from service.models import Answer

AUDIT_FILE = "audit.sqlite"  # in the data directory

SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY,
    asked_at TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    answerable INTEGER NOT NULL,
    citations TEXT NOT NULL,
    client TEXT,
    mode TEXT
);
CREATE INDEX IF NOT EXISTS answers_asked_at ON answers (asked_at);
CREATE TABLE IF NOT EXISTS feedback (
    answer_id TEXT NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
    given_at TEXT NOT NULL,
    helpful INTEGER NOT NULL,
    comment TEXT
);
CREATE TABLE IF NOT EXISTS reads (
    read_at TEXT NOT NULL,
    reader TEXT NOT NULL,
    reason TEXT NOT NULL,
    what TEXT NOT NULL
);
"""
MAX_REASON_CHARS = 500


class UnknownAnswer(KeyError):
    """Feedback for an answer id the log does not hold (never given, or past retention)."""


class ReasonRequired(ValueError):
    """Reading the audit log without stating why."""


def stated_reason(reason: str | None) -> str:
    """The reason for a read, trimmed; ReasonRequired when there is none."""
    text = " ".join((reason or "").split())
    if not text:
        raise ReasonRequired("ange ett skäl för att läsa granskningsloggen / a reason is required")
    return text[:MAX_REASON_CHARS]


class AuditLog:
    """Each question, its answer and cited passages, and thumbs up/down, kept `retention_days`."""

    def __init__(
        self,
        path: Path,
        retention_days: int = DEFAULT_AUDIT.retention_days,
        store_client: bool = DEFAULT_AUDIT.store_client,
    ):
        self.path = Path(path)
        self.retention = timedelta(days=retention_days)
        self.store_client = store_client
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(SCHEMA)
            columns = {row[1] for row in db.execute("PRAGMA table_info(answers)")}
            if "mode" not in columns:  # a log written before answers kept their mode
                db.execute("ALTER TABLE answers ADD COLUMN mode TEXT")
        self.purge()

    @classmethod
    def open(cls, data_dir: Path, config: AuditConfig) -> AuditLog:
        """The log in the data directory, kept as `config` says."""
        return cls(Path(data_dir) / AUDIT_FILE, config.retention_days, config.store_client)

    def connect(self) -> sqlite3.Connection:
        """A connection to the log's database (foreign keys on: deletions cascade)."""
        return self._connect()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.execute("PRAGMA foreign_keys = ON")
        return db

    def record(self, answer: Answer, client: str | None = None) -> str:
        """Store one answered question; returns the id the UI sends feedback for."""
        answer_id = uuid.uuid4().hex
        citations = [
            {"n": c.n, "doc_id": c.doc_id, "title": c.title, "section": c.section, "quote": c.quote,
             "start_line": c.location.start_line, "end_line": c.location.end_line}
            for c in answer.citations
        ]  # fmt: skip
        with self._lock, self._connect() as db:
            db.execute(
                "INSERT INTO answers (id, asked_at, question, answer, answerable, citations, "
                "client, mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    answer_id,
                    _now().isoformat(),
                    answer.question,
                    answer.answer,
                    int(answer.answerable),
                    json.dumps(citations, ensure_ascii=False),
                    client if self.store_client else None,
                    answer.mode,
                ),
            )
        return answer_id

    def feedback(self, answer_id: str, helpful: bool, comment: str | None = None) -> None:
        with self._lock, self._connect() as db:
            if db.execute("SELECT 1 FROM answers WHERE id = ?", (answer_id,)).fetchone() is None:
                raise UnknownAnswer(answer_id)
            db.execute(
                "INSERT INTO feedback VALUES (?, ?, ?, ?)",
                (answer_id, _now().isoformat(), int(helpful), comment),
            )

    def purge(self, now: datetime | None = None) -> int:
        """Delete what is older than the retention period; returns how many answers went."""
        cutoff = ((now or _now()) - self.retention).isoformat()
        with self._lock, self._connect() as db:
            gone = db.execute("DELETE FROM answers WHERE asked_at < ?", (cutoff,)).rowcount
            db.execute("DELETE FROM reads WHERE read_at < ?", (cutoff,))  # the read log too
        return gone

    def log_read(self, reader: str, reason: str | None, what: str) -> None:
        """Note who read the log, why and what; ReasonRequired (nothing read) without a reason."""
        why = stated_reason(reason)
        with self._lock, self._connect() as db:
            db.execute(
                "INSERT INTO reads VALUES (?, ?, ?, ?)", (_now().isoformat(), reader, why, what)
            )

    def reads(self, reader: str, reason: str | None) -> list[dict]:
        """The read log, oldest first; reading it is itself a read."""
        self.log_read(reader, reason, "reads")
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            return [dict(r) for r in db.execute("SELECT * FROM reads ORDER BY read_at")]

    def export(self, *, reader: str, reason: str | None) -> Iterator[dict]:
        """Every logged answer with its feedback, oldest first (for `falun-kb audit-export`);
        the read is logged first, and refused (ReasonRequired) without a reason."""
        self.log_read(reader, reason, "export")
        return self._export()

    def _export(self) -> Iterator[dict]:
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            rows = db.execute("SELECT * FROM answers ORDER BY asked_at").fetchall()
            for row in rows:
                item = dict(row)
                item["answerable"] = bool(item["answerable"])
                item["citations"] = json.loads(item["citations"])
                item["feedback"] = [
                    {
                        "given_at": f["given_at"],
                        "helpful": bool(f["helpful"]),
                        "comment": f["comment"],
                    }
                    for f in db.execute(
                        "SELECT * FROM feedback WHERE answer_id = ? ORDER BY given_at", (row["id"],)
                    )
                ]
                yield item


def _now() -> datetime:
    return datetime.now(UTC)
