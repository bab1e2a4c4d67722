"""The document page a citation links to: full text with line numbers, cited lines marked."""

from __future__ import annotations

import logging
from collections.abc import Callable
from html import escape
from urllib.parse import quote as url_quote

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from service.facade import KnowledgeBase
from service.models import DocumentDetail, line_range
from ui.cards import badges_html

log = logging.getLogger(__name__)

# A standalone page (no Gradio), so it loads instantly and prints cleanly.
PAGE_CSS = """
body { font-family: system-ui, sans-serif; margin: 0; color: #1d1d1f; background: #fafafa; }
header { padding: 1rem 1.5rem; background: #fff; border-bottom: 1px solid #ddd; }
header h1 { font-size: 1.35rem; margin: 0.2rem 0 0.4rem; }
.meta { color: #555; font-size: 0.92rem; margin: 0; }
.meta span + span::before { content: " · "; }
.notice { margin: 0.6rem 0 0; font-size: 0.9rem; }
.badge { display: inline-block; font-size: 0.78rem; font-weight: 600; border-radius: 999px;
  padding: 0.1rem 0.55rem; margin-right: 0.35rem; }
.badge-ocr { background: #e4e4f7; color: #2b2b6b; border: 1px solid #9a9ad6; }
.badge-other-municipality { background: #fde2c4; color: #7a3b00; border: 1px solid #e59a4b; }
main { padding: 1rem 1.5rem 40vh; }
.doc-text { font-family: ui-monospace, Consolas, monospace; font-size: 0.9rem;
  background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 0.5rem 0; }
.line { display: flex; scroll-margin-top: 30vh; }
.line .ln { flex: 0 0 3.5rem; text-align: right; padding-right: 0.8rem; color: #999;
  user-select: none; text-decoration: none; }
.line .lt { white-space: pre-wrap; overflow-wrap: anywhere; flex: 1; padding-right: 1rem;
  min-height: 1.2em; }
.line.cited { background: #fff2a8; }
.line.cited .ln { color: #6b5900; font-weight: 700; }
.line:target { outline: 2px solid #e0b800; }
details { margin-top: 1.2rem; }
a { color: #1f5f9e; }
"""


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{PAGE_CSS}</style></head>"
        f"<body>{body}</body></html>"
    )


def _cited_range(
    start_line: int | None, end_line: int | None, n_lines: int
) -> tuple[int, int] | None:
    """Clamp the requested lines to the document; a lone bound marks a single line."""
    start = start_line if start_line is not None else end_line
    end = end_line if end_line is not None else start_line
    if start is None or end is None:
        return None
    start, end = sorted((start, end))
    start, end = max(start, 1), min(end, n_lines)
    return (start, end) if start <= end else None


def _lines_html(text: str, cited: tuple[int, int] | None, prefix: str = "L") -> str:
    # split("\n"), not splitlines(): line numbers count "\n" only, as ingest does.
    rows = []
    for n, line in enumerate(text.split("\n"), start=1):
        mark = " cited" if cited and cited[0] <= n <= cited[1] else ""
        rows.append(
            f'<div class="line{mark}" id="{prefix}{n}">'
            f'<a class="ln" href="#{prefix}{n}">{n}</a>'
            f'<span class="lt">{escape(line)}</span></div>'
        )
    return "".join(rows)


def render_document_page(
    detail: DocumentDetail, start_line: int | None, end_line: int | None, *, home: str
) -> str:
    """The whole document as an HTML page; lines are anchors `L{n}`, cited lines marked."""
    n_lines = detail.text.count("\n") + 1
    cited = _cited_range(start_line, end_line, n_lines)
    meta = [
        detail.municipality,
        detail.doc_type,
        str(detail.year) if detail.year is not None else "utan årtal",
        f"{n_lines} rader",
    ]
    notices = []
    if cited:
        span = line_range(*cited)
        notices.append(
            f'Det citerade stället ({span}) är markerat. <a href="#L{cited[0]}">Gå dit</a>.'
        )
    if detail.ocr:
        notices.append(
            "Texten är inläst med OCR från ett skannat dokument och maskinellt rättad; "
            "den oförändrade OCR-texten finns längst ned."
        )
    notices_html = "".join(f'<p class="notice">{n}</p>' for n in notices)
    raw = ""
    if detail.raw_text is not None and detail.raw_text != detail.text:
        raw = (
            "<details><summary>Visa OCR-text före rättning</summary>"
            f'<div class="doc-text">{_lines_html(detail.raw_text, None, prefix="R")}</div>'
            "</details>"
        )
    body = (
        f'<header><p><a href="/">← Tillbaka till frågorna</a></p>'
        f"<h1>{escape(detail.title)}</h1>"
        f'<p class="meta">{"".join(f"<span>{escape(m)}</span>" for m in meta)}</p>'
        f"{badges_html(detail.municipality, detail.ocr, home=home)}{notices_html}</header>"
        f'<main><div class="doc-text" id="document-text">{_lines_html(detail.text, cited)}</div>'
        f"{raw}</main>"
    )
    return _page(detail.title, body)


def render_not_found(doc_id: str) -> str:
    body = (
        "<header><h1>Dokumentet hittades inte</h1>"
        f'<p class="meta">Det finns inget dokument med id „{escape(doc_id)}“ i kunskapsbasen.</p>'
        '<p><a href="/">← Tillbaka till frågorna</a></p></header>'
    )
    return _page("Dokumentet hittades inte", body)


def render_bad_lines(doc_id: str) -> str:
    """A link with a malformed ?from=/&to= gets a page that says so, not a JSON error."""
    href = f"/dokument/{url_quote(doc_id, safe='')}"
    body = (
        "<header><h1>Felaktig länk till dokumentet</h1>"
        '<p class="meta">Radnumren i länken (<code>from</code> och <code>to</code>) ska vara '
        "positiva heltal, till exempel <code>?from=4&amp;to=5</code>.</p>"
        f'<p><a href="{escape(href)}">Öppna hela dokumentet</a> · '
        '<a href="/">← Tillbaka till frågorna</a></p></header>'
    )
    return _page("Felaktig länk till dokumentet", body)


def line_number(value: str | None) -> int | None:
    """A ?from=/&to= value: a positive whole number, or nothing; ValueError otherwise."""
    if value is None or not value.strip():
        return None
    n = int(value.strip())
    if n < 1:
        raise ValueError(value)
    return n


def document_router(kb_getter: Callable[[], KnowledgeBase]) -> APIRouter:
    """`GET /dokument/{doc_id}?from=&to=`; include it before mounting Gradio at "/"."""
    router = APIRouter()

    # A plain def: FastAPI runs it in its threadpool, since kb.document may do I/O.
    @router.get("/dokument/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def show_document(
        doc_id: str,
        start: str | None = Query(None, alias="from"),
        end: str | None = Query(None, alias="to"),
    ) -> HTMLResponse:
        try:
            start_line, end_line = line_number(start), line_number(end)
        except ValueError:
            return HTMLResponse(render_bad_lines(doc_id), status_code=400)
        kb = kb_getter()
        try:
            detail = kb.document(doc_id)
        except KeyError:
            return HTMLResponse(render_not_found(doc_id), status_code=404)
        page = render_document_page(detail, start_line, end_line, home=kb.home_municipality)
        return HTMLResponse(page)

    return router
