"""The in-force rule as pure logic: replacement chains, the order of hits, and an answer
that rests on a replaced document alone."""

from __future__ import annotations

import json

from index.hybrid import ScoredChunk
from ingest.schema import Chunk, DocumentMeta
from service.models import Answer, Citation, Location
from service.status import NO_DOCUMENT, DocumentStatuses


def meta(doc_id: str, **fields) -> DocumentMeta:
    return DocumentMeta(
        doc_id=doc_id, title=doc_id.upper(), municipality="M", doc_type="policy",
        file=f"{doc_id}.txt", **fields,
    )  # fmt: skip


STATUSES = DocumentStatuses(
    {
        "a": meta("a", status="ersatt", replaced_by="b"),
        "b": meta("b", status="ersatt", replaced_by="c"),
        "c": meta("c", year=2023, valid_from="2024-03-01"),
        "x": meta("x", status="ersatt", replaced_by="y"),
        "y": meta("y", status="ersatt", replaced_by="x"),
        "z": meta("z", status="arkiverad"),
    }
)


def hit(doc_id: str, n: int = 0) -> ScoredChunk:
    chunk = Chunk(
        doc_id=doc_id, start=0, end=1, start_line=1, end_line=1, chunk_id=f"{doc_id}:{n}", text="t"
    )
    return ScoredChunk(chunk, 1.0, None, None, None, None)


def answer_citing(hits: list[ScoredChunk]) -> Answer:
    """A stand-in answerer: quotes the first passage it is given."""
    if not hits:
        return Answer(question="q", answer="", answerable=False, citations=[])
    doc_id = hits[0].chunk.doc_id
    cite = Citation(
        n=1, doc_id=doc_id, title=doc_id, municipality="M", doc_type="policy", year=None,
        section="", quote="t", location=Location(start_line=1, end_line=1),
        chunk_id=hits[0].chunk.chunk_id, context="t",
    )  # fmt: skip
    return Answer(question="q", answer="t [1]", answerable=True, citations=[cite])


def test_a_replacement_is_followed_to_the_document_in_force():
    assert STATUSES.replacement("a").doc_id == "c"
    assert STATUSES.superseded_by("a").model_dump() == {"doc_id": "c", "title": "C", "year": 2024}
    assert STATUSES.superseded_by("c") is None
    assert STATUSES.replacement("x") is None  # a cycle names nothing in force
    assert STATUSES.superseded_by("z") is None  # archived, nothing replaced it
    assert STATUSES.with_status("arkiverad") == ["z"]
    assert DocumentStatuses({"c": meta("c")}).with_status("ersatt") == [NO_DOCUMENT]


def test_old_passages_go_after_their_replacement_only_when_it_is_there():
    hits = [hit("a"), hit("z"), hit("c")]
    assert [h.chunk.doc_id for h in STATUSES.in_force_first(hits)] == ["z", "c", "a"]
    assert STATUSES.in_force_first([hit("a"), hit("z")]) == [hit("a"), hit("z")]


def test_an_answer_resting_on_a_replaced_document_alone_is_given_from_its_replacement():
    asked: list[list[str]] = []

    def more(doc_ids: list[str]) -> list[ScoredChunk]:
        asked.append(doc_ids)
        return [hit("c", 1)]

    answer = STATUSES.answer_in_force(answer_citing, [hit("a")], more)
    assert asked == [["c"]] and [c.doc_id for c in answer.citations] == ["c"]
    # the replacement does not answer: the old answer stands (marked by the caller)
    kept = STATUSES.answer_in_force(answer_citing, [hit("a")], lambda _ids: [])
    assert [c.doc_id for c in kept.citations] == ["a"]
    # an answer from a document in force is left alone, and nothing more is retrieved
    STATUSES.answer_in_force(answer_citing, [hit("c")], more)
    assert asked == [["c"]]


def test_status_comes_from_the_catalog_as_it_is_now(tmp_path):
    (tmp_path / "catalog.json").write_text(
        json.dumps({"c": {"status": "arkiverad"}, "a": {"title": "annan"}}), encoding="utf-8"
    )
    loaded = DocumentStatuses.load(tmp_path, {"a": STATUSES.metas["a"], "c": meta("c")})
    assert loaded.status("c") == "arkiverad"
    assert loaded.status("a") == "gällande"  # listed without a status: in force
    assert loaded.metas["a"].title == "A"  # only the status fields come from the catalog


def test_an_invalid_catalog_status_keeps_what_was_indexed(tmp_path):
    (tmp_path / "catalog.json").write_text(
        json.dumps({"c": {"status": "gammal"}}), encoding="utf-8"
    )
    assert DocumentStatuses.load(tmp_path, {"c": meta("c")}).status("c") == "gällande"


def test_a_replacement_the_catalog_does_not_hold_is_reported_at_ingest(tmp_path):
    from ingest.load import load_corpus

    (tmp_path / "a.txt").write_text("Gammal policy.\n", encoding="utf-8")
    catalog = {"a": {"file": "a.txt", "title": "A", "municipality": "M", "doc_type": "policy",
                     "status": "ersatt", "replaced_by": "finns-inte"}}  # fmt: skip
    (tmp_path / "catalog.json").write_text(json.dumps(catalog), encoding="utf-8")
    loaded = load_corpus(tmp_path, ocr=None)
    assert loaded.documents[0].meta.status == "ersatt"
    assert any("replaced_by" in p.message and "finns-inte" in p.message for p in loaded.problems)
