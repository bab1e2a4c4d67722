"""The OpenAI Chat Completions shapes: requests, completions, models and errors (OpenAI's
error body, which its clients turn into typed exceptions)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from service.models import Answer, Citation, SearchResult

OWNER = "falun-kb"


class OpenAIError(Exception):
    """An error answered in OpenAI's shape, which its clients turn into typed exceptions."""

    def __init__(
        self,
        status: int,
        message: str,
        type: str = "invalid_request_error",
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.code = code


def error_body(message: str, type: str, code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": type, "param": None, "code": code}}


def error_response(exc: OpenAIError, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        status_code=exc.status, content=error_body(exc.message, exc.type, exc.code), headers=headers
    )


# --- request --------------------------------------------------------------------------


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    """One message; content is a string or a list of parts (only text parts are read)."""

    model_config = ConfigDict(extra="allow")

    role: str
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "\n".join(p.text for p in self.content if p.type == "text" and p.text)
        return self.content or ""


class ChatCompletionRequest(BaseModel):
    """What OpenAI clients send; sampling and other parameters are accepted and ignored
    (the answer is quoted from the documents, not sampled)."""

    model_config = ConfigDict(extra="allow")

    model: str
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False


# --- response -------------------------------------------------------------------------


class ResponseMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: ResponseMessage
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class AnswerFields(BaseModel):
    """What a chat message cannot carry: the extra top-level fields of a completion (and of
    the last chunk of a stream)."""

    citations: list[Citation]
    answerable: bool
    mode: Literal["extractive", "llm"]
    history: list[str] = Field(
        description="the earlier user messages of the conversation, against which a follow-up "
        "is read"
    )
    interpreted_question: str | None = Field(
        None, description="Tolkad fråga: the follow-up rewritten to stand alone, when it was"
    )
    answer_id: str | None = Field(None, description="for feedback (POST /api/feedback)")
    nearest: list[SearchResult] = Field(
        default_factory=list, description="Närliggande avsnitt: when not answerable"
    )

    @classmethod
    def of(cls, answer: Answer, history: list[str]) -> AnswerFields:
        return cls(
            citations=answer.citations,
            answerable=answer.answerable,
            mode=answer.mode,
            history=history,
            interpreted_question=answer.interpreted_question,
            answer_id=answer.answer_id,
            nearest=answer.nearest,
        )


class ChatCompletion(AnswerFields):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = OWNER


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]
