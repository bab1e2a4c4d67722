"""Fit the two figures below which a scanned page is flagged for re-scanning: Tesseract's
mean word confidence, and the share of Swedish function words among the words it read.

Run: `.venv/bin/python bench/ocr_confidence.py [--out FILE]`. It renders a small labelled set
of synthetic pages, OCRs each with Tesseract's Swedish model as the ingest does, and puts
each threshold in the middle of the widest gap between the good pages and the bad ones of
its kind (confidence: upside down, blurred, photo; Swedish words: English pages). It
reports the leave-one-out accuracy of the combined rule, not only the fit on its own data.

- good: the first page of each corpus document (the scanned plan's OCR text included),
  rendered at 150, 200 and 300 dpi, clean and with a scanner's skew, blur and speckle;
- bad: those pages upside down, heavily blurred, a photo-like page (smooth noise), and
  English text (this repository's README).
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import random
import statistics
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.ocr_scan import CORPUS, ROOT, degrade, render_pages
from ingest.ocr import ocr_page

OUT = ROOT / "bench" / "results" / "ocr_confidence.json"
SWEDISH = sorted([*CORPUS.glob("*.txt"), *CORPUS.glob("*.md")])
LINES_PER_PAGE = 30
DPIS = (150, 200, 300)


def _pages_of(path: Path, dpi: int, count: int) -> list[Image.Image]:
    text = path.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip()]
    parts = ["\n".join(lines[i : i + LINES_PER_PAGE]) for i in range(0, len(lines), LINES_PER_PAGE)]
    return [render_pages(part, dpi)[0] for part in parts[:count]]


def _photo(dpi: int, seed: int) -> Image.Image:
    """Smooth grey noise the size of an A4 page: what a photo looks like to OCR."""
    rng = random.Random(seed)
    small = Image.new("L", (40, 56))
    small.putdata([rng.randrange(256) for _ in range(40 * 56)])
    return small.resize((round(8.27 * dpi), round(11.69 * dpi)), Image.Resampling.BICUBIC)


def labelled_pages() -> list[tuple[str, str, Image.Image, int]]:
    """(kind, label, image, dpi): label "good", "unsure" (bad for confidence) or "language"."""
    pages: list[tuple[str, str, Image.Image, int]] = []
    for dpi in DPIS:
        for n, doc in enumerate(SWEDISH):
            page = _pages_of(doc, dpi, 1)[0]
            pages.append((f"swedish {doc.stem} {dpi}dpi", "good", page, dpi))
            pages.append((f"degraded {doc.stem} {dpi}dpi", "good", degrade(page, n), dpi))
            if dpi == 200:
                pages.append((f"upside down {doc.stem} {dpi}dpi", "unsure", page.rotate(180), dpi))
        swedish = _pages_of(SWEDISH[0], dpi, 1)[0]
        blurred = swedish.filter(ImageFilter.GaussianBlur(dpi / 40))
        pages.append((f"blurred {dpi}dpi", "unsure", blurred, dpi))
        pages.append((f"photo {dpi}dpi", "unsure", _photo(dpi, dpi), dpi))
        for n, page in enumerate(_pages_of(ROOT / "README.md", dpi, 2)):
            pages.append((f"english README p{n + 1} {dpi}dpi", "language", page, dpi))
    return pages


def best_cut(data: list[tuple[float, bool]]) -> float:
    """The cut with the fewest errors (good pages at or above it), and among those the one
    with the widest margin to the nearest page."""
    values = sorted({c for c, _ in data})
    cuts = [(a + b) / 2 for a, b in itertools.pairwise(values)] or values
    errors = {t: sum((c >= t) != good for c, good in data) for t in cuts}
    fewest = min(errors.values())
    return max(
        (t for t in cuts if errors[t] == fewest), key=lambda t: min(abs(c - t) for c, _ in data)
    )


def fit(rows: list[dict]) -> tuple[float, float]:
    """(confidence cut, Swedish-share cut): each on the good pages and its own bad kind."""
    conf = [(r["confidence"], r["label"] == "good") for r in rows if r["label"] != "language"]
    share = [
        (r["swedish"], r["label"] == "good")
        for r in rows
        if r["label"] != "unsure" and r["swedish"] is not None
    ]
    return best_cut(conf), best_cut(share)


def flagged(row: dict, cuts: tuple[float, float]) -> bool:
    low_share = row["swedish"] is not None and row["swedish"] < cuts[1]
    return row["confidence"] < cuts[0] or low_share


def leave_one_out(rows: list[dict]) -> float:
    right = [
        flagged(row, fit(rows[:i] + rows[i + 1 :])) == (row["label"] != "good")
        for i, row in enumerate(rows)
    ]
    return statistics.mean(right)


def _score(item: tuple[str, str, Image.Image, int]) -> dict:
    kind, label, image, dpi = item
    png = io.BytesIO()
    image.save(png, "PNG")
    page = ocr_page(png.getvalue(), dpi=dpi)
    confidence = page.confidence if page.confidence is not None else 0.0
    swedish = None if page.swedish is None else round(page.swedish, 3)
    print(f"{confidence:6.1f} {swedish!s:>6}  {label:8}  {kind}", flush=True)
    return {"page": kind, "label": label, "confidence": round(confidence, 1), "swedish": swedish}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    with ThreadPoolExecutor(max_workers=2) as pool:  # one Tesseract thread each
        rows = list(pool.map(_score, labelled_pages()))
    cuts = fit(rows)
    loo = leave_one_out(rows)

    def extreme(key: str, label: str, pick) -> float:
        return pick(r[key] for r in rows if r["label"] == label and r[key] is not None)

    summary = {
        "confidence_threshold": round(cuts[0], 1),
        "swedish_threshold": round(cuts[1], 3),
        "leave_one_out_accuracy": round(loo, 3),
        "training_errors": sum(flagged(r, cuts) != (r["label"] != "good") for r in rows),
        "lowest_good_confidence": extreme("confidence", "good", min),
        "highest_unsure_confidence": extreme("confidence", "unsure", max),
        "lowest_good_swedish": extreme("swedish", "good", min),
        "highest_english_swedish": extreme("swedish", "language", max),
        "pages": rows,
    }
    print(json.dumps({k: v for k, v in summary.items() if k != "pages"}, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
