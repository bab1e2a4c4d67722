"""The sources panel HTML: highlighting, escaping, badges, the not-answerable state."""

from __future__ import annotations

from functools import partial

from service.models import Answer, Citation, Location, Replacement, SearchResult
from tests.ui.fakes import FakeKnowledgeBase
from ui.cards import document_url
from ui.cards import render_sources as _render_sources
from ui.passage import highlight_quote

render_sources = partial(_render_sources, home=FakeKnowledgeBase.home_municipality)


def citation(**update) -> Citation:
    base = Citation(
        n=1, doc_id="falun-strategi", title="Internationell strategi",
        municipality="Falu kommun", doc_type="strategi", year=2020,
        section="Strategi › Syfte", quote="delta i internationellt samarbete",
        location=Location(start_line=4, end_line=5), chunk_id="falun-strategi:abc",
        context="Falu kommun ska delta i internationellt samarbete för utvecklingen.",
    )  # fmt: skip
    return base.model_copy(update=update)


def answer(*citations: Citation, **update) -> Answer:
    base = Answer(question="Vad?", answer="Svar [1].", answerable=True, citations=list(citations))
    return Answer.model_validate({**base.model_dump(), **update})


def test_quote_is_marked_inside_its_context():
    html = render_sources(answer(citation()))
    assert 'class="citation-card"' in html
    assert (
        "Falu kommun ska <mark>delta i internationellt samarbete</mark> för utvecklingen." in html
    )
    assert "Internationell strategi" in html and "Strategi › Syfte" in html


def test_quote_found_when_whitespace_differs():
    html = highlight_quote(
        "ska  delta i\ninternationellt   samarbete.", "delta i internationellt samarbete"
    )
    assert "<mark>delta i\ninternationellt   samarbete</mark>" in html


def test_quote_missing_from_context_is_still_shown():
    html = highlight_quote("Helt annan text.", "ett citat")
    assert "Helt annan text." in html and "<mark>ett citat</mark>" in html


def test_document_text_is_escaped():
    evil = "<script>alert(1)</script>"
    html = render_sources(
        answer(citation(title=evil, context=f"före {evil} efter", quote=evil, section=evil))
    )
    assert "<script>" not in html
    assert "<mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark>" in html


def test_link_points_at_the_cited_lines():
    html = render_sources(answer(citation()))
    assert 'href="/dokument/falun-strategi?from=4&amp;to=5#L4"' in html
    assert "Öppna dokumentet här" in html
    assert document_url("a b/c", Location(start_line=2, end_line=3)) == (
        "/dokument/a%20b%2Fc?from=2&to=3#L2"
    )


def test_other_municipality_and_ocr_badges():
    falun = render_sources(answer(citation()))
    assert "Annan kommun" not in falun and "OCR-text" not in falun
    html = render_sources(answer(citation(municipality="Falköpings kommun", ocr=True)))
    assert "Annan kommun: Falköpings kommun" in html
    assert "OCR-text" in html


def test_not_answerable_shows_notice_and_nearest_passages_unmarked():
    nearest = SearchResult(
        chunk_id="x:1", doc_id="x", title="Verksamhetsplan 2023", municipality="Falu kommun",
        doc_type="verksamhetsplan", year=2023, section="Mål", text="Rådet träffas <varje> år.",
        score=0.2, location=Location(start_line=7, end_line=7, page=2),
    )  # fmt: skip
    html = render_sources(
        answer(answer="Det framgår inte av dokumenten.", answerable=False, nearest=[nearest])
    )
    assert 'class="not-answerable"' in html
    assert "Det framgår inte av dokumenten" in html
    assert "Närliggande avsnitt" in html and 'class="nearest-card"' in html
    assert "citation-card" not in html and "<mark>" not in html
    assert "Rådet träffas &lt;varje&gt; år." in html
    assert "rad 7 · sid. 2" in html


def test_answer_without_year_says_so():
    assert "utan årtal" in render_sources(answer(citation(year=None)))


def test_llm_answer_says_it_was_written_and_checked_and_lists_what_was_removed():
    removed = [{"sentence": "Budgeten är <9> miljoner [1].", "reason": "talet 9 saknas i [1]"}]
    html = render_sources(answer(citation(), mode="llm", removed=removed))
    assert "Formulerat av språkmodellen" in html and "mode-llm" in html
    assert "Borttaget vid kontroll (1)" in html
    assert "Budgeten är &lt;9&gt; miljoner [1]." in html and "talet 9 saknas i [1]" in html
    assert html.index("mode-note") < html.index("citation-card")


def test_fallback_says_the_quotes_stand_in_for_the_llm_and_why():
    html = render_sources(answer(citation(), fallback_reason="språkmodellen svarade inte i tid"))
    assert "mode-fallback" in html and "språkmodellen svarade inte i tid" in html
    assert "Citat ur dokumenten" in html and "Borttaget" not in html


def test_plain_extractive_answer_has_no_mode_note():
    assert "mode-note" not in render_sources(answer(citation()))


def test_citations_of_one_passage_share_one_card_with_every_quote_marked():
    first = citation(quote="delta i internationellt samarbete")
    second = citation(n=2, quote="för utvecklingen")
    html = render_sources(answer(first, second), turn=4)
    assert html.count('class="citation-card"') == 1
    assert 'id="kalla-4-1"' in html and 'id="kalla-4-2"' in html
    assert "<mark>delta i internationellt samarbete</mark>" in html
    assert "<mark>för utvecklingen</mark>" in html


def test_a_quote_from_a_replaced_document_is_badged_with_its_replacement():
    new = Replacement(doc_id="ny", title="Policy 2024", year=2024)
    html = render_sources(answer(citation(status="ersatt", superseded_by=new)))
    assert "Ersatt av «Policy 2024» 2024" in html and "badge-superseded" in html
    assert "Arkiverad" in render_sources(answer(citation(status="arkiverad")))
    assert "badge-superseded" not in render_sources(answer(citation()))
