"""The conversation HTML: user text stays text, [n] become chips, each answer its sources."""

from __future__ import annotations

from service.models import Filters
from tests.ui.fakes import FakeKnowledgeBase
from ui.conversation import Turn, answer_html, render_conversation

HOME = FakeKnowledgeBase.home_municipality
PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    "[klicka här](javascript:alert(3)) **fet**",
]


def test_user_text_is_escaped_never_markup():
    html = render_conversation([Turn(p) for p in PAYLOADS], HOME)
    assert "<img" not in html and "<script" not in html and "javascript:alert(3))" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "**fet**" in html  # no markdown either


def test_citation_numbers_become_chips_that_name_their_card_and_quote():
    answer = FakeKnowledgeBase().ask("Vad gör kommunen?")
    html = answer_html(answer, 3)
    assert 'class="cite-chip" data-target="kalla-3-1"' in html
    assert (
        '<span class="chip-preview" role="tooltip">delta i internationellt samarbete</span>' in html
    )
    assert "[1]" not in html


def test_a_number_without_a_citation_stays_text():
    answer = FakeKnowledgeBase().ask("Vad gör kommunen?")
    answer = answer.model_copy(update={"answer": "Se [7]."})
    assert answer_html(answer, 1) == "<p>Se [7].</p>"


def test_every_turn_keeps_its_own_cards():
    kb = FakeKnowledgeBase()
    turns = [Turn("a", answer=kb.ask("a")), Turn("b", answer=kb.ask("b"))]
    html = render_conversation(turns, HOME)
    assert 'id="kalla-1-1"' in html and 'id="kalla-2-1"' in html
    assert html.count('class="turn"') == 2


def test_a_refusal_under_a_filter_names_it_and_offers_to_clear_it():
    kb = FakeKnowledgeBase()
    refusal = kb.ask("Hur många bor på månen?")
    filtered = Turn("x", Filters(municipality="Falköpings kommun", year=2020), answer=refusal)
    html = render_conversation([filtered], HOME)
    assert "avgränsad till kommun Falköpings kommun, år 2020" in html
    assert "Ta bort avgränsningen" in html
    assert "avgränsad" not in render_conversation([Turn("x", answer=refusal)], HOME)
