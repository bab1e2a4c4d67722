"""A passage on a card: the quotes marked in it, in display form, the verbatim one click away.

Pure functions; every piece of document text goes through `html.escape`.
"""

from __future__ import annotations

import re
from html import escape

from ui.quote_display import display_text, render_marked


def highlight_quote(context: str, quote: str) -> str:
    """The passage block: `context` escaped, with `quote` inside <mark>.

    Whitespace and case may differ between quote and context. If the quote cannot be
    found at all, the context is shown unmarked and the quote marked below it, so the
    reader still sees exactly what was cited.
    """
    span = _find_span(context, quote)
    if span is None:
        if not context.strip():
            return _passage(f"<mark>{escape(quote)}</mark>")
        return _passage(escape(context)) + (
            f'<div class="card-quote-only">Citat: <mark>{escape(quote)}</mark></div>'
        )
    start, end = span
    return _passage(
        f"{escape(context[:start])}<mark>{escape(context[start:end])}</mark>{escape(context[end:])}"
    )


def _passage(inner_html: str) -> str:
    return f'<blockquote class="card-passage">{inner_html}</blockquote>'


def _find_span(context: str, quote: str) -> tuple[int, int] | None:
    """Exact match first, then a match that treats any whitespace run as equal."""
    if not quote.strip():
        return None
    at = context.find(quote)
    if at >= 0:
        return at, at + len(quote)
    pattern = r"\s+".join(re.escape(word) for word in quote.split())
    match = re.search(pattern, context) or re.search(pattern, context, re.IGNORECASE)
    return match.span() if match else None


def passage_html(context: str, quotes: list[str]) -> str:
    """The passage in its display form (lines joined, lists kept, footnote digits and URLs
    tidied) with the quotes marked; the verbatim passage one click away when they differ."""
    spans = [span for q in quotes if (span := _find_span(context, q)) is not None]
    if not spans or not context.strip():
        return highlight_quote(context, quotes[0])
    return marked_passage(context, spans)


def marked_passage(context: str, spans: list[tuple[int, int]]) -> str:
    """`context` in display form with the verbatim `spans` marked, and the verbatim text
    behind "Visa ordagrant" when the two differ."""
    shown = _passage(render_marked(context, spans))
    if display_text(context) == context.strip():
        return shown
    verbatim = _passage(_marked_verbatim(context, spans))
    return f'{shown}<details class="verbatim"><summary>Visa ordagrant</summary>{verbatim}</details>'


def _marked_verbatim(context: str, spans: list[tuple[int, int]]) -> str:
    html, at = [], 0
    for a, b in sorted(spans):
        a = max(a, at)
        html.append(f"{escape(context[at:a])}<mark>{escape(context[a:b])}</mark>")
        at = max(at, b)
    return "".join(html) + escape(context[at:])
