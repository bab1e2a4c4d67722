"""Section 4: recall and latency as distractors grow; store and BM25 alone at synthetic sizes.

Each size is measured in a fresh (spawned) process, so its peak RSS is its own.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from bench.stats import percentile
from index.store import HNSW_CONFIG

SYLLABLES = [
    "för",
    "sam",
    "ling",
    "kom",
    "mun",
    "stad",
    "berg",
    "ar",
    "en",
    "het",
    "ning",
    "skap",
    "lig",
    "vän",
    "ort",
    "mål",
    "plan",
    "strand",
    "sjö",
    "skog",
    "bygd",
    "land",
    "rik",
    "dom",
    "ber",
    "ät",
    "tel",
    "se",
    "fal",
    "lu",
    "gruv",
    "ko",
    "par",
    "ti",
    "val",
    "del",
    "man",
    "ne",
    "hus",
    "gård",
    "holm",
    "vik",
    "ström",
    "dal",
    "sund",
    "by",
    "torp",
    "å",
    "ä",
    "ö",
    "sk",
    "kv",
    "sj",
    "tj",
    "ig",
    "ell",
    "ande",
    "are",
    "isk",
]


def run_isolated(fn: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """fn(*args) in a fresh spawned process (module-level fn); its result dict."""
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        return pool.submit(fn, *args).result()


def swedishish_vocabulary(n: int, seed: int = 0) -> list[str]:
    """`n` distinct pseudo-Swedish words glued from syllables (deterministic)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    words: dict[str, None] = {}
    while len(words) < n:
        parts = rng.integers(0, len(SYLLABLES), size=(n, 4))
        lengths = rng.integers(1, 5, size=n)
        for row, length in zip(parts, lengths, strict=True):
            words.setdefault("".join(SYLLABLES[i] for i in row[:length]), None)
            if len(words) == n:
                break
    return list(words)


