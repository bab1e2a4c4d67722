"""The real corpus indexed lexically (BM25, no embedder) with the coverage answering model:
what the answering tests over real documents share."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from index.hybrid import ScoredChunk
from index.lexical import SwedishBM25
from ingest.chunk import chunk_document
from ingest.load import load_corpus
from ingest.schema import Chunk, Document
from service.answer.evidence import TermStats
from service.answer.extractive import AnswerConfig, ExtractiveAnswerer
from service.answer.query import QueryPlan, plan_query
from service.lexicon import Lexicon
from tests.fakes import coverage_answering_model

CORPUS = Path(__file__).resolve().parents[3] / "corpus"


@dataclass
class Corpus:
    documents: dict[str, Document]
    chunks: dict[str, Chunk]
    bm25: SwedishBM25
    answerer: ExtractiveAnswerer

    def retrieve(self, question: str, k: int = 6) -> tuple[QueryPlan, list[ScoredChunk]]:
        """What kb.read does, with BM25 alone: the question planned, its passages."""
        plan = plan_query(question, self.answerer.municipalities(), self.answerer.lexicon)
        hits = [
            ScoredChunk(self.chunks[cid], score, None, score, None, rank)
            for rank, (cid, score) in enumerate(
                self.bm25.search(plan.lexical_text or question, k), 1
            )
        ]
        return plan, hits


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    documents = {d.doc_id: d for d in load_corpus(CORPUS).documents}
    chunks = {c.chunk_id: c for d in documents.values() for c in chunk_document(d)}
    bm25 = SwedishBM25().build(list(chunks), [c.text for c in chunks.values()])
    stats = TermStats.from_texts(" ".join([c.text, *c.section]) for c in chunks.values())
    lexicon = Lexicon.load(CORPUS).with_definitions(d.text for d in documents.values())
    answerer = ExtractiveAnswerer(
        stats, documents, AnswerConfig(), lexicon, model=coverage_answering_model()
    )
    return Corpus(documents, chunks, bm25, answerer)
