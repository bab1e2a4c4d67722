"""The wording and compare tabs in headless Chromium: what is shown first, what is apart,
how a phone shows a comparison, and a comparison of a document with itself."""

from __future__ import annotations

import os

import pytest

from tests.ui.conftest import PHONE
from ui.screenshot import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason=f"Chromium not installed at {CHROMIUM}"
    ),
]


def compare_defaults(page):
    page.get_by_role("tab", name="Jämför planer").click()
    page.wait_for_function(
        "document.querySelector('#compare-b input')?.value === 'Verksamhetsplan 2023 (2023)'"
    )
    page.locator("#compare-run").click()
    page.locator(".compare-table").wait_for()


def test_a_comparison_shows_the_changes_and_the_legend_switches_rows(page):
    compare_defaults(page)
    table = page.locator(".compare-table")
    assert not table.locator("tr.status-same").is_visible()  # unchanged: hidden at first
    assert table.locator("tr.status-changed").first.is_visible()
    page.get_by_role("checkbox", name="Oförändrat (1)").check()
    assert table.locator("tr.status-same").is_visible()
    page.get_by_role("checkbox", name="Ändrat (2)", exact=True).uncheck()
    assert not table.locator("tr.status-changed").first.is_visible()
    assert not table.locator("tr.compare-diff").first.is_visible()
    assert table.locator("tr.status-only_a").is_visible()


def test_a_change_of_chair_is_one_row(page):
    compare_defaults(page)
    rows = page.locator("tr.compare-row", has_text="Jan Berg (S), ordförande")
    assert rows.count() == 1
    assert "Anna Ek (M), ordförande" in rows.inner_text() and "Jan Berg (S)" in rows.inner_text()
    assert page.locator("tr.compare-row", has_text="Anna Ek").count() == 1


def test_a_changed_row_marks_the_changed_phrases(page):
    compare_defaults(page)
    row = page.locator("tr.status-changed", has_text="Budget")
    assert row.locator("td.side-a del").first.inner_text() == "177 tkr."
    assert row.locator("td.side-b ins").first.inner_text() == "180 000 kr."


def test_on_a_phone_a_comparison_stacks_a_over_b(phone):
    compare_defaults(phone)
    row = phone.locator("tr.status-changed", has_text="Budget")
    a, b = row.locator("td.side-a").bounding_box(), row.locator("td.side-b").bounding_box()
    assert b["y"] >= a["y"] + a["height"] - 1
    assert a["width"] > PHONE["width"] * 0.6 and b["width"] > PHONE["width"] * 0.6
    assert row.locator("td.side-a .side-label").inner_text().startswith("A: Handlingsplan 2020")


def test_comparing_a_document_with_itself_is_pointed_out(page, ui_kb):
    page.get_by_role("tab", name="Jämför planer").click()
    page.wait_for_function(
        "document.querySelector('#compare-b input')?.value === 'Verksamhetsplan 2023 (2023)'"
    )
    page.locator("#compare-b input").click()
    page.get_by_role("option", name="Handlingsplan 2020 (2020)").click()
    before = len(ui_kb.history)
    page.locator("#compare-run").click()
    warning = page.locator("#compare-results .ui-error")
    warning.wait_for()
    assert "samma dokument" in warning.inner_text()
    assert page.locator(".compare-table").count() == 0 and len(ui_kb.history) == before


def test_wording_lookup_counts_only_real_matches_and_names_each_municipality(page):
    page.get_by_role("tab", name="Exakt formulering").click()
    page.locator("#wording-text textarea").fill("delta i internationellt samarbete")
    page.locator("#wording-search").click()
    page.locator(".wording-card").first.wait_for()
    results = page.locator("#wording-results")
    assert "1 ställe med formuleringen" in results.inner_text()
    assert page.locator(".wording-card").count() == 1
    assert "Falu kommun" in page.locator(".wording-card .card-meta").inner_text()
    also = page.locator(".wording-nearest")
    assert "Även liknande – inte samma formulering (1)" in results.inner_text()
    assert "Falköpings kommun" in also.inner_text() and "Likhet 0.62" in also.inner_text()
