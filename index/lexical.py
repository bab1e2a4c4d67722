"""Swedish lexical retrieval: a BM25 index over `lang.tokenize`, for corpus and query alike."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
from bm25s.selection import topk

from lang import TOKENIZER_VERSION, tokenize


class SwedishBM25:
    """BM25 over `tokenize`d chunks; bm25s only ever sees our token ids, never raw text."""

    def __init__(self) -> None:
        self._bm25: bm25s.BM25 | None = None
        self._vocab: dict[str, int] = {}
        self._chunk_ids: list[str] = []
        self._matrix: Any = None  # bm25s's score matrix as scipy CSC (a view, no copy)
        self._row: dict[str, int] | None = None  # chunk id -> row, made on first filter

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
        self._matrix, self._row = None, None
        if vocab:
            # Passing (ids, vocab) rather than strings keeps bm25s from applying its own
            # (English) stemming/stop words; create_empty_token=False keeps vocab == ours.
            bm25 = bm25s.BM25()
            bm25.index((corpus_ids, vocab), create_empty_token=False, show_progress=False)
            self._use(bm25)
        return self

    def _use(self, bm25: bm25s.BM25) -> None:
        """Search with `bm25`: its eager score matrix seen as scipy CSC (token columns)."""
        from scipy.sparse import csc_matrix  # bm25s depends on scipy

        scores = bm25.scores
        shape = (scores["num_docs"], len(scores["indptr"]) - 1)
        self._bm25 = bm25
        self._matrix = csc_matrix((scores["data"], scores["indices"], scores["indptr"]), shape)

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
        scores = self._scores(token_ids)
        if allowed_ids is not None:
            scores *= self.mask(allowed_ids)  # bm25s's weight_mask: 0 drops a chunk
        return self._top_k(scores, k)

    def _scores(self, token_ids: list[int]) -> np.ndarray:
        """bm25s's scores for the query tokens (float32, one per chunk), summed as the sparse
        product of the token columns of its CSC score matrix with ones; bm25s's own numpy path
        (`np.add.at`) takes 160 ms at 1M chunks, this the same sums in the same order in ~5."""
        assert self._bm25 is not None
        # a repeated query token is a repeated column, as bm25s adds its postings twice
        columns = self._matrix[:, np.asarray(token_ids)]
        out = np.asarray(columns @ np.ones(len(token_ids), dtype=columns.dtype)).ravel()
        if self._bm25.nonoccurrence_array is not None:  # BM25L/BM25+ (not the default BM25)
            out += self._bm25.nonoccurrence_array[token_ids].sum()
        return out

    def _top_k(self, scores: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The k best (chunk_id, score) with score > 0, equal scores in corpus order: bm25s's
        top-k selection finds the k-th score, and only chunks at or above it are sorted."""
        candidates = np.flatnonzero(scores > 0)
        if len(candidates) > k:
            top_scores, _ = topk(scores[candidates], k, backend="numpy", sorted=False)
            candidates = candidates[scores[candidates] >= top_scores.min()]
        # Stable sort on -score so equal scores keep corpus order (deterministic results).
        order = candidates[np.argsort(-scores[candidates], kind="stable")][:k]
        return [(self._chunk_ids[i], float(scores[i])) for i in order]

    def mask(self, allowed_ids: set[str]) -> np.ndarray:
        """bm25s's weight_mask for a set of chunk ids: 1 for those, 0 for every other chunk;
        built from the ids, not by testing every chunk of the index."""
        if self._row is None:
            self._row = {cid: i for i, cid in enumerate(self._chunk_ids)}
        rows = [self._row[cid] for cid in allowed_ids if cid in self._row]
        mask = np.zeros(len(self._chunk_ids), dtype=np.float32)
        mask[np.asarray(rows, dtype=np.int64)] = 1.0
        return mask

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
            index._use(bm25)
            index._vocab = {str(t): int(i) for t, i in bm25.vocab_dict.items()}
        return index
