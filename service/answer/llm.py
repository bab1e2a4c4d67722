"""Optional generative answers from an OpenAI-compatible LLM server, every citation verified.

The extractive answer is always computed first: it decides whether the documents answer at
all (a refusal never reaches the LLM), and it is what is shown when the LLM times out, fails,
or writes nothing that survives `service.answer.verify`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from index.hybrid import ScoredChunk
from lang import collapse_whitespace, fold, split_units, tokenize
from service.answer.extractive import ExtractiveAnswerer, Support, Unit
from service.answer.features import context_text
from service.answer.labels import Sentence
from service.answer.llm_client import LlmAnswerer, Passage
from service.answer.query import QueryPlan
from service.answer.verify import Verified, names, numbers, verify
from service.models import Answer, Citation, RemovedSentence, Source

MAX_PASSAGES = 5


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
                source=Source.of(meta),
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
    return Unit(passage.hit, passage.rank, start, end, score((a, b)))


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
    backgrounds = [" ".join([p.source.title, p.source.municipality, p.section]) for p in passages]
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
        judged = self.extractive.judge(plan, hits)
        answer = self.extractive.answer_from(plan, hits, judged)
        return passages_of(judged.supports, self.extractive), answer

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
