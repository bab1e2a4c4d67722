"""Read the text layer of a PDF with pymupdf, one output line per text line, with its page."""

from __future__ import annotations

from dataclasses import dataclass

import pymupdf

from ingest.decode import normalize_breaks


class PdfError(ValueError):
    """The PDF cannot be read."""


@dataclass(frozen=True)
class PdfText:
    """Text of a PDF, the page of every line and problems worth a warning."""

    text: str
    pages: tuple[int, ...]
    warnings: tuple[str, ...]


def read_pdf(data: bytes) -> PdfText:
    """Extract the text layer; pages without text are warned about (they need OCR)."""
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
        for number, page in enumerate(doc, start=1):
            try:
                page_text = page.get_text("text")
            except (RuntimeError, ValueError) as err:
                raise PdfError(f"page {number} cannot be read: {err}") from err
            if not page_text.strip():
                warnings.append(f"page {number} has no text layer (needs OCR)")
                continue
            # A stray "\r" or "\f" inside a line must not become a line break of its own.
            page_lines = [
                normalize_breaks(line.replace("\r", " ").replace("\f", ""))
                for line in page_text.rstrip("\n").split("\n")
            ]
            lines.extend(page_lines)
            pages.extend([number] * len(page_lines))
    if not lines:
        raise PdfError("no page has a text layer (needs OCR)")
    return PdfText(text="\n".join(lines), pages=tuple(pages), warnings=tuple(warnings))
