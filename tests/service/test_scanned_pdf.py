"""A scanned PDF dropped into the corpus is searchable and citable after ingest, with pages."""

import shutil

import pytest

from bench.ocr_scan import make_scanned_pdf
from service.kb import KnowledgeBaseService
from service.pipeline import run_ingest
from service.settings import Settings
from tests.conftest import CORPUS, add_to_catalog

pytestmark = pytest.mark.slow

SCAN_TEXT = (
    "Vänortsavtal med Årjäng\n\n"
    "Kommunen har beslutat att inleda ett vänortssamarbete med Årjängs kommun.\n"
    "Samarbetet ska omfatta elevutbyten och kultur.\n"
    "\f"
    "Budget för vänortsavtalet\n\n"
    "För samarbetet avsätts 25 000 kronor per år under perioden 2025–2027.\n"
)


@pytest.fixture(scope="module")
def kb_with_scan(tmp_path_factory):
    if not shutil.which("tesseract"):
        pytest.skip("tesseract is not installed (Debian tesseract-ocr + tesseract-ocr-swe)")
    root = tmp_path_factory.mktemp("scan")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    make_scanned_pdf(SCAN_TEXT, corpus / "vanortsavtal-arjang.pdf", dpi=200)
    add_to_catalog(
        corpus,
        "vanortsavtal-arjang",
        file="vanortsavtal-arjang.pdf",
        title="Vänortsavtal med Årjäng",
        municipality="Falu kommun",
        doc_type="avtal",
        year=2025,
        ocr=True,
    )
    settings = Settings(data_dir=root / "data", corpus_dir=corpus)
    report = run_ingest(settings)
    assert "vanortsavtal-arjang" in {f.doc_id for f in report.files if f.status != "error"}
    return KnowledgeBaseService.open(settings)


def test_scanned_pdf_is_searchable_with_page_numbers(kb_with_scan):
    results = kb_with_scan.search("budget vänortsavtal Årjäng kronor", k=5)
    scan = [r for r in results if r.doc_id == "vanortsavtal-arjang"]
    assert scan, results
    assert any("25 000 kronor" in r.text and r.location.page == 2 for r in scan)


# The budget sentence lacks the partner's name, which only its heading carries: the question
# model's best_passage_lacks counts the passage with its headings, so the question is answered.
def test_scanned_pdf_is_citable_with_its_page(kb_with_scan):
    answer = kb_with_scan.ask("Hur mycket pengar avsätts för samarbetet med Årjäng per år?")
    assert answer.answerable
    cited = [c for c in answer.citations if c.doc_id == "vanortsavtal-arjang"]
    budget = [c for c in cited if "25 000 kronor" in c.quote]
    assert budget and budget[0].location.page == 2  # the quote's own page, not the chunk's first
    assert all(c.quote in kb_with_scan.document_text("vanortsavtal-arjang") for c in cited)
    assert kb_with_scan.document("vanortsavtal-arjang").ocr
