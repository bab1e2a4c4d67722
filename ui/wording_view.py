"""HTML for a wording lookup: one card per passage, the match marked in its context.

Pure functions of `WordingResult`, unit-tested without a browser; document text is escaped.
"""

from __future__ import annotations

from html import escape

from service.models import Location, WordingMatch, WordingResult, line_range
from ui.cards import CARDS_CSS, badges_html, document_url
from ui.passage import marked_passage

NOT_FOUND = "Formuleringen finns inte i dokumenten"
# A passage this similar holds the wording, reworded (inflection, a word swapped, dropped or
# added, OCR damage): the service's reworded test phrases score 0.82-0.98 on the corpus,
# while a paraphrase scores 0.66 and an unrelated passage just over the service's found bar
# (0.62). Below it a passage is shown apart, as only similar.
CLOSE_SCORE = 0.8

# The card look comes from CARDS_CSS: css_template is scoped to one gr.HTML component.
WORDING_CSS = (
    CARDS_CSS
    + """
.wording-card { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 0.7rem 0.9rem; margin: 0 0 0.8rem; background: var(--background-fill-secondary);
  border-left: 4px solid #2f6fb3; }
.wording-nearest { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 0.7rem 0.9rem; margin: 0 0 0.8rem; background: var(--background-fill-secondary);
  border-left: 4px solid #9a9a9a; }
.wording-exact { background: #d9f2dd; color: #14532d; border: 1px solid #6cbf7d; }
.wording-similar { background: #fff1cc; color: #6b4a00; border: 1px solid #e0b54a; }
.wording-none {
  border: 2px solid #c0392b; background: #fdecea; color: #611a15; border-radius: 8px;
  padding: 0.7rem 0.9rem; margin-bottom: 0.9rem;
}
.wording-none strong { font-size: 1.05rem; }
"""
)


def similarity_badge(m: WordingMatch, nearest: bool = False) -> str:
    if nearest:  # below the "contains the wording" bar: only say how close it came
        return f'<span class="badge wording-similar">Likhet {m.score:.2f}</span>'
    if m.exact:
        return '<span class="badge wording-exact">Exakt formulering</span>'
    return f'<span class="badge wording-similar">Liknande formulering (likhet {m.score:.2f})</span>'


def marked_context(m: WordingMatch) -> str:
    """The context in display form, escaped, with the match (`highlight_start:_end`) marked."""
    a = max(0, min(m.highlight_start, len(m.context)))
    b = max(a, min(m.highlight_end, len(m.context)))
    ctx = m.context
    if a == b:  # no usable span: show the matched text itself, marked
        return f'<blockquote class="card-passage"><mark>{escape(m.text)}</mark></blockquote>'
    return marked_passage(ctx, [(a, b)])


def wording_card(
    m: WordingMatch, nearest: bool = False, *, municipality: str = "", home: str = ""
) -> str:
    """One passage: where it is (municipality, year, lines, section), how close, the match
    marked; another municipality than `home` is badged as on the answer cards."""
    css_class = "wording-nearest" if nearest else "wording-card"
    year = str(m.year) if m.year is not None else "utan årtal"
    meta = " · ".join(
        escape(p) for p in (municipality, year, line_range(m.start_line, m.end_line)) if p
    )
    section = f'<div class="card-section">{escape(m.section)}</div>' if m.section else ""
    other = badges_html(municipality, False, home=home) if municipality and home else ""
    url = document_url(m.doc_id, Location.of(m))
    return (
        f'<article class="{css_class}" data-doc-id="{escape(m.doc_id)}">'
        f'<div class="card-title">{escape(m.title)}</div>'
        f'<div class="card-meta">{meta}</div>{section}{other}'
        f'<div class="badges">{similarity_badge(m, nearest)}</div>'
        f"{marked_context(m)}"
        f'<a class="card-link" href="{escape(url)}" target="_blank" rel="noopener">'
        "Öppna dokumentet här</a></article>"
    )


def render_wording(
    result: WordingResult, municipalities: dict[str, str] | None = None, home: str = ""
) -> str:
    """The result panel: the passages that hold the wording (exactly, or nearly: inflection,
    word order, OCR), then, apart and not counted, passages that are only similar; or the
    not-found notice and the nearest ones. Every card names its municipality."""
    where = municipalities or {}

    def card(m: WordingMatch, nearest: bool = False) -> str:
        return wording_card(m, nearest, municipality=where.get(m.doc_id, ""), home=home)

    held = [m for m in result.matches if m.exact or m.score >= CLOSE_SCORE]
    similar = [m for m in result.matches if m not in held]
    parts = []
    if result.found and held:
        places = f"{len(held)} ställe{'n' if len(held) != 1 else ''}"
        parts.append(f'<div class="sources-heading">{places} med formuleringen</div>')
        parts.extend(card(m) for m in held)
    else:
        parts.append(
            '<div class="wording-none" role="status">'
            f"<strong>{NOT_FOUND}</strong>"
            f"<p>Ingen text i dokumenten motsvarar ”{escape(result.query)}”.</p></div>"
        )
    if similar:
        parts.append(
            '<div class="sources-heading wording-also">Även liknande – inte samma formulering '
            f"({len(similar)})</div>"
        )
        parts.extend(card(m, nearest=True) for m in similar)
    elif not held and result.nearest:
        parts.append('<div class="sources-heading">Närmaste avsnitt</div>')
        parts.extend(card(m, nearest=True) for m in result.nearest)
    return "".join(parts)


def render_wording_placeholder() -> str:
    return (
        '<p class="sources-empty">Klistra in en formulering för att se var den står, '
        "ordagrant eller nästan, med länk till rätt ställe i dokumentet.</p>"
    )
