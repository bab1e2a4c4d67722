"""Synthetic scan end to end: render a clean document to an image-only PDF, OCR, repair, score.

Run: `.venv/bin/python bench/ocr_scan.py [--doc FILE] [--dpi 200] [--degrade] [--out FILE]`.
`make_scanned_pdf` is also test tooling: it makes a PDF with no text layer from any text.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw, ImageFilter, ImageFont

if TYPE_CHECKING:
    from ingest.schema import Document

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
DOC = CORPUS / "falun-policy-internationella-kontakter-och-eu.txt"
OUT = ROOT / "bench" / "results" / "ocr_scan.json"
FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),  # Debian fonts-dejavu-core
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
)
A4_INCHES = (8.27, 11.69)
MARGIN_INCHES = 1.0
FONT_POINTS = 11
LINE_SPACING = 1.45
SWEDISH = frozenset("åäöÅÄÖ")


def find_font() -> Path:
    """A TTF font with Swedish glyphs: DejaVu, else matplotlib's bundled copy."""
    candidates = list(FONTS)
    try:
        import matplotlib  # type: ignore[import-not-found]  # optional, only for its font

        candidates.append(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")
    except ImportError:
        pass
    for path in candidates:
        if path.is_file():
            return path
    raise FileNotFoundError("no TTF font with Swedish glyphs; install Debian fonts-dejavu-core")


def _wrap(line: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    out: list[str] = []
    current = ""
    for word in line.split():
        trial = f"{current} {word}" if current else word
        if current and font.getlength(trial) > width:
            out.append(current)
            current = word
        else:
            current = trial
    return [*out, current] if current else out


def render_pages(text: str, dpi: int = 200, font_path: Path | None = None) -> list[Image.Image]:
    """A4 page images (grey, white paper) of `text`: lines word-wrapped, blank lines kept,
    a new page when one is full or at a form feed ("\\f")."""
    font = ImageFont.truetype(str(font_path or find_font()), round(FONT_POINTS * dpi / 72))
    width, height = (round(v * dpi) for v in A4_INCHES)
    margin = round(MARGIN_INCHES * dpi)
    step = round(FONT_POINTS * dpi / 72 * LINE_SPACING)
    pages: list[Image.Image] = []
    for part in text.strip("\n").split("\f"):
        rows: list[str] = []
        for line in part.strip("\n").split("\n"):
            rows.extend(_wrap(line, font, width - 2 * margin) or [""])
        y = height  # forces a new page for the first row
        draw: ImageDraw.ImageDraw | None = None
        for row in rows:
            if y + step > height - margin:
                if not row:  # no blank line at the top of a page
                    continue
                pages.append(Image.new("L", (width, height), 255))
                draw = ImageDraw.Draw(pages[-1])
                y = margin
            assert draw is not None
            draw.text((margin, y), row, font=font, fill=0)
            y += step
    return pages


def degrade(image: Image.Image, seed: int = 0) -> Image.Image:
    """A scanner's look: a slight skew, blur and speckle (deterministic for a seed)."""
    rng = random.Random(seed)
    out = image.rotate(rng.uniform(-0.6, 0.6), resample=Image.Resampling.BILINEAR, fillcolor=255)
    out = out.filter(ImageFilter.GaussianBlur(0.8))
    pixels = out.load()
    assert pixels is not None
    for _ in range(out.width * out.height // 2000):
        x, y = rng.randrange(out.width), rng.randrange(out.height)
        pixels[x, y] = rng.choice((0, 90, 255))
    return out


def make_scanned_pdf(text: str, path: Path, dpi: int = 200, *, degraded: bool = False) -> Path:
    """Write `text` as an image-only PDF (no text layer), as a scanner would; returns `path`."""
    pages = render_pages(text, dpi)
    if degraded:
        pages = [degrade(page, seed) for seed, page in enumerate(pages)]
    path.parent.mkdir(parents=True, exist_ok=True)
    pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=float(dpi))
    return path


@dataclass(frozen=True)
class WordScore:
    """Whitespace tokens of the original found, in order, in the OCR'd text (difflib)."""

    tokens: int
    correct: int
    ocr_tokens: int  # more than `tokens`: OCR added specks and split words
    swedish_tokens: int  # tokens with å/ä/ö: what OCR confusions damage
    swedish_correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.tokens if self.tokens else 1.0

    @property
    def swedish_accuracy(self) -> float:
        return self.swedish_correct / self.swedish_tokens if self.swedish_tokens else 1.0


def word_accuracy(original: str, ocr: str) -> WordScore:
    """Align the two token sequences; a token is correct if it is in a matching block."""
    want, got = original.split(), ocr.split()
    # autojunk would drop frequent tokens ("att", "och") from matching in long texts.
    matcher = difflib.SequenceMatcher(a=want, b=got, autojunk=False)
    correct_at = {
        i for block in matcher.get_matching_blocks() for i in range(block.a, block.a + block.size)
    }
    swedish = [i for i, token in enumerate(want) if SWEDISH & set(token)]
    return WordScore(
        len(want), len(correct_at), len(got), len(swedish), len(correct_at.intersection(swedish))
    )


@dataclass(frozen=True)
class ScanResult:
    document: Document
    raw: WordScore
    repaired: WordScore  # through the ingest gate (repair only if the text looks damaged)
    forced: WordScore  # repair_text applied regardless of the gate
    pdf_seconds: float
    ocr_seconds: float
    repair_seconds: float


def run_scan(
    source: Path = DOC, dpi: int = 200, *, degraded: bool = False, workdir: Path | None = None
) -> ScanResult:
    """Scan `source` synthetically, load it like the ingest does, repair and score it."""
    from ingest.load import load_document
    from ingest.repair import repair_document_text, repair_text
    from ingest.repair_lexicon import Lexicon
    from ingest.schema import DocumentMeta

    original = source.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = (workdir or Path(tmp)) / f"{source.stem}-scan.pdf"
        started = time.perf_counter()
        make_scanned_pdf(original, pdf, dpi, degraded=degraded)
        rendered = time.perf_counter()
        meta = DocumentMeta(
            doc_id=pdf.stem,
            title=source.stem,
            municipality="Falu kommun",
            doc_type="scan",
            file=pdf.name,
        )
        doc = load_document(pdf, meta)
        loaded = time.perf_counter()
    # The clean documents of the corpus are the repair context, as in load_corpus, but never
    # the source itself: that would hand the repair the answer.
    context = [p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt") if p != source]
    lexicon = Lexicon.build([doc.raw_text, *context])
    repaired = repair_document_text(doc.raw_text, lexicon)
    done = time.perf_counter()
    forced = repair_text(doc.raw_text, lexicon)
    if repaired.changed:
        doc = doc.model_copy(update={"text": repaired.text})
    return ScanResult(
        document=doc,
        raw=word_accuracy(original, doc.raw_text),
        repaired=word_accuracy(original, repaired.text),
        forced=word_accuracy(original, forced.text),
        pdf_seconds=rendered - started,
        ocr_seconds=loaded - rendered,
        repair_seconds=done - loaded,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--doc", type=Path, default=DOC, help="clean text file to scan")
    parser.add_argument("--dpi", type=int, default=200, help="resolution of the page images")
    parser.add_argument("--degrade", action="store_true", help="skew, blur and speckle pages")
    parser.add_argument("--out", type=Path, help=f"JSON results file (default {OUT.name})")
    args = parser.parse_args(argv)
    out = args.out or OUT.with_stem(OUT.stem + ("_degraded" if args.degrade else ""))
    sys.path.insert(0, str(ROOT))  # run as a script from anywhere
    r = run_scan(args.doc, args.dpi, degraded=args.degrade)
    pages = sorted(set(r.document.pages or ()))
    print(f"{args.doc.name}: {len(pages)} pages at {args.dpi} dpi, degraded={args.degrade}")
    print(f"{'':18}{'correct':>8}{'tokens':>8}{'got':>6}{'accuracy':>10}{'å/ä/ö words':>13}")
    scores = {"raw": r.raw, "repaired": r.repaired, "forced_repair": r.forced}
    for name, s in zip(
        ("raw OCR", "repaired (gated)", "repair forced"), scores.values(), strict=True
    ):
        row = f"{s.correct:>8}{s.tokens:>8}{s.ocr_tokens:>6}{s.accuracy:>10.4f}"
        print(f"{name:18}{row}{s.swedish_accuracy:>13.4f}")
    seconds = (r.pdf_seconds, r.ocr_seconds, r.repair_seconds)
    print("render {:.1f} s, load+OCR {:.1f} s, repair {:.1f} s".format(*seconds))
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "doc": args.doc.name,
        "dpi": args.dpi,
        "degraded": args.degrade,
        "pages": len(pages),
        "ocr": r.document.meta.ocr,
        **{k: {**asdict(s), "accuracy": round(s.accuracy, 4)} for k, s in scores.items()},
        "seconds": {
            "render": round(r.pdf_seconds, 2),
            "ocr": round(r.ocr_seconds, 2),
            "repair": round(r.repair_seconds, 2),
        },
    }
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
