"""OCR repair: dev-line accuracy, clean documents untouched, and its properties."""

from __future__ import annotations

import functools
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.ocr_accuracy import score
from ingest.repair import repair_document_text, repair_file, repair_text
from ingest.repair_lexicon import Lexicon, corpus_lexicon
from ingest.repair_words import looks_damaged

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
OCR_DOC = CORPUS / "falun-verksamhetsplan-2023.txt"
CLEAN_DOCS = sorted(p for p in [*CORPUS.glob("*.txt"), *CORPUS.glob("*.md")] if p != OCR_DOC)
OCR_DEV = ROOT / "eval" / "ocr_dev"


@functools.cache
def default_lexicon() -> Lexicon:
    """The repository corpus's lexicon, built once for this module's tests."""
    return corpus_lexicon(CORPUS)


DEV_ACCURACY_FLOOR = 0.99  # measured 1.0 (266/266 tokens, raw 0.7368)


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    started = time.perf_counter()
    lexicon = default_lexicon()
    # Dictionary + wordfreq + corpus counts take ~1-2 s on this machine; guard against drift.
    assert time.perf_counter() - started < 20
    return lexicon


def _fix(text: str, lexicon: Lexicon) -> str:
    return repair_text(text, lexicon).text


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        (
            "Kommunen ar ansvarig for att utveckla samarbetet med vanorterna.",
            "Kommunen är ansvarig för att utveckla samarbetet med vänorterna.",
        ),
        (
            "Vi maste &ven soka pengar fran EU under nasta ar.",
            "Vi måste även söka pengar från EU under nästa år.",
        ),
        (
            "Det 6vergripande malet ar att framja samarbetet.",
            "Det övergripande målet är att främja samarbetet.",
        ),
        ("Budgeten galler for tre ar.", "Budgeten gäller för tre år."),
        ("Ändamalet med atgarderna ar klart.", "Ändamålet med åtgärderna är klart."),
        ("Vi arbetar med var egen skola.", "Vi arbetar med vår egen skola."),
        ("Gvriga fragor tas upp pa motet.", "Övriga frågor tas upp på mötet."),
        ("| arbetet ingar dven skolor.", "I arbetet ingår även skolor."),
    ],
)
def test_hand_made_damaged_sentences_are_fixed(
    damaged: str, repaired: str, lexicon: Lexicon
) -> None:
    assert _fix(damaged, lexicon) == repaired


def test_bullet_glyphs_become_bullets_but_dashes_stay(lexicon: Lexicon) -> None:
    text = "e Vanorter\n¢ Kultur\no | skolan\n - Elever\nKultur e Turism"
    assert _fix(text, lexicon).split("\n") == [
        "• Vänorter",
        "• Kultur",
        "• I skolan",
        " - Elever",
        "Kultur e Turism",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Jan E Fors (M), ordförande, Dnr KS0081/23",
        "Besök i Chateauroux och Mogale City: Modern Youth Participation (ICLD).",
        "EU-medel 2022-2024, 850 000 kr (50%) enligt https://www.falun.se/arbete och info@falun.se",
        "Vara resurs och kunskapsbas. Alla idéer om C-Cities, Erasmus+ och Nordplus.",
    ],
)
def test_names_abbreviations_numbers_and_valid_words_are_left_alone(
    text: str, lexicon: Lexicon
) -> None:
    assert repair_text(text, lexicon).changes == []


def test_dev_lines_accuracy_and_nothing_broken(lexicon: Lexicon) -> None:
    raw = (OCR_DEV / "raw.txt").read_text(encoding="utf-8")
    corrected = (OCR_DEV / "corrected.txt").read_text(encoding="utf-8")
    result = score(raw, repair_text(raw, lexicon).text, corrected)
    assert result.repaired_accuracy >= DEV_ACCURACY_FLOOR, result.wrong
    assert result.broken == 0, result.wrong
    assert result.repaired_accuracy > result.raw_accuracy


def test_ocr_document_is_damaged_and_repaired_line_for_line(lexicon: Lexicon) -> None:
    raw = OCR_DOC.read_text(encoding="utf-8")
    assert looks_damaged(raw, lexicon)
    result = repair_document_text(raw, lexicon)
    assert result.text.count("\n") == raw.count("\n")
    assert len(result.changes) > 100
    assert {c.line for c in result.changes} <= set(range(1, raw.count("\n") + 2))
    assert repair_file(OCR_DOC, lexicon) == repair_text(raw, lexicon)
    assert _fix(result.text, lexicon) == result.text


@pytest.mark.parametrize("path", CLEAN_DOCS, ids=lambda p: p.name)
def test_clean_documents_pass_through_unchanged(path: Path, lexicon: Lexicon) -> None:
    text = path.read_text(encoding="utf-8")
    assert not looks_damaged(text, lexicon)
    result = repair_document_text(text, lexicon)
    assert result.text == text
    assert result.changes == []


def test_line_count_is_preserved(lexicon: Lexicon) -> None:
    text = "\n\nar\r\n  6ver \n\ne Vanort\n"
    assert len(_fix(text, lexicon).split("\n")) == len(text.split("\n"))


_OCR_ALPHABET = "aaooddeéi6&@|1lGrtnskmvgf åäöÅÄÖAO-/.,\n"
_ocr_text = st.text(alphabet=_OCR_ALPHABET, max_size=60)
_fast = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_fast
@given(text=_ocr_text)
def test_repair_is_idempotent(text: str) -> None:
    lexicon = default_lexicon()  # the session fixture's object: hypothesis wants no fixtures
    once = _fix(text, lexicon)
    assert _fix(once, lexicon) == once


@_fast
@given(text=_ocr_text)
def test_repair_never_removes_swedish_letters_and_keeps_lines(text: str) -> None:
    repaired = _fix(text, default_lexicon())
    assert repaired.count("\n") == text.count("\n")
    assert len(repaired.split()) == len(text.split())
    for letter in "åäöÅÄÖ":
        assert repaired.count(letter) >= text.count(letter), letter
