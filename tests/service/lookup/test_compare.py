"""Plan-year comparison on the real 2020 and 2023 plans, on repaired and on raw OCR text."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.chunk import chunk_document
from ingest.load import load_corpus
from lang import fold_text, line_of
from service.lexicon import Lexicon
from service.lookup.compare import (
    ComparedItem,
    compare_documents,
)
from service.lookup.comparison_text import comparison_table
from service.lookup.topics import matches_topic

CORPUS = Path(__file__).resolve().parents[3] / "corpus"
A, B = "falun-handlingsplan-2020", "falun-verksamhetsplan-2023"
NAMES = Lexicon.load(CORPUS).names  # the places and organisations in corpus/lexicon/


@pytest.fixture(scope="module")
def corpus():
    return {d.doc_id: d for d in load_corpus(CORPUS).documents}


@pytest.fixture(scope="module", params=["indexed", "raw-ocr"])
def plans(request, corpus):
    """(doc_a, doc_b, items); "raw-ocr" compares against the unrepaired scan text."""
    doc_a, doc_b = corpus[A], corpus[B]
    if request.param == "raw-ocr":
        doc_b = doc_b.model_copy(update={"text": doc_b.raw_text})
    items = compare_documents(
        doc_a, chunk_document(doc_a), doc_b, chunk_document(doc_b), names=NAMES
    )
    return doc_a, doc_b, items


def _with(items: list[ComparedItem], side: str, phrase: str) -> list[ComparedItem]:
    """Items whose side `side` quotes `phrase` (compared folded, so OCR damage is ignored)."""
    key = fold_text(phrase)
    return [i for i in items if (s := getattr(i, side)) and key in fold_text(s.quote)]


def _only(items: list[ComparedItem], topic: str) -> ComparedItem:
    found = [i for i in items if i.topic == topic]
    assert len(found) == 1, [i.topic for i in items]
    return found[0]


def test_former_chair_left(plans):
    item = _only(plans[2], "Ledamöter: Catharina Enhörning (M)")
    assert item.status == "only_a" and item.b is None
    assert "ordförande" in item.a.quote


def test_new_chair_is_a_changed_role(plans):
    item = _only(plans[2], "Ledamöter: Jan E Fors (M)")
    assert item.status == "changed"
    assert item.differences == ["ledamot → ordförande"]
    chair = _only(plans[2], "Ordförande")
    assert chair.status == "changed"
    assert chair.differences == ["Catharina Enhörning (M) → Jan E Fors (M)"]


def test_joined_and_stayed(plans):
    assert _only(plans[2], "Ledamöter: Elisabeth Rooth Eriksson (C)").status == "only_b"
    assert _only(plans[2], "Ledamöter: Jonas Sallén Lennerthson (S)").status == "same"


def test_budget_changed_in_kronor(plans):
    item = _only(plans[2], "Budget")
    assert item.status == "changed"
    assert item.differences[0] == "177 tkr → 180 000 kr"
    assert item.a.start_line == 60 and item.b.start_line == 171


def test_denmark_goal_changed(plans):
    items = [i for i in _with(plans[2], "a", "Undersöka möjligheterna om en ny vänort i Danmark")]
    assert items and all(i.status == "changed" for i in items)
    b_quotes = " ".join(fold_text(i.b.quote) for i in items)
    assert "soka ett vanortssamarbete med en kommun i danmark" in b_quotes
    assert "fora inledande diskussioner" in b_quotes
    assert all("Danmark" in i.topic for i in items)


def test_ukraine_goal_changed(plans):
    items = _with(plans[2], "a", "projekt såsom Ukraina")
    assert items and all(i.status == "changed" and "ukraina" in fold_text(i.b.quote) for i in items)
    b_quotes = " ".join(fold_text(i.b.quote) for i in items)
    assert "ny vanort i ukraina" in b_quotes or "med ukraina som utmanande exempel" in b_quotes


def test_focus_areas(plans):
    item = _only(plans[2], "Fokus och prioriteringar")
    assert item.status == "changed"
    assert "+ Internationell solidaritet" in item.differences
    same = {fold_text(i.b.quote) for i in plans[2] if i.status == "same" and i.b}
    assert {"vanortssamarbeten", "elevutbyten", "amnesspecifika projekt"} <= same


def test_south_africa_icld_project_is_new(plans):
    items = _with(plans[2], "b", "Modern Youth Participation med Mogale City i Sydafrika")
    assert [i.status for i in items] == ["only_b"]
    assert "Sydafrika" in items[0].topic


def test_quotes_are_exact_and_cited_by_line(plans):
    doc_a, doc_b, items = plans
    for item in items:
        for side, doc in ((item.a, doc_a), (item.b, doc_b)):
            if side is None:
                continue
            assert side.doc_id == doc.doc_id
            at = doc.text.find(side.quote)
            assert at >= 0, side.quote
            starts = []
            while at >= 0:
                starts.append(line_of(doc.text, at))
                at = doc.text.find(side.quote, at + 1)
            assert side.start_line in starts
            assert side.end_line >= side.start_line


@pytest.mark.parametrize(
    ("topic", "expected"),
    [
        ("budget", "Budget"),
        ("ledamöter", "Ordförande"),
        ("Danmark", "Mål Norden: Danmark"),
        ("fokus", "Fokus och prioriteringar"),
    ],
)
def test_topic_filter(corpus, topic, expected):
    doc_a, doc_b = corpus[A], corpus[B]
    items = compare_documents(
        doc_a, chunk_document(doc_a), doc_b, chunk_document(doc_b), topic, names=NAMES
    )
    assert any(i.topic.replace("Mal ", "Mål ") == expected for i in items)
    assert all(matches_topic(i, topic) for i in items)
    everything = compare_documents(
        doc_a, chunk_document(doc_a), doc_b, chunk_document(doc_b), names=NAMES
    )
    assert len(items) < len(everything) / 2


def test_topic_filter_keeps_out_other_topics(plans):
    items = [i for i in plans[2] if matches_topic(i, "ledamöter")]
    assert not any("Ukraina" in i.topic or i.topic == "Budget" for i in items)
    people = [i.topic for i in items if i.topic.startswith("Ledamöter:")]
    assert len(people) == 4


def test_render_comparison(plans):
    table = comparison_table(plans[2])
    lines = table.splitlines()
    assert lines[0].split(" | ")[:3] == [
        "status  ",
        "ämne                          ",
        "A" + " " * 43,
    ]
    assert "Δ 177 tkr → 180 000 kr" in table
    assert "only_b" in table and "only_a" in table
    assert all(len(line) <= 140 for line in lines)
