"""The chat handler without a browser: filters, empty questions, friendly errors."""

from __future__ import annotations

import itertools

from service.models import Filters
from tests.ui.fakes import LLM_DRAFT, LLM_REMOVED, FakeKnowledgeBase
from ui.cards import render_drafting
from ui.chat import (
    DRAFT_LABEL,
    ERROR_MESSAGE,
    build_ui,
    make_load_filters,
    make_respond,
    make_respond_streaming,
)


def test_answer_goes_to_chat_and_sources_to_panel():
    kb = FakeKnowledgeBase()
    history, sources, box = make_respond(kb)("  Vad gör kommunen? ", [], "Alla", "Alla", "Alla")
    assert history == [
        {"role": "user", "content": "Vad gör kommunen?"},
        {"role": "assistant", "content": "Falu kommun ska delta i internationellt samarbete [1]."},
    ]
    assert "citation-card" in sources and box == ""
    assert kb.history == [("Vad gör kommunen?", Filters())]


def test_dropdowns_become_filters():
    kb = FakeKnowledgeBase()
    make_respond(kb)("Vad?", [], "Falu kommun", "strategi", "2020")
    assert kb.history[-1][1] == Filters(municipality="Falu kommun", doc_type="strategi", year=2020)


def test_blank_question_does_not_reach_the_kb():
    kb = FakeKnowledgeBase()
    history, sources, _ = make_respond(kb)("   ", [], None, None, None)
    assert history == [] and kb.history == [] and "Skriv en fråga" in sources


def test_kb_failure_shows_a_friendly_message_not_a_traceback():
    history, sources, _ = make_respond(FakeKnowledgeBase(fail=True))("Vad?", [], None, None, None)
    assert history[-1]["content"] == ERROR_MESSAGE
    assert "ui-error" in sources and "Traceback" not in sources and "index is gone" not in sources


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
        "Svara fritt: vad gör kommunen?", [], None, None, None, {}
    ))  # fmt: skip
    drafts, (history, sources, _, ids) = states[:-1], states[-1]
    assert len(drafts) == len(LLM_DRAFT.split(" "))
    shown = [d[0][-1]["content"] for d in drafts]
    assert all(s.startswith(f"*{DRAFT_LABEL}*") for s in shown)
    assert all(a in b for a, b in itertools.pairwise(shown))  # each draft grows the one before
    assert LLM_REMOVED in shown[-1] and all(d[1] == render_drafting() for d in drafts)
    # the final message is the verified answer: no draft label, no removed sentence
    assert history[-1]["content"] == "Falu kommun ska delta i internationellt samarbete [1]."
    assert "mode-llm" in sources and "Borttaget vid kontroll (1)" in sources
    assert LLM_REMOVED in sources and "citation-card" in sources
    assert ids == {"1": "svar-1"}


def test_an_extractive_answer_comes_in_one_step():
    states = list(make_respond_streaming(FakeKnowledgeBase())(
        "Vad gör kommunen?", [], None, None, None, {}
    ))  # fmt: skip
    assert len(states) == 1 and "mode-note" not in states[0][1]
