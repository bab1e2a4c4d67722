"""HTML for a plan comparison: a two-column table, one colour-coded row per compared item.

Pure functions of `ComparedItem`s and `DocumentInfo`s, unit-tested without a browser;
every piece of document text is escaped.
"""

from __future__ import annotations

from html import escape

from service.models import ComparedItem, DocumentInfo, Location, Side, line_range
from ui.cards import document_url

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
  color: var(--body-text-color-subdued); font-style: italic; }
.side-quote { white-space: pre-wrap; line-height: 1.45; margin: 0 0 0.35rem; }
.side-meta { font-size: 0.82rem; color: var(--body-text-color-subdued); }
.side-meta a { margin-left: 0.3rem; }
.compare-diff { border-left: 5px solid #e0a800; background: rgba(224, 168, 0, 0.09); }
.compare-diff td { padding-top: 0.2rem; }
.compare-differences { margin: 0; padding-left: 1.2rem; font-size: 0.88rem; }
.compare-differences .diff-added { color: #2e7d3e; }
.compare-differences .diff-removed { color: #b3362c; }
.compare-empty, .sources-empty { color: var(--body-text-color-subdued); font-style: italic; }
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


def side_cell(side: Side | None, which: str) -> str:
    css = f"side-{which.lower()}"
    if side is None:
        return f'<td class="{css}">Finns inte i {which}</td>'
    url = document_url(side.doc_id, Location.of(side))
    where = " · ".join(
        escape(p) for p in (side.section, line_range(side.start_line, side.end_line)) if p
    )
    return (
        f'<td class="{css}"><blockquote class="side-quote">{escape(side.quote)}</blockquote>'
        f'<div class="side-meta">{where}<a href="{escape(url)}" target="_blank" '
        'rel="noopener">Öppna här</a></div></td>'
    )


def status_badge(status: str) -> str:
    return f'<span class="status-badge badge-{status}">{STATUS_LABELS[status]}</span>'


def _difference(text: str) -> str:
    css = {"+": "diff-added", "−": "diff-removed"}.get(text[:1], "diff-changed")
    return f'<li class="{css}">{escape(text)}</li>'


def compare_row(item: ComparedItem) -> str:
    row = (
        f'<tr class="compare-row status-{item.status}">'
        f"<th>{escape(item.topic)}<br>{status_badge(item.status)}</th>"
        f"{side_cell(item.a, 'A')}{side_cell(item.b, 'B')}</tr>"
    )
    if item.status != "changed" or not item.differences:
        return row
    diffs = "".join(_difference(d) for d in item.differences)
    return (
        f'{row}<tr class="compare-diff"><td colspan="3">'
        f'<ul class="compare-differences">{diffs}</ul></td></tr>'
    )


def legend() -> str:
    return '<div class="compare-legend">' + "".join(map(status_badge, STATUS_LABELS)) + "</div>"


def render_comparison(
    items: list[ComparedItem], label_a: str, label_b: str, topic: str | None = None
) -> str:
    """The legend, a one-line summary and the table; a notice if nothing was aligned."""
    if not items:
        about = f" om ”{escape(topic)}”" if topic else ""
        return f'<p class="compare-empty">Inga avsnitt{about} att jämföra i de två dokumenten.</p>'
    counts = {s: sum(i.status == s for i in items) for s in STATUS_LABELS}
    summary = ", ".join(f"{counts[s]} {SUMMARY_WORDS[s]}" for s in counts if counts[s])
    about = f" om ”{escape(topic)}”" if topic else ""
    rows = "".join(compare_row(i) for i in items)
    return (
        f"{legend()}"
        f'<p class="compare-summary">{len(items)} punkter{about}: {summary}.</p>'
        '<table class="compare-table"><colgroup><col class="col-topic"><col><col></colgroup>'
        f"<thead><tr><th>Ämne</th><th>A: {escape(label_a)}</th>"
        f"<th>B: {escape(label_b)}</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def render_compare_placeholder() -> str:
    return (
        '<p class="compare-empty">Välj två dokument och tryck på Jämför för att se vad som '
        "är oförändrat, ändrat, borttaget och nytt.</p>"
    )
