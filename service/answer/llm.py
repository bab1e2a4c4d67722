"""Optional generative answers from an OpenAI-compatible LLM server, every citation verified.

The extractive answer is always computed first: it decides whether the documents answer at
all (a refusal never reaches the LLM), and it is what is shown when the LLM times out, fails,
or writes nothing that survives `service.answer.verify`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol
from urllib.parse import urlparse

from index.hybrid import ScoredChunk
from lang import collapse_whitespace, fold, split_units, tokenize
from service.answer.extractive import AnswerConfig, ExtractiveAnswerer, Support, Unit, context_text
from service.answer.query import QueryPlan
from service.answer.verify import Sentence, Verified, names, numbers, verify
from service.config import DEFAULT_LLM
from service.models import Answer, Citation, RemovedSentence

MAX_PASSAGES = 5
MAX_TOKENS = 300


class CompletionLLM(Protocol):
    """What LlmAnswerer needs of an LLM: llama-index's complete/stream_complete."""

    def complete(self, prompt: str, **kwargs: Any) -> Any: ...  # has .text

    def stream_complete(self, prompt: str, **kwargs: Any) -> Any: ...  # yields .delta


@dataclass(frozen=True)
class Completion:
    text: str
    delta: str | None = None


class LlmTimeout(TimeoutError):
    """The LLM did not finish within the configured time."""


@dataclass(frozen=True)
class Passage:
    """A retrieved passage as shown to the LLM under label [n]."""

    n: int
    hit: ScoredChunk
    rank: int
    title: str
    municipality: str
    year: int | None
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
        where = p.municipality if p.year is None else f"{p.municipality}, {p.year}"
        note = "" if p.municipality == home else f" – OBS: {p.municipality}, inte {home}"
        section = f" › {p.section}" if p.section else ""
        blocks.append(f"[{p.n}] «{p.title}» ({where}){note}{section}\n{p.text}")
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


@dataclass(frozen=True)
class LlmOutcome:
    """An answer of LLM mode and how it came about, for evaluation: the model's raw text,
    whether it was called, how long it took. Mode, fallback reason and what verification
    removed are the answer's own fields."""

    answer: Answer
    raw: str = ""  # the LLM's text before verification (for the audit log / evaluation)
    llm_called: bool = False
    seconds: float = 0.0

    @property
    def mode(self) -> Literal["extractive", "llm"]:
        return self.answer.mode

    @property
    def fallback_reason(self) -> str | None:
        return self.answer.fallback_reason

    @property
    def removed(self) -> list[RemovedSentence]:
        return self.answer.removed


def passages_of(supports: Sequence[Support], answerer: ExtractiveAnswerer) -> list[Passage]:
    """The supported passages of already judged supports, labelled [1].. for the prompt."""
    supported = [s for s in supports if s.supported][:MAX_PASSAGES]
    out = []
    for n, s in enumerate(supported, start=1):
        chunk = s.hit.chunk
        meta = answerer.documents[chunk.doc_id].meta
        context = context_text(chunk, answerer.documents[chunk.doc_id])
        text = collapse_whitespace(chunk.text)
        out.append(
            Passage(
                n=n,
                hit=s.hit,
                rank=s.rank,
                title=meta.title,
                municipality=meta.municipality,
                year=meta.year,
                section=chunk.section_path,
                text=text,
                context=context,
            )
        )
    return out


def best_unit(sentence: Sentence, passage: Passage, answerer: ExtractiveAnswerer) -> Unit:
    """The passage's quotable sentence that best matches a generated sentence."""
    chunk = passage.hit.chunk
    words = set(tokenize(sentence.text))
    nums, found = numbers(sentence.text), {fold(n) for n in names(sentence.text)}

    def score(span: tuple[int, int]) -> float:
        quote = chunk.text[span[0] : span[1]]
        shared = len(words & set(tokenize(quote)))
        folded = fold(quote)
        return shared + 2 * len(nums & numbers(quote)) + sum(n in folded for n in found)

    a, b = max(split_units(chunk.text) or [(0, len(chunk.text))], key=score)
    start, end = chunk.start + a, chunk.start + b
    return Unit(passage.hit, passage.rank, start, end, score((a, b)), frozenset())


def cite_verified(
    verified: Verified, passages: Sequence[Passage], answerer: ExtractiveAnswerer, language: str
) -> tuple[str, list[Citation]]:
    """The kept sentences with labels renumbered [1].. over exact document quotes."""
    citations: list[Citation] = []
    numbering: dict[tuple[str, int, int], int] = {}
    sentences = []
    for sentence in verified.kept_sentences:
        marks = []
        for label in sentence.labels:
            unit = best_unit(sentence, passages[label - 1], answerer)
            key = (unit.hit.chunk.doc_id, unit.start, unit.end)
            if key not in numbering:
                numbering[key] = len(citations) + 1
                citations.append(answerer.cite(numbering[key], unit))
            marks.append(f"[{numbering[key]}]")
        text = sentence.text
        if marks:
            end = text[-1] if text[-1] in ".!?" else ""
            text = f"{text.removesuffix(end)} {''.join(dict.fromkeys(marks))}{end}"
        sentences.append(text)
    home = answerer.config.home_municipality
    for c in citations:
        place = c.municipality.split()[0].rstrip("s")  # "Falköpings kommun" → "Falköping"
        if c.municipality != home and fold(place) not in fold(" ".join(sentences)):
            sentences.append(
                f"([{c.n}] is a document of {c.municipality}, not {home}.)"
                if language == "en"
                else f"([{c.n}] är ett dokument från {c.municipality}, inte {home}.)"
            )
    return " ".join(sentences), citations


