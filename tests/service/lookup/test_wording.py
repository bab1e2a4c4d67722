"""Wording lookup on the real corpus: exact, reformatted, reworded and OCR-damaged phrases."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.chunk import chunk_document
from ingest.load import load_corpus
from lang import tokens_of
from service.lookup.wording import FOUND_SCORE, find_wording

CORPUS = Path(__file__).resolve().parents[3] / "corpus"
A, B = "falun-handlingsplan-2020", "falun-verksamhetsplan-2023"


@lru_cache(maxsize=1)
def _corpus():
    docs = {d.doc_id: d for d in load_corpus(CORPUS).documents}
    return docs, [c for d in docs.values() for c in chunk_document(d)]


@pytest.fixture(scope="module")
def corpus():
    return _corpus()


@pytest.fixture(scope="module")
def raw_corpus(corpus):
    """The corpus with the scanned plan as raw OCR, as before repair."""
    docs = dict(corpus[0])
    docs[B] = docs[B].model_copy(update={"text": docs[B].raw_text})
    return docs, [c for d in docs.values() for c in chunk_document(d)]


def _check_spans(result, docs):
    for m in [*result.matches, *result.nearest]:
        assert docs[m.doc_id].text[m.start : m.end] == m.text
        assert m.context[m.highlight_start : m.highlight_end] == m.text
        assert docs[m.doc_id].text[m.context_start :].startswith(m.context)
        assert 0.0 <= m.score <= 1.0


def test_exact_match_ranks_first(corpus):
    result = find_wording("Inneha kunskap om EU och dess olika fonder", *corpus)
    assert result.found
    exact = [m for m in result.matches if m.exact]
    assert {m.doc_id for m in exact} == {A, B}
    assert result.matches[: len(exact)] == exact
    assert all(m.score == 1.0 for m in exact)
    assert any(not m.exact for m in result.matches)  # the strategy's close variant
    first = next(m for m in exact if m.doc_id == A)
    assert (first.start_line, first.end_line) == (42, 42)
    assert "Verksamhetsmål 2020" in first.section
    _check_spans(result, corpus[0])


def test_case_diacritics_and_line_breaks_are_ignored(corpus):
    phrase = "INTERNATIONELLA RADETS budget for\ngenomforande av   verksamhet 2020 ar 177 TKR"
    result = find_wording(phrase, *corpus)
    assert result.matches[0].exact and result.matches[0].doc_id == A
    assert result.matches[0].text.endswith("177 tkr")
    # across a line break in the 2023 plan
    result = find_wording("verksamhet 2023 är 180 000 kr", *corpus)
    assert result.matches[0].doc_id == B
    assert (result.matches[0].start_line, result.matches[0].end_line) == (171, 172)


@pytest.mark.parametrize(
    "phrase",
    [
        "Undersöka möjligheten om en ny vänort i Danmark",  # inflected
        "Undersöka om möjligheterna en ny vänort i Danmark",  # two words swapped
        "Undersöka möjligheterna om en vänort i Danmark",  # a word dropped
        "undersoka mojligheterna om en ny vanort i Danmark och Norge",  # a word added
    ],
)
def test_reworded_phrase_matches_approximately(corpus, phrase):
    result = find_wording(phrase, *corpus)
    assert result.found
    top = result.matches[0]
    assert (top.doc_id, top.start_line, top.exact) == (A, 41, False)
    assert FOUND_SCORE <= top.score < 1.0


@pytest.mark.parametrize("variant", ["indexed", "raw"])
def test_correct_swedish_finds_the_scanned_plan(corpus, raw_corpus, variant):
    docs, chunks = corpus if variant == "indexed" else raw_corpus
    result = find_wording("Fördjupa samarbeten med vänorterna Röros och Hamina", docs, chunks)
    top = result.matches[0]
    assert (top.doc_id, top.start_line) == (B, 61)
    assert top.score > 0.9
    assert "Norden" in top.section
    _check_spans(result, docs)


def test_damaged_spelling_finds_the_clean_plan(corpus):
    result = find_wording("Aktiviteterna &r knutna till praktiska resultat", *corpus)
    assert {m.doc_id for m in result.matches if m.exact} == {A, B}


@pytest.mark.parametrize(
    "phrase",
    [
        "Kommunen ska bygga en ny simhall vid Lugnet under nästa år",
        "Vi vill stärka det europeiska samarbetet med våra vänorter i Tyskland",
        "Falun ska verka för fred och demokrati i hela världen genom kultur",
    ],
)
def test_absent_wording_returns_nearest(corpus, phrase):
    result = find_wording(phrase, *corpus)
    assert not result.found and result.matches == []
    assert result.nearest and all(m.score < FOUND_SCORE for m in result.nearest)
    _check_spans(result, corpus[0])


def test_filters_limit_documents(corpus):
    result = find_wording(
        "Inneha kunskap om EU och dess olika fonder", *corpus, filters={"year": 2023}
    )
    assert [m.doc_id for m in result.matches] == [B]


def test_empty_query(corpus):
    result = find_wording("  …  ", *corpus)
    assert not result.found and result.nearest == []


_WORDS = re.compile(r"\S+")


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_any_six_word_stretch_is_found_exactly(data):
    docs, chunks = _corpus()
    doc = docs[data.draw(st.sampled_from(sorted(docs)), label="doc")]
    words = list(_WORDS.finditer(doc.text))
    n = data.draw(st.integers(6, 14), label="words")
    i = data.draw(st.integers(0, len(words) - n), label="first word")
    phrase = doc.text[words[i].start() : words[i + n - 1].end()]
    tokens = tokens_of(phrase)
    start, end = words[i].start() + tokens[0].start, words[i].start() + tokens[-1].end
    result = find_wording(phrase, docs, chunks, limit=50)
    assert any(
        m.exact and m.doc_id == doc.doc_id and (m.start, m.end) == (start, end)
        for m in result.matches
    ), phrase
