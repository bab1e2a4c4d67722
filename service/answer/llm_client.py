"""The LLM behind LLM mode: an OpenAI-compatible server, prompted with labelled passages.

It returns the model's raw text; `service.answer.llm` verifies it against the passages.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlparse

from index.hybrid import ScoredChunk
from service.answer.extractive import AnswerConfig
from service.config import DEFAULT_LLM
from service.models import Source

MAX_TOKENS = 300


class CompletionLLM(Protocol):
    """What LlmAnswerer needs of an LLM: llama-index's complete/stream_complete."""

    def complete(self, prompt: str, **kwargs: Any) -> Any: ...  # has .text

    def stream_complete(self, prompt: str, **kwargs: Any) -> Any: ...  # yields .delta


class LlmTimeout(TimeoutError):
    """The LLM did not finish within the configured time."""


@dataclass(frozen=True)
class Passage:
    """A retrieved passage as shown to the LLM under label [n]."""

    n: int
    hit: ScoredChunk
    rank: int
    source: Source  # the document's catalog fields
    section: str
    text: str
    context: str  # text plus title, place, year, section: what a sentence may rely on


PROMPT_SV = """Du svarar på frågor om kommunens internationella arbete. Använd BARA utdragen nedan.

Regler:
- Svara kort, med en till tre meningar, på {language}.
- Varje mening ska sluta med numret på utdraget den bygger på, till exempel [1].
- Skriv inga namn, årtal, belopp eller siffror som inte står i utdragen.
- Ett utdrag från en annan kommun än {home} ska nämnas som den kommunens dokument.

Utdrag:
{passages}

Fråga: {question}
Svar:"""


def build_prompt(question: str, passages: Sequence[Passage], language: str, home: str) -> str:
    blocks = []
    for p in passages:
        doc = p.source
        where = doc.municipality if doc.year is None else f"{doc.municipality}, {doc.year}"
        note = "" if doc.municipality == home else f" – OBS: {doc.municipality}, inte {home}"
        section = f" › {p.section}" if p.section else ""
        blocks.append(f"[{p.n}] «{doc.title}» ({where}){note}{section}\n{p.text}")
    return PROMPT_SV.format(
        language="engelska (English)" if language == "en" else "svenska",
        home=home,
        passages="\n\n".join(blocks),
        question=question.strip(),
    )


def api_base(url: str) -> str:
    """A server's base URL as the OpenAI client wants it: "http://host:8080" gets "/v1"."""
    url = url.rstrip("/")
    return url if urlparse(url).path not in ("", "/") else f"{url}/v1"


class LlmAnswerer:
    """Prompts an LLM with labelled passages; returns its raw text (verification is apart)."""

    def __init__(
        self,
        llm: CompletionLLM,
        timeout: float = DEFAULT_LLM.timeout,
        home: str = AnswerConfig.home_municipality,
    ):
        self.llm = llm
        self.timeout = timeout
        self.home = home

    @classmethod
    def connect(
        cls,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout: float = DEFAULT_LLM.timeout,
        max_tokens: int = MAX_TOKENS,
        home: str = AnswerConfig.home_municipality,
    ) -> LlmAnswerer:
        # Imported here: llama-index and the openai client take seconds to import, and only
        # a service configured with FALUN_KB_LLM_URL needs them.
        from llama_index.llms.openai_like import OpenAILike

        llm = OpenAILike(
            model=model,
            api_base=api_base(base_url),
            # an explicit placeholder, so OPENAI_API_KEY from the environment is never sent
            api_key=api_key or "not-needed",
            is_chat_model=True,
            is_function_calling_model=False,
            temperature=0.0,
            max_tokens=max_tokens,
            timeout=timeout,
            max_retries=0,  # a retry would double the wait; the caller falls back instead
            context_window=8192,
        )
        return cls(llm, timeout, home)

    def prompt(self, question: str, passages: Sequence[Passage], language: str = "sv") -> str:
        return build_prompt(question, passages, language, self.home)

    def generate(self, question: str, passages: Sequence[Passage], language: str = "sv") -> str:
        return str(self.llm.complete(self.prompt(question, passages, language)).text)

    def stream(
        self, question: str, passages: Sequence[Passage], language: str = "sv"
    ) -> Iterator[str]:
        """Token deltas; raises LlmTimeout when the whole answer takes longer than timeout."""
        deadline = time.monotonic() + self.timeout
        for part in self.llm.stream_complete(self.prompt(question, passages, language)):
            if time.monotonic() > deadline:
                raise LlmTimeout(f"no complete answer within {self.timeout:g} s")
            yield part.delta or ""
