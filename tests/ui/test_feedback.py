"""Thumbs up/down in the chat reach the knowledge base with the right answer id."""

from types import SimpleNamespace

from tests.ui.fakes import FakeKnowledgeBase
from ui.chat import make_feedback, make_respond_with_id


def test_a_thumb_on_an_answer_is_recorded_for_that_answer():
    kb = FakeKnowledgeBase()
    respond = make_respond_with_id(kb)
    history, _, _, ids = respond("Vad ska Falu kommun göra?", [], None, None, None, {})
    history, _, _, ids = respond("Och sedan?", history, None, None, None, ids)
    assert ids == {"1": "svar-1", "3": "svar-2"}
    on_like = make_feedback(kb)
    on_like(ids, SimpleNamespace(index=3, liked=False))
    on_like(ids, SimpleNamespace(index=1, liked=True))
    on_like(ids, SimpleNamespace(index=0, liked=True))  # the question itself: nothing to record
    assert kb.feedbacks == [("svar-2", False), ("svar-1", True)]
