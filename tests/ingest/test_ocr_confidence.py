"""Each scanned page's OCR confidence, and the pages too unsure to keep flagged for re-scan."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.ocr_scan import render_pages
from ingest.ocr import LOW_CONFIDENCE, word_confidence
from ingest.pdf import read_pdf

GOOD = (
    "Vänortsavtal med Årjäng\n\n"
    "Kommunen har beslutat att inleda ett vänortssamarbete med Årjängs kommun.\n"
    "Samarbetet ska omfatta elevutbyten, kultur och näringsliv under flera år.\n"
    "Budgeten för samarbetet fastställs av kommunstyrelsen varje höst.\n"
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


def scan_with_a_bad_page(path: Path, dpi: int = 200) -> Path:
    """A two-page scan: page 1 a good Swedish page, page 2 the same page upside down."""
    good = render_pages(GOOD, dpi)[0]
    good.save(path, "PDF", save_all=True, append_images=[good.rotate(180)], resolution=float(dpi))
    return path


@pytest.mark.slow
def test_an_upside_down_page_is_flagged_and_the_good_one_is_not(tmp_path):
    if not shutil.which("tesseract"):
        pytest.skip("tesseract is not installed (Debian tesseract-ocr + tesseract-ocr-swe)")
    pdf = read_pdf(scan_with_a_bad_page(tmp_path / "scan.pdf").read_bytes())
    good, bad = pdf.confidence
    assert (good.page, good.low, bad.page, bad.low) == (1, False, 2, True)
    assert good.confidence > LOW_CONFIDENCE > (bad.confidence or 0)
    flagged = [w for w in pdf.warnings if "scan it again" in w]
    assert len(flagged) == 1 and flagged[0].startswith("page 2: OCR confidence")
