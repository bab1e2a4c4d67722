"""OCR of scanned PDF pages with Tesseract's Swedish model, called as a subprocess.

The `tesseract` binary is called directly (pytesseract would only wrap the same call):
no Python dependency, and the binary path is a parameter so a missing install can be
tested. Debian packages: `tesseract-ocr` and `tesseract-ocr-swe`.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache

import pymupdf

from lang import SWEDISH_STOPWORDS, find_words

DEFAULT_DPI = 300  # Tesseract is trained on ~300 dpi text; lower renders lose accents
TIMEOUT_S = 120.0  # per page; a stuck process must not hang the ingest
# A page is flagged for re-scanning when Tesseract's Swedish model reads its words with a
# lower mean confidence (a photo, upside down, too faint), or when fewer of its words are
# Swedish function words ("och", "att", "som": another language, which the model reads
# confidently all the same). Both fitted by `python bench/ocr_confidence.py` on synthetic
# pages (the corpus's documents clean and scanner-degraded at 150-300 dpi vs. upside-down,
# blurred, photo-like and English pages; 47 pages, leave-one-out accuracy 1.0). Good pages
# scored 91-96 and 19-39 % function words; upside-down, blurred and photo pages 0-25; English
# pages 77-90 but at most 1 % Swedish function words. Each cut is the middle of its gap.
LOW_CONFIDENCE = 58.1
LOW_SWEDISH = 0.099
MIN_WORDS_FOR_LANGUAGE = 20  # fewer words say little about the language (a cover page)


class OcrUnavailable(RuntimeError):
    """Tesseract or its language model is not installed."""


class OcrError(RuntimeError):
    """Tesseract ran but failed on a page."""


@dataclass(frozen=True)
class OcrOptions:
    """How scanned pages are OCR'd: language model, render resolution, binary, parallelism."""

    lang: str = "swe"
    dpi: int = DEFAULT_DPI
    tesseract: str = "tesseract"
    workers: int = 2


def _package(lang: str) -> str:
    return f"tesseract-ocr-{lang.split('+')[0]}"


