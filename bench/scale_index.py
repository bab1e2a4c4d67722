"""A bench index of N chunks: the corpus plus distractors whose vectors are drawn, not embedded.

Embedding 100 000 passages (and their ~5 units each) at a few passages/s takes days here, so
the distractors' vectors come from the corpus's own distribution (the mean and covariance of
its real chunk and unit vectors), unless the shared embedding cache has a real one. Everything
else is the product's: `build_index` writes Chroma, BM25, the unit vectors and the manifest
under the real embedder's name, and the service opens the index as it opens any other.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import CORPUS_DIR, SHARED_EMBEDDINGS, bench_settings, seed_embedding_cache


class VectorSampler:
    """Unit vectors drawn from a Gaussian with the mean and covariance of real vectors: as
    close to every question as real passages are (multilingual-e5 puts them all in a narrow
    cone), but about nothing in particular."""

    def __init__(self, real: np.ndarray) -> None:
        real = real / np.linalg.norm(real, axis=1, keepdims=True)
        self.mean = real.mean(axis=0)
        centred = real - self.mean
        values, vectors = np.linalg.eigh(centred.T @ centred / len(real))
        self.factor = vectors * np.sqrt(np.clip(values, 0, None))  # cov = factor @ factor.T

    def sample(self, texts: Sequence[str]) -> np.ndarray:
        """One vector per text, the same for the same texts in the same order."""
        seed = int.from_bytes(hashlib.sha256("\n".join(texts).encode()).digest()[:8], "little")
        z = np.random.default_rng(seed).standard_normal((len(texts), len(self.mean)))
        out = self.mean + z @ self.factor.T
        return (out / np.linalg.norm(out, axis=1, keepdims=True)).astype(np.float32)


class DrawnDistractorVectors:
    """The embedder a scaled bench index is built with: the real one for the corpus's texts,
    drawn vectors for the distractors', under the real embedder's name (so the service opens
    the index with the real embedder). Never used outside bench/; its cache is never merged
    into the shared one."""

    embed_batch_size = 4096

    def __init__(self, real: Any, drawn: set[str], sampler: VectorSampler) -> None:
        self.real = real
        self.drawn = drawn
        self.sampler = sampler

    @property
    def model_name(self) -> str:
        return str(self.real.model_name)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        mine = [i for i, t in enumerate(texts) if t in self.drawn]
        theirs = [i for i, t in enumerate(texts) if t not in self.drawn]
        out = np.zeros((len(texts), len(self.sampler.mean)), dtype=np.float32)
        if mine:
            out[mine] = self.sampler.sample([texts[i] for i in mine])
        if theirs:
            out[theirs] = self.real.embed_passages([texts[i] for i in theirs])
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self.real.embed_query(text), dtype=np.float32)


def build_scaled(
    data_dir: Path, total_chunks: int, corpus_dir: Path = CORPUS_DIR
) -> dict[str, Any]:
    """Corpus + distractors up to `total_chunks` chunks in one index (reused when its
    manifest matches); how many distractor vectors were drawn and how long the build took."""
    import time

    from bench.distractors import build_distractors, distractor_texts
    from index.build import build_index, indexed_text
    from index.cache import EmbeddingCache
    from index.embed import make_embedder
    from index.manifest import read_manifest
    from index.units import unit_texts
    from service.pipeline import chunker_settings, load_and_chunk

    settings = bench_settings(data_dir, corpus_dir)
    documents, chunks, _ = load_and_chunk(corpus_dir, settings)
    extra = build_distractors(max(0, total_chunks - len(chunks)))
    all_docs = [*documents, *extra.documents]
    all_chunks = [*chunks, *extra.chunks]
    manifest = read_manifest(data_dir)
    if (
        manifest is not None
        and manifest.counts.get("chunks") == len(all_chunks)
        and manifest.doc_hashes == {d.doc_id: d.content_hash for d in all_docs}
        and manifest.chunker == chunker_settings(settings)
    ):
        return {"chunks": len(all_chunks), "build_s": None, "drawn": None}
    start = time.perf_counter()
    real = make_embedder(settings.embedder, settings.embed_batch_size)
    metas = {d.doc_id: d.meta for d in documents}
    corpus_texts = [indexed_text(c, metas[c.doc_id]) for c in chunks] + unit_texts(chunks)
    with EmbeddingCache(SHARED_EMBEDDINGS) as cache:
        cached = cache.get_many(real.model_name, corpus_texts)
    if len(cached) < len(set(corpus_texts)) // 2:
        raise RuntimeError("the corpus is not in the shared embedding cache: build it first")
    sampler = VectorSampler(np.stack(list(cached.values())))
    drawn = (set(distractor_texts(extra)) | set(unit_texts(extra.chunks))) - set(corpus_texts)
    seed_embedding_cache(data_dir)
    embedder = DrawnDistractorVectors(real, drawn, sampler)
    build_index(all_docs, all_chunks, embedder, data_dir, chunker_settings(settings))
    # no harvest_embedding_cache: drawn vectors must never reach the shared cache
    return {"chunks": len(all_chunks), "build_s": time.perf_counter() - start, "drawn": len(drawn)}


def process_rss_mb(pid: int) -> dict[str, float]:
    """Another process's resident set now and at its peak (VmRSS, VmHWM), in MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return {
        "rss_mb": fields.get("VmRSS", float("nan")),
        "peak_rss_mb": fields.get("VmHWM", float("nan")),
    }


