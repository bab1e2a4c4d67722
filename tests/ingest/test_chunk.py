"""Chunking: span invariants on the corpus, expected chunks, and properties on random text."""

from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.chunk import ChunkerConfig, chunk_document
from ingest.schema import Document, DocumentMeta
from ingest.structure import CONTENT_KINDS, parse_blocks

_TOC_LINE = re.compile(r"\.{4,}\s*\d+\s*$", re.MULTILINE)


def test_every_chunk_is_an_exact_span_with_lines(corpus) -> None:
    for doc in corpus.documents:
        chunks = chunk_document(doc, ChunkerConfig())
        assert chunks, doc.doc_id
        for n, chunk in enumerate(chunks):
            assert doc.text[chunk.start : chunk.end] == chunk.text
            assert chunk.text == chunk.text.strip()
            assert chunk.start_line == doc.text.count("\n", 0, chunk.start) + 1
            assert chunk.end_line == doc.text.count("\n", 0, chunk.end) + 1
            assert chunk.ordinal == n and chunk.doc_id == doc.doc_id
            assert not _TOC_LINE.search(chunk.text)
        assert len({c.chunk_id for c in chunks}) == len(chunks)


def test_chunk_ids_are_deterministic(docs) -> None:
    doc = docs["falun-internationell-strategi"]
    assert chunk_document(doc) == chunk_document(doc)


def test_member_list_is_one_chunk(docs) -> None:
    chunks = chunk_document(docs["falun-handlingsplan-2020"])
    member = [c for c in chunks if "Catharina Enhörning (M), ordförande" in c.text]
    assert len(member) == 1
    chunk = member[0]
    assert chunk.kind == "list" and chunk.section[-1] == "Organisationens medlemmar"
    assert "Internationella rådet består av:" in chunk.text and "Jan E Fors (M)" in chunk.text


def test_ocr_plan_has_goal_chunk_under_mal_norden(docs) -> None:
    chunks = chunk_document(docs["falun-verksamhetsplan-2023"])
    # the scan's text is repaired at load, so its headings read as correct Swedish
    norden = [c for c in chunks if c.section == ("Verksamhetsmål 2023", "Mål Norden")]
    assert norden and norden[0].kind == "goal"
    assert norden[0].text.startswith("1. Fördjupa samarbeten")


def test_falkoping_arrow_bullets_are_a_list_without_glyphs(docs) -> None:
    chunks = chunk_document(docs["falkoping-internationell-policy"])
    chunk = next(c for c in chunks if "Informationsinsatser" in c.text)
    assert chunk.kind == "list" and chunk.section == ("Strategiska områden",)
    assert chunk.text.startswith("Det övergripande målet")
    assert chunk.text.endswith("Nätverksbyggande – samverkan")


def test_headings_are_sections_not_chunks(docs) -> None:
    chunks = chunk_document(docs["falun-policy-internationella-kontakter-och-eu"])
    assert all(c.text != "RIKTLINJER" for c in chunks)
    assert {c.section for c in chunks} >= {("POLICY",), ("RIKTLINJER",)}


# --- properties on generated structured text -------------------------------------------

_WORD = st.text(alphabet="abcdefghijklmnopråäö", min_size=1, max_size=9)


@st.composite
def _sentence(draw) -> str:
    words = draw(st.lists(_WORD, min_size=1, max_size=30))
    return words[0].capitalize() + (" " + " ".join(words[1:]) if words[1:] else "") + "."


@st.composite
def _document_text(draw) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["heading", "paragraph", "list", "noise", "wrapped"]))
        if kind == "heading":
            parts.append(draw(_WORD).capitalize() + " " + draw(_WORD))
        elif kind == "paragraph":
            parts.append(" ".join(draw(st.lists(_sentence(), min_size=1, max_size=12))))
        elif kind == "wrapped":
            parts.append("\n\n".join(draw(st.lists(_sentence(), min_size=1, max_size=5))))
        elif kind == "list":
            glyph = draw(st.sampled_from(["- ", "• ", "- ▶ ", "1. ", "e "]))
            intro = draw(_sentence())[:-1] + ":"
            items = draw(st.lists(_sentence(), min_size=1, max_size=8))
            parts.append(intro + "\n" + "\n".join(glyph + item for item in items))
        else:
            parts.append(str(draw(st.integers(1, 99))))
    return "\n\n".join(parts) + "\n"


@settings(max_examples=150, deadline=None)
@given(text=_document_text(), max_chars=st.integers(80, 700))
def test_chunks_cover_content_without_overlap(text: str, max_chars: int) -> None:
    meta = DocumentMeta(doc_id="d", title="t", municipality="m", doc_type="x", file="d.txt")
    doc = Document(meta=meta, text=text, raw_text=text, content_hash="0")
    config = ChunkerConfig(max_chars=max_chars, min_chars=min(120, max_chars // 2))
    chunks = chunk_document(doc, config)
    covered = set()
    for before, after in itertools.pairwise(chunks):
        assert before.end <= after.start
    for chunk in chunks:
        assert text[chunk.start : chunk.end] == chunk.text
        single_sentence = not re.search(r"[.!?]\s+\S", chunk.text)
        assert len(chunk.text) <= max_chars or single_sentence
        covered.update(range(chunk.start, chunk.end))
    for block in parse_blocks(text):
        if block.kind in CONTENT_KINDS:
            missing = [i for i in range(block.start, block.end) if not text[i].isspace()]
            assert all(i in covered for i in missing), block
