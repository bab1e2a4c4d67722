"""Wording cards from hand-built results: the mark, the badge, the link, escaping, none found."""

from __future__ import annotations

from service.models import WordingMatch, WordingResult
from ui.wording_view import render_wording, wording_card


def _match(**update) -> WordingMatch:
    context = "Mål 3: Fördjupa samarbeten med vänorterna Röros och Hamina. Övrigt."
    at = context.index("Fördjupa")
    end = context.index(". Övrigt")
    fields = dict(
        doc_id="falun-verksamhetsplan-2023", title="Internationella rådets verksamhetsplan 2023",
        year=2023, section="Verksamhetsmål 2023 › Mål Norden", start=1000 + at, end=1000 + end,
        start_line=61, end_line=62, text=context[at:end], score=1.0, exact=True,
        chunk_id="c1", context=context, context_start=1000, highlight_start=at,
        highlight_end=end,
    )  # fmt: skip
    return WordingMatch(**{**fields, **update})


def test_exact_match_card_marks_the_span_in_its_context():
    html = wording_card(_match())
    assert 'class="wording-card"' in html
    assert (
        "Mål 3: <mark>Fördjupa samarbeten med vänorterna Röros och Hamina</mark>. Övrigt." in html
    )
    assert 'class="badge wording-exact">Exakt formulering<' in html
    assert "Internationella rådets verksamhetsplan 2023" in html
    assert "2023 · rad 61–62" in html and "Verksamhetsmål 2023 › Mål Norden" in html


def test_card_links_to_the_matched_lines():
    html = wording_card(_match(start_line=61, end_line=61))
    assert 'href="/dokument/falun-verksamhetsplan-2023?from=61&amp;to=61#L61"' in html
    assert "rad 61<" in html


def test_approximate_match_shows_its_similarity():
    html = wording_card(_match(exact=False, score=0.8712))
    assert "Liknande formulering (likhet 0.87)" in html and "Exakt formulering" not in html


def test_document_text_is_escaped():
    context = "<script>alert(1)</script> & <b>fet</b>"
    html = wording_card(
        _match(context=context, highlight_start=0, highlight_end=25, title="A<B", section="x&y")
    )
    assert "<script>" not in html and "<b>" not in html
    assert "<mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark> &amp; &lt;b&gt;fet" in html
    assert "A&lt;B" in html and "x&amp;y" in html


def test_out_of_range_highlight_never_breaks_the_card():
    html = wording_card(_match(highlight_start=500, highlight_end=600))
    assert "<mark>Fördjupa samarbeten med vänorterna Röros och Hamina</mark>" in html


def test_found_result_lists_matches_without_the_none_notice():
    result = WordingResult(query="Fördjupa", found=True, matches=[_match(), _match()], nearest=[])
    html = render_wording(result)
    assert html.count('class="wording-card"') == 2 and "2 ställen" in html
    assert "wording-none" not in html


def test_not_found_says_so_and_shows_the_nearest_passages():
    near = _match(exact=False, score=0.41)
    result = WordingResult(
        query="Vi ska <resa> till månen", found=False, matches=[], nearest=[near]
    )
    html = render_wording(result)
    assert html.index("wording-none") < html.index("wording-nearest")
    assert "Formuleringen finns inte i dokumenten" in html
    assert "&lt;resa&gt;" in html and "<resa>" not in html
    assert "Närmaste avsnitt" in html and "Likhet 0.41" in html
    assert 'class="wording-card"' not in html


def test_not_found_without_nearest_is_just_the_notice():
    html = render_wording(WordingResult(query="x", found=False, matches=[], nearest=[]))
    assert "Formuleringen finns inte i dokumenten" in html and "Närmaste" not in html


def test_only_similar_passages_are_shown_apart_and_not_counted():
    exact = _match()
    close = _match(exact=False, score=0.9, start_line=70, end_line=70)
    unrelated = _match(doc_id="falkoping-policy", exact=False, score=0.62)
    where = {"falun-verksamhetsplan-2023": "Falu kommun", "falkoping-policy": "Falköpings kommun"}
    result = WordingResult(query="q", found=True, matches=[exact, close, unrelated], nearest=[])
    html = render_wording(result, where, home="Falu kommun")
    held, also = html.split("Även liknande – inte samma formulering (1)")
    assert "2 ställen med formuleringen" in held and held.count("<article") == 2
    assert also.count('class="wording-nearest"') == 1 and "Falköpings kommun" in also
    assert "Annan kommun: Falköpings kommun" in also
    assert held.count("Falu kommun · 2023") == 2


def test_only_similar_passages_mean_the_wording_is_not_there():
    unrelated = _match(exact=False, score=0.62)
    html = render_wording(WordingResult(query="q", found=True, matches=[unrelated], nearest=[]))
    assert "Formuleringen finns inte i dokumenten" in html and "wording-card" not in html
    assert "Även liknande" in html
