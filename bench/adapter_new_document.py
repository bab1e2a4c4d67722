"""Does the question adapter help on a document it was never fitted with?

Run: `.venv/bin/python bench/adapter_new_document.py [--distractors DIR] [--out FILE]`.

The adapter (`index/adapter.py`, `falun-kb fit-adapter`) is fitted on the training questions
against the corpus's units; its cross-validation holds questions out, never a document. A
plan uploaded next year is such a document. Here each corpus document in turn is left out:
the map is fitted (at the packaged strength) on the questions that do not cite it, against
the other documents' units alone, and the questions whose evidence lies only in it are
ranked among all the corpus's units: the left-out document's units through the map shrunk
toward the identity, I + share · (W_fitted − I), the other documents' through the map at the
packaged share (as the product compares a new document's units). Beside it, the usual
cross-validation by question, every unit at that share. Share 0 is the embedder's own
vectors, 1 the fitted map. Reported: MRR and top-1 of the first answering unit. Only the
training files are read.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import RESULTS_DIR
from bench.tables import render_table

OUT = RESULTS_DIR / "adapter_new_document.json"


def measure(distractors: list[str]) -> dict[str, object]:
    from service.cli import _open_at, _open_kb, _settings, build_parser
    from service.evaluate import load_questions
    from service.fit_adapter import (
        SHARES,
        adapter_data,
        by_question,
        fold_adapters,
        left_out_documents,
        left_out_fits,
    )

    args = build_parser().parse_args(["fit-adapter"])
    items = [item for f in args.files for item in load_questions(Path(f))]
    settings = _settings(args)
    about = json.loads(Path(settings.unit_adapter).read_text(encoding="utf-8"))
    strength, known_share = about["strength"], about.get("share", 1.0)
    settings = settings.model_copy(update={"unit_adapter": ""})  # questions read as fitted
    kb = _open_kb(settings)
    data = adapter_data(kb, items, [_open_at(settings, d) for d in distractors])
    start = time.perf_counter()
    fits = left_out_fits(data, strength)
    new_doc = left_out_documents(data, strength, known_share, fits=fits)
    seconds = round(time.perf_counter() - start, 1)
    full_map = left_out_documents(data, strength, 1.0, [1.0], fits)[1.0]  # before the shares
    known = by_question(data, fold_adapters(data, strength)[1])
    rows = [
        {
            "share": share,
            "new_document_mrr": round(float(np.mean(new_doc[share])), 3),
            "new_document_top1": round(float(np.mean(new_doc[share] == 1)), 3),
            "by_question_mrr": round(float(np.mean(known[share])), 3),
            "by_question_top1": round(float(np.mean(known[share] == 1)), 3),
        }
        for share in SHARES
    ]
    return {"strength": strength, "packaged_share": known_share,
            "packaged_share_other_units": about.get("share_other_units"),
            "new_document_mrr_full_map_for_every_unit": round(float(np.mean(full_map)), 3),
            "distractors": distractors, "new_document_questions": len(new_doc[SHARES[0]]),
            "seconds_by_document": seconds, "rows": rows}  # fmt: skip


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
            ["share of the map", "new doc's units: MRR", "top-1", "known units: MRR", "top-1"],
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
                f"1 = the fitted map; packaged: {result['packaged_share']} for the units fitted "
                f"with, {result['packaged_share_other_units']} for others",
                "new doc: each document left out of the fit (its questions and units), its "
                "units through the map at that share, the others' at the packaged share; "
                "known: 5-fold cross-validation by question, every unit at that share",
                "new doc with the full map for every unit (before the shares): MRR "
                f"{result['new_document_mrr_full_map_for_every_unit']}",
            ],
        )
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
