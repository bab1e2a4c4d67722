"""Section 3: ingest cost per stage, and the embedder's throughput against the CPU's limit."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from statistics import median
from typing import Any, TypeVar

from bench.common import bench_settings, seed_embedding_cache
from bench.flops import E5_SMALL, efficiency, flops_per_token, measure_gemm_gflops, sequence_flops

T = TypeVar("T")


def timed(fn: Callable[[], T], repeats: int) -> tuple[float, T]:
    """Median seconds of `repeats` calls after one warm-up call, and the last result."""
    result = fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return median(times), result


def run_ingest_bench(corpus_dir: Path, work_dir: Path, quick: bool) -> dict[str, Any]:
    from index.build import build_index, indexed_text
    from index.embed import make_embedder
    from ingest.chunk import chunk_document
    from ingest.load import load_catalog, load_corpus, load_document, repair_damaged
    from service.pipeline import chunker_config, chunker_settings

    repeats = 2 if quick else 3
    settings = bench_settings(work_dir / "ingest-data", corpus_dir)
    # load_corpus = catalog + load_document per file, then repair_damaged: timed apart here.
    catalog = load_catalog(corpus_dir)
    by_file = {meta.file: meta for meta in catalog.values()}
    paths = [p for p in sorted(corpus_dir.iterdir()) if p.name in by_file]
    load_s, raw_docs = timed(lambda: [load_document(p, by_file[p.name]) for p in paths], repeats)
    repair_s, _ = timed(lambda: repair_damaged(raw_docs), repeats)
    documents = load_corpus(corpus_dir).documents  # what ingest really indexes
    config = chunker_config(settings)
    chunk_s, chunk_lists = timed(lambda: [chunk_document(d, config) for d in documents], repeats)
    chunks = [c for cs in chunk_lists for c in cs]
    metas = {d.doc_id: d.meta for d in documents}
    texts = [indexed_text(c, metas[c.doc_id]) for c in chunks]

    embed_model = make_embedder(settings.embedder, settings.embed_batch_size)
    engine = getattr(embed_model, "_model", None)
    sample = texts[:32] if quick else texts
    embed_model.get_text_embedding_batch(sample[:2])  # warm-up: engine load, first pages
    batch = settings.embed_batch_size
    embed_runs = []
    for _ in range(1 if quick else 2):
        start = time.perf_counter()
        for i in range(0, len(sample), batch):
            embed_model.get_text_embedding_batch(sample[i : i + batch])  # no cache: cold embed
        embed_runs.append(time.perf_counter() - start)
    sample_s = median(embed_runs)
    passages_per_s = len(sample) / sample_s
    embed_s = len(texts) / passages_per_s  # extrapolated to the corpus when sampled (--quick)
    token_counts = [engine.token_count(t) for t in sample] if engine is not None else []
    tokens_per_s = sum(token_counts) / sample_s if token_counts else float("nan")

    def write() -> None:
        data_dir = work_dir / "ingest-data"
        shutil.rmtree(data_dir, ignore_errors=True)
        seed_embedding_cache(data_dir)  # warm cache: this stage times reading it + writing
        build_index(documents, chunks, embed_model, data_dir, chunker_settings(settings))

    write_s, _ = timed(write, repeats)
    stages = {
        "load": load_s,
        "repair": repair_s,
        "chunk": chunk_s,
        "embed": embed_s,
        "write": write_s,
    }
    total = sum(stages.values())

    gemm = measure_gemm_gflops(1024)
    mean_len = sum(token_counts) / len(token_counts) if token_counts else 128
    gemm_shaped = measure_gemm_gflops(
        m=max(int(mean_len), 1), k=E5_SMALL.hidden, n=E5_SMALL.ffn, repeats=20
    )
    flops = sequence_flops(token_counts)
    fpt = flops / sum(token_counts) if token_counts else flops_per_token(int(mean_len))
    return {
        "documents": len(documents),
        "chunks": len(chunks),
        "stages_s": stages,
        "total_s": total,
        "chunks_per_s": len(chunks) / total if total else float("nan"),
        "embed_sampled_passages": len(sample),
        "embedder": {
            "passages_per_s": passages_per_s,
            "tokens_per_s": tokens_per_s,
            "mean_tokens_per_passage": mean_len,
            "flops_per_token": fpt,
            "gemm_gflops_1024": gemm,
            "gemm_gflops_model_shaped": gemm_shaped,
            "limit_tokens_per_s": gemm * 1e9 / fpt,
            "efficiency_vs_gemm": efficiency(tokens_per_s, gemm, fpt),
            "efficiency_vs_model_shaped_gemm": efficiency(tokens_per_s, gemm_shaped, fpt),
        },
    }
