"""Swedish lexical retrieval: a BM25 index over `lang.tokenize`, for corpus and query alike."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np

from lang import TOKENIZER_VERSION, tokenize


class SwedishBM25:
    """BM25 over `tokenize`d chunks; bm25s only ever sees our token ids, never raw text."""

    def __init__(self) -> None:
        self._bm25: bm25s.BM25 | None = None
        self._vocab: dict[str, int] = {}
        self._chunk_ids: list[str] = []

    @property
    def chunk_ids(self) -> list[str]:
        return list(self._chunk_ids)

    def __len__(self) -> int:
        return len(self._chunk_ids)

    def build(self, chunk_ids: Sequence[str], texts: Sequence[str]) -> SwedishBM25:
        if len(chunk_ids) != len(texts):
            raise ValueError(f"{len(chunk_ids)} chunk ids but {len(texts)} texts")
        self._chunk_ids = list(chunk_ids)
        vocab: dict[str, int] = {}
        corpus_ids = [[vocab.setdefault(t, len(vocab)) for t in tokenize(x)] for x in texts]
        self._vocab = vocab
        self._bm25 = None
        if vocab:
            # Passing (ids, vocab) rather than strings keeps bm25s from applying its own
            # (English) stemming/stop words; create_empty_token=False keeps vocab == ours.
            bm25 = bm25s.BM25()
            bm25.index((corpus_ids, vocab), create_empty_token=False, show_progress=False)
            self._bm25 = bm25
        return self

    def search(
        self,
        query: str | Sequence[str],
        k: int = 10,
        allowed_ids: set[str] | None = None,
    ) -> list[tuple[str, float]]:
        """Top-k (chunk_id, score) with score > 0; `query` is text or already-tokenized."""
        if self._bm25 is None or k <= 0:
            return []
        tokens = tokenize(query) if isinstance(query, str) else list(query)
        token_ids = [self._vocab[t] for t in tokens if t in self._vocab]
        if not token_ids:
            return []
        scores = np.asarray(self._bm25.get_scores_from_ids(token_ids), dtype=np.float64)
        if allowed_ids is not None:
            mask = np.fromiter((cid in allowed_ids for cid in self._chunk_ids), bool)
            scores = np.where(mask, scores, 0.0)
        candidates = np.flatnonzero(scores > 0)
        # Stable sort on -score so equal scores keep corpus order (deterministic results).
        order = candidates[np.argsort(-scores[candidates], kind="stable")][:k]
        return [(self._chunk_ids[i], float(scores[i])) for i in order]

    def save(self, directory: Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        meta = {"tokenizer": TOKENIZER_VERSION, "chunk_ids": self._chunk_ids}
        (directory / "chunk_ids.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
        if self._bm25 is not None:
            self._bm25.save(str(directory), show_progress=False)

    @classmethod
    def load(cls, directory: Path) -> SwedishBM25:
        directory = Path(directory)
        meta = json.loads((directory / "chunk_ids.json").read_text("utf-8"))
        if meta.get("tokenizer") != TOKENIZER_VERSION:
            raise ValueError(
                f"BM25 index in {directory} was built with tokenizer {meta.get('tokenizer')!r}, "
                f"this code uses {TOKENIZER_VERSION!r}; rebuild the index"
            )
        index = cls()
        index._chunk_ids = list(meta["chunk_ids"])
        if index._chunk_ids and (directory / "vocab.index.json").exists():
            bm25 = bm25s.BM25.load(str(directory), show_progress=False)
            index._bm25 = bm25
            index._vocab = {str(t): int(i) for t, i in bm25.vocab_dict.items()}
        return index