@cache
def _languages(tesseract: str) -> frozenset[str]:
    try:
        done = subprocess.run(
            [tesseract, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise OcrUnavailable(
            f"Tesseract cannot be run ({tesseract!r}: {err}); install the Debian packages "
            "tesseract-ocr and tesseract-ocr-swe"
        ) from err
    # The list goes to stdout in Tesseract 5, to stderr in older versions; line 1 is a header.
    out = (done.stdout or done.stderr).splitlines()[1:]
    return frozenset(line.strip() for line in out if line.strip())


def check_available(lang: str = "swe", tesseract: str = "tesseract") -> None:
    """Raise OcrUnavailable naming the package to install if `lang` cannot be OCR'd."""
    languages = _languages(tesseract)
    missing = [part for part in lang.split("+") if part not in languages]
    if missing:
        raise OcrUnavailable(
            f"Tesseract has no {'+'.join(missing)!r} language model (installed: "
            f"{', '.join(sorted(languages)) or 'none'}); install the Debian package "
            f"{_package('+'.join(missing))}"
        )


@dataclass(frozen=True)
class OcrPage:
    """The text Tesseract read on one page, how sure it was of its words (the mean word
    confidence, 0-100, each word weighted by its length; None: no word), and the share of
    its words that are Swedish function words (None: too few words to tell)."""

    text: str
    confidence: float | None
    swedish: float | None = None

    @property
    def low(self) -> bool:
        """Worth scanning again: unsure OCR, or (by its words) not Swedish."""
        unsure = self.confidence is None or self.confidence < LOW_CONFIDENCE
        return unsure or (self.swedish is not None and self.swedish < LOW_SWEDISH)


def ocr_page_image(
    png_bytes: bytes, lang: str = "swe", dpi: int = DEFAULT_DPI, *, tesseract: str = "tesseract"
) -> str:
    """Text of one page image (PNG bytes), Tesseract's line layout kept, no trailing form feed."""
    return ocr_page(png_bytes, lang, dpi, tesseract=tesseract).text


def ocr_page(
    png_bytes: bytes, lang: str = "swe", dpi: int = DEFAULT_DPI, *, tesseract: str = "tesseract"
) -> OcrPage:
    """Text and word confidence of one page image, from one Tesseract run (txt and tsv)."""
    check_available(lang, tesseract)
    # One thread per process: pages run in parallel, and OpenMP threads would only contend.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory(prefix="falun-kb-ocr-") as tmp:
        base = os.path.join(tmp, "page")
        cmd = [tesseract, "stdin", base, "-l", lang, "--dpi", str(dpi), "--psm", "3", "txt", "tsv"]
        try:
            done = subprocess.run(
                cmd, input=png_bytes, capture_output=True, timeout=TIMEOUT_S, env=env, check=False
            )
        except OSError as err:
            raise OcrUnavailable(f"Tesseract cannot be run ({tesseract!r}: {err})") from err
        except subprocess.TimeoutExpired as err:
            raise OcrError(f"Tesseract took more than {TIMEOUT_S:.0f} s on a page") from err
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
            raise OcrError(f"Tesseract failed (exit {done.returncode}): {detail[0]}")
        with open(base + ".txt", encoding="utf-8", errors="replace") as txt:
            text = txt.read()
        with open(base + ".tsv", encoding="utf-8", errors="replace") as tsv:
            confidence = word_confidence(tsv.read())
    text = text.replace("\f", "").strip("\n")
    return OcrPage(text, confidence, swedish_share(text))


def swedish_share(text: str) -> float | None:
    """The share of a text's words that are Swedish function words (about a third in
    Swedish prose, almost none in English); None under MIN_WORDS_FOR_LANGUAGE words."""
    words = [w.lower() for w in find_words(text, "letters")]
    if len(words) < MIN_WORDS_FOR_LANGUAGE:
        return None
    return sum(w in SWEDISH_STOPWORDS for w in words) / len(words)


def word_confidence(tsv: str) -> float | None:
    """Mean confidence of the words in Tesseract's TSV output, weighted by word length."""
    total = weight = 0.0
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        word = (row.get("text") or "").strip()
        try:
            conf = float(row.get("conf") or -1)
        except ValueError:
            continue
        if row.get("level") == "5" and word and conf >= 0:
            total += conf * len(word)
            weight += len(word)
    return total / weight if weight else None


def render_page(page: pymupdf.Page, dpi: int = DEFAULT_DPI) -> bytes | None:
    """PNG of a page in grey, or None for a blank page (nothing for OCR to find)."""
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
    samples = pix.samples
    # pymupdf's `is_unicolor` loops in Python (seconds per page); bytes.strip runs in C.
    if not samples.strip(samples[:1]):
        return None
    return pix.tobytes("png")


def ocr_pdf_pages(
    doc: pymupdf.Document, pages: Iterable[int] | None = None, options: OcrOptions | None = None
) -> dict[int, str]:
    """OCR text of the given 1-based pages (default: those without a text layer)."""
    return {n: page.text for n, page in ocr_pdf_scored(doc, pages, options).items()}


def ocr_pdf_scored(
    doc: pymupdf.Document, pages: Iterable[int] | None = None, options: OcrOptions | None = None
) -> dict[int, OcrPage]:
    """OCR text and confidence of the given 1-based pages (default: those without a text
    layer). Blank pages are left out of the result. Raises OcrUnavailable before rendering
    anything if Tesseract or the language model is missing.
    """
    options = options or OcrOptions()
    check_available(options.lang, options.tesseract)
    if pages is None:
        pages = [n for n, page in enumerate(doc, start=1) if not page.get_text("text").strip()]
    # Rendering uses the (not thread-safe) document, so it stays in this thread.
    images = {n: png for n in pages if (png := render_page(doc[n - 1], options.dpi)) is not None}

    def run(number: int) -> tuple[int, OcrPage]:
        png = images[number]
        return number, ocr_page(png, options.lang, options.dpi, tesseract=options.tesseract)

    with ThreadPoolExecutor(max_workers=max(1, options.workers)) as pool:
        return dict(pool.map(run, sorted(images)))
