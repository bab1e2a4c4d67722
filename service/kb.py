"""The knowledge base service: search and ask over an opened index (the UI's facade)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from index.adapter import load_adapter
from index.build import KnowledgeIndex, open_index
from index.hybrid import ScoredChunk
from index.protocols import Embedder, Retriever
from index.word_stats import WordStats
from ingest.repair_lexicon import Lexicon as RepairLexicon
from ingest.schema import Chunk
from lang import word_tokens
from service.answer.answerer import Answerer
from service.answer.evidence import TermStats
from service.answer.extractive import ExtractiveAnswerer
from service.answer.llm import LlmWithFallback
from service.answer.llm_client import LlmAnswerer
from service.answer.parts import merge_answers, question_parts
from service.answer.query import QueryPlan
from service.answer.spelling import QuestionSpelling
from service.english import with_english
from service.http.audit import AuditLog
from service.lexicon import Lexicon
from service.lookup.compare import compare_documents
from service.lookup.wording import find_wording
from service.models import (
    Answer,
    ComparedItem,
    DocumentDetail,
    DocumentInfo,
    Filters,
    SearchResult,
    WordingResult,
)
from service.pipeline import chunker_settings, open_embedder
from service.reading import QuestionReader, passages_for
from service.settings import Settings
from service.status import DocumentStatuses, present_tense
from service.thesaurus import with_thesaurus


class UnknownFilterValue(ValueError):
    """A filter names a municipality, document type or year that no document has."""


class KnowledgeBaseService:
    """Search and answer over one opened index; built once per process."""

    def __init__(
        self,
        index: KnowledgeIndex,
        settings: Settings,
        audit: AuditLog | None = None,
        llm: LlmAnswerer | None = None,
    ):
        self.index = index
        self.retriever: Retriever = index.retriever
        # question vectors mapped toward their answering units, in answering and retrieval
        index.units.adapt(load_adapter(settings.unit_adapter, index.manifest.embedder))
        self.settings = settings
        self.audit = audit
        self.llm = llm
        self.docs = index.documents
        # the corpus's own words: lexicon files next to the documents, and what they define
        doc_texts = [d.text for d in self.docs.values()]
        stats = index.word_stats or WordStats.count(index.chunks.values(), list(self.docs.values()))
        words = set(stats.vocabulary)  # what the documents' words are, counted at ingest
        stems = word_tokens(words)  # ... and the tokens of those words, any form of them
        lexicon = Lexicon.load(settings.corpus_dir).with_definitions(doc_texts)
        document_years = [d.meta.year for d in self.docs.values() if d.meta.year]
        lexicon = lexicon.with_year_names(doc_texts, document_years)
        lexicon = with_english(lexicon, settings.english_words, words, stems)
        # hunspell's Swedish dictionary: typos corrected against the documents' own words, and
        # the dictionary forms the thesaurus lists a question's words under
        dictionary = (
            RepairLexicon.build() if settings.correct_spelling or settings.thesaurus else None
        )
        lemmas = dictionary.lemmas if dictionary is not None else None
        self.lexicon = with_thesaurus(lexicon, settings.thesaurus, stems, lemmas)
        self.answerer = ExtractiveAnswerer(
            TermStats.of(stats),
            self.docs,
            settings.answer,
            lexicon=self.lexicon,
            units=index.units,
            query_vector=self.retriever.query_vector,
            embedder=index.manifest.embedder,
        )
        # refusal stays with retrieval evidence; with an LLM, a failed or unverifiable
        # generation falls back to the extractive answer, saying so
        self.responder: Answerer = (
            self.answerer if llm is None else LlmWithFallback(self.answerer, llm)
        )
        spelling = (
            QuestionSpelling(words, dictionary)
            if settings.correct_spelling and dictionary is not None
            else None
        )
        metas = [d.meta for d in self.docs.values()]
        self._filter_options: dict[str, list[str | int]] = {
            "municipality": sorted({m.municipality for m in metas}),
            "doc_type": sorted({m.doc_type for m in metas}),
            "year": sorted({m.year for m in metas if m.year is not None}),
        }
        municipalities: list[str] = self._filter_options["municipality"]  # type: ignore[assignment]
        self.reader = QuestionReader(
            municipalities, self.lexicon, spelling, self.retrieve_for, self.answerer
        )
        self.reload_statuses()
        self.chunk_counts: dict[str, int] = {}
        for chunk in index.chunks.values():
            self.chunk_counts[chunk.doc_id] = self.chunk_counts.get(chunk.doc_id, 0) + 1

    @classmethod
    def open(cls, settings: Settings, *, embedder: Embedder | None = None) -> KnowledgeBaseService:
        """The service over the built index; `embedder` defaults to the configured model."""
        embed_model = embedder if embedder is not None else open_embedder(settings)
        index = open_index(
            settings.data_dir,
            embed_model,
            chunker_settings(settings),
            chroma_url=settings.chroma_url,
            retrieval=settings.retrieval,
        )
        audit = None
        if settings.audit.enabled:
            audit = AuditLog.open(settings.data_dir, settings.audit)
        llm = None
        config = settings.llm
        if config.url:
            llm = LlmAnswerer.connect(
                config.url,
                config.model,
                config.api_key,
                config.timeout,
                home=settings.home_municipality,
            )
        return cls(index, settings, audit, llm)

    @property
    def home_municipality(self) -> str:
        return self.answerer.config.home_municipality

    @property
    def embedder(self) -> Embedder:
        return self.index.embedder

    # --- filters -------------------------------------------------------------------------

    def filter_options(self) -> dict[str, list[str | int]]:
        # the documents of an opened index never change: computed once, not per request
        return {key: list(values) for key, values in self._filter_options.items()}

    def check_filters(self, filters: Filters | None) -> dict[str, Any]:
        """Filters as a retriever mapping; an unknown value is an error, not an empty result."""
        if filters is None or filters.is_empty():
            return {}
        options = self.filter_options()
        given = filters.model_dump(exclude_none=True)
        status = given.pop("status", None)
        for key, value in given.items():
            if value not in options[key]:
                known = ", ".join(str(v) for v in options[key])
                raise UnknownFilterValue(
                    f"okänt värde för {key}: {value!r} (kända värden: {known}) / "
                    f"unknown {key} {value!r}"
                )
        if status is not None:
            given["doc_id"] = self.statuses.with_status(status)
        return given

    # --- operations ----------------------------------------------------------------------

    def search(self, query: str, k: int = 10, filters: Filters | None = None) -> list[SearchResult]:
        """The passages an answer to `query` would be drawn from, best first: read as a
        question is (typos corrected, a named municipality and year as filters), retrieved
        (fused dense and BM25) and ordered by their best unit's answering probability."""
        plan = self.search_plan(query)
        count = max(k, self.answerer.config.passages)
        hits = self.retrieve_for(plan, self.check_filters(filters), passages=count)
        ranked = self.answerer.rank_passages(plan, hits)[:k]
        return [self.statuses.mark(self.answerer.search_result(h)) for h in ranked]

    def retrieve_for(
        self, plan: QueryPlan, where: dict[str, Any], passages: int | None = None
    ) -> list[ScoredChunk]:
        """Passages for answering (as many as the answerer reads, unless `passages` says):
        the named municipality, and each named year's documents."""
        known_years = set(self.filter_options()["year"])
        count = self.answerer.config.passages if passages is None else passages
        return passages_for(self.retriever, plan, where, count, self.docs, known_years)

    def ask(
        self,
        question: str,
        filters: Filters | None = None,
        client: str | None = None,
        *,
        extractive: bool = False,
        history: Sequence[str] = (),
    ) -> Answer:
        """The configured answer (LLM mode when an LLM is set up); `extractive` asks for the
        quotes alone even then (the OpenAI-compatible API's `falun-kb` model). `history`
        holds the conversation's earlier questions, oldest first, for a follow-up."""
        parts = question_parts(question)
        # a later part may lean on an earlier one ("Och vem ska vi prata med?")
        answers = [
            self._answer(part, [*history, *parts[:i]], filters, extractive)
            for i, part in enumerate(parts)
        ]
        answer = answers[0] if len(parts) == 1 else merge_answers(question, parts, answers)
        return self._logged(answer, client)

    def _answer(
        self, question: str, history: Sequence[str], filters: Filters | None, extractive: bool
    ) -> Answer:
        plan, hits, interpreted = self.read(question, history, filters)
        answer = self._in_force(plan, hits, filters, extractive)
        return self._interpreted(answer, question, interpreted)

    def ask_stream(
        self,
        question: str,
        filters: Filters | None = None,
        client: str | None = None,
        *,
        extractive: bool = False,
        history: Sequence[str] = (),
    ) -> Iterator[str | Answer]:
        """As `ask`, for a chat that shows the answer as it is written: with an LLM, its
        token deltas first (an unverified draft), then always the final, verified Answer."""
        if len(question_parts(question)) > 1:  # each part answered apart, shown at once
            yield self.ask(question, filters, client, extractive=extractive, history=history)
            return
        plan, hits, interpreted = self.read(question, history, filters)
        if present_tense(plan.years, filters):
            hits = self.statuses.in_force_first(hits)
        for item in self._responder(extractive).stream(plan, hits):
            if isinstance(item, str):
                yield item
            else:
                answer = self.statuses.mark_answer(item)
                yield self._logged(self._interpreted(answer, question, interpreted), client)

    def _responder(self, extractive: bool) -> Answerer:
        return self.answerer if extractive else self.responder

    def _in_force(
        self, plan: QueryPlan, hits: list[ScoredChunk], filters: Filters | None, extractive: bool
    ) -> Answer:
        """The answer, its sources marked with their status; for a present-tense question,
        never resting on replaced documents alone when their replacements answer it."""
        responder = self._responder(extractive)
        if not present_tense(plan.years, filters):
            return self.statuses.mark_answer(responder.answer(plan, hits))
        answer = self.statuses.answer_in_force(
            lambda chosen: responder.answer(plan, chosen),
            self.statuses.in_force_first(hits),
            lambda doc_ids: self.retrieve_for(plan, {"doc_id": doc_ids}),
        )
        return self.statuses.mark_answer(answer)

    def reload_statuses(self) -> None:
        """Which documents are in force: the catalog's word now, not the index's (read at
        start and again after an admin change)."""
        self.statuses = DocumentStatuses.load(
            self.settings.corpus_dir, {doc_id: d.meta for doc_id, d in self.docs.items()}
        )

    def plan(self, question: str) -> QueryPlan:
        return self.reader.plan(question)

    def search_plan(self, query: str) -> QueryPlan:
        """A search query read as a question is: its typos corrected, then planned."""
        return self.plan(self.reader.spelled(query))

    def read(
        self,
        question: str,
        history: Sequence[str] = (),
        filters: Filters | None = None,
        *,
        judged: bool = True,
    ) -> tuple[QueryPlan, list[ScoredChunk], str | None]:
        """The question as answered, its passages, and how it was read (`QuestionReader`)."""
        return self.reader.read(question, history, self.check_filters(filters), judged=judged)

    @staticmethod
    def _interpreted(answer: Answer, question: str, interpreted: str | None) -> Answer:
        """The answer to the question as asked, showing how a follow-up was read."""
        return answer.model_copy(update={"question": question, "interpreted_question": interpreted})

    def _logged(self, answer: Answer, client: str | None) -> Answer:
        if self.audit is None:
            return answer
        return answer.model_copy(update={"answer_id": self.audit.record(answer, client)})

    def feedback(self, answer_id: str, helpful: bool, comment: str | None = None) -> None:
        """Thumbs up/down for a logged answer; KeyError for an unknown id."""
        if self.audit is None:
            raise KeyError(answer_id)
        self.audit.feedback(answer_id, helpful, comment)

    def documents(self) -> list[DocumentInfo]:
        return [self.info(doc_id) for doc_id in self.docs]

    def info(self, doc_id: str) -> DocumentInfo:
        meta = self.docs[doc_id].meta
        info = DocumentInfo.of(
            meta,
            ocr=meta.ocr,
            chunks=self.chunk_counts.get(doc_id, 0),
            valid_from=self.statuses.metas[doc_id].valid_from,
        )
        return self.statuses.mark(info)

    def document(self, doc_id: str) -> DocumentDetail:
        doc = self.docs[doc_id]  # KeyError for unknown ids, by contract
        return DocumentDetail(
            **self.info(doc_id).model_dump(),
            text=doc.text,
            raw_text=doc.raw_text if doc.repaired else None,
        )

    def document_text(self, doc_id: str) -> str:
        """The indexed text that citation quotes and line numbers refer to."""
        return self.docs[doc_id].text

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        return [c for c in self.index.chunks.values() if c.doc_id == doc_id]

    def wording(self, text: str, filters: Filters | None = None, limit: int = 10) -> WordingResult:
        where = self.check_filters(filters)
        chunks = list(self.index.chunks.values())
        return find_wording(text, self.docs, chunks, filters=where or None, limit=limit)

    def compare(self, doc_a: str, doc_b: str, topic: str | None = None) -> list[ComparedItem]:
        a, b = self.docs[doc_a], self.docs[doc_b]  # KeyError for unknown ids, by contract
        chunks_a, chunks_b = self.chunks_of(doc_a), self.chunks_of(doc_b)
        return compare_documents(a, chunks_a, b, chunks_b, topic=topic, names=self.lexicon.names)