def _latency(fn: Callable[[], object], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def _ms(times: Sequence[float]) -> dict[str, float]:
    ms = [t * 1000 for t in times]
    return {"p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95)}


# --- distractors: the real service at growing corpus size ---------------------------------


def measure_service(data_dir: str, questions_path: str, repeats: int) -> dict[str, Any]:
    """In a child: quality (R@5, MRR) and in-process search/ask latency, and peak RSS."""
    from bench.common import bench_settings, peak_rss_mb
    from service.evaluate import evaluate, load_questions
    from service.kb import KnowledgeBaseService

    start = time.perf_counter()
    kb = KnowledgeBaseService.open(bench_settings(Path(data_dir)))
    open_s = time.perf_counter() - start
    questions = [q["question"] for q in load_questions(Path(questions_path))]
    kb.ask(questions[0])
    first_answer_s = time.perf_counter() - start
    summary = evaluate(kb, Path(questions_path)).summary()  # also the warm-up
    search_t: list[float] = []
    ask_t: list[float] = []
    for _ in range(repeats):
        for q in questions:
            search_t += _latency(lambda q=q: kb.search(q, k=10), 1)
            ask_t += _latency(lambda q=q: kb.ask(q), 1)
    service_rss = peak_rss_mb()  # before ann_recall reads every stored vector
    return {
        "chunks": len(kb.index.chunks),
        "units": len(kb.index.units),
        "recall@5": summary["evidence_recall@5"],
        "recall@1": summary["evidence_recall@1"],
        "mrr": summary["mrr"],
        "facts": summary["facts_present"],
        "answerable_accuracy": summary["answerable_accuracy"],
        "search": _ms(search_t),
        "ask": _ms(ask_t),
        "open_s": open_s,
        "first_answer_s": first_answer_s,
        "peak_rss_mb": service_rss,
        "ann_recall@30": ann_recall(kb.index.retriever, questions),
    }


def ann_recall(retriever: Any, questions: Sequence[str], k: int = 30) -> float:
    """Mean share of the exact top-k (brute-force cosine over every stored vector) that the
    store's approximate (HNSW) search returns for each question: what the index loses."""
    import numpy as np

    ids = list(retriever.chunks)
    stored = retriever.store.embeddings(ids)
    matrix = np.stack([stored[i] for i in ids])
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    shares = []
    for question in questions:
        qvec = retriever.dense_query_vector(question)
        exact = {ids[i] for i in np.argsort(-(matrix @ qvec))[:k]}
        approximate = {cid for cid, _ in retriever._dense(qvec, k, None)}
        shares.append(len(exact & approximate) / min(k, len(ids)))
    return float(np.mean(shares))


# --- synthetic: the vector store and BM25 alone ------------------------------------------


# The product's query-time search (ef 400) over Chroma's default graph (M 16, ef_construction
# 100): with the product's M 32 / ef_construction 400, 1M vectors took over an hour to insert
# on 2 cores; this keeps the 1M build near 20 min. Query cost grows mostly with ef_search.
SYNTHETIC_HNSW = {**HNSW_CONFIG, "max_neighbors": 16, "ef_construction": 100}


def measure_store(
    n: int, cache_dir: str, dim: int = 384, queries: int = 50, k: int = 30
) -> dict[str, Any]:
    """In a child: `n` random unit vectors in an embedded Chroma (built once, cached), then
    query latency for random unit queries; peak RSS."""
    import numpy as np

    from bench.common import peak_rss_mb
    from index.store import open_chroma

    path = Path(cache_dir) / f"synthetic-chroma-m16-{n}"
    store = open_chroma(path, collection_name="synthetic", hnsw=SYNTHETIC_HNSW)
    build_s = None
    if store.count() != n:
        store.reset()
        rng = np.random.default_rng(1)
        collection = store._collection  # bench-only: raw vectors, no chunk metadata needed
        step = min(5000, store.client.get_max_batch_size())
        start = time.perf_counter()
        for offset in range(0, n, step):
            size = min(step, n - offset)
            vectors = rng.standard_normal((size, dim), dtype=np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            collection.add(ids=[f"s{offset + i}" for i in range(size)], embeddings=vectors)
        build_s = time.perf_counter() - start
    rng = np.random.default_rng(2)
    qs = rng.standard_normal((queries + 5, dim), dtype=np.float32)
    qs /= np.linalg.norm(qs, axis=1, keepdims=True)
    for q in qs[:5]:
        store.query(q, k)
    times = []
    for q in qs[5:]:
        start = time.perf_counter()
        store.query(q, k)
        times.append(time.perf_counter() - start)
    return {"n": n, "build_s": build_s, **_ms(times), "peak_rss_mb": peak_rss_mb()}


def measure_bm25(
    n: int, doc_tokens: int = 60, vocab_size: int = 50_000, queries: int = 50, k: int = 30
) -> dict[str, Any]:
    """In a child: BM25 over `n` random Zipf-distributed pseudo-Swedish docs, searched through
    SwedishBM25.search with pre-tokenized queries; build time and query latency; peak RSS."""
    import bm25s
    import numpy as np

    from bench.common import peak_rss_mb
    from index.lexical import SwedishBM25

    vocab = swedishish_vocabulary(vocab_size)
    rng = np.random.default_rng(3)
    ranks = np.minimum(rng.zipf(1.2, size=n * doc_tokens), vocab_size) - 1
    corpus_ids = ranks.reshape(n, doc_tokens).tolist()
    start = time.perf_counter()
    model = bm25s.BM25()
    model.index(
        (corpus_ids, {w: i for i, w in enumerate(vocab)}),
        create_empty_token=False,
        show_progress=False,
    )
    build_s = time.perf_counter() - start
    del corpus_ids
    index = SwedishBM25()
    # bench-only: install the prebuilt model so the query path is exactly SwedishBM25.search.
    index._vocab, index._chunk_ids = (
        {w: i for i, w in enumerate(vocab)},
        [f"d{i}" for i in range(n)],
    )
    index._use(model)
    q_ranks = np.minimum(rng.zipf(1.5, size=(queries + 5, 5)), vocab_size) - 1
    token_queries = [[vocab[i] for i in row] for row in q_ranks]
    for q in token_queries[:5]:
        index.search(q, k)
        _bm25s_numpy_search(index, q, k)
    times, before = [], []
    for q in token_queries[5:]:  # interleaved, so both see the same machine load
        start = time.perf_counter()
        index.search(q, k)
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        _bm25s_numpy_search(index, q, k)
        before.append(time.perf_counter() - start)
    return {
        "n": n,
        "build_s": build_s,
        **_ms(times),
        "numpy_path": _ms(before),
        "peak_rss_mb": peak_rss_mb(),
    }


def _bm25s_numpy_search(index: Any, tokens: list[str], k: int) -> list[tuple[str, float]]:
    """The search as it was before scipy scoring and top-k selection: bm25s's numpy scoring
    (`get_scores_from_ids`, np.add.at) and a full stable sort of every positive score."""
    import numpy as np

    token_ids = [index._vocab[t] for t in tokens if t in index._vocab]
    scores = np.asarray(index._bm25.get_scores_from_ids(token_ids), dtype=np.float64)
    candidates = np.flatnonzero(scores > 0)
    order = candidates[np.argsort(-scores[candidates], kind="stable")][:k]
    return [(index._chunk_ids[i], float(scores[i])) for i in order]
