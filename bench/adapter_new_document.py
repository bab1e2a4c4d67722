"""Does the question adapter help on a document it was never fitted with?

Run: `.venv/bin/python bench/adapter_new_document.py [--distractors DIR] [--out FILE]`.

The adapter (`index/adapter.py`, `falun-kb fit-adapter`) is fitted on the training questions
against the corpus's units; its cross-validation holds questions out, never a document. A
plan uploaded next year is such a document. Here each corpus document in turn is left out:
the map is fitted (at the packaged strength) on the questions that do not cite it, against
the other documents' units alone, and the questions whose evidence lies only in it are
ranked among all the corpus's units. Beside it, the usual cross-validation by question.
Each row shrinks the map toward the identity, W = I + share · (W_fitted − I): share 0 is
the embedder's own vectors, 1 the fitted map. Reported: MRR and top-1 of the first
answering unit, on the left-out document and by question. Only the training files are read.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import RESULTS_DIR
from bench.tables import render_table

SHARES = (0.0, 0.1, 0.25, 0.5, 0.75, 1.0)
OUT = RESULTS_DIR / "adapter_new_document.json"


def _unit_documents(kb, texts: Sequence[str]) -> np.ndarray:
    """The document of each unit text (its first chunk's)."""
    from index.units import units_of

    doc_of: dict[str, str] = {}
    for chunk in kb.retriever.chunks.values():
        for text in units_of(chunk.text):
            doc_of.setdefault(text, chunk.doc_id)
    return np.array([doc_of.get(t, "") for t in texts])


def _reciprocal_ranks(data, rows: np.ndarray, matrix: np.ndarray) -> list[float]:
    from service.fit_adapter import first_answer_ranks

    return [float(r) for r in 1 / (1 + first_answer_ranks(data, rows, matrix))]


def measure(distractors: list[str]) -> dict[str, object]:
    from service.cli import _open_at, _open_kb, _settings, build_parser
    from service.evaluate import load_questions
    from service.fit_adapter import _fold_matrices, _folds, adapter_data, fit_matrix

    args = build_parser().parse_args(["fit-adapter"])
    items = [item for f in args.files for item in load_questions(Path(f))]
    settings = _settings(args)
    strength = json.loads(Path(settings.unit_adapter).read_text(encoding="utf-8"))["strength"]
    settings = settings.model_copy(update={"unit_adapter": ""})  # questions read as fitted
    kb = _open_kb(settings)
    data = adapter_data(kb, items, [_open_at(settings, d) for d in distractors])
    unit_doc = _unit_documents(kb, data.texts)
    cited = [set(item.get("docs", [])) for item in items]
    identity = np.eye(data.questions.shape[1])

    def shrunk(matrix: np.ndarray) -> dict[float, np.ndarray]:
        return {s: identity + s * (matrix - identity) for s in SHARES}

    new_doc: dict[float, list[float]] = {s: [] for s in SHARES}
    per_document = {}
    for doc in sorted(set(unit_doc) - {""}):
        start = time.perf_counter()
        train = np.array([i for i, docs in enumerate(cited) if doc not in docs], dtype=int)
        test = np.array([i for i, docs in enumerate(cited) if docs == {doc}], dtype=int)
        keep = unit_doc != doc
        without = dataclasses.replace(data, units=data.units[keep], answers=data.answers[:, keep])
        for share, matrix in shrunk(fit_matrix(without, train, strength)).items():
            new_doc[share] += _reciprocal_ranks(data, test, matrix)
        per_document[doc] = {"questions": int(data.answers[test].any(axis=1).sum()),
                             "seconds": round(time.perf_counter() - start, 1)}  # fmt: skip
        print(f"   left out {doc}: {per_document[doc]}", file=sys.stderr)
    by_question: dict[float, list[float]] = {s: [] for s in SHARES}
    folds = _folds(data)
    for k, matrix in enumerate(_fold_matrices(data, folds, strength)):
        for share, shrunk_matrix in shrunk(matrix).items():
            by_question[share] += _reciprocal_ranks(data, np.flatnonzero(folds == k), shrunk_matrix)
    rows = [
        {
            "share": share,
            "new_document_mrr": round(float(np.mean(new_doc[share])), 3),
            "new_document_top1": round(float(np.mean(np.array(new_doc[share]) == 1)), 3),
            "by_question_mrr": round(float(np.mean(by_question[share])), 3),
            "by_question_top1": round(float(np.mean(np.array(by_question[share]) == 1)), 3),
        }
        for share in SHARES
    ]
    return {"strength": strength, "distractors": distractors, "documents": per_document,
            "rows": rows}  # fmt: skip


def main() -> int:
    os.environ.setdefault("OMP_WAIT_POLICY", "passive")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distractors", action="append", default=[],
                        help="a distractor index's data dir, as fit-adapter was given")  # fmt: skip
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    result = measure(args.distractors)
    print(
        render_table(
            "The question adapter on a document it never saw (first answering unit)",
            ["share of the map", "left-out doc MRR", "top-1", "by question MRR", "top-1"],
            [
                [
                    r["share"],
                    r["new_document_mrr"],
                    r["new_document_top1"],
                    r["by_question_mrr"],
                    r["by_question_top1"],
                ]
                for r in result["rows"]
            ],
            [
                f"strength {result['strength']}; share 0 = the embedder's own vectors, "
                "1 = the fitted map",
                "left-out doc: fitted without the document's questions and units, ranked among "
                "all units; by question: 5-fold cross-validation by question",
            ],
        )
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
