"""Every kind of bad file gets a clear message in the ingest report, and the rest goes in."""

from __future__ import annotations

import shutil

import pymupdf
import pytest

from service.kb import KnowledgeBaseService
from service.pipeline import run_ingest
from service.settings import Settings
from tests.conftest import CORPUS
from tests.fakes import HashEmbedding

LATIN1 = "Vänortsträff i Åmål\n\nKommunen träffar sin vänort Åmål för utbyte om skolor och äldreomsorg.\n"


def _pdf_bytes(text: str) -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), text)
    return doc.tobytes()


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "tom.txt").write_bytes(b"")
    (corpus / "skrap.txt").write_bytes(bytes(range(256)) * 40)
    (corpus / "skrap.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    good_pdf = _pdf_bytes("Internationellt samarbete")
    (corpus / "avklippt.pdf").write_bytes(good_pdf[: len(good_pdf) // 2])
    encrypted = pymupdf.open("pdf", good_pdf)
    encrypted.save(
        corpus / "krypterad.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="o", user_pw="u"
    )
    (corpus / "latin1-amal.txt").write_bytes(LATIN1.encode("latin-1"))
    with (corpus / "jattestor.txt").open("wb") as big:
        big.truncate(200 * 1024 * 1024)  # sparse: 200 MB by size, no disk used
    (corpus / "utan-katalog.md").write_text(
        "# Besök från Tartu\n\nEn delegation från Tartu besökte Falun.\n", encoding="utf-8"
    )
    settings = Settings(data_dir=root / "data", corpus_dir=corpus)
    embedder = HashEmbedding()
    report = run_ingest(settings, embedder=embedder)
    return report, KnowledgeBaseService.open(settings, embedder=embedder)


def status_of(report, stem):
    return next(f for f in report.files if stem in f.path)


@pytest.mark.parametrize(
    ("stem", "status", "needle"),
    [
        ("tom.txt", "error", "empty"),
        ("skrap.txt", "error", "skrap.txt"),
        ("skrap.pdf", "error", "skrap.pdf"),
        ("avklippt.pdf", "error", "truncated"),
        ("krypterad.pdf", "error", "encrypted"),
        ("jattestor.txt", "error", "size limit"),
        ("latin1-amal.txt", "warning", "latin"),
        ("utan-katalog.md", "warning", "no catalog entry"),
    ],
)
def test_each_bad_file_is_reported_with_its_reason(ingested, stem, status, needle):
    report, _ = ingested
    line = status_of(report, stem)
    assert line.status == status
    assert any(needle.lower() in m.lower() for m in line.messages), line.messages
    assert stem.split(".")[0] in report.render()


def test_the_rest_of_the_corpus_is_indexed_and_searchable(ingested):
    report, kb = ingested
    ok = {f.doc_id for f in report.files if f.status in {"ok", "warning"}}
    assert {
        "falun-internationell-strategi",
        "falun-verksamhetsplan-2023",
        "falun-handlingsplan-2020",
        "falun-policy-internationella-kontakter-och-eu",
        "falkoping-internationell-policy",
        "latin1-amal",
        "utan-katalog",
    } <= ok
    assert any("Hamina" in r.text for r in kb.search("Hamina Finland vänort", k=5))
    latin = kb.search("vänort Åmål äldreomsorg", k=3)
    assert latin[0].doc_id == "latin1-amal" and "Åmål" in latin[0].text
    assert kb.search("delegation Tartu", k=1)[0].doc_id == "utan-katalog"
