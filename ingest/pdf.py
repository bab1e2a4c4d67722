"""Read the text of a PDF with pymupdf, one output line per text line, with its page.

Pages without a text layer (scans) are OCR'd with Tesseract's Swedish model.
"""

from __future__ import annotations

from dataclasses import dataclass

import pymupdf

from ingest.decode import normalize_breaks
from ingest.ocr import OcrError, OcrOptions, OcrPage, OcrUnavailable, ocr_pdf_scored
from ingest.schema import PageConfidence

DEFAULT_OCR = OcrOptions()


class PdfError(ValueError):
    """The PDF cannot be read."""


@dataclass(frozen=True)
class PdfText:
    """Text of a PDF, the page of every line and problems worth a warning."""

    text: str
    pages: tuple[int, ...]
    warnings: tuple[str, ...]
    ocr_pages: tuple[int, ...] = ()  # pages whose text is OCR output, not a text layer
    confidence: tuple[PageConfidence, ...] = ()  # of each OCR'd page


def _lines(page_text: str) -> list[str]:
    # A stray "\r" or "\f" inside a line must not become a line break of its own.
    return [
        normalize_breaks(line.replace("\r", " ").replace("\f", ""))
        for line in page_text.rstrip("\n").split("\n")
    ]


def read_pdf(data: bytes, ocr: OcrOptions | None = DEFAULT_OCR) -> PdfText:
    """Extract the text layer; pages without one are OCR'd (`ocr=None`: only warned about)."""
    if not data.lstrip()[:1024].startswith(b"%PDF-"):
        raise PdfError("not a PDF (no %PDF- header)")
    # pymupdf silently "repairs" a cut-off file into empty pages, so check the trailer first.
    if b"%%EOF" not in data[-1024:]:
        raise PdfError("truncated PDF (no %%EOF trailer at the end)")
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except (pymupdf.FileDataError, RuntimeError, ValueError) as err:
        raise PdfError(f"unreadable PDF: {err}") from err
    with doc:
        if doc.needs_pass or doc.is_encrypted:
            raise PdfError("encrypted PDF (password required)")
        if doc.page_count == 0:
            raise PdfError("the PDF has no pages")
        lines: list[str] = []
        pages: list[int] = []
        warnings: list[str] = []
        if doc.is_repaired:
            warnings.append("the PDF was damaged and repaired on opening; text may be incomplete")
        texts: dict[int, str] = {}
        for number, page in enumerate(doc, start=1):
            try:
                texts[number] = page.get_text("text")
            except (RuntimeError, ValueError) as err:
                raise PdfError(f"page {number} cannot be read: {err}") from err
        scanned = [n for n, t in texts.items() if not t.strip()]
        ocr_pages, ocr_problem = _ocr(doc, scanned, ocr)
        ocr_texts = {n: page.text for n, page in ocr_pages.items()}
        engine = f"Tesseract {ocr.lang}" if ocr else ""
        confidence = [
            PageConfidence(page=n, confidence=p.confidence, swedish=p.swedish, low=p.low)
            for n, p in sorted(ocr_pages.items())
        ]
        for number in scanned:
            if ocr_texts.get(number, "").strip():
                texts[number] = ocr_texts[number]
                warnings.append(f"page {number} had no text layer: OCR ({engine})")
            elif ocr_problem:
                warnings.append(f"page {number} has no text layer (needs OCR): {ocr_problem}")
            else:
                # Blank page: OCR found nothing (wording kept from before OCR existed).
                warnings.append(f"page {number} has no text layer (needs OCR)")
        for number, page_text in texts.items():
            if not page_text.strip():
                continue
            page_lines = _lines(page_text)
            lines.extend(page_lines)
            pages.extend([number] * len(page_lines))
    warnings.extend(_flag(c) for c in confidence if c.low)
    if not lines:
        reason = f": {ocr_problem}" if ocr_problem else ", and OCR found no text"
        raise PdfError(f"no page has a text layer (needs OCR){reason}")
    return PdfText(
        text="\n".join(lines),
        pages=tuple(pages),
        warnings=tuple(warnings),
        ocr_pages=tuple(sorted(n for n in scanned if ocr_texts.get(n, "").strip())),
        confidence=tuple(confidence),
    )


def _flag(page: PageConfidence) -> str:
    """The report's line for a page to scan again, with what OCR saw."""
    sure = "no words read" if page.confidence is None else f"confidence {page.confidence:.0f}"
    swedish = "" if page.swedish is None else f", Swedish words {page.swedish:.0%}"
    return (
        f"page {page.page}: OCR {sure}{swedish}; scan it again "
        "(a photo, upside down, another language, or too faint?)"
    )


def _ocr(
    doc: pymupdf.Document, scanned: list[int], ocr: OcrOptions | None
) -> tuple[dict[int, OcrPage], str | None]:
    """OCR of the scanned pages, or why there is none (a warning, not an error)."""
    if not scanned:
        return {}, None
    if ocr is None:
        return {}, "OCR is turned off"
    try:
        return ocr_pdf_scored(doc, scanned, ocr), None
    except (OcrUnavailable, OcrError) as err:
        return {}, str(err)
