"""The chat handler without a browser: turns, filters, empty questions, friendly errors."""

from __future__ import annotations

import itertools
from dataclasses import replace

from service.models import MAX_QUESTION_CHARS, Filters
from tests.ui.fakes import LLM_DRAFT, LLM_REMOVED, FakeKnowledgeBase
from ui.cards import render_drafting
from ui.chat import (
    DRAFT_LABEL,
    ERROR_MESSAGE,
    build_ui,
    make_load_filters,
    make_respond,
    make_respond_streaming,
    question_state,
)
from ui.conversation import render_conversation


def test_answer_becomes_a_turn_with_its_own_sources():
    kb = FakeKnowledgeBase()
    turns, html, box = make_respond(kb)("  Vad gör kommunen? ", [], "Alla", "Alla", "Alla")
    assert [t.question for t in turns] == ["Vad gör kommunen?"]
    assert turns[0].answer.answer == "Falu kommun ska delta i internationellt samarbete [1]."
    assert "citation-card" in html and 'id="kalla-1-1"' in html and box == ""
    assert kb.history == [("Vad gör kommunen?", Filters())]


def test_earlier_answers_keep_their_sources():
    kb = FakeKnowledgeBase()
    turns, _, _ = make_respond(kb)("Vad gör kommunen?", [], None, None, None)
    turns, html, _ = make_respond(kb)("Hur många bor på månen?", turns, None, None, None)
    assert len(turns) == 2 and 'id="kalla-1-1"' in html and "not-answerable" in html


def test_a_question_is_asked_with_the_earlier_questions_of_the_chat():
    kb = FakeKnowledgeBase()
    turns, _, _ = make_respond(kb)("Vad var budgeten 2023?", [], None, None, None)
    make_respond(kb)("Och 2020?", turns, None, None, None)
    assert kb.conversations == [[], ["Vad var budgeten 2023?"]]


def test_a_rewritten_question_is_shown_as_read_and_escaped():
    kb = FakeKnowledgeBase()
    turns, _, _ = make_respond(kb)("Vad gör kommunen?", [], None, None, None)
    read = "Vad var <b>budgeten</b> 2020?"
    answer = turns[0].answer.model_copy(update={"interpreted_question": read})
    html = render_conversation([replace(turns[0], answer=answer)], kb.home_municipality)
    assert "Tolkad fråga:" in html and "Vad var &lt;b&gt;budgeten&lt;/b&gt; 2020?" in html


def test_dropdowns_become_filters():
    kb = FakeKnowledgeBase()
    make_respond(kb)("Vad?", [], "Falu kommun", "strategi", "2020")
    assert kb.history[-1][1] == Filters(municipality="Falu kommun", doc_type="strategi", year=2020)


def test_blank_question_changes_nothing():
    kb = FakeKnowledgeBase()
    turns, _, _ = make_respond(kb)("Vad gör kommunen?", [], None, None, None)
    again, html, _ = make_respond(kb)("   ", turns, None, None, None)
    assert again == turns and len(kb.history) == 1
    assert "citation-card" in html and "Skriv en fråga" not in html


def test_an_over_long_question_is_not_echoed():
    kb = FakeKnowledgeBase()
    long = "x" * (MAX_QUESTION_CHARS + 1)
    turns, html, _ = make_respond(kb)(long, [], None, None, None)
    assert turns == [] and kb.history == [] and "för lång" in html and long not in html


def test_the_ask_button_needs_a_question_and_the_counter_counts():
    assert question_state("")[0]["interactive"] is False
    assert question_state("  ")[0]["interactive"] is False
    button, counter = question_state("Vad?")
    assert button["interactive"] is True and counter == f"4 / {MAX_QUESTION_CHARS} tecken"


def test_kb_failure_shows_a_friendly_message_not_a_traceback():
    turns, html, _ = make_respond(FakeKnowledgeBase(fail=True))("Vad?", [], None, None, None)
    assert turns[-1].error == ERROR_MESSAGE
    assert "ui-error" in html and "Traceback" not in html and "index is gone" not in html


def test_filter_dropdowns_offer_alla_first():
    updates = make_load_filters(FakeKnowledgeBase())()
    assert [u["choices"][0] for u in updates] == ["Alla"] * 3
    assert updates[2]["choices"] == ["Alla", "2020"]


def test_build_ui_does_not_call_the_kb():
    kb = FakeKnowledgeBase(fail=True)
    build_ui(kb, ["Exempel?"])
    assert kb.history == []


def test_an_llm_answer_streams_as_a_marked_draft_then_the_verified_answer():
    states = list(make_respond_streaming(FakeKnowledgeBase())(
        "Svara fritt: vad gör kommunen?", [], None, None, None
    ))  # fmt: skip
    drafts, (turns, html, _) = states[:-1], states[-1]
    assert len(drafts) == len(LLM_DRAFT.split(" "))
    shown = [d[0][-1].draft for d in drafts]
    assert all(DRAFT_LABEL in d[1] and render_drafting() in d[1] for d in drafts)
    assert all(a in b for a, b in itertools.pairwise(shown))  # each draft grows the one before
    assert LLM_REMOVED in shown[-1]
    # the final turn is the verified answer: no draft label, the removed sentence only in the note
    assert turns[-1].answer.answer == "Falu kommun ska delta i internationellt samarbete [1]."
    assert DRAFT_LABEL not in html and "mode-llm" in html and "Borttaget vid kontroll (1)" in html
    assert "citation-card" in html and turns[-1].answer.answer_id == "svar-1"


def test_an_extractive_answer_comes_in_one_step():
    states = list(make_respond_streaming(FakeKnowledgeBase())(
        "Vad gör kommunen?", [], None, None, None
    ))  # fmt: skip
    assert len(states) == 1 and "mode-note" not in states[0][1]