def serve_one_client(
    data_dir: Path, questions: Sequence[str], log: Path, requests: int, seconds: float
) -> dict[str, Any]:
    """`falun-kb serve` over the index: seconds until /healthz answers (the index is opened
    before it does), one client's /api/search and /api/ask latency after a warm-up (every
    question once), and the server's memory."""
    import asyncio
    import time

    import httpx

    from bench.http_load import _run, payload, start_service, stop_process
    from bench.stats import latency_summary

    start = time.perf_counter()
    proc, base = start_service(data_dir, log)
    result: dict[str, Any] = {"startup_s": time.perf_counter() - start}
    try:
        with httpx.Client(base_url=base, timeout=120.0) as client:
            for endpoint in ("search", "ask"):
                for q in questions:
                    client.post(f"/api/{endpoint}", json=payload(endpoint, q)).raise_for_status()
        for endpoint in ("search", "ask"):
            latencies, wall, errors = asyncio.run(
                _run(base, endpoint, questions, 1, requests, seconds)
            )
            result[endpoint] = {**latency_summary(latencies, wall), "errors": sum(errors.values())}
        result.update(process_rss_mb(proc.pid))
    finally:
        stop_process(proc)
    return result


# Issue #16's targets for one client at 100 000 chunks (None: reported, no target).
TARGETS: dict[str, str] = {
    "ask p95 ms (in-process)": "≤ 300",
    "search p50 ms (in-process)": "≤ 50",
    "HTTP /api/ask p95 ms": "≤ 300",
    "HTTP /api/search p50 ms": "≤ 50",
    "peak RSS MB (in-process)": "≤ 1536",
    "server peak RSS MB": "≤ 1536",
    "index open s": "≤ 10",
}


def served_rows(served: Sequence[dict[str, Any]]) -> list[list[object]]:
    """One row per quantity, one column per index size (section 4c's table)."""

    def get(r: dict[str, Any], *path: str) -> object:
        for key in path:
            r = r.get(key, {}) if isinstance(r, dict) else {}
        return r if not isinstance(r, dict) else float("nan")

    quantities: list[tuple[str, tuple[str, ...]]] = [
        ("chunks", ("chunks",)),
        ("units (sentence vectors)", ("units",)),
        ("distractor vectors drawn", ("drawn",)),
        ("evidence recall@5", ("recall@5",)),
        ("MRR", ("mrr",)),
        ("facts present", ("facts",)),
        ("ANN recall@30", ("ann_recall@30",)),
        ("search p50 ms (in-process)", ("search", "p50_ms")),
        ("search p95 ms (in-process)", ("search", "p95_ms")),
        ("ask p50 ms (in-process)", ("ask", "p50_ms")),
        ("ask p95 ms (in-process)", ("ask", "p95_ms")),
        ("HTTP /api/search p50 ms", ("http", "search", "p50_ms")),
        ("HTTP /api/ask p50 ms", ("http", "ask", "p50_ms")),
        ("HTTP /api/ask p95 ms", ("http", "ask", "p95_ms")),
        ("index open s", ("open_s",)),
        ("open + first answer s", ("first_answer_s",)),
        ("serve until /healthz s", ("http", "startup_s")),
        ("peak RSS MB (in-process)", ("peak_rss_mb",)),
        ("server peak RSS MB", ("http", "peak_rss_mb")),
        ("server RSS MB after the run", ("http", "rss_mb")),
        ("index build s", ("build_s",)),
    ]
    return [
        [name, TARGETS.get(name, ""), *(get(r, *path) for r in served)] for name, path in quantities
    ]
