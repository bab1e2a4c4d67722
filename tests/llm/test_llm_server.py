"""LLM mode end to end against a real local OpenAI-compatible server (llama-cpp-python)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from service.answer.llm import LlmWithFallback
from service.answer.llm_client import LlmAnswerer
from service.answer.query import plan_query
from tests.conftest import DEV_QUESTIONS

pytestmark = [pytest.mark.llm, pytest.mark.slow, pytest.mark.server]

# Two answerable dev questions (a name, a place) and one the documents do not answer.
QUESTIONS = ["d01", "d03", "d16"]


class Recording:
    """Passes calls on to the real LLM and records every prompt it was sent."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.prompts: list[str] = []

    def complete(self, prompt: str, **kwargs: Any) -> Any:
        self.prompts.append(prompt)
        return self.inner.complete(prompt, **kwargs)

    def stream_complete(self, prompt: str, **kwargs: Any) -> Any:
        self.prompts.append(prompt)
        return self.inner.stream_complete(prompt, **kwargs)


def dev_questions() -> dict[str, dict[str, Any]]:
    with DEV_QUESTIONS.open(encoding="utf-8") as lines:
        items = [json.loads(line) for line in lines if line.strip()]
    return {item["id"]: item for item in items}


@pytest.fixture(scope="module")
def recording(llm_server) -> tuple[Recording, LlmAnswerer]:
    real = LlmAnswerer.connect(llm_server.url, llm_server.model, timeout=llm_server.timeout)
    rec = Recording(real.llm)
    return rec, LlmAnswerer(rec, timeout=llm_server.timeout)


def test_dev_questions_in_llm_mode(recording, real_kb) -> None:
    rec, llm = recording
    items = dev_questions()
    modes = []
    for qid in QUESTIONS:
        item = items[qid]
        plan = plan_query(
            item["question"], real_kb.filter_options()["municipality"], real_kb.lexicon
        )
        hits = real_kb.retrieve_for(plan, {})
        sent = len(rec.prompts)
        out = LlmWithFallback(real_kb.answerer, llm).outcome(plan, hits)
        if not item["answerable"]:
            assert len(rec.prompts) == sent, "an unanswerable question reached the LLM"
            assert not out.answer.answerable and out.mode == "extractive"
            continue
        assert len(rec.prompts) == sent + 1
        assert out.answer.answerable
        retrieved = {h.chunk.chunk_id for h in hits}
        for c in out.answer.citations:
            assert c.chunk_id in retrieved, c
            assert c.quote in real_kb.document_text(c.doc_id)
            assert c.quote in c.context
        modes.append(out.mode)
        print(f"{qid} {out.mode} {out.seconds:.1f}s {out.answer.answer!r} removed={out.removed}")
    assert "llm" in modes, "no answer survived verification"


def test_streaming_from_the_real_server(recording, real_kb) -> None:
    _, llm = recording
    plan = plan_query(
        "Vilken vänort har Falun i Finland?", ["Falu kommun", "Falköpings kommun"], real_kb.lexicon
    )
    hits = real_kb.retrieve_for(plan, {})
    events = list(LlmWithFallback(real_kb.answerer, llm).stream_outcome(plan, hits))
    *tokens, final = events
    assert len(tokens) > 1 and all(isinstance(t, str) for t in tokens)
    assert final.raw == "".join(tokens)
    assert final.mode in ("llm", "extractive")
    retrieved = {h.chunk.chunk_id for h in hits}
    assert all(c.chunk_id in retrieved for c in final.answer.citations)


def test_the_chat_streams_the_real_llms_draft_then_a_checked_answer(llm_server, real_kb) -> None:
    from service.kb import KnowledgeBaseService
    from ui.chat import DRAFT_LABEL, make_respond_streaming

    llm = LlmAnswerer.connect(llm_server.url, llm_server.model, timeout=llm_server.timeout)
    kb = KnowledgeBaseService(real_kb.index, real_kb.settings, None, llm)
    respond = make_respond_streaming(kb)
    states = list(respond("Vilken vänort har Falun i Finland?", [], None, None, None, {}))
    *drafts, (history, sources, _, _) = states
    assert len(drafts) > 1
    assert all(d[0][-1]["content"].startswith(f"*{DRAFT_LABEL}*") for d in drafts)
    assert DRAFT_LABEL not in history[-1]["content"]
    assert "citation-card" in sources
    # which mode wrote it is said either way: verified LLM text, or quotes after a fallback
    assert ("mode-llm" in sources) != ("mode-fallback" in sources)
