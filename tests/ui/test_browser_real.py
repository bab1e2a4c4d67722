"""The real product in headless Chromium: a dev-set answer, the compare and wording tabs."""

from __future__ import annotations

import os

import pytest

from tests.served import served
from ui.screenshot import CHROMIUM, ask_in_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason=f"Chromium not installed at {CHROMIUM}"
    ),
]


@pytest.fixture(scope="module")
def real_url(real_app):
    with served(real_app) as url:
        yield url


@pytest.fixture
def page(browser, real_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(real_url + "/")
    yield page
    context.close()


def test_dev_question_gets_an_answer_with_a_citation_card(page):
    ask_in_page(page, "Vilken vänort har Falun i Finland?", 60_000)
    card = page.locator(".citation-card").first
    card.wait_for()
    assert "Internationell strategi och programförklaring" in card.inner_text()
    assert "Hamina" in page.locator("#chat").inner_text()


def test_compare_tab_shows_the_budget_change_between_the_plans(page):
    page.get_by_role("tab", name="Jämför planer").click()
    # Filled by a page-load event; the defaults are the oldest and the newest plan.
    page.wait_for_function(
        "document.querySelector('#compare-b input')?.value"
        " === 'Internationella rådets verksamhetsplan 2023 (2023)'"
    )
    assert (
        page.locator("#compare-a input").input_value() == "Internationell handlingsplan 2020 (2020)"
    )
    page.locator("#compare-topic textarea").fill("budget")
    page.locator("#compare-run").click()
    page.locator(".compare-table").wait_for()
    budget = page.locator("tr.compare-row", has_text="177 tkr").filter(has_text="180 000 kr")
    assert budget.count() == 1
    assert "status-changed" in (budget.get_attribute("class") or "")
    links = budget.locator("a")
    assert links.nth(0).get_attribute("href").startswith("/dokument/falun-handlingsplan-2020?")
    assert links.nth(1).get_attribute("href").startswith("/dokument/falun-verksamhetsplan-2023?")


def test_wording_tab_finds_a_sentence_of_the_scanned_plan(page):
    page.get_by_role("tab", name="Exakt formulering").click()
    page.locator("#wording-text textarea").fill(
        "Fördjupa samarbeten med vänorterna Röros och Hamina"
    )
    page.locator("#wording-search").click()
    page.locator("#wording-results .wording-card").first.wait_for()
    card = page.locator(".wording-card", has_text="Internationella rådets verksamhetsplan 2023")
    assert card.count() >= 1
    marked = " ".join(card.first.locator("mark").first.inner_text().split())
    assert marked == "Fördjupa samarbeten med vänorterna Röros och Hamina"


def test_a_follow_up_gets_an_answer_and_shows_how_it_was_read(page):
    ask_in_page(page, "Vad var internationella rådets budget 2023?", 60_000)
    page.locator(".citation-card").first.wait_for()
    box = page.locator("#question textarea")
    box.fill("Och 2020?")
    page.locator("#ask").click()
    interpreted = page.locator(".interpreted")
    interpreted.wait_for(timeout=60_000)
    assert "Vad var internationella rådets budget 2020?" in interpreted.inner_text()
    last = page.locator("section.turn").last
    last.locator(".citation-card").first.wait_for(timeout=60_000)
    assert "177 tkr" in last.inner_text()