def fallback(
    extractive: Answer,
    reason: str,
    removed: Sequence[RemovedSentence] = (),
    **how: Any,
) -> LlmOutcome:
    """The extractive answer, saying why the LLM's is not shown."""
    answer = extractive.model_copy(
        update={"mode": "extractive", "fallback_reason": reason, "removed": list(removed)}
    )
    return LlmOutcome(answer, **how)


def finish(
    raw: str,
    plan: QueryPlan,
    passages: Sequence[Passage],
    extractive: Answer,
    answerer: ExtractiveAnswerer,
    started: float,
) -> LlmOutcome:
    """Verify the LLM's text and turn it into a cited answer, or fall back."""
    contexts = [p.context for p in passages]
    backgrounds = [" ".join([p.title, p.municipality, p.section]) for p in passages]
    verified = verify(
        raw,
        contexts,
        check_terms=plan.language != "en",
        question=plan.text,
        backgrounds=backgrounds,
    )
    seconds = time.monotonic() - started
    if not verified.cited:
        reason = "språkmodellens svar kunde inte verifieras mot källorna"
        return fallback(
            extractive, reason, verified.removed, raw=raw, llm_called=True, seconds=seconds
        )
    text, citations = cite_verified(verified, passages, answerer, plan.language)
    answer = extractive.model_copy(
        update={
            "answer": text,
            "citations": citations,
            "mode": "llm",
            "fallback_reason": None,
            "removed": list(verified.removed),
        }
    )
    return LlmOutcome(answer, raw, llm_called=True, seconds=seconds)


def _failure(err: Exception) -> str:
    if isinstance(err, TimeoutError) or "timeout" in type(err).__name__.lower():
        return "språkmodellen svarade inte i tid"
    return f"språkmodellen gav ett fel ({type(err).__name__})"


NOT_ASKED = "underlaget räcker inte för ett svar; språkmodellen tillfrågades inte"


def generate(
    plan: QueryPlan,
    passages: list[Passage],
    extractive: Answer,
    answerer: ExtractiveAnswerer,
    llm: LlmAnswerer,
) -> LlmOutcome:
    """Ask the LLM over the supporting passages, unless the extractive answer refuses."""
    started = time.monotonic()
    if not extractive.answerable or not passages:
        return fallback(extractive, NOT_ASKED)
    try:
        raw = llm.generate(plan.text, passages, plan.language)
    except Exception as err:  # any failure of the external server means: show the quotes
        return fallback(
            extractive, _failure(err), llm_called=True, seconds=time.monotonic() - started
        )
    return finish(raw, plan, passages, extractive, answerer, started)


def stream_generate(
    plan: QueryPlan,
    passages: list[Passage],
    extractive: Answer,
    answerer: ExtractiveAnswerer,
    llm: LlmAnswerer,
) -> Iterator[str | LlmOutcome]:
    """As `generate`, yielding the LLM's token deltas before the verified outcome."""
    started = time.monotonic()
    if not extractive.answerable or not passages:
        yield fallback(extractive, NOT_ASKED)
        return
    parts: list[str] = []
    try:
        for delta in llm.stream(plan.text, passages, plan.language):
            parts.append(delta)
            yield delta
    except Exception as err:  # as in generate
        seconds = time.monotonic() - started
        raw = "".join(parts)
        yield fallback(extractive, _failure(err), raw=raw, llm_called=True, seconds=seconds)
        return
    yield finish("".join(parts), plan, passages, extractive, answerer, started)


class LlmWithFallback:
    """The `Answerer` of LLM mode: the extractive answerer judges the evidence once, decides
    refusals, and its answer is shown whenever the LLM's cannot be verified."""

    def __init__(self, extractive: ExtractiveAnswerer, llm: LlmAnswerer) -> None:
        self.extractive = extractive
        self.llm = llm

    def judged(self, plan: QueryPlan, hits: list[ScoredChunk]) -> tuple[list[Passage], Answer]:
        """The passages the LLM may cite, and the extractive answer: one judgement of both."""
        supports = self.extractive.support(plan, hits)
        answer = self.extractive.answer_from(plan, hits, supports)
        return passages_of(supports, self.extractive), answer

    def outcome(self, plan: QueryPlan, hits: list[ScoredChunk]) -> LlmOutcome:
        """The LLM's verified answer, or the extractive one with the reason it is shown."""
        passages, extractive = self.judged(plan, hits)
        return generate(plan, passages, extractive, self.extractive, self.llm)

    def stream_outcome(
        self, plan: QueryPlan, hits: list[ScoredChunk]
    ) -> Iterator[str | LlmOutcome]:
        """Token deltas as they come (an unverified draft), then the verified LlmOutcome last."""
        passages, extractive = self.judged(plan, hits)
        return stream_generate(plan, passages, extractive, self.extractive, self.llm)

    def answer(self, plan: QueryPlan, hits: list[ScoredChunk]) -> Answer:
        return self.outcome(plan, hits).answer

    def stream(self, plan: QueryPlan, hits: list[ScoredChunk]) -> Iterator[str | Answer]:
        for item in self.stream_outcome(plan, hits):
            yield item if isinstance(item, str) else item.answer
