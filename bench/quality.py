"""Section 1: answer quality of ours against three baselines on the dev questions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from service.evaluate import EvalReport, evaluate
from service.models import Answer, Citation, Location, SearchResult

SearchFn = Callable[[str, int], list[SearchResult]]

SYSTEMS = ("ours", "A: llama-index recipe", "B: BM25 only", "C: dense only")
METRICS = (
    ("evidence_recall@1", "R@1"),
    ("evidence_recall@5", "R@5"),
    ("mrr", "MRR"),
    ("facts_present", "facts"),
    ("quotes_verbatim", "verbatim"),
    ("answerable_accuracy", "answerable"),
)
FOOTNOTE = (
    "A/B/C have no answerer: their answer is the top-1 passage's text, always 'answerable', "
    "its one citation that passage. Evidence matching as in service.evaluate (folded substring)."
)


class RetrievalOnly:
    """A bare retriever seen as the evaluation's pipeline: the answer is its top passage."""

    def __init__(self, search_fn: SearchFn, document_texts: dict[str, str]) -> None:
        self._search = search_fn
        self._texts = document_texts

    def search(self, query: str, k: int = 10) -> list[SearchResult]:
        return self._search(query, k)

    def ask(self, question: str, *, history: Sequence[str] = ()) -> Answer:
        # the plain recipe has no conversation: a follow-up is searched as it was typed
        return top_passage_answer(question, self._search(question, 1))

    def document_text(self, doc_id: str) -> str:
        return self._texts.get(doc_id, "")


def top_passage_answer(question: str, hits: list[SearchResult]) -> Answer:
    """What a retrieval-only recipe shows as its answer: the best passage, cited as a whole."""
    if not hits:
        return Answer(question=question, answer="", answerable=True, citations=[])
    top = hits[0]
    citation = Citation.of(
        top,
        n=1,
        section=top.section,
        quote=top.text,
        location=top.location,
        chunk_id=top.chunk_id,
        context=top.text,
    )
    return Answer(question=question, answer=top.text, answerable=True, citations=[citation])


def _plain_result(doc_id: str, chunk_id: str, text: str, score: float) -> SearchResult:
    return SearchResult(
        chunk_id=chunk_id,
        doc_id=doc_id,
        title=doc_id,
        municipality="",
        doc_type="",
        year=None,
        section="",
        text=text,
        score=score,
        location=Location(start_line=0, end_line=0),
    )


def llama_index_recipe(corpus_dir: Path, embed_model: Any) -> RetrievalOnly:
    """Baseline A, as a newcomer writes it: raw files, default SentenceSplitter, a
    VectorStoreIndex on Chroma, our embedder passed explicitly (never llama-index's default)."""
    import uuid

    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.core.node_parser import SentenceSplitter
    from llama_index.vector_stores.chroma import ChromaVectorStore

    files = sorted(
        str(p) for p in corpus_dir.iterdir() if p.is_file() and p.suffix in {".txt", ".md", ".pdf"}
    )
    documents = SimpleDirectoryReader(input_files=files).load_data()
    client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
    # embedding_function=None: Chroma must never embed with its own (downloaded) default model.
    collection = client.create_collection(
        f"baseline-a-{uuid.uuid4().hex[:8]}", embedding_function=None
    )
    storage = StorageContext.from_defaults(
        vector_store=ChromaVectorStore(chroma_collection=collection)
    )
    index = VectorStoreIndex.from_documents(
        documents,
        storage_context=storage,
        embed_model=embed_model,
        transformations=[SentenceSplitter()],
    )
    texts: dict[str, str] = {}
    for doc in documents:
        texts[Path(doc.metadata["file_path"]).stem] = doc.text

    def search(query: str, k: int) -> list[SearchResult]:
        nodes = index.as_retriever(similarity_top_k=k).retrieve(query)
        return [
            _plain_result(
                Path(n.node.metadata.get("file_path", "?")).stem,
                n.node.node_id,
                n.node.get_content(),
                float(n.score or 0.0),
            )
            for n in nodes
        ]

    return RetrievalOnly(search, texts)


def run_quality(kb: Any, embed_model: Any, questions: Path, corpus_dir: Path) -> dict[str, Any]:
    """Evaluate ours and the baselines on the same questions; summaries and per-question RR."""
    retriever = kb.index.retriever
    texts = {doc_id: kb.document_text(doc_id) for doc_id in kb.docs}

    def lexical(query: str, k: int) -> list[SearchResult]:
        return [kb.answerer.search_result(h) for h in retriever.lexical(query, k)]

    def dense(query: str, k: int) -> list[SearchResult]:
        return [kb.answerer.search_result(h) for h in retriever.dense(query, k)]

    pipelines = {
        "ours": kb,
        "A: llama-index recipe": llama_index_recipe(corpus_dir, embed_model),
        "B: BM25 only": RetrievalOnly(lexical, texts),
        "C: dense only": RetrievalOnly(dense, texts),
    }
    reports: dict[str, EvalReport] = {name: evaluate(p, questions) for name, p in pipelines.items()}
    return {
        "summary": {name: r.summary() for name, r in reports.items()},
        "per_question": {
            name: {
                q.id: {
                    "r5": q.evidence_recall_at_5,
                    "rr": q.reciprocal_rank,
                    "facts": q.facts_present,
                }
                for q in r.questions
            }
            for name, r in reports.items()
        },
        "questions": {q.id: q.question for q in reports["ours"].questions},
    }


def where_baselines_win(result: dict[str, Any]) -> list[str]:
    """Questions on which a baseline ranks the evidence higher (RR) than ours does."""
    per = result["per_question"]
    lines = []
    for qid, ours in per["ours"].items():
        for name in SYSTEMS[1:]:
            theirs = per[name].get(qid)
            if (
                ours["rr"] is not None
                and theirs
                and theirs["rr"] is not None
                and theirs["rr"] > ours["rr"]
            ):
                lines.append(
                    f"{qid} {name}: RR {theirs['rr']:.2f} > ours {ours['rr']:.2f}  "
                    f"({result['questions'][qid][:60]})"
                )
    return lines


def quality_rows(summary: dict[str, dict[str, Any]]) -> list[list[object]]:
    return [
        [name, *(summary[name][key] for key, _ in METRICS)] for name in SYSTEMS if name in summary
    ]
