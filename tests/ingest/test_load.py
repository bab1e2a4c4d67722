"""Loading: catalog, encodings, markup stripping, PDFs and bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pymupdf
import pytest

from ingest.chunk import ChunkerConfig, chunk_document
from ingest.load import (
    IngestError,
    LoadResult,
    infer_meta,
    load_catalog,
    load_corpus,
    load_document,
)
from ingest.markup import strip_markup
from service.lexicon import LEXICON_DIR
from tests.ingest.conftest import CORPUS


def _pdf_bytes(pages: list[str]) -> bytes:
    doc = pymupdf.open()
    for text in pages:
        page = doc.new_page()
        if text:
            page.insert_text((72, 72), text)
    return doc.tobytes()


def test_catalog_has_every_corpus_file() -> None:
    catalog = load_catalog(CORPUS)
    files = [p for p in CORPUS.iterdir() if p.is_file()]  # corpus/lexicon/ is no document
    assert set(catalog) == {p.stem for p in files if p.name != "catalog.json"}
    assert {p.name for p in CORPUS.iterdir() if not p.is_file()} <= {LEXICON_DIR}
    assert catalog["falun-verksamhetsplan-2023"].ocr is True


def test_corpus_loads_without_problems(corpus: LoadResult) -> None:
    assert len(corpus.documents) == 5
    assert corpus.problems == []


def test_line_count_is_preserved(corpus: LoadResult) -> None:
    for doc in corpus.documents:
        source = (CORPUS / doc.meta.file).read_text(encoding="utf-8")
        assert doc.text.count("\n") == source.count("\n"), doc.doc_id
        assert doc.raw_text.count("\n") == doc.text.count("\n"), doc.doc_id
        # only the damaged scan is repaired; clean documents pass through unchanged
        assert doc.repaired == (doc.doc_id == "falun-verksamhetsplan-2023"), doc.doc_id


def test_markdown_stripping_keeps_lines_and_levels() -> None:
    source = (
        "[falun.se/](http://falun.se/)\n# Titel\n---\n## **Fokus**\n"
        "<b>Handlingsplan</b> .....\t<b>2</b>\n- ▶ Punkt med **fet** text &amp; [länk](http://x.se)"
    )
    text, headings = strip_markup(source)
    assert text.split("\n") == [
        "falun.se/",
        "Titel",
        "",
        "Fokus",
        "Handlingsplan .....\t2",
        "- ▶ Punkt med fet text & länk",
    ]
    assert headings == ((2, 1), (4, 2))


def test_md_document_line_numbers_match_file(docs) -> None:
    doc = docs["falun-handlingsplan-2020"]
    lines = doc.text.split("\n")
    assert lines[24] == "Catharina Enhörning (M), ordförande"  # line 25 of the file
    assert lines[61] == "Fokus och prioriteringar"  # was "## **Fokus och prioriteringar**"
    assert "<b>" not in doc.text and "**" not in doc.text and "](" not in doc.text


def _corpus_copy(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


def test_pdf_with_text_layer_has_pages(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(_pdf_bytes(["Mål Norden\nVi ska samarbeta med Röros.", "Sida två om Hamina."]))
    doc = load_document(path, infer_meta(path))
    assert doc.pages is not None and len(doc.pages) == len(doc.text.split("\n"))
    chunks = chunk_document(doc, ChunkerConfig(max_chars=40, min_chars=5))
    assert {c.page for c in chunks} == {1, 2}
    assert next(c for c in chunks if "Hamina" in c.text).page == 2
    assert "Röros" in doc.text


def test_pdf_page_without_text_warns(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(_pdf_bytes(["Första sidan har text.", ""]))
    doc = load_document(path, infer_meta(path))
    assert "page 2 has no text layer (needs OCR)" in doc.warnings


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("garbage.txt", bytes(range(256)) * 8, "binary"),
        ("garbage.pdf", b"\x00\x01\x02 not a pdf" * 20, "not a PDF"),
        ("cut.pdf", _pdf_bytes(["Hej"])[:300], "truncated"),
        ("blank.pdf", _pdf_bytes([""]), "needs OCR"),
        ("notes.docx", b"PK\x03\x04", "unsupported"),
    ],
)
def test_bad_file_raises_ingest_error(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError) as info:
        load_document(path, infer_meta(path))
    assert info.value.path == path
    assert reason in info.value.reason


def test_bad_files_are_reported_and_the_rest_loads(tmp_path: Path) -> None:
    corpus = _corpus_copy(tmp_path)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "garbage.txt").write_bytes(bytes(range(256)) * 8)
    (corpus / "garbage.pdf").write_bytes(b"\x89junk" * 50)
    (corpus / "cut.pdf").write_bytes(_pdf_bytes(["Hej"])[:300])
    result = load_corpus(corpus)
    assert len(result.documents) == 5
    errors = {p.path.name: p.message for p in result.problems if p.level == "error"}
    assert set(errors) == {"empty.txt", "garbage.txt", "garbage.pdf", "cut.pdf"}
    for name, message in errors.items():
        assert message.startswith(name)


def test_latin1_file_loads_with_warning(tmp_path: Path) -> None:
    corpus = _corpus_copy(tmp_path)
    text = "Plan för vänorter 2021\n\nSamarbetet med Röros är viktigt för Falun och Åre.\n"
    (corpus / "vanorter-2021.txt").write_bytes(text.encode("latin-1"))
    result = load_corpus(corpus)
    doc = next(d for d in result.documents if d.doc_id == "vanorter-2021")
    assert doc.text == text
    assert any("not valid UTF-8" in w for w in doc.warnings)
    messages = [p.message for p in result.problems if p.doc_id == "vanorter-2021"]
    assert any("cp1252" in m and m.startswith("vanorter-2021.txt") for m in messages)


def test_file_without_catalog_entry_gets_inferred_meta(tmp_path: Path) -> None:
    corpus = _corpus_copy(tmp_path)
    (corpus / "ny-plan-2024.md").write_text("\n# Ny plan\n\nText om vänorter.\n", encoding="utf-8")
    result = load_corpus(corpus)
    doc = next(d for d in result.documents if d.doc_id == "ny-plan-2024")
    assert (doc.meta.title, doc.meta.year, doc.meta.municipality) == ("Ny plan", 2024, "okänd")
    warning = next(p for p in result.problems if p.doc_id == "ny-plan-2024")
    assert warning.level == "warning" and "ny-plan-2024.md" in warning.message
    assert "no catalog entry" in warning.message
