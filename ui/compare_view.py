"""HTML for a plan comparison: a two-column table, one colour-coded row per compared item.

Pure functions of `ComparedItem`s and `DocumentInfo`s, unit-tested without a browser;
every piece of document text is escaped.
"""

from __future__ import annotations

from html import escape

from service.models import ComparedItem, DocumentInfo, Location, Side, line_range
from ui.cards import document_url
from ui.compare_rows import Row, merged_rows
from ui.quote_display import display_text
from ui.word_diff import phrase_diff

PLAN_TYPES = ("handlingsplan", "verksamhetsplan")
STATUS_LABELS = {
    "same": "Oförändrat",
    "changed": "Ändrat",
    "only_a": "Bara i A (borttaget)",
    "only_b": "Bara i B (nytt)",
}
SUMMARY_WORDS = {
    "same": "oförändrade",
    "changed": "ändrade",
    "only_a": "borttagna",
    "only_b": "nya",
}

# Scoped to the gr.HTML component through its css_template. Each status has a colour and a
# word, so the table still reads without colour (or printed in black and white).
COMPARE_CSS = """
.compare-legend { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; margin: 0 0 0.7rem;
  font-size: 0.88rem; }
.compare-summary { font-size: 0.92rem; margin: 0 0 0.4rem; }
.status-badge { display: inline-block; font-size: 0.75rem; font-weight: 600;
  border-radius: 999px; padding: 0.1rem 0.55rem; border: 1px solid; white-space: nowrap; }
.badge-same { background: #ececec; color: #3b3b3b; border-color: #a8a8a8; }
.badge-changed { background: #fff1cc; color: #6b4a00; border-color: #e0b54a; }
.badge-only_a { background: #fde2e0; color: #7a1a12; border-color: #e07a70; }
.badge-only_b { background: #dcf3df; color: #14532d; border-color: #6cbf7d; }
.compare-table { width: 100%; border-collapse: collapse; table-layout: fixed;
  font-size: 0.92rem; }
.compare-table th, .compare-table td { border: 1px solid var(--border-color-primary);
  padding: 0.5rem 0.6rem; vertical-align: top; text-align: left; }
.compare-table thead th { background: var(--background-fill-secondary); }
.compare-table col.col-topic { width: 18%; }
.compare-row > th { font-weight: 600; }
.compare-row > th .status-badge { margin-top: 0.35rem; }
.compare-row.status-same { border-left: 5px solid #a8a8a8; }
.compare-row.status-changed { border-left: 5px solid #e0a800; background: rgba(224, 168, 0, 0.09); }
.compare-row.status-only_a { border-left: 5px solid #d9534f; background: rgba(217, 83, 79, 0.08); }
.compare-row.status-only_b { border-left: 5px solid #3c9a4f; background: rgba(60, 154, 79, 0.08); }
.compare-row.status-only_a td.side-b, .compare-row.status-only_b td.side-a {
  color: var(--body-text-color); font-style: italic; }
.side-quote { white-space: pre-wrap; line-height: 1.45; margin: 0 0 0.35rem; }
.side-meta { font-size: 0.82rem; color: var(--body-text-color); }
.side-meta a { margin-left: 0.3rem; }
.compare-diff { border-left: 5px solid #e0a800; background: rgba(224, 168, 0, 0.09); }
.compare-diff td { padding-top: 0.2rem; }
.compare-differences { margin: 0; padding-left: 1.2rem; font-size: 0.88rem; }
.side-quote del.diff-del { background: #fde2e0; color: #7a1a12; text-decoration: line-through; }
.side-quote ins.diff-ins { background: #dcf3df; color: #14532d; text-decoration: none; }
.status-toggle { cursor: pointer; display: inline-flex; align-items: center; gap: 0.3rem;
  font-size: 0.8rem; font-weight: 600; border-radius: 999px; padding: 0.15rem 0.6rem;
  border: 1px solid; }
.status-toggle:has(input:not(:checked)) { background: transparent; border-style: dashed; }
.compare-view:has(.toggle-same:not(:checked)) .status-same,
.compare-view:has(.toggle-changed:not(:checked)) .status-changed,
.compare-view:has(.toggle-changed:not(:checked)) .diff-of-changed,
.compare-view:has(.toggle-only_a:not(:checked)) .status-only_a,
.compare-view:has(.toggle-only_b:not(:checked)) .status-only_b { display: none; }
.side-label { display: none; font-size: 0.8rem; font-weight: 600; margin-bottom: 0.2rem; }
@media (max-width: 700px) {
  .compare-table, .compare-table tbody, .compare-table tr, .compare-table th,
  .compare-table td { display: block; width: auto; }
  .compare-table thead, .compare-table colgroup { display: none; }
  .compare-table tr { margin-bottom: 0.6rem; }
  .compare-table td, .compare-table th { border-width: 0 0 1px 0; }
  .side-label { display: block; }
}
.compare-empty, .sources-empty { color: var(--body-text-color); font-style: italic; }
.ui-error { border: 2px solid #b36b00; background: #fff4e0; color: #5c3700;
  border-radius: 8px; padding: 0.7rem 0.9rem; }
"""


def doc_label(doc: DocumentInfo) -> str:
    return f"{doc.title} ({doc.year})" if doc.year is not None else doc.title


