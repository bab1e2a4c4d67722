"""Token accuracy of OCR repair on the hand-corrected dev lines (raw vs corrected).

Run: `.venv/bin/python bench/ocr_accuracy.py [--dev DIR] [--out FILE]`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV_DIR = ROOT / "eval" / "ocr_dev"
OUT = ROOT / "bench" / "results" / "ocr_dev.json"


@dataclass(frozen=True)
class OcrScore:
    """Token by token (whitespace split, per line) comparison with the corrected text."""

    tokens: int
    raw_correct: int
    repaired_correct: int
    fixed: int
    broken: int
    wrong: list[tuple[int, str, str, str]] = field(default_factory=list)  # line, raw, got, want

    @property
    def raw_accuracy(self) -> float:
        return self.raw_correct / self.tokens if self.tokens else 1.0

    @property
    def repaired_accuracy(self) -> float:
        return self.repaired_correct / self.tokens if self.tokens else 1.0


def score(raw: str, repaired: str, corrected: str) -> OcrScore:
    """Compare three texts with the same lines and the same token count per line."""
    tokens = raw_ok = rep_ok = fixed = broken = 0
    wrong = []
    lines = zip(raw.split("\n"), repaired.split("\n"), corrected.split("\n"), strict=True)
    for number, (r_line, p_line, c_line) in enumerate(lines, start=1):
        for r, p, c in zip(r_line.split(), p_line.split(), c_line.split(), strict=True):
            tokens += 1
            raw_ok += r == c
            rep_ok += p == c
            fixed += r != c and p == c
            broken += r == c and p != c
            if p != c:
                wrong.append((number, r, p, c))
    return OcrScore(tokens, raw_ok, rep_ok, fixed, broken, wrong)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEV_DIR, help="dir with raw.txt, corrected.txt")
    parser.add_argument("--out", type=Path, default=OUT, help="JSON results file")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))  # run as a script from anywhere
    from ingest.repair import repair_text
    from ingest.repair_lexicon import corpus_lexicon

    raw = (args.dev / "raw.txt").read_text(encoding="utf-8")
    corrected = (args.dev / "corrected.txt").read_text(encoding="utf-8")
    started = time.perf_counter()
    lexicon = corpus_lexicon(ROOT / "corpus")
    built = time.perf_counter()
    result = repair_text(raw, lexicon)
    done = time.perf_counter()
    s = score(raw, result.text, corrected)

    print(f"{'':10}{'correct':>9}{'tokens':>8}{'accuracy':>10}")
    print(f"{'raw':10}{s.raw_correct:>9}{s.tokens:>8}{s.raw_accuracy:>10.4f}")
    print(f"{'repaired':10}{s.repaired_correct:>9}{s.tokens:>8}{s.repaired_accuracy:>10.4f}")
    print(f"fixed {s.fixed}, broken {s.broken}, still wrong {len(s.wrong)}")
    for number, r, p, c in s.wrong:
        print(f"  line {number}: {r!r} -> {p!r}, want {c!r}")
    print(f"lexicon {built - started:.2f} s, repair {done - built:.2f} s")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        **{k: v for k, v in asdict(s).items() if k != "wrong"},
        "raw_accuracy": round(s.raw_accuracy, 4),
        "repaired_accuracy": round(s.repaired_accuracy, 4),
        "wrong": [
            dict(zip(("line", "raw", "repaired", "corrected"), w, strict=True)) for w in s.wrong
        ],
        "lexicon_seconds": round(built - started, 2),
        "repair_seconds": round(done - built, 2),
    }
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
