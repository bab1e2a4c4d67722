"""Thumbs and comments on an answer reach the knowledge base with the right answer id."""

from tests.ui.fakes import FakeKnowledgeBase
from ui.chat import make_respond, make_send_feedback
from ui.conversation import feedback_html


def test_each_answer_carries_its_own_feedback_controls():
    kb = FakeKnowledgeBase()
    respond = make_respond(kb)
    turns, _, _ = respond("Vad ska Falu kommun göra?", [], None, None, None)
    turns, html, _ = respond("Och sedan?", turns, None, None, None)
    assert [t.answer.answer_id for t in turns] == ["svar-1", "svar-2"]
    assert 'data-answer-id="svar-1"' in html and 'data-answer-id="svar-2"' in html


def test_a_thumb_and_a_comment_are_recorded_for_that_answer():
    kb = FakeKnowledgeBase()
    send = make_send_feedback(kb)
    assert send(["svar-2", False, ""]) is True
    assert send(["svar-2", False, "fel källa: det gällde 2023"]) is True
    assert kb.comments == [("svar-2", False, None), ("svar-2", False, "fel källa: det gällde 2023")]


def test_feedback_failure_never_breaks_the_chat():
    kb = FakeKnowledgeBase()
    kb.feedback = lambda *a: (_ for _ in ()).throw(KeyError("unknown"))  # type: ignore[method-assign]
    assert make_send_feedback(kb)(["nope", True, ""]) is False


def test_feedback_controls_are_swedish_and_ask_what_was_missing():
    html = feedback_html("svar-1")
    assert "Hjälpte svaret?" in html and "Vad saknades?" in html and "Fel källa" in html
    assert 'aria-label="Ja, svaret hjälpte"' in html and "Like" not in html
