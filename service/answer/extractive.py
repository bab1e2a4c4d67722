"""The default answerer: quotes the sentences that answer, or says the documents do not."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from index.hybrid import ScoredChunk, combined_vector
from index.units import UnitVectors
from ingest.schema import Document, DocumentMeta
from lang import find_words, find_years, tokenize
from service.answer.compose import compose_answer, refusal
from service.answer.evidence import TermStats, question_entities, question_terms
from service.answer.features import (
    Candidate,
    Question,
    candidates,
    names_document,
    naming_text,
    question_features,
)
from service.answer.fitted import MODEL_FILE, AnsweringModel
from service.answer.parts import asked_sentences
from service.answer.query import (
    ENGLISH_FUNCTION_WORDS,
    QueryPlan,
    answer_kind,
    asks_definition,
    asks_several,
    checked_claim,
    is_count,
    short_names,
    term_alternatives,
)
from service.answer.selection import QuoteSelection, Unit
from service.lexicon import Lexicon
from service.models import Answer, Citation, Location, SearchResult


@dataclass(frozen=True)
class AnswerConfig:
    home_municipality: str = "Falu kommun"
    # A choice of answer length, so a setting, not a fit: `falun-kb fit`'s by_quote_limit
    # gives each limit's facts in the quotes when answered (cross-validated) and length;
    # 4 / 6 finds .92 of them at ~630 characters, 3 / 5 .90 at ~500 (eval/README.md).
    max_sentences: int = 4
    max_list_sentences: int = 6  # ... when the question asks for several things ("vilka")
    passages: int = 6  # retrieved passages an answer is chosen from
    nearest: int = 3
    model_file: Path = MODEL_FILE  # the fitted answering models (`falun-kb fit`)

    def quote_limit(self, several: bool) -> int:
        """How many units an answer quotes at most, for a question asking for several
        things or not."""
        return self.max_list_sentences if several else self.max_sentences


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

    @property
    def passages(self) -> list[ScoredChunk]:
        """The passages ordered by their best unit's probability of answering, the fused
        order breaking ties (the supports' order)."""
        return [s.hit for s in self.supports]


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
        embedder: str = "",
    ):
        self.stats = stats
        self.documents = documents
        self.config = config
        self.lexicon = lexicon  # synonyms and abbreviations: which passage covers a question
        self._model = model
        # every unit's vector from the index, and the question's: scoring by meaning
        self.units = units
        self.query_vector = query_vector
        self.embedder = embedder  # what made the question vectors ("" unknown)
        self.known_years = {d.meta.year for d in documents.values() if d.meta.year}

    @property
    def model(self) -> AnsweringModel:
        # read on first use, so that `falun-kb fit` can gather features without one
        if self._model is None:
            self._model = AnsweringModel.load(self.config.model_file)
        return self._model

    @staticmethod
    def term_text(plan: QueryPlan) -> str:
        """The text a question's terms are read from: an English question's with its Swedish
        gloss, which its terms come from."""
        return f"{plan.text} {plan.lexical_extra}" if plan.language == "en" else plan.text

    def terms(self, plan: QueryPlan) -> tuple[list[str], list[str]]:
        """The question's content stems and the names among them; years are handled apart."""
        query_text = self.term_text(plan)
        years = {str(y) for y in plan.years}
        terms = [t for t in question_terms(query_text) if t not in years]
        if plan.language == "sv":
            # the greeting and the asker's situation around the question ("Hej! Jag är
            # rektor.") are context: their words the documents never use are not evidence
            # that something asked is missing
            asked = set(question_terms(asked_sentences(plan.text)))
            terms = [t for t in terms if t in asked or t in self.stats.df]
        if plan.language == "en":
            # English words cannot match, and its function words are not Swedish terms
            english = {t for w in ENGLISH_FUNCTION_WORDS for t in tokenize(w)}
            terms = [t for t in terms if t in self.stats.df and t not in english and len(t) > 1]
        ignore = self.municipality_names()
        # a municipality's name says whose documents, which retrieval filters on, not what
        names = {t for name in ignore for t in tokenize(name)}
        terms = [t for t in terms if t not in names]
        entities = [e for e in question_entities(plan.text, ignore) if e in terms]
        return terms, entities

    def municipality_names(self) -> list[str]:
        """The municipalities' names as a question may write them."""
        return [*self.municipalities(), *short_names(self.config.home_municipality)]

    def claim_details(
        self, plan: QueryPlan, terms: list[str], synonyms: dict[str, list[str]]
    ) -> tuple[tuple[tuple[str, ...], ...], tuple[int, ...]]:
        """The details of the claim a question asks the documents to bear out ("Står det i
        policyn att nämnderna ansvarar …?"), a word at a time: its terms (an English word's:
        its Swedish alternatives) that name no document (a claim is looked for in the
        documents, whichever it names) and that some document has, unless the word is a name
        or a number (a word no document has cannot be borne out, and is more often the
        asker's own than a changed detail, but "sju", "580" or "Värmland" are changed
        details); and the question's years."""
        claim = checked_claim(plan.text)
        if not claim:
            return (), ()
        naming = {t for doc in self.documents.values() for t in tokenize(naming_text(doc))}
        municipalities = self.municipality_names()
        names = set(question_entities(plan.text, municipalities))
        english = plan.language == "en"
        details = []
        years = sorted({*find_years(claim), *plan.years})
        # its years are checked apart, against the unit and its document's year
        said = {str(y) for y in years}
        for word in dict.fromkeys(w for w in find_words(claim, "table") if w not in said):
            stems = question_terms(word)
            named = word.isdigit() or is_count(word) or any(t in names for t in stems)
            if english:
                stems = question_terms(self.lexicon.in_swedish(word.lower()) or word)
            details.append(
                tuple(
                    t
                    for t in stems
                    # an English question's terms are the words the documents have: its
                    # name or number no document has is a detail all the same
                    if (t in terms or (named and english))
                    and (named or t in self.stats.df)
                    and not names_document(t, naming, synonyms)
                )
            )
        return tuple(d for d in details if d), tuple(years)

    def question_vector(self, plan: QueryPlan) -> np.ndarray | None:
        """The vector its units are compared with: what is asked, with its municipality
        (unlike retrieval, which filters on it, the units of another municipality's documents
        compete here) and an English question's gloss; None without an embedder."""
        if self.query_vector is None:
            return None
        return combined_vector(self.query_vector, asked_sentences(plan.text), plan.gloss)

    def question(self, plan: QueryPlan) -> Question:
        return self.question_of(plan, self.question_vector(plan))

    def question_of(self, plan: QueryPlan, vector: np.ndarray | None) -> Question:
        """The question as the features read it, its units compared with `vector` (its
        `question_vector`, taken once by a caller that needs it too)."""
        terms, entities = self.terms(plan)
        units = self.units
        meaning: Callable[[str], float | None] = lambda text: None  # noqa: E731
        centrality: Callable[[str], float | None] = lambda text: None  # noqa: E731
        if units is not None and vector is not None:
            meaning = units.cosines_to(vector)
            centrality = units.centrality
        synonyms = term_alternatives(self.term_text(plan), self.lexicon)
        claim_terms, claim_years = self.claim_details(plan, terms, synonyms)
        return Question(
            meaning=meaning,
            centrality=centrality,
            rarest=max(terms, key=self.stats.idf, default=None),
            specificity={t: self.stats.specificity(t) for t in terms},
            terms=terms,
            entities=entities,
            synonyms=synonyms,
            years=plan.years,
            municipality=plan.municipality,
            compared=plan.compared,
            wants=answer_kind(plan.text),
            definition=asks_definition(plan.text),
            several=asks_several(plan.text),
            claim_terms=claim_terms,
            claim_years=claim_years,
        )

    def candidates(
        self, plan: QueryPlan, hits: list[ScoredChunk], question: Question | None = None
    ) -> list[Candidate]:
        """The quotable units of the passages, with their features; `question` is the plan
        as `question` reads it, when the caller has read it already."""
        q = self.question(plan) if question is None else question
        return candidates(q, hits, self.documents, self.stats, self.config.home_municipality)

    def judge(self, plan: QueryPlan, hits: list[ScoredChunk]) -> Judgement:
        """Score every unit, then decide from the question model whether to answer."""
        model = self.model
        vector = self.question_vector(plan)
        q = self.labelled(self.question_of(plan, vector), vector, model)
        found = self.candidates(plan, hits, q)
        probabilities = [model.unit.probability(c.features) for c in found]
        x = question_features(q, found, probabilities, self.known_years)
        p = model.question.probability(x)
        # a question with no word to look up ("Och 2020?" with no conversation before it)
        # asks nothing; no training question is like that, so the model is not asked
        answerable = bool(found) and bool(q.terms) and p >= model.answer_threshold
        units = self.quotable(plan, found, probabilities)
        answerable = answerable and bool(units)
        best: dict[str, float] = {}
        for u in units:
            best.setdefault(u.hit.chunk.chunk_id, u.score)
        top = units[0].score if units else 0.0
        # a comparison's passages lead with those its side-by-side quotes come from, one
        # per named year, so each year's statement is among the first passages shown
        first = self.side_by_side_passages(plan, units)
        supports = sorted(
            (Support(h, r, best.get(h.chunk.chunk_id, 0.0), False) for r, h in enumerate(hits)),
            key=lambda s: (s.hit.chunk.chunk_id not in first, -s.best_unit),
        )
        floor = model.unit_ratio * top
        supports = [
            Support(s.hit, s.rank, s.best_unit, answerable and s.best_unit >= floor)
            for s in supports
        ]
        return Judgement(units, p, answerable, supports, x)

    def labelled(self, q: Question, vector: np.ndarray | None, model: AnsweringModel) -> Question:
        """The question, whose vector is `vector`, with its margin to the model's labelled
        questions (none without them, without an embedder, or when another embedder made
        them: their cosines would mean nothing)."""
        labelled = model.questions
        if labelled is None or (labelled.embedder and self.embedder != labelled.embedder):
            return q
        if vector is None or vector.shape[-1] != labelled.vectors.shape[1]:
            return q
        return replace(q, labelled_margin=labelled.margin(vector))

    def side_by_side_passages(self, plan: QueryPlan, units: list[Unit]) -> set[str]:
        """The passages of a comparison's quotes from each named year (`select_per_year`) or
        each compared municipality; none for a question comparing neither."""
        if not units:
            return set()
        selection = self.selection(self.model)
        if plan.compared:
            chosen = units[:1] + selection.select_per_municipality(plan, units, units[:1])
        elif len(plan.years) >= 2:
            chosen = selection.select_per_year(plan, units)
        else:
            return set()
        return {u.hit.chunk.chunk_id for u in chosen}

    def quotable(
        self, plan: QueryPlan, found: list[Candidate], probabilities: Sequence[float]
    ) -> list[Unit]:
        """The units an answer may quote, best first: another municipality's passage
        retrieved beside a named one's is evidence for the question model, never a quote for
        the answer, and a question naming years is answered from those years' documents."""
        quotable = [
            Unit(c.hit, c.rank, c.start, c.end, p)
            for c, p in zip(found, probabilities, strict=True)
            if self.may_quote(plan, self.documents[c.hit.chunk.doc_id].meta)
        ]
        return sorted(quotable, key=lambda u: -u.score)

    def quoted_under(
        self,
        model: AnsweringModel,
        plan: QueryPlan,
        found: list[Candidate],
        probabilities: Sequence[float],
    ) -> list[int]:
        """Which of `found` an answer quotes with `model`'s quote parameters: how
        `falun-kb fit` scores a choice of them with the answerer's own selection."""
        chosen = self.selection(model).select(plan, self.quotable(plan, found, probabilities))
        where = {(c.hit.chunk.chunk_id, c.start, c.end): i for i, c in enumerate(found)}
        return [where[(u.hit.chunk.chunk_id, u.start, u.end)] for u in chosen]

    @staticmethod
    def may_quote(plan: QueryPlan, meta: DocumentMeta) -> bool:
        named = plan.municipality in (None, meta.municipality)
        return named and (not plan.years or meta.year is None or meta.year in plan.years)

    def support(self, plan: QueryPlan, hits: list[ScoredChunk]) -> list[Support]:
        """The passages, best first, marked with whether the answer may draw on them."""
        return self.judge(plan, hits).supports

    def rank_passages(self, plan: QueryPlan, hits: list[ScoredChunk]) -> list[ScoredChunk]:
        """The passages ordered by their best unit's probability of answering (the unit
        model), the fused order breaking ties: the fused ranking is the first stage, this
        the second. The unit features keep the fused ranks they were fitted on."""
        return self.judge(plan, hits).passages

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
        if not judged.answerable:  # the nearest passages as the unit model ranks them
            return self.not_answered(plan, judged.passages)
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
        return self.selection(self.model).select(plan, ranked)

    def selection(self, model: AnsweringModel) -> QuoteSelection:
        return QuoteSelection(self.documents, self.lexicon, model, self.config)

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
