"""Each scanned page's OCR confidence, and the pages too unsure to keep flagged for re-scan."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.ocr_scan import render_pages
from ingest.ocr import LOW_CONFIDENCE, LOW_SWEDISH, swedish_share, word_confidence
from ingest.pdf import read_pdf
from tests.service.http.desk import AUTH, TOKEN, desk_client

GOOD = (
    "Vänortsavtal med Årjäng\n\n"
    "Kommunen har beslutat att inleda ett vänortssamarbete med Årjängs kommun.\n"
    "Samarbetet ska omfatta elevutbyten, kultur och näringsliv under flera år.\n"
    "Budgeten för samarbetet fastställs av kommunstyrelsen varje höst.\n"
)
ENGLISH = (
    "Twinning agreement\n\n"
    "The council has decided to start a partnership with a town in the north, covering "
    "school exchanges, culture and business over several years. The budget for the work is "
    "set by the board every autumn, and the results are reported to the council in spring.\n"
)
TSV_HEADER = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
)


def test_word_confidence_weighs_words_by_length_and_skips_non_words():
    rows = [
        TSV_HEADER,
        "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t",
        "5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90\tkommunen",  # 8 letters
        "5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t30\tab",  # 2 letters
        "5\t1\t1\t1\t1\t3\t0\t0\t10\t10\t95\t ",  # no word
    ]
    assert word_confidence("\n".join(rows)) == pytest.approx((90 * 8 + 30 * 2) / 10)
    assert word_confidence(TSV_HEADER) is None


def test_english_has_few_swedish_function_words_and_short_texts_say_nothing():
    assert swedish_share(GOOD * 3) > LOW_SWEDISH > swedish_share(ENGLISH)
    assert swedish_share("Verksamhetsplan 2023") is None


def scan_with_bad_pages(path: Path, dpi: int = 200) -> Path:
    """A three-page scan: a good Swedish page, the same page upside down, an English page."""
    good = render_pages(GOOD, dpi)[0]
    bad = [good.rotate(180), render_pages(ENGLISH, dpi)[0]]
    good.save(path, "PDF", save_all=True, append_images=bad, resolution=float(dpi))
    return path


@pytest.mark.slow
def test_upside_down_and_english_pages_are_flagged_and_the_good_one_is_not(tmp_path):
    if not shutil.which("tesseract"):
        pytest.skip("tesseract is not installed (Debian tesseract-ocr + tesseract-ocr-swe)")
    pdf = read_pdf(scan_with_bad_pages(tmp_path / "scan.pdf").read_bytes())
    good, upside_down, english = pdf.confidence
    assert [p.low for p in pdf.confidence] == [False, True, True]
    assert good.confidence > LOW_CONFIDENCE > (upside_down.confidence or 0)
    assert english.confidence > LOW_CONFIDENCE  # read confidently, but not Swedish
    assert good.swedish > LOW_SWEDISH > english.swedish
    flagged = [w for w in pdf.warnings if "scan it again" in w]
    assert [w.split(":")[0] for w in flagged] == ["page 2", "page 3"]


@pytest.mark.slow
def test_an_uploaded_scan_reports_its_pages(tmp_path):
    if not shutil.which("tesseract"):
        pytest.skip("tesseract is not installed (Debian tesseract-ocr + tesseract-ocr-swe)")
    client, _, _ = desk_client(tmp_path, admin_token=TOKEN)
    scan = scan_with_bad_pages(tmp_path / "skannat-avtal.pdf").read_bytes()
    r = client.post(
        "/api/admin/documents",
        files={"file": ("skannat-avtal.pdf", scan)},
        data={"title": "Skannat avtal", "doc_type": "avtal"},
        headers=AUTH,
    )
    assert r.status_code == 200, r.text
    (status,) = [f for f in r.json()["files"] if f["doc_id"] == "skannat-avtal"]
    assert [(p["page"], p["low"]) for p in status["ocr_pages"]] == [
        (1, False), (2, True), (3, True),
    ]  # fmt: skip
    flagged = {m.split(": ")[-2] for m in status["messages"] if "scan it again" in m}
    assert flagged == {"page 2", "page 3"}
