"""The service stages' configuration: the single home of their defaults.

`service.settings.Settings` reads the environment once and hands each stage its part; the
stages themselves never read the environment. The other stages' configs live with them:
`ingest.chunk.ChunkerConfig`, `index.config.EmbedderConfig` and `RetrievalConfig`,
`service.answer.extractive.AnswerConfig`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ingest.chunk import ChunkerConfig
from ingest.load import DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class IngestConfig:
    """Where the documents are, which files are too large, how they are chunked."""

    corpus_dir: Path
    # larger files are refused with a message (the rest of the corpus still goes in)
    max_file_bytes: int = DEFAULT_MAX_BYTES
    chunker: ChunkerConfig = field(default_factory=ChunkerConfig)


@dataclass(frozen=True)
class LlmConfig:
    """Optional generative answers from an OpenAI-compatible server; no url = extractive."""

    url: str | None = None
    model: str = "qwen2.5-0.5b-instruct"
    api_key: str | None = None
    timeout: float = 60.0


@dataclass(frozen=True)
class AuditConfig:
    """The audit log of questions, answers and feedback (SQLite in the data directory); no
    IP addresses unless `store_client` is set."""

    enabled: bool = True
    retention_days: int = 365
    store_client: bool = False


@dataclass(frozen=True)
class HttpConfig:
    """Serving: address, upload limit, the admin token (admin is off without one), the
    OpenAI-compatible API's bearer token (open without one, like /api/ask), the
    per-client limit on the open question endpoints (requests per second, burst), and the
    reverse proxies (CIDRs) whose X-Forwarded-For is believed; from anyone else the peer
    address is the client, for the rate limit and the audit log."""

    host: str = "127.0.0.1"
    port: int = 8000
    max_upload_bytes: int = 50 * 1024 * 1024
    admin_token: str | None = None
    api_token: str | None = None
    rate_limit_per_second: float = 10.0
    rate_limit_burst: int = 50
    trusted_proxies: tuple[str, ...] = ()


DEFAULT_LLM = LlmConfig()
DEFAULT_AUDIT = AuditConfig()
DEFAULT_HTTP = HttpConfig()
