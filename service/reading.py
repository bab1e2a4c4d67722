"""How the service reads a question before answering it: typos corrected to the documents'
spellings, a follow-up rewritten from the conversation when it does not stand alone, and
the passages retrieved for the question as read."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from index.hybrid import ScoredChunk
from index.protocols import Retriever
from ingest.schema import Document
from service.answer.evidence import question_terms
from service.answer.extractive import ExtractiveAnswerer
from service.answer.followup import standalone
from service.answer.query import QueryPlan, asks_several, detect_language, plan_query
from service.answer.selection import heading_named
from service.answer.spelling import QuestionSpelling
from service.lexicon import Lexicon
from service.models import MAX_HISTORY_TURNS

Retrieve = Callable[[QueryPlan, dict[str, Any]], list[ScoredChunk]]


class QuestionReader:
    def __init__(
        self,
        municipalities: list[str],
        lexicon: Lexicon,
        spelling: QuestionSpelling | None,
        retrieve: Retrieve,
        answerer: ExtractiveAnswerer,
    ) -> None:
        self.municipalities = municipalities
        self.lexicon = lexicon
        self.spelling = spelling  # None: questions are taken as typed
        self.retrieve = retrieve
        self.answerer = answerer

    def plan(self, question: str) -> QueryPlan:
        return plan_query(question, self.municipalities, self.lexicon)

    def spelled(self, question: str) -> str:
        """The question with its typos corrected to the documents' spellings (Swedish only:
        an English word is no typo of a Swedish one)."""
        if self.spelling is None or detect_language(question) != "sv":
            return question
        return self.spelling.correct(question)

    def read(
        self,
        question: str,
        history: Sequence[str],
        where: dict[str, Any],
        *,
        judged: bool = True,
    ) -> tuple[QueryPlan, list[ScoredChunk], str | None]:
        """The question as answered, its passages, and how it was read when that differs
        from what was typed (a corrected typo, a rewritten follow-up), else None.

        A rewritten follow-up is used unless the question as asked is answered on its own
        and at least as confidently (the answering model judges both); `judged=False`
        always takes the rewrite (fitting that model, before there is one). The question as
        asked keeps the conversation's municipality when it names none, and says so: after a
        question on one municipality's policy, "Och vad är målet i den policyn?" is read as
        "… (X kommun)?", not answered from another municipality's."""
        spelled = self.spelled(question)
        as_typed = spelled if spelled != question else None
        plan = self.plan(spelled)
        earlier = [self.spelled(h) for h in history[-MAX_HISTORY_TURNS:]]
        rewritten = standalone(spelled, earlier)
        if rewritten is None:
            return plan, self.retrieve(plan, where), as_typed
        other = self.plan(rewritten)
        if plan.municipality is None and not plan.compared and other.municipality is not None:
            plan = replace(plan, municipality=other.municipality)
            # shown as read, and read the same way again when it is searched
            as_typed = f"{spelled.rstrip(' ?')} ({other.municipality})?"
        other_hits = self.retrieve(other, where)
        if not judged:
            return other, other_hits, rewritten
        hits = self.retrieve(plan, where)
        as_asked = self.answerer.judge(plan, hits)
        as_rewritten = self.answerer.judge(other, other_hits)
        if as_asked.answerable and (
            as_asked.answerable_probability >= as_rewritten.answerable_probability
        ):
            return plan, hits, as_typed
        return other, other_hits, rewritten


def search_arguments(plan: QueryPlan) -> dict[str, str]:
    """How a read question is put to the retriever: what it asks on the dense side, with an
    English question's Swedish gloss beside it; its corrected words and expansions on BM25."""
    return {
        "query": plan.dense_text or plan.text,
        "lexical_extra": plan.lexical_extra,
        "lexical_query": plan.lexical_text,
        "dense_also": plan.gloss,
    }


def with_named_municipality(plan: QueryPlan, where: dict[str, Any]) -> dict[str, Any]:
    """The filters, with the municipality the question names (unless one is set)."""
    if plan.municipality and "municipality" not in where:
        return {**where, "municipality": plan.municipality}
    return where


def passages_for(
    retriever: Retriever,
    plan: QueryPlan,
    where: dict[str, Any],
    passages: int,
    documents: dict[str, Document],
    known_years: set[Any],
) -> list[ScoredChunk]:
    """Passages for answering: the named municipality's (with, apart, the best of the other
    municipalities', for the answering model to see that a claim is theirs; they are never
    quoted for the named one), each compared municipality's and each named year's."""
    where = with_named_municipality(plan, where)

    def retrieve(k: int, filters: dict[str, Any]) -> list[ScoredChunk]:
        return retriever.retrieve(k=k, filters=filters or None, **search_arguments(plan))

    hits = retrieve(passages, where)
    if plan.municipality and where.get("municipality") == plan.municipality:
        unfiltered = {k: v for k, v in where.items() if k != "municipality"}
        hits += [
            h
            for h in retrieve(3, unfiltered)
            if documents[h.chunk.doc_id].meta.municipality != plan.municipality
        ]
    sides = [] if "municipality" in where else [{"municipality": m} for m in plan.compared]
    if "year" not in where:
        sides += [{"year": year} for year in plan.years if year in known_years]
    for side in sides:
        seen = {h.chunk.chunk_id for h in hits}
        hits += [h for h in retrieve(3, {**where, **side}) if h.chunk.chunk_id not in seen]
    return hits + named_section_rest(retrieve, plan, hits, where)


# enough passages, retrieved within one document, to hold all of it (the longest has 41)
WHOLE_DOCUMENT = 200


def named_section_rest(
    retrieve: Callable[[int, dict[str, Any]], list[ScoredChunk]],
    plan: QueryPlan,
    hits: list[ScoredChunk],
    where: dict[str, Any],
) -> list[ScoredChunk]:
    """The passages not retrieved of a section the question names by its heading when it
    asks for several things ("Lista aktörerna under rubriken Nationell nivå"): a list that
    runs over several passages is all there to be quoted. Each is retrieved within its
    document, so it carries its own scores."""
    if not asks_several(plan.text):
        return []
    asked = set(question_terms(plan.text))
    named = {
        (h.chunk.doc_id, h.chunk.section) for h in hits if heading_named(h.chunk.section, asked)
    }
    seen = {h.chunk.chunk_id for h in hits}
    rest: list[ScoredChunk] = []
    for doc_id, section in sorted(named):
        within = retrieve(WHOLE_DOCUMENT, {**where, "doc_id": doc_id})
        rest += [h for h in within if h.chunk.section == section and h.chunk.chunk_id not in seen]
    return rest
