"""The real page in headless Chromium: ask, see a citation card, open the document."""

from __future__ import annotations

import os

import pytest

from tests.ui.conftest import EXAMPLES
from tests.ui.fakes import LLM_REMOVED
from ui.chat import DRAFT_LABEL
from ui.screenshot import ANSWER_SELECTOR, CHROMIUM, ask_in_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason=f"Chromium not installed at {CHROMIUM}"
    ),
]
TIMEOUT_MS = 30_000


@pytest.fixture
def page(browser, live_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(live_url + "/")
    yield page
    context.close()


def test_question_gets_citation_card_with_working_link(page):
    ask_in_page(page, "Vad ska Falu kommun göra internationellt?", TIMEOUT_MS)
    card = page.locator(".citation-card").first
    assert "Internationell strategi" in card.inner_text()
    marked = " ".join(card.locator(".card-passage mark").first.inner_text().split())
    assert marked == "delta i internationellt samarbete"
    assert page.locator("#chat .answer-bubble .cite-chip").first.inner_text().startswith("1")

    with page.context.expect_page() as opened:
        card.get_by_text("Öppna dokumentet här").click()
    doc = opened.value
    doc.wait_for_load_state()
    assert doc.url.endswith("/dokument/falun-strategi?from=4&to=5#L4")
    assert doc.locator("#L4").get_attribute("class") == "line cited"
    assert "Internationell strategi" in doc.locator("h1").inner_text()


def test_example_question_shows_not_answerable_state(page):
    page.locator("#question textarea").wait_for()
    page.get_by_text(EXAMPLES[1], exact=True).click()
    page.wait_for_selector(ANSWER_SELECTOR)
    notice = page.locator(".not-answerable")
    assert "Det framgår inte av dokumenten" in notice.inner_text()
    assert page.locator(".nearest-card").count() >= 1
    assert page.locator(".citation-card").count() == 0


def test_filter_dropdowns_are_filled_from_the_kb(page, ui_kb):
    page.locator("#filters").get_by_text("Avgränsa sökningen").click()
    page.get_by_label("Kommun").click()
    page.get_by_role("option", name="Falköpings kommun").click()
    ask_in_page(page, "Vad gäller i Falköping?", TIMEOUT_MS)
    question, filters = ui_kb.history[-1]
    assert question == "Vad gäller i Falköping?"
    assert filters.municipality == "Falköpings kommun" and filters.year is None


def test_wording_tab_marks_the_match_in_a_card(page):
    page.get_by_role("tab", name="Exakt formulering").click()
    page.locator("#wording-text textarea").fill("delta i internationellt samarbete")
    page.locator("#wording-search").click()
    card = page.locator(".wording-card").first
    card.wait_for()
    assert " ".join(card.locator("mark").first.inner_text().split()) == (
        "delta i internationellt samarbete"
    )
    assert "Exakt formulering" in card.locator(".wording-exact").inner_text()
    href = card.get_by_text("Öppna dokumentet här").get_attribute("href")
    assert href == "/dokument/falun-strategi?from=4&to=5#L4"


def test_wording_tab_says_when_the_wording_is_not_there(page):
    page.get_by_role("tab", name="Exakt formulering").click()
    page.locator("#wording-text textarea").fill("Vi reser till månen")
    page.locator("#wording-search").click()
    notice = page.locator(".wording-none")
    notice.wait_for()
    assert "Formuleringen finns inte i dokumenten" in notice.inner_text()
    assert page.locator(".wording-nearest").count() == 1
    assert page.locator(".wording-card").count() == 0


def test_compare_tab_shows_the_default_plans_side_by_side(page):
    page.get_by_role("tab", name="Jämför planer").click()
    # The dropdowns are filled by a page-load event: wait for the defaults to arrive.
    page.wait_for_function(
        "document.querySelector('#compare-b input')?.value === 'Verksamhetsplan 2023 (2023)'"
    )
    assert page.locator("#compare-a input").input_value() == "Handlingsplan 2020 (2020)"
    page.locator("#compare-run").click()
    table = page.locator(".compare-table")
    table.wait_for()
    changed = table.locator("tr.status-changed", has_text="Budget")
    assert changed.count() == 1
    assert "177 tkr" in changed.inner_text() and "180 000 kr" in changed.inner_text()
    assert "177 tkr → 180 000 kr" in table.locator(".compare-differences").first.inner_text()
    assert table.locator("tr.status-only_a, tr.status-only_b").count() == 2


def test_thumbs_on_an_answer_reach_the_kb_as_feedback(page, ui_kb):
    ask_in_page(page, "Vad ska Falu kommun göra internationellt?", TIMEOUT_MS)
    before = len(ui_kb.feedbacks)
    feedback = page.locator("#chat .feedback").last
    assert "Hjälpte svaret?" in feedback.inner_text()
    feedback.get_by_label("Nej, svaret hjälpte inte").click()
    for _ in range(75):  # the call goes through Gradio's queue: poll the fake
        if len(ui_kb.feedbacks) > before:
            break
        page.wait_for_timeout(200)
    assert ui_kb.feedbacks[-1][1] is False
    assert ui_kb.feedbacks[-1][0] == f"svar-{len(ui_kb.history)}"


def test_llm_answer_grows_as_a_marked_draft_then_shows_the_checked_answer(page):
    page.locator("#question textarea").fill("Svara fritt: vad gör kommunen?")
    page.locator("#ask").click()
    chat = page.locator("#chat")
    # the draft appears word by word, labelled as unchecked, before any source card
    page.get_by_text(DRAFT_LABEL).wait_for()
    assert DRAFT_LABEL in chat.inner_text()
    assert page.locator(".citation-card").count() == 0
    page.wait_for_selector(".mode-llm")
    final = chat.locator(".answer-bubble").last.inner_text()
    assert DRAFT_LABEL not in final and LLM_REMOVED not in final
    assert "Falu kommun ska delta i internationellt samarbete 1." in final
    note = page.locator(".mode-note")
    assert "Formulerat av språkmodellen" in note.inner_text()
    note.get_by_text("Borttaget vid kontroll (1)").click()
    assert LLM_REMOVED in note.inner_text()
