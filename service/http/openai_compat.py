"""The OpenAI Chat Completions API over the knowledge base, for Open WebUI and other clients.

`POST /v1/chat/completions` answers the last user message with `kb.ask` (audit-logged, rate
limited like `/api/ask`); the message's content is the answer with its [n] markers and a
"Källor" list, so a plain client shows the sources. The structured `Citation` objects ride
in the extra top-level fields `citations`, `answerable` and `mode`. `GET /v1/models` lists
`falun-kb` (the quoted, extractive answer) and, when an LLM is configured, `falun-kb-llm`
(its verified answer). Errors come in OpenAI's shape `{"error": {message, type, code}}`.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from service.answer.compose import NOT_ANSWERED_SV
from service.http.openai_models import (
    AnswerFields,
    ChatCompletion,
    ChatCompletionRequest,
    ChatMessage,
    Choice,
    ModelCard,
    ModelList,
    OpenAIError,
    ResponseMessage,
)
from service.http.tokens import bearer_ok
from service.kb import KnowledgeBaseService
from service.models import MAX_QUESTION_CHARS, Answer, Citation, SearchResult, line_range
from service.settings import Settings

PREFIX = "/v1"
MODEL = "falun-kb"
LLM_MODEL = "falun-kb-llm"
SOURCES_HEADING = "Källor:"
NEAREST_HEADING = "Närliggande avsnitt:"
DOCUMENT_PATH = "/dokument"  # the document viewer's page (ui/), with line anchors


# --- dependencies ---------------------------------------------------------------------


def require_token(request: Request) -> None:
    """With FALUN_KB_API_TOKEN set, a matching bearer token; without it, open."""
    settings: Settings = request.app.state.settings
    if not bearer_ok(settings.http.api_token, request.headers.get("authorization", "")):
        raise OpenAIError(
            401,
            "Fel eller saknad API-nyckel (FALUN_KB_API_TOKEN) / invalid or missing API key",
            code="invalid_api_key",
        )


def get_kb(request: Request) -> KnowledgeBaseService:
    return request.app.state.kb


Token = Annotated[None, Depends(require_token)]
KB = Annotated[KnowledgeBaseService, Depends(get_kb)]

router = APIRouter(prefix=PREFIX, tags=["OpenAI-kompatibelt"])
_STARTED = int(time.time())


def models_for(settings: Settings) -> list[str]:
    return [MODEL, LLM_MODEL] if settings.llm_url else [MODEL]


@router.get("/models", response_model=ModelList)
def list_models(_: Token, request: Request) -> ModelList:
    """`falun-kb`, and `falun-kb-llm` when an LLM is configured."""
    names = models_for(request.app.state.settings)
    return ModelList(data=[ModelCard(id=name, created=_STARTED) for name in names])


@router.post("/chat/completions", response_model=ChatCompletion)
def chat_completions(
    body: ChatCompletionRequest, _: Token, kb: KB, request: Request
) -> ChatCompletion | StreamingResponse:
    """The last user message answered from the documents, quoting them with [n] markers,
    a "Källor" list in the text and the structured citations beside it."""
    known = models_for(request.app.state.settings)
    if body.model not in known:
        raise OpenAIError(
            404,
            f"Okänd modell / the model {body.model!r} does not exist; "
            f"available: {', '.join(known)}",
            code="model_not_found",
        )
    question, history = split_conversation(body.messages)
    client = request.client.host if request.client else None
    extractive = body.model == MODEL
    base = str(request.base_url).rstrip("/")
    completion_id = f"chatcmpl-{uuid.uuid4().hex}"
    created = int(time.time())
    if body.stream:
        items = kb.ask_stream(question, client=client, extractive=extractive, history=history)
        first = next(items)  # retrieval runs here, so a store outage is still a 503
        chunks = stream_chunks(
            _prepend(first, items), completion_id, created, body.model, history, base
        )
        return StreamingResponse(
            chunks,
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    answer = kb.ask(question, client=client, extractive=extractive, history=history)
    return ChatCompletion(
        id=completion_id,
        created=created,
        model=body.model,
        choices=[Choice(message=ResponseMessage(content=message_text(answer, base)))],
        **dict(AnswerFields.of(answer, history)),
    )


def split_conversation(messages: list[ChatMessage]) -> tuple[str, list[str]]:
    """The last user message (the question) and the user messages before it (the history);
    400 when there is no user message, or it is empty or too long."""
    users = [m.text() for m in messages if m.role == "user"]
    if not users or not users[-1].strip():
        raise OpenAIError(
            400,
            "Det sista användarmeddelandet saknas eller är tomt / "
            "the last user message is missing or empty",
            code="invalid_value",
        )
    question = users[-1]
    if len(question) > MAX_QUESTION_CHARS:
        raise OpenAIError(
            400,
            f"Frågan är för lång ({len(question)} tecken, högst {MAX_QUESTION_CHARS}) / "
            f"the question is too long (at most {MAX_QUESTION_CHARS} characters)",
            code="invalid_value",
        )
    return question.strip(), [u for u in users[:-1] if u.strip()]


# --- the answer as chat text ----------------------------------------------------------


def document_link(base: str, doc_id: str, start_line: int) -> str:
    return f"{base}{DOCUMENT_PATH}/{quote(doc_id, safe='')}#L{start_line}"


def source_line(c: Citation | SearchResult, base: str, label: str) -> str:
    """`[n] «title», section, rad a–b: <link>`."""
    loc = c.location
    parts = [f"{label} «{c.title}»"]
    if c.status_note:  # a replaced or archived document says so
        parts.append(c.status_note)
    if c.section:
        parts.append(c.section)
    parts.append(f"{line_range(loc.start_line, loc.end_line)}: ")
    return ", ".join(parts) + f"<{document_link(base, c.doc_id, loc.start_line)}>"


def message_text(answer: Answer, base: str) -> str:
    """The answer with its [n] markers, then one line per source (Källor); a refusal with
    the nearest passages instead."""
    text = answer.answer.strip() or NOT_ANSWERED_SV
    if answer.citations:
        lines = [source_line(c, base, f"[{c.n}]") for c in answer.citations]
        return f"{text}\n\n{SOURCES_HEADING}\n\n" + "\n\n".join(lines)
    if answer.nearest:
        lines = [source_line(r, base, "–") for r in answer.nearest]
        return f"{text}\n\n{NEAREST_HEADING}\n\n" + "\n\n".join(lines)
    return text


# --- streaming ------------------------------------------------------------------------


def _prepend(first: str | Answer, rest: Iterator[str | Answer]) -> Iterator[str | Answer]:
    yield first
    yield from rest


def text_pieces(text: str) -> list[str]:
    """The final text as a few content deltas: one per paragraph, separators kept."""
    parts = text.split("\n\n")
    return [p + "\n\n" for p in parts[:-1]] + [parts[-1]]


def stream_chunks(
    items: Iterator[str | Answer],
    completion_id: str,
    created: int,
    model: str,
    history: list[str],
    base: str,
) -> Iterator[str]:
    """SSE `chat.completion.chunk` events, then `data: [DONE]`.

    The content is the verified answer alone, as the non-streaming message has it. An LLM's
    draft is not verified yet, so its deltas go out as `reasoning_content` (Open WebUI shows
    that as a collapsible thinking block; other clients ignore it); the last chunk carries
    `finish_reason: "stop"` and the citations, `answerable` and `mode`."""

    def event(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        chunk = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
            **extra,
        }
        return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"

    yield event({"role": "assistant", "content": ""})
    answer: Answer | None = None
    for item in items:
        if isinstance(item, str):
            if item:
                yield event({"reasoning_content": item})
        else:
            answer = item
    if answer is None:  # the service always ends with its Answer
        raise RuntimeError("ask_stream ended without an Answer")
    for piece in text_pieces(message_text(answer, base)):
        yield event({"content": piece})
    yield event({}, "stop", **AnswerFields.of(answer, history).model_dump(mode="json"))
    yield "data: [DONE]\n\n"
