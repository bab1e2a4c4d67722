"""HTML for an answer's sources: citation cards, the not-answerable notice, nearest passages.

Pure functions of the service's models, so the rendering is unit-tested without a browser.
Every piece of document text goes through `html.escape`; only our own markup is raw.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote as url_quote

from service.models import Answer, Citation, Filters, Location, SearchResult, Source, line_range
from ui.passage import _passage, passage_html
from ui.quote_display import render_marked

DOCUMENT_PATH = "/dokument"
NOT_IN_DOCUMENTS = "Det framgår inte av dokumenten"

# Scoped to the gr.HTML component through its css_template (Gradio 6 no longer takes css
# on gr.Blocks, and mount_gradio_app overwrites blocks.css), so the cards keep their look
# however the app is mounted. Colours use Gradio's theme variables to follow dark mode.
CARDS_CSS = """
.sources-heading { font-size: 1.05rem; font-weight: 600; margin: 0.2rem 0 0.6rem; }
.sources-empty { color: var(--body-text-color); font-style: italic; }
.citation-card, .nearest-card {
  border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 0.7rem 0.9rem; margin: 0 0 0.8rem; background: var(--background-fill-secondary);
}
.citation-card { border-left: 4px solid #2f6fb3; }
.nearest-card { border-left: 4px solid #9a9a9a; }
.card-title { font-weight: 600; }
.card-n { font-weight: 700; color: #2f6fb3; margin-right: 0.35rem; }
.card-meta, .card-section { font-size: 0.85rem; color: var(--body-text-color); }
.card-section { font-style: italic; }
.badges { margin: 0.35rem 0 0.1rem; }
.badge {
  display: inline-block; font-size: 0.75rem; font-weight: 600; border-radius: 999px;
  padding: 0.1rem 0.55rem; margin-right: 0.35rem;
}
.badge-other-municipality { background: #fde2c4; color: #7a3b00; border: 1px solid #e59a4b; }
.badge-ocr { background: #e4e4f7; color: #2b2b6b; border: 1px solid #9a9ad6; }
.badge-superseded { background: #f3e1e1; color: #6b1f1f; border: 1px solid #c98b8b; }
.card-passage {
  margin: 0.5rem 0; padding: 0.4rem 0.6rem; border-left: 3px solid var(--border-color-primary);
  white-space: pre-wrap; font-size: 0.92rem; line-height: 1.45;
}
.card-passage mark { background: #fff2a8; color: #1a1a1a; padding: 0 0.1rem; }
.card-quote-only { font-size: 0.85rem; }
.card-link { font-size: 0.88rem; }
.not-answerable {
  border: 2px solid #c0392b; background: #fdecea; color: #611a15; border-radius: 8px;
  padding: 0.7rem 0.9rem; margin-bottom: 0.9rem;
}
.not-answerable strong { font-size: 1.05rem; }
.mode-note {
  border-radius: 8px; padding: 0.5rem 0.8rem; margin-bottom: 0.8rem; font-size: 0.9rem;
  border: 1px solid var(--border-color-primary); background: var(--background-fill-secondary);
}
.mode-llm { border-left: 4px solid #2f6fb3; }
.mode-fallback { border-left: 4px solid #b36b00; }
.mode-note ul { margin: 0.3rem 0 0 1.1rem; }
.mode-note li s { color: var(--body-text-color); }
.ui-error {
  border: 2px solid #b36b00; background: #fff4e0; color: #5c3700; border-radius: 8px;
  padding: 0.7rem 0.9rem;
}
"""


def document_url(doc_id: str, location: Location) -> str:
    """Link to the document page with the cited lines highlighted and scrolled into view."""
    start, end = location.start_line, location.end_line
    return f"{DOCUMENT_PATH}/{url_quote(doc_id, safe='')}?from={start}&to={end}#L{start}"


def _meta_line(municipality: str, doc_type: str, year: int | None, location: Location) -> str:
    lines = line_range(location.start_line, location.end_line)
    parts = [municipality, doc_type, str(year) if year is not None else "utan årtal", lines]
    if location.page is not None:
        parts.append(f"sid. {location.page}")
    return " · ".join(escape(p) for p in parts)


def badges_html(municipality: str, ocr: bool, repaired: bool = False, *, home: str) -> str:
    """Badges for a source: another municipality than `home` (the service's own), OCR text."""
    badges = []
    if municipality != home:
        badges.append(
            '<span class="badge badge-other-municipality">'
            f"Annan kommun: {escape(municipality)}</span>"
        )
    if repaired:
        badges.append('<span class="badge badge-ocr">OCR-reparerad text</span>')
    elif ocr:
        badges.append('<span class="badge badge-ocr">OCR-text</span>')
    return f'<div class="badges">{"".join(badges)}</div>' if badges else ""


def superseded_badge(source: Source) -> str:
    """ "Ersatt av «title» 2024" on a quote from a replaced document; "Arkiverad" likewise."""
    if not (note := source.status_note):
        return ""
    return f'<div class="badges"><span class="badge badge-superseded">{escape(note)}</span></div>'


def _card(
    css_class: str, head: str, *, municipality: str, doc_type: str, year: int | None,
    section: str, location: Location, doc_id: str, passage_html: str, ocr: bool,
    extra_attrs: str = "", repaired: bool = False, raw_lines: str | None = None, home: str,
    status_html: str = "",
) -> str:  # fmt: skip
    section_html = f'<div class="card-section">{escape(section)}</div>' if section else ""
    section_html += status_html
    return (
        f'<article class="{css_class}" data-doc-id="{escape(doc_id)}"{extra_attrs}>'
        f"<div>{head}</div>"
        f'<div class="card-meta">{_meta_line(municipality, doc_type, year, location)}</div>'
        f"{section_html}{badges_html(municipality, ocr, repaired, home=home)}"
        f"{passage_html}{_raw_lines_html(raw_lines)}"
        f'<a class="card-link" href="{escape(document_url(doc_id, location))}" '
        'target="_blank" rel="noopener">Öppna dokumentet här</a>'
        "</article>"
    )


def _raw_lines_html(raw_lines: str | None) -> str:
    """The cited lines as OCR read them, beside the repaired quote, for checking the repair."""
    if not raw_lines:
        return ""
    return (
        '<details class="raw-ocr"><summary>Visa raderna som OCR läste dem</summary>'
        f"<pre>{escape(raw_lines)}</pre></details>"
    )


def citation_card(cs: Citation | list[Citation], home: str, turn: int = 0) -> str:
    """One card per passage: citations quoting the same passage share it, each quote marked.
    The card's id (and an anchor per further citation) is `kalla-{turn}-{n}`."""
    group = cs if isinstance(cs, list) else [cs]
    c = group[0]
    numbers = "".join(f'<span class="card-n">[{x.n}]</span>' for x in group)
    anchors = "".join(
        f'<span class="card-anchor" id="{card_id(turn, x.n)}"></span>' for x in group[1:]
    )
    head = f'{numbers}<span class="card-title">{escape(c.title)}</span>{anchors}'
    return _card(
        "citation-card", head, municipality=c.municipality, doc_type=c.doc_type,
        year=c.year, section=c.section, location=_joined_location(group), doc_id=c.doc_id,
        passage_html=passage_html(c.context, [x.quote for x in group]), ocr=c.ocr,
        extra_attrs=f' id="{card_id(turn, c.n)}"', repaired=c.repaired, raw_lines=c.raw_lines,
        home=home, status_html=superseded_badge(c),
    )  # fmt: skip


def card_id(turn: int, n: int) -> str:
    return f"kalla-{turn}-{n}"


def _joined_location(group: list[Citation]) -> Location:
    first = group[0].location
    return first.model_copy(
        update={
            "start_line": min(x.location.start_line for x in group),
            "end_line": max(x.location.end_line for x in group),
        }
    )


def same_passage_groups(citations: list[Citation]) -> list[list[Citation]]:
    """Citations grouped by the passage they quote, in the order of their first citation."""
    groups: dict[tuple[str, str], list[Citation]] = {}
    for c in citations:
        groups.setdefault((c.doc_id, c.chunk_id or c.context), []).append(c)
    return list(groups.values())


def nearest_card(r: SearchResult, home: str) -> str:
    head = f'<span class="card-title">{escape(r.title)}</span>'
    return _card(
        "nearest-card", head, municipality=r.municipality, doc_type=r.doc_type,
        year=r.year, section=r.section, location=r.location, doc_id=r.doc_id,
        passage_html=_passage(render_marked(r.text, [])), ocr=False, home=home,
        status_html=superseded_badge(r),
    )  # fmt: skip


def render_mode(answer: Answer) -> str:
    """Who wrote the answer: the LLM (verified), or quotes after an LLM fallback, and any
    sentence the verification removed. Nothing when no LLM is configured."""
    removed = ""
    if answer.removed:
        items = "".join(
            f"<li><s>{escape(r.sentence)}</s> – {escape(r.reason)}</li>" for r in answer.removed
        )
        removed = (
            f'<details class="removed"><summary>Borttaget vid kontroll ({len(answer.removed)})'
            f"</summary><ul>{items}</ul></details>"
        )
    if answer.mode == "llm":
        return (
            '<div class="mode-note mode-llm" role="note"><strong>Formulerat av språkmodellen'
            "</strong> och kontrollerat: varje mening har stöd i källan den hänvisar till."
            f"{removed}</div>"
        )
    if answer.fallback_reason:
        return (
            '<div class="mode-note mode-fallback" role="note"><strong>Citat ur dokumenten'
            f"</strong> – språkmodellens svar visas inte: {escape(answer.fallback_reason)}."
            f"{removed}</div>"
        )
    return ""


FILTER_LABELS = {"municipality": "kommun", "doc_type": "dokumenttyp", "year": "år"}


def filter_note(filters: Filters | None) -> str:
    """A refusal under a filter says so, and offers to search without it."""
    active = [
        f"{label} {escape(str(value))}"
        for field, label in FILTER_LABELS.items()
        if (value := getattr(filters, field, None)) is not None
    ]
    if not active:
        return ""
    return (
        f'<p class="filter-note">Sökningen var avgränsad till {", ".join(active)}. '
        "Svaret kan finnas i andra dokument. "
        '<button type="button" class="clear-filters-btn">Ta bort avgränsningen</button></p>'
    )


def render_sources(answer: Answer, home: str, turn: int = 0, filters: Filters | None = None) -> str:
    """The sources of one answer (the `turn`-th of the conversation): citation cards, one per
    passage, or the not-answerable state with the nearest passages and any active filter; a
    source from another municipality than `home` (the service's) is badged as such."""
    mode = render_mode(answer)
    if not answer.answerable:
        parts = [
            '<div class="not-answerable" role="status">'
            f"<strong>{NOT_IN_DOCUMENTS}</strong>"
            "<p>Inget avsnitt i dokumenten besvarar frågan. "
            f"Kontrollera gärna de närliggande avsnitten själv.</p>{filter_note(filters)}</div>"
        ]
        nearest = list({(r.doc_id, r.chunk_id): r for r in answer.nearest}.values())
        if nearest:
            parts.append('<div class="sources-heading">Närliggande avsnitt</div>')
            parts.extend(nearest_card(r, home) for r in nearest)
        return "".join(parts)
    if not answer.citations:
        return f'{mode}<p class="sources-empty">Svaret har inga källhänvisningar.</p>'
    cards = "".join(citation_card(g, home, turn) for g in same_passage_groups(answer.citations))
    return f'{mode}<div class="sources-heading">Källor</div>{cards}'


def render_drafting() -> str:
    """The sources panel while the LLM writes: the draft is checked before it stands."""
    return (
        '<p class="sources-empty" role="status">Språkmodellen skriver ett svar. Varje mening '
        "kontrolleras mot källorna innan svaret och citaten visas här.</p>"
    )


def render_placeholder() -> str:
    return (
        '<p class="sources-empty">Här visas citaten som svaret bygger på, '
        "med länk till rätt ställe i dokumentet.</p>"
    )


def render_error(message: str) -> str:
    return f'<div class="ui-error" role="alert">{escape(message)}</div>'
