"""Section 3: ingest time per 1 000 chunks by stage (cold and warm embedding cache), and the
embedder's throughput against the CPU's limit.

`python -m bench.ingest_bench --out FILE.json` runs the breakdown alone; run it with another
checkout first on PYTHONPATH for a before/after, and `--compare BEFORE.json AFTER.json` prints
the two side by side."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from statistics import median
from typing import Any, TypeVar

from bench.common import bench_settings
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


STAGES = ("load", "ocr", "repair", "chunk", "embed", "units", "store", "bm25", "write")


def _stage_breakdown(
    corpus_dir: Path, work_dir: Path, settings: Any, embed_model: Any, repeats: int
) -> dict[str, Any]:
    """Each ingest stage timed on its own, through the same public calls that ingest makes
    (so the same code measures an older checkout): load (OCR'd files apart), repair, chunk,
    embedding the chunks and the quotable units with a cold and a warm embedding cache,
    Chroma, BM25, and the generation's files with their check."""
    from index.build import _verify, indexed_text
    from index.cache import EmbeddingCache, embed_passages_cached
    from index.generations import CHUNKS, DOCUMENTS, MANIFEST, write_atomic, write_jsonl
    from index.lexical import SwedishBM25
    from index.manifest import new_manifest
    from index.store import open_chroma
    from index.units import UNIT_VECTORS, UnitVectors, unit_texts
    from ingest.chunk import chunk_document
    from ingest.load import load_catalog, load_corpus, load_document, repair_damaged
    from service.pipeline import chunker_config, chunker_settings

    catalog = load_catalog(corpus_dir)
    by_file = {meta.file: meta for meta in catalog.values()}
    paths = [p for p in sorted(corpus_dir.iterdir()) if p.name in by_file]
    seconds: dict[str, float] = {}
    raw_docs = []
    for path in paths:  # a scanned PDF's load is its OCR: counted apart
        took, doc = timed(lambda path=path: load_document(path, by_file[path.name]), repeats)
        stage = "ocr" if doc.ocr_pages else "load"
        seconds[stage] = seconds.get(stage, 0.0) + took
        raw_docs.append(doc)
    seconds.setdefault("ocr", 0.0)
    seconds["repair"], _ = timed(lambda: repair_damaged(raw_docs), repeats)
    documents = load_corpus(corpus_dir).documents  # what ingest really indexes
    config = chunker_config(settings)
    seconds["chunk"], chunk_lists = timed(
        lambda: [chunk_document(d, config) for d in documents], repeats
    )
    chunks = [c for cs in chunk_lists for c in cs]
    metas = {d.doc_id: d.meta for d in documents}
    texts = [indexed_text(c, metas[c.doc_id]) for c in chunks]
    units = unit_texts(chunks)
    embed_model.get_text_embedding_batch(["uppvärmning"])  # the model loads outside the clock

    cache_path = work_dir / "breakdown-embeddings.sqlite"
    cache_path.unlink(missing_ok=True)
    cold: dict[str, float] = {}
    warm: dict[str, float] = {}
    with EmbeddingCache(cache_path) as cache:
        for run in (cold, warm):  # the first run fills the cache, the second reads it
            start = time.perf_counter()
            vectors = embed_passages_cached(embed_model, texts, cache)
            run["embed"] = time.perf_counter() - start
            start = time.perf_counter()
            unit_vectors = embed_passages_cached(embed_model, units, cache)
            run["units"] = time.perf_counter() - start

    shutil.rmtree(work_dir / "breakdown-generations", ignore_errors=True)
    made = iter(range(1_000))
    generation = work_dir / "breakdown-generations" / "g"

    def store() -> None:
        # a new directory each time: Chroma keeps a client per path within a process
        nonlocal generation
        generation = work_dir / "breakdown-generations" / f"g{next(made)}"
        generation.mkdir(parents=True)
        chroma = open_chroma(generation / "chroma", None, "bench-breakdown")
        chroma.reset()
        chroma.upsert(chunks, vectors, metas)

    def bm25() -> None:
        SwedishBM25().build([c.chunk_id for c in chunks], texts).save(generation / "bm25")

    def write() -> None:
        write_jsonl(generation / DOCUMENTS, list(documents))
        write_jsonl(generation / CHUNKS, chunks)
        UnitVectors(units, unit_vectors).save(generation / UNIT_VECTORS)
        dim = int(vectors.shape[1])
        manifest = new_manifest(
            documents, chunks, embed_model, dim, chunker_settings(settings),
            "bench-breakdown", len(units),
        )  # fmt: skip
        write_atomic(generation / MANIFEST, manifest.model_dump_json(indent=2))
        _verify(generation, manifest, None)

    seconds["store"], _ = timed(store, repeats)
    seconds["bm25"], _ = timed(bm25, repeats)
    seconds["write"], _ = timed(write, repeats)
    shutil.rmtree(work_dir / "breakdown-generations", ignore_errors=True)
    per_1000 = 1000 / len(chunks) if chunks else float("nan")

    def summary(embedding: dict[str, float]) -> dict[str, Any]:
        stages = {name: {**seconds, **embedding}[name] for name in STAGES}
        total = sum(stages.values())
        return {
            "stages_s": stages,
            "total_s": total,
            "per_1000_chunks_s": {name: s * per_1000 for name, s in stages.items()},
            "per_1000_chunks_total_s": total * per_1000,
        }

    return {
        "documents": len(documents),
        "chunks": len(chunks),
        "units": len(units),
        "cold": summary(cold),
        "warm": summary(warm),
        "end_to_end": _end_to_end(corpus_dir, work_dir, embed_model),
    }


def _end_to_end(corpus_dir: Path, work_dir: Path, embed_model: Any) -> dict[str, Any]:
    """`run_ingest` as a whole, cold and warm embedding cache: the stages' sum checked, and,
    where ingest reports its own stages (service.progress), their seconds as it reports them."""
    from service.pipeline import run_ingest

    try:
        from service.progress import IngestProgress
    except ImportError:  # a checkout from before per-stage progress
        IngestProgress = None

    data_dir = work_dir / "breakdown-data"
    shutil.rmtree(data_dir, ignore_errors=True)
    result: dict[str, Any] = {}
    for run in ("cold", "warm"):
        # warm: the same embedding cache, a fresh index
        shutil.rmtree(data_dir / "generations", ignore_errors=True)
        (data_dir / "CURRENT").unlink(missing_ok=True)
        settings = bench_settings(data_dir, corpus_dir)
        progress = IngestProgress() if IngestProgress is not None else None
        start = time.perf_counter()
        if progress is not None:
            run_ingest(settings, corpus_dir, embedder=embed_model, progress=progress)
        else:
            run_ingest(settings, corpus_dir, embedder=embed_model)
        result[f"{run}_s"] = time.perf_counter() - start
        if progress is not None:
            result[f"{run}_reported_s"] = {s.name: s.seconds for s in progress.stages()}
    shutil.rmtree(data_dir, ignore_errors=True)
    return result


def breakdown_table(r: dict[str, Any], title: str = "3a. Ingest time per 1 000 chunks") -> str:
    """Per stage: seconds per 1 000 chunks and share, with a cold and a warm embedding cache."""
    from bench.tables import render_table

    cold, warm = r["cold"], r["warm"]
    rows = [
        [
            name,
            cold["per_1000_chunks_s"][name],
            cold["stages_s"][name] / cold["total_s"] if cold["total_s"] else float("nan"),
            warm["per_1000_chunks_s"][name],
            warm["stages_s"][name] / warm["total_s"] if warm["total_s"] else float("nan"),
        ]
        for name in STAGES
    ]
    rows.append(
        ["total", cold["per_1000_chunks_total_s"], 1.0, warm["per_1000_chunks_total_s"], 1.0]
    )
    e2e = r["end_to_end"]
    notes = [
        f"{r['documents']} documents, {r['chunks']} chunks, {r['units']} quotable units "
        "(embedded for answering); seconds scaled to 1 000 chunks",
        "cold = empty embedding cache, warm = every text cached; embed = the chunks, "
        "units = the units; ocr = files Tesseract read (none in a corpus without scans)",
        "write = documents, chunks, unit vectors, manifest and the generation's check; "
        "load/repair/chunk/store/bm25/write: medians of repeats after a warm-up",
        f"run_ingest end to end: cold {e2e['cold_s']:.1f} s, warm {e2e['warm_s']:.1f} s "
        f"(stages' sum {cold['total_s']:.1f} s / {warm['total_s']:.1f} s)",
    ]
    header = ["stage", "cold s/1000", "cold share", "warm s/1000", "warm share"]
    return render_table(title, header, rows, notes)


def run_ingest_bench(corpus_dir: Path, work_dir: Path, quick: bool) -> dict[str, Any]:
    from index.build import indexed_text
    from index.embed import make_embedder
    from ingest.chunk import chunk_document
    from ingest.load import load_corpus
    from service.pipeline import chunker_config

    repeats = 2 if quick else 3
    settings = bench_settings(work_dir / "ingest-data", corpus_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    documents = load_corpus(corpus_dir).documents
    chunks = [c for d in documents for c in chunk_document(d, chunker_config(settings))]
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
    token_counts = [engine.token_count(t) for t in sample] if engine is not None else []
    tokens_per_s = sum(token_counts) / sample_s if token_counts else float("nan")

    breakdown = _stage_breakdown(corpus_dir, work_dir, settings, embed_model, repeats)
    cold = breakdown["cold"]

    gemm = measure_gemm_gflops(1024)
    mean_len = sum(token_counts) / len(token_counts) if token_counts else 128
    gemm_shaped = measure_gemm_gflops(
        m=max(int(mean_len), 1), k=E5_SMALL.hidden, n=E5_SMALL.ffn, repeats=20
    )
    flops = sequence_flops(token_counts)
    fpt = flops / sum(token_counts) if token_counts else flops_per_token(int(mean_len))
    return {
        **breakdown,
        "stages_s": cold["stages_s"],
        "total_s": cold["total_s"],
        "chunks_per_s": len(chunks) / cold["total_s"] if cold["total_s"] else float("nan"),
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


def compare_table(before: dict[str, Any], after: dict[str, Any]) -> str:
    """Two breakdowns side by side: seconds per 1 000 chunks, cold cache, and after/before."""
    from bench.tables import render_table

    rows = []
    for name in (*STAGES, "total"):
        if name == "total":
            b, a = (r["cold"]["per_1000_chunks_total_s"] for r in (before, after))
        else:
            b, a = (r["cold"]["per_1000_chunks_s"][name] for r in (before, after))
        rows.append([name, b, a, a / b if b else float("nan")])
    for key in ("cold_s", "warm_s"):
        b, a = before["end_to_end"][key], after["end_to_end"][key]
        ratio = a / b if b else float("nan")
        rows.append([f"run_ingest {key[:-2]} (s, whole corpus)", b, a, ratio])
    notes = [
        f"before: {before.get('label', '?')}; after: {after.get('label', '?')}",
        "cold embedding cache; both measured on this machine in one session, interleaved",
    ]
    header = ["stage (s per 1 000 chunks)", "before", "after", "after/before"]
    return render_table("Ingest before/after", header, rows, notes)


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json
    import os

    from bench.common import CACHE_DIR, CORPUS_DIR

    os.environ.setdefault("OMP_WAIT_POLICY", "passive")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    parser = argparse.ArgumentParser(prog="python -m bench.ingest_bench", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    parser.add_argument("--cache-dir", type=Path, default=CACHE_DIR / "ingest-breakdown")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--label", default="", help="what checkout this is, for --compare")
    parser.add_argument("--out", type=Path, help="write the breakdown as JSON here")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args(argv)
    if args.compare:
        before, after = (json.loads(p.read_text("utf-8")) for p in args.compare)
        print(breakdown_table(before, "before: ingest time per 1 000 chunks"))
        print(breakdown_table(after, "after: ingest time per 1 000 chunks"))
        print(compare_table(before, after))
        return 0
    from index.embed import make_embedder

    corpus = args.corpus.resolve()
    settings = bench_settings(args.cache_dir / "data", corpus)
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    embed_model = make_embedder(settings.embedder, settings.embed_batch_size)
    result = _stage_breakdown(corpus, args.cache_dir, settings, embed_model, args.repeats)
    result["label"] = args.label
    print(breakdown_table(result))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
