"""The chat handler without a browser: filters, empty questions, friendly errors."""

from __future__ import annotations

from service.models import Filters
from tests.ui.fakes import FakeKnowledgeBase
from ui.chat import ERROR_MESSAGE, build_ui, make_load_filters, make_respond


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
