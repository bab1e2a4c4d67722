"""The default answerer: quotes the sentences that answer, or says the documents do not."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.hybrid import ScoredChunk
from index.units import UnitVectors
from ingest.schema import Chunk, Document, DocumentMeta
from lang import tokenize
from service.answer.compose import compose_answer, refusal
from service.answer.evidence import TermStats, question_entities, question_terms
from service.answer.features import Candidate, Question, candidates, question_features
from service.answer.fitted import MODEL_FILE, AnsweringModel
from service.answer.query import (
    ENGLISH_FUNCTION_WORDS,
    QueryPlan,
    answer_kind,
    short_names,
    term_alternatives,
)
from service.lexicon import Lexicon
from service.models import Answer, Citation, Location, SearchResult


@dataclass(frozen=True)
class AnswerConfig:
    home_municipality: str = "Falu kommun"
    max_sentences: int = 3
    passages: int = 6  # retrieved passages an answer is chosen from
    nearest: int = 3
    model_file: Path = MODEL_FILE  # the fitted answering models (`falun-kb fit`)


@dataclass(frozen=True)
class Unit:
    """A quotable sentence or list item of a retrieved passage, scored by the unit model."""

    hit: ScoredChunk
    rank: int
    start: int  # absolute offsets in the document text
    end: int
    score: float  # the unit model's probability that it answers the question
    new_terms: frozenset[str]


@dataclass(frozen=True)
class Support:
    """A retrieved passage and whether the answer may draw on it."""

    hit: ScoredChunk
    rank: int
    best_unit: float  # the best probability among its units
    supported: bool


@dataclass(frozen=True)
class Judgement:
    """One judgement of a question's evidence: its scored units, best first, and whether the
    question model finds it answered."""

    units: list[Unit]
    answerable_probability: float
    answerable: bool
    supports: list[Support]
    features: tuple[float, ...]


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def overlaps(a: Unit, b: Unit) -> bool:
    return a.hit.chunk.doc_id == b.hit.chunk.doc_id and a.start < b.end and b.start < a.end


def context_text(chunk: Chunk, doc: Document) -> str:
    """Words a passage carries beyond its text: its document's title, place, year, section."""
    meta = doc.meta
    year = str(meta.year) if meta.year else ""
    return " ".join([chunk.text, *chunk.section, meta.title, meta.municipality, year])