def doc_choices(docs: list[DocumentInfo]) -> list[tuple[str, str]]:
    """Dropdown choices (label, doc_id), plans first and by year, then the rest by title."""

    def key(d: DocumentInfo) -> tuple[bool, int, str]:
        return (d.doc_type not in PLAN_TYPES, d.year or 0, d.title)

    return [(doc_label(d), d.doc_id) for d in sorted(docs, key=key)]


def default_pair(docs: list[DocumentInfo]) -> tuple[str | None, str | None]:
    """The oldest and the newest dated plan; failing that, the first two documents."""
    plans = sorted(
        (d for d in docs if d.doc_type in PLAN_TYPES and d.year is not None),
        key=lambda d: d.year or 0,
    )
    if len(plans) >= 2:
        return plans[0].doc_id, plans[-1].doc_id
    ids = [d.doc_id for d in docs]
    return (ids[0] if ids else None), (ids[1] if len(ids) > 1 else None)


def side_cell(sides: list[Side], which: str, label: str = "", quote_html: str | None = None) -> str:
    """One side of a row, each of its passages cited; `quote_html` is a lone passage's
    quote with its changed phrases marked."""
    css = f"side-{which.lower()}"
    head = f'<span class="side-label">{which}: {escape(label)}</span>' if label else ""
    if not sides:
        return f'<td class="{css}">{head}Finns inte i {which}</td>'
    parts = []
    for side in sides:
        url = document_url(side.doc_id, Location.of(side))
        where = " · ".join(
            escape(p) for p in (side.section, line_range(side.start_line, side.end_line)) if p
        )
        quote = quote_html if quote_html is not None else escape(display_text(side.quote))
        parts.append(
            f'<blockquote class="side-quote">{quote}</blockquote>'
            f'<div class="side-meta">{where}<a href="{escape(url)}" target="_blank" '
            'rel="noopener">Öppna här</a></div>'
        )
    return f'<td class="{css}">{head}{"".join(parts)}</td>'


def status_badge(status: str) -> str:
    return f'<span class="status-badge badge-{status}">{STATUS_LABELS[status]}</span>'


def _difference(text: str) -> str:
    return f'<li class="diff-changed">{escape(text)}</li>'


def compare_row(row: Row, label_a: str = "", label_b: str = "") -> str:
    """A row: the topic and status, A's side, B's side. A changed row of one passage a side
    marks the phrases that differ, and lists the service's before → after pairs (amounts,
    names); its word lists ("− a, b, c") are left out, the marked phrases say it better."""
    quote_a = quote_b = None
    if row.status == "changed" and len(row.a) == 1 and len(row.b) == 1:
        quote_a, quote_b = phrase_diff(display_text(row.a[0].quote), display_text(row.b[0].quote))
    html = (
        f'<tr class="compare-row status-{row.status}">'
        f"<th>{escape(row.topic)}<br>{status_badge(row.status)}</th>"
        f"{side_cell(row.a, 'A', label_a, quote_a)}{side_cell(row.b, 'B', label_b, quote_b)}</tr>"
    )
    pairs = [d for d in row.differences if "→" in d]
    if row.status != "changed" or not pairs:
        return html
    diffs = "".join(_difference(d) for d in pairs)
    return (
        f'{html}<tr class="compare-diff diff-of-changed"><td colspan="3">'
        f'<ul class="compare-differences">{diffs}</ul></td></tr>'
    )


def legend(counts: dict[str, int]) -> str:
    """The status chips are switches: each shows or hides its rows; unchanged start hidden."""
    chips = "".join(
        f'<label class="status-toggle badge-{s}"><input type="checkbox" class="toggle-{s}"'
        f"{'' if s == 'same' else ' checked'}> {STATUS_LABELS[s]} ({counts[s]})</label>"
        for s in STATUS_LABELS
    )
    return f'<div class="compare-legend" role="group" aria-label="Visa rader">{chips}</div>'


def render_comparison(
    items: list[ComparedItem], label_a: str, label_b: str, topic: str | None = None
) -> str:
    """The legend (switches), a one-line summary and the table; unchanged rows hidden until
    asked for; a notice if nothing was aligned."""
    about = f" om ”{escape(topic)}”" if topic else ""
    if not items:
        return f'<p class="compare-empty">Inga avsnitt{about} att jämföra i de två dokumenten.</p>'
    rows = merged_rows(items)
    counts = {s: sum(r.status == s for r in rows) for s in STATUS_LABELS}
    summary = ", ".join(f"{counts[s]} {SUMMARY_WORDS[s]}" for s in counts if counts[s])
    hidden = (
        f" Visar ändringarna; de {counts['same']} oförändrade visas med {STATUS_LABELS['same']}."
        if counts["same"]
        else ""
    )
    table = "".join(compare_row(r, label_a, label_b) for r in rows)
    return (
        f'<div class="compare-view">{legend(counts)}'
        f'<p class="compare-summary">{len(rows)} punkter{about}: {summary}.{hidden}</p>'
        '<table class="compare-table"><colgroup><col class="col-topic"><col><col></colgroup>'
        f"<thead><tr><th>Ämne</th><th>A: {escape(label_a)}</th>"
        f"<th>B: {escape(label_b)}</th></tr></thead>"
        f"<tbody>{table}</tbody></table></div>"
    )


def render_compare_placeholder() -> str:
    return (
        '<p class="compare-empty">Välj två dokument och tryck på Jämför för att se vad som '
        "är oförändrat, ändrat, borttaget och nytt.</p>"
    )
