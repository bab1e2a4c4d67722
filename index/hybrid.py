"""Hybrid retrieval: dense (Chroma) and lexical (BM25) rankings fused by reciprocal rank."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from index.centrality import less_central_first
from index.config import DEFAULT_RETRIEVAL, RetrievalConfig
from index.filters import build_where, document_filter, filter_values
from index.lexical import SwedishBM25
from index.store import ChromaChunkStore
from index.units import UnitVectors, units_of
from ingest.schema import Chunk, DocumentMeta

if TYPE_CHECKING:
    from index.protocols import Embedder


@dataclass(frozen=True)
class ScoredChunk:
    """A retrieved chunk with its fused score and what each retriever thought of it."""

    chunk: Chunk
    score: float
    dense_similarity: float | None
    lexical_score: float | None
    dense_rank: int | None  # 1-based
    lexical_rank: int | None  # 1-based


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]], weights: Sequence[float], k: int = DEFAULT_RETRIEVAL.rrf_k
) -> list[tuple[str, float]]:
    """Weighted RRF: score(d) = Σ w_i / (k + rank_i(d)), ranks 1-based; best first.

    Independent of the order of the rankings: sums are exact (`math.fsum`) and ties are
    broken by best rank, then id.
    """
    if len(rankings) != len(weights):
        raise ValueError(f"{len(rankings)} rankings but {len(weights)} weights")
    if any(w < 0 for w in weights):
        raise ValueError("weights must be non-negative")
    contributions: dict[str, list[float]] = {}
    best_rank: dict[str, int] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        seen: set[str] = set()
        for rank, item in enumerate(ranking, start=1):
            if item in seen:  # a repeated id only counts at its first (best) rank
                continue
            seen.add(item)
            contributions.setdefault(item, []).append(weight / (k + rank))
            best_rank[item] = min(best_rank.get(item, rank), rank)
    fused = [(item, math.fsum(parts)) for item, parts in contributions.items()]
    fused.sort(key=lambda pair: (-pair[1], best_rank[pair[0]], pair[0]))
    return fused


# The nearest units read for each chunk the unit side gives (several units share a chunk).
UNIT_ROWS_PER_CANDIDATE = 4

# A filter leaving at most this many chunks is ranked exactly here rather than by Chroma's
# filtered search (`HybridRetriever._dense_among`).
EXACT_FILTERED_MAX = 2000


def _filter_key(filters: Mapping[str, Any]) -> tuple[Any, ...]:
    """A hashable form of `filters`, the same for the same filter however its values come."""
    return tuple(
        sorted(
            (key, tuple(sorted(map(str, filter_values(key, value)))))
            for key, value in filters.items()
        )
    )


def _remember(cache: dict[Any, Any], key: Any, value: Any, size: int) -> None:
    cache[key] = value
    while len(cache) > size:
        cache.pop(next(iter(cache)))


def combined_vector(embed: Callable[[str], np.ndarray], text: str, also: str = "") -> np.ndarray:
    """The text's vector; with `also`, another rendering of it, the normalised sum of both.
    An English question glossed word by word in Swedish moves its vector toward the Swedish
    passages it asks about, where the cross-lingual cosines alone run low."""
    vector = embed(text)
    if not also or also == text:
        return vector
    both = np.asarray(vector, dtype=np.float64) + np.asarray(embed(also), dtype=np.float64)
    return both / (np.linalg.norm(both) or 1.0)


class HybridRetriever:
    """Dense + BM25 over the same chunks, fused with RRF; filters apply to both sides.
    How many candidates each side gives and how they are fused: `config` (the product's
    measured defaults unless given)."""

    def __init__(
        self,
        store: ChromaChunkStore,
        bm25: SwedishBM25,
        chunks: Mapping[str, Chunk],
        doc_meta: Mapping[str, DocumentMeta],
        embed_model: Embedder,
        config: RetrievalConfig = DEFAULT_RETRIEVAL,
        centrality: Mapping[str, float] | None = None,
        units: UnitVectors | None = None,
    ) -> None:
        self.store = store
        self.bm25 = bm25
        self.chunks = chunks
        self.doc_meta = doc_meta
        self.embed_model = embed_model
        self.config = config
        self.dense_k = config.dense_k
        self.lexical_k = config.lexical_k
        self.rrf_k = config.rrf_k
        self.dense_weight = config.dense_weight
        self.lexical_weight = config.lexical_weight
        # each chunk's centrality in the index (None: an older generation, plain cosines)
        self.centrality = centrality
        self.centrality_weight = config.centrality_weight if centrality is not None else 0.0
        # every quotable unit's vector (None: no third ranking)
        self.units = units
        self.unit_weight = config.unit_weight if units is not None else 0.0
        self._recent_queries: dict[str, np.ndarray] = {}
        # a filter passes whole documents: their chunks are looked up, not searched for
        self._doc_chunks: dict[str, list[str]] = {}
        for cid, chunk in chunks.items():
            self._doc_chunks.setdefault(chunk.doc_id, []).append(cid)
        self._recent_lock = threading.Lock()
        # the last few filters' chunks (and, for a few chunks, their vectors), since one
        # question retrieves with the same filter on both sides, often more than once
        self._filtered: dict[tuple[Any, ...], tuple[list[str], set[str]]] = {}
        self._filtered_vectors: dict[tuple[Any, ...], np.ndarray] = {}
        self._unit_owners: dict[int, tuple[str, ...]] | None = None  # built on first use

    def allowed_ids(self, filters: Mapping[str, Any] | None) -> set[str] | None:
        """Chunk ids passing `filters` (same semantics as the Chroma `where`), None if no filter."""
        if not filters:
            return None
        return self._passing(filters)[1]

    def _passing(self, filters: Mapping[str, Any]) -> tuple[list[str], set[str]]:
        """The chunks passing `filters`, in index order and as a set (kept for a while)."""
        key = _filter_key(filters)
        with self._recent_lock:
            found = self._filtered.get(key)
        if found is None:
            wanted = document_filter(filters)
            passing = [doc_id for doc_id, meta in self.doc_meta.items() if wanted(meta)]
            ordered = [cid for doc_id in passing for cid in self._doc_chunks.get(doc_id, ())]
            found = (ordered, set(ordered))
            with self._recent_lock:
                _remember(self._filtered, key, found, 32)
        return found

    def dense_query_vector(self, query: str, also: str = "") -> np.ndarray:
        """The vector the dense side searches with: the query's, with `also` (another
        rendering of it, e.g. an English question's Swedish gloss) joined in."""
        return combined_vector(self.query_vector, query, also)

    def query_vector(self, query: str) -> np.ndarray:
        """The query's vector; the last few are kept, since answering asks for the same one
        right after retrieval (and a follow-up retrieves twice)."""
        with self._recent_lock:
            vector = self._recent_queries.get(query)
        if vector is None:
            vector = self.embed_model.embed_query(query)
            with self._recent_lock:
                _remember(self._recent_queries, query, vector, 32)
        return vector

    def _dense(
        self, qvec: np.ndarray, k: int, filters: Mapping[str, Any] | None
    ) -> list[tuple[str, float]]:
        """The dense top-k, ranked by cosine less the fitted share of centrality."""
        if not self.centrality_weight:
            return self.nearest(qvec, k, filters)
        pool = self.nearest(qvec, k * self.config.dense_pool, filters)
        return less_central_first(pool, self.centrality, self.centrality_weight)[:k]

    def nearest(
        self, qvec: np.ndarray, k: int, filters: Mapping[str, Any] | None
    ) -> list[tuple[str, float]]:
        """The k chunks nearest by cosine (chunk id, cosine), best first."""
        if filters and len(self._passing(filters)[0]) <= EXACT_FILTERED_MAX:
            return self._dense_among(qvec, k, filters)
        hits = self.store.query(qvec, k, build_where(filters))
        return [(cid, sim) for cid, sim in hits if cid in self.chunks]

    def _dense_among(
        self, qvec: np.ndarray, k: int, filters: Mapping[str, Any]
    ) -> list[tuple[str, float]]:
        """The dense top-k among the few chunks a filter leaves, ranked exhaustively here as
        Chroma ranks a small filtered set (same order, cosine to ~1e-6), without its cost:
        Chroma resolves a filter over every record, ~100 ms a query at 100 000 chunks."""
        ids = self._passing(filters)[0]
        key = _filter_key(filters)
        with self._recent_lock:
            matrix = self._filtered_vectors.get(key)
        if matrix is None:
            stored = self.store.embeddings(ids)
            rows = [stored.get(cid, np.zeros(len(qvec), np.float32)) for cid in ids]
            matrix = np.stack(rows).astype(np.float32) if rows else np.zeros((0, len(qvec)))
            norms = np.linalg.norm(matrix, axis=1, keepdims=True)
            matrix = matrix / np.where(norms == 0, 1, norms)
            with self._recent_lock:
                _remember(self._filtered_vectors, key, matrix, 16)
        if not ids:
            return []
        q = np.asarray(qvec, dtype=np.float32)
        q = q / (np.linalg.norm(q) or 1.0)
        distances = (1 - matrix @ q).astype(np.float32)  # Chroma's cosine distance
        order = np.argsort(distances, kind="stable")[:k]
        return [(ids[i], 1.0 - float(distances[i])) for i in order]

    def _lexical(
        self, text: str, k: int, filters: Mapping[str, Any] | None
    ) -> list[tuple[str, float]]:
        return self.bm25.search(text, k, self.allowed_ids(filters))

    def _similarities(self, qvec: np.ndarray, ids: Sequence[str]) -> dict[str, float]:
        """Cosine of the query with stored vectors, for chunks the dense side did not return."""
        stored = self.store.embeddings(ids)
        qnorm = float(np.linalg.norm(qvec)) or 1.0
        return {
            cid: float(vec @ qvec) / ((float(np.linalg.norm(vec)) or 1.0) * qnorm)
            for cid, vec in stored.items()
        }

    def dense(
        self, query: str, k: int = 10, filters: Mapping[str, Any] | None = None
    ) -> list[ScoredChunk]:
        """Dense-only ranking (for comparison in the benchmark)."""
        hits = self._dense(self.dense_query_vector(query), k, filters)
        return [
            ScoredChunk(self.chunks[cid], sim, sim, None, rank, None)
            for rank, (cid, sim) in enumerate(hits, start=1)
        ]

    def lexical(
        self, query: str, k: int = 10, filters: Mapping[str, Any] | None = None
    ) -> list[ScoredChunk]:
        """BM25-only ranking; still carries each chunk's dense similarity."""
        hits = self._lexical(query, k, filters)
        sims = self._similarities(self.dense_query_vector(query), [cid for cid, _ in hits])
        return [
            ScoredChunk(self.chunks[cid], score, sims.get(cid), score, None, rank)
            for rank, (cid, score) in enumerate(hits, start=1)
        ]

    def rankings(
        self,
        query: str,
        filters: Mapping[str, Any] | None = None,
        lexical_extra: str = "",
        lexical_query: str | None = None,
        dense_also: str = "",
    ) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
        """The two sides before fusion: dense (chunk id, similarity) and BM25 (chunk id,
        score), best first, as `retrieve` fuses them."""
        dense_hits = self._dense(self.dense_query_vector(query, dense_also), self.dense_k, filters)
        return dense_hits, self.lexical_ranking(query, filters, lexical_extra, lexical_query)

    def lexical_ranking(
        self,
        query: str,
        filters: Mapping[str, Any] | None = None,
        lexical_extra: str = "",
        lexical_query: str | None = None,
    ) -> list[tuple[str, float]]:
        """The BM25 side (chunk id, score), best first, as `retrieve` fuses it."""
        lexical_query = f"{query if lexical_query is None else lexical_query} {lexical_extra}"
        return self._lexical(lexical_query.strip(), self.lexical_k, filters)

    def nearest_unit_chunks(
        self, qvec: np.ndarray, filters: Mapping[str, Any] | None = None
    ) -> list[str]:
        """The chunks (passing `filters`) of the units nearest the query over the whole index,
        as many as the dense side gives: a passage whose own vector and words lose among many
        others' is still a candidate through its nearest sentence."""
        if self.units is None:
            return []
        owners = self.unit_owners()
        allowed = self.allowed_ids(filters)
        found: dict[str, None] = {}
        for row in self.units.nearest_rows(qvec, UNIT_ROWS_PER_CANDIDATE * self.dense_k):
            for cid in owners.get(row, ()):
                if allowed is None or cid in allowed:
                    found[cid] = None
            if len(found) >= self.dense_k:
                break
        return list(found)[: self.dense_k]

    def unit_owners(self) -> dict[int, tuple[str, ...]]:
        """Each unit vector's row -> the chunks that hold that unit (read once)."""
        with self._recent_lock:
            owners = self._unit_owners
        if owners is None and self.units is not None:
            holders: dict[int, list[str]] = {}
            for cid, chunk in self.chunks.items():
                for text in units_of(chunk.text):
                    row = self.units.row_of(text)
                    if row is not None:
                        holders.setdefault(row, []).append(cid)
            owners = {row: tuple(cids) for row, cids in holders.items()}
            with self._recent_lock:
                self._unit_owners = owners
        return owners or {}

    def nearest_sentence_first(self, qvec: np.ndarray, candidates: Sequence[str]) -> list[str]:
        """The candidate chunks ranked by their nearest unit's cosine to the query."""
        if self.units is None:
            return list(dict.fromkeys(candidates))
        texts = {cid: self.chunks[cid].text for cid in dict.fromkeys(candidates)}
        best = self.units.best_unit_cosines(qvec, texts)
        return sorted(texts, key=lambda cid: -best[cid])

    def retrieve(
        self,
        query: str,
        k: int = 10,
        filters: Mapping[str, Any] | None = None,
        lexical_extra: str = "",
        lexical_query: str | None = None,
        dense_also: str = "",
    ) -> list[ScoredChunk]:
        """Fused top-k. `lexical_extra` (e.g. expanded abbreviations) only feeds BM25, and
        `lexical_query`, when given, replaces the query on the BM25 side (e.g. without a
        municipality name that has become a filter); `dense_also`, another rendering of the
        query (an English question glossed in Swedish), joins it on the dense side."""
        qvec = self.dense_query_vector(query, dense_also)
        dense_hits, lexical_hits = self.rankings(
            query, filters, lexical_extra, lexical_query, dense_also
        )
        dense_ids = [cid for cid, _ in dense_hits]
        lexical_ids = [cid for cid, _ in lexical_hits]
        rankings, weights = [dense_ids, lexical_ids], [self.dense_weight, self.lexical_weight]
        if self.unit_weight:
            # both sides' candidates and the nearest units' chunks
            unit_side = self.nearest_unit_chunks(qvec, filters)
            candidates = [*dense_ids, *lexical_ids, *unit_side]
            rankings.append(self.nearest_sentence_first(qvec, candidates))
            weights.append(self.unit_weight)
        fused = reciprocal_rank_fusion(rankings, weights, k=self.rrf_k)[:k]
        dense_sim = dict(dense_hits)
        dense_rank = {cid: r for r, (cid, _) in enumerate(dense_hits, start=1)}
        lex_score = dict(lexical_hits)
        lex_rank = {cid: r for r, (cid, _) in enumerate(lexical_hits, start=1)}
        missing = [cid for cid, _ in fused if cid not in dense_sim]
        dense_sim.update(self._similarities(qvec, missing))
        return [
            ScoredChunk(
                chunk=self.chunks[cid],
                score=score,
                dense_similarity=dense_sim.get(cid),
                lexical_score=lex_score.get(cid),
                dense_rank=dense_rank.get(cid),
                lexical_rank=lex_rank.get(cid),
            )
            for cid, score in fused
        ]