class ExtractiveAnswerer:
    """Selects verbatim sentences from retrieved passages; never writes a claim of its own.
    Which sentences, and whether to answer at all, the fitted answering model decides."""

    def __init__(
        self,
        stats: TermStats,
        documents: dict[str, Document],
        config: AnswerConfig,
        lexicon: Lexicon,
        model: AnsweringModel | None = None,
        units: UnitVectors | None = None,
        query_vector: Callable[[str], np.ndarray] | None = None,
    ):
        self.stats = stats
        self.documents = documents
        self.config = config
        self.lexicon = lexicon  # synonyms and abbreviations: which passage covers a question
        self._model = model
        # every unit's vector from the index, and the question's: scoring by meaning
        self.units = units
        self.query_vector = query_vector
        self.known_years = {d.meta.year for d in documents.values() if d.meta.year}

    @property
    def model(self) -> AnsweringModel:
        # read on first use, so that `falun-kb fit` can gather features without one
        if self._model is None:
            self._model = AnsweringModel.load(self.config.model_file)
        return self._model

    def terms(self, plan: QueryPlan) -> tuple[list[str], list[str]]:
        """The question's content stems and the names among them; years are handled apart."""
        query_text = f"{plan.text} {plan.lexical_extra}" if plan.language == "en" else plan.text
        years = {str(y) for y in plan.years}
        terms = [t for t in question_terms(query_text) if t not in years]
        if plan.language == "en":
            # English words cannot match, and its function words are not Swedish terms
            english = {t for w in ENGLISH_FUNCTION_WORDS for t in tokenize(w)}
            terms = [t for t in terms if t in self.stats.df and t not in english and len(t) > 1]
        ignore = [*self.municipalities(), *short_names(self.config.home_municipality)]
        # a municipality's name says whose documents, which retrieval filters on, not what
        names = {t for name in ignore for t in tokenize(name)}
        terms = [t for t in terms if t not in names]
        entities = [e for e in question_entities(plan.text, ignore) if e in terms]
        return terms, entities

    def question(self, plan: QueryPlan) -> Question:
        terms, entities = self.terms(plan)
        units, embed = self.units, self.query_vector
        meaning: Callable[[str], float | None] = lambda text: None  # noqa: E731
        if units is not None and embed is not None:
            vector = embed(plan.text)
            meaning = lambda text: units.similarity(vector, text)  # noqa: E731
        return Question(
            meaning=meaning,
            rarest=max(terms, key=self.stats.idf, default=None),
            terms=terms,
            entities=entities,
            synonyms=term_alternatives(plan.text, self.lexicon),
            years=plan.years,
            municipality=plan.municipality,
            wants=answer_kind(plan.text),
            english=plan.language == "en",
        )

    def candidates(self, plan: QueryPlan, hits: list[ScoredChunk]) -> list[Candidate]:
        home = self.config.home_municipality
        return candidates(self.question(plan), hits, self.documents, self.stats, home)

    def judge(self, plan: QueryPlan, hits: list[ScoredChunk]) -> Judgement:
        """Score every unit, then decide from the question model whether to answer."""
        q = self.question(plan)
        found = candidates(q, hits, self.documents, self.stats, self.config.home_municipality)
        model = self.model
        probabilities = [model.unit.probability(c.features) for c in found]
        x = question_features(q, found, probabilities, self.known_years)
        p = model.question.probability(x)
        answerable = bool(found) and p >= model.answer_threshold
        # another municipality's passage retrieved beside a named one's is evidence for the
        # question model, never a quote for the answer
        # ... and a question naming years is answered from those years' documents
        quotable = [
            Unit(c.hit, c.rank, c.start, c.end, pr, c.terms)
            for c, pr in zip(found, probabilities, strict=True)
            if self.may_quote(plan, self.documents[c.hit.chunk.doc_id].meta)
        ]
        units = sorted(quotable, key=lambda u: -u.score)
        answerable = answerable and bool(units)
        best: dict[str, float] = {}
        for u in units:
            best.setdefault(u.hit.chunk.chunk_id, u.score)
        top = units[0].score if units else 0.0
        supports = sorted(
            (Support(h, r, best.get(h.chunk.chunk_id, 0.0), False) for r, h in enumerate(hits)),
            key=lambda s: -s.best_unit,
        )
        floor = model.unit_ratio * top
        supports = [
            Support(s.hit, s.rank, s.best_unit, answerable and s.best_unit >= floor)
            for s in supports
        ]
        return Judgement(units, p, answerable, supports, x)

    @staticmethod
    def may_quote(plan: QueryPlan, meta: DocumentMeta) -> bool:
        named = plan.municipality in (None, meta.municipality)
        return named and (not plan.years or meta.year is None or meta.year in plan.years)

    def support(self, plan: QueryPlan, hits: list[ScoredChunk]) -> list[Support]:
        """The passages, best first, marked with whether the answer may draw on them."""
        return self.judge(plan, hits).supports

    def municipalities(self) -> list[str]:
        return sorted({d.meta.municipality for d in self.documents.values()})

    def answer(self, plan: QueryPlan, hits: list[ScoredChunk]) -> Answer:
        return self.answer_from(plan, hits, self.judge(plan, hits))

    def stream(self, plan: QueryPlan, hits: list[ScoredChunk]) -> Iterator[str | Answer]:
        """Nothing is generated: the answer is the one and last item."""
        yield self.answer(plan, hits)

    def answer_from(self, plan: QueryPlan, hits: list[ScoredChunk], judged: Judgement) -> Answer:
        """The answer from a judgement already made (`judge`), so a caller that needs the
        supports too (the LLM mode) judges once."""
        if not judged.answerable:
            return self.not_answered(plan, hits)
        units = self.select_units(plan, judged.units)
        citations = [self.cite(n, u) for n, u in enumerate(units, start=1)]
        return Answer(
            question=plan.text,
            answer=compose_answer(plan, citations, self.config.home_municipality),
            answerable=True,
            citations=citations,
            language=plan.language,
        )

    def select_units(self, plan: QueryPlan, ranked: list[Unit]) -> list[Unit]:
        if len(plan.years) >= 2:
            return self.select_per_year(plan, ranked)
        best = ranked[0]
        chosen = [best]
        seen_terms = set(best.new_terms)
        for unit in ranked[1:]:
            if len(chosen) >= self.config.max_sentences:
                break
            if unit.score < max(self.model.unit_floor, self.model.unit_ratio * best.score):
                break
            adds = unit.new_terms - seen_terms
            if any(overlaps(unit, c) for c in chosen):
                continue
            other_chunk = all(unit.hit.chunk.chunk_id != c.hit.chunk.chunk_id for c in chosen)
            if adds or other_chunk:
                chosen.append(unit)
                seen_terms |= unit.new_terms
        chosen += self.other_year_statement(chosen, ranked)
        return sorted(chosen, key=self.newest_first)

    def other_year_statement(self, chosen: list[Unit], ranked: list[Unit]) -> list[Unit]:
        """When the answer comes from a dated plan, what another year's plan says on the same
        point, so a changed fact (chair, budget, a goal) is shown with its year."""
        best = chosen[0]
        year = self.year_of(best)
        if year is None or any(self.year_of(c) not in (None, year) for c in chosen):
            return []
        doc_type = self.documents[best.hit.chunk.doc_id].meta.doc_type
        best_words = self.quote_tokens(best)
        for unit in ranked:
            other = self.year_of(unit)
            same_kind = self.documents[unit.hit.chunk.doc_id].meta.doc_type == doc_type
            if other is None or other == year or not (same_kind or unit.score >= best.score):
                continue
            similar = jaccard(self.quote_tokens(unit), best_words)
            if unit.score + similar >= self.model.unit_ratio * best.score:
                return [unit]
        return []

    def select_per_year(self, plan: QueryPlan, ranked: list[Unit]) -> list[Unit]:
        """A comparison question gets one quote per named year, side by side: the best one
        overall, and in each other year the best one from the corresponding section."""
        anchor = next((u for u in ranked if self.year_of(u) in plan.years), ranked[0])
        anchor_section = self.section_tokens(anchor)
        anchor_words = self.quote_tokens(anchor)
        chosen = [anchor]
        for year in plan.years:
            if year == self.year_of(anchor):
                continue
            candidates = [u for u in ranked if self.year_of(u) == year]
            if candidates:
                chosen.append(
                    max(
                        candidates,
                        key=lambda u: (
                            u.score
                            + 0.5 * jaccard(self.section_tokens(u), anchor_section)
                            + jaccard(self.quote_tokens(u), anchor_words)
                        ),
                    )
                )
        return sorted(chosen, key=lambda u: self.year_of(u) or 0)

    def year_of(self, unit: Unit) -> int | None:
        return self.documents[unit.hit.chunk.doc_id].meta.year

    def quote_tokens(self, unit: Unit) -> set[str]:
        return set(tokenize(self.documents[unit.hit.chunk.doc_id].text[unit.start : unit.end]))

    def section_tokens(self, unit: Unit) -> set[str]:
        """Section words, with synonyms mapped together ("medlemmar" ~ "ledamöter")."""
        section = " ".join(unit.hit.chunk.section)
        tokens = set(tokenize(section))
        for alternatives in term_alternatives(section, self.lexicon).values():
            tokens |= set(alternatives)
        return {t for t in tokens if not t.isdigit()}

    def newest_first(self, unit: Unit) -> tuple[int, float]:
        year = self.documents[unit.hit.chunk.doc_id].meta.year or 0
        return (-year, -unit.score)

    def cite(self, n: int, unit: Unit) -> Citation:
        chunk = unit.hit.chunk
        doc = self.documents[chunk.doc_id]
        meta = doc.meta
        span = doc.span(unit.start, unit.end)
        raw_lines = None
        if doc.repaired:
            raw_lines = "\n".join(doc.raw_text.split("\n")[span.start_line - 1 : span.end_line])
        return Citation.of(
            meta,
            n=n,
            section=chunk.section_path,
            quote=doc.text[span.start : span.end],
            location=Location.of(span),
            chunk_id=chunk.chunk_id,
            context=chunk.text,
            ocr=meta.ocr,
            repaired=doc.repaired,
            raw_lines=raw_lines,
        )

    def not_answered(self, plan: QueryPlan, hits: list[ScoredChunk]) -> Answer:
        nearest = [self.search_result(h) for h in hits[: self.config.nearest]]
        return Answer(
            question=plan.text,
            answer=refusal(plan.language),
            answerable=False,
            citations=[],
            nearest=nearest,
            language=plan.language,
        )

    def search_result(self, hit: ScoredChunk) -> SearchResult:
        chunk = hit.chunk
        meta = self.documents[chunk.doc_id].meta
        return SearchResult.of(
            meta,
            chunk_id=chunk.chunk_id,
            section=chunk.section_path,
            text=chunk.text,
            score=hit.score,
            location=Location.of(chunk),
        )
