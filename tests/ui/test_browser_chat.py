"""The chat in headless Chromium as a new user meets it: input safety, sources per answer,
[n] chips, the question box, refusals under a filter, feedback, Swedish, phone layout."""

from __future__ import annotations

import os

import pytest

from service.models import MAX_QUESTION_CHARS
from tests.ui.conftest import DESKTOP, PHONE, TIMEOUT_MS
from tests.ui.fakes import DISPLAY
from ui.screenshot import CHROMIUM, ask_in_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason=f"Chromium not installed at {CHROMIUM}"
    ),
]
ANSWERED = "Vad ska Falu kommun göra internationellt?"
REFUSED = "Hur många bor på månen?"
PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    "[klicka här](javascript:alert(3)) ![bild](/y.png)",
]


def wait_for_turns(page, n):
    page.wait_for_function(
        f"document.querySelectorAll('#chat .turn .turn-sources article, "
        f"#chat .turn .not-answerable').length >= 1 && "
        f"document.querySelectorAll('#chat .turn').length === {n}"
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_typed_markup_is_shown_as_text_and_runs_nothing(page, payload):
    requests, dialogs = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    ask_in_page(page, payload, TIMEOUT_MS)
    page.wait_for_timeout(500)  # time for an injected image or script to fire
    strays = [u for u in requests if u.rstrip("/").endswith(("/x", "/y.png")) or "alert" in u]
    assert strays == [] and dialogs == []
    assert page.locator("#chat img, #chat script, #chat a[href^='javascript']").count() == 0
    bubble = page.locator("#chat .user-bubble .user-text").last
    assert bubble.inner_text() == payload


def test_copying_an_answer_copies_plain_text(browser, live_url):
    context = browser.new_context(viewport=DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(live_url + "/")
    try:
        ask_in_page(page, ANSWERED, TIMEOUT_MS)
        page.locator("#chat .copy-btn").last.click()
        page.wait_for_function("document.querySelector('#chat .copy-btn').innerText === 'Kopierat'")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("Falu kommun ska delta i internationellt samarbete [1].")
        assert (
            "Källor:\n[1] Internationell strategi, Internationell strategi › Syfte, rad 4–5"
            in copied
        )
        assert "<" not in copied
    finally:
        context.close()


def test_each_answer_keeps_its_own_sources(page):
    ask_in_page(page, ANSWERED, TIMEOUT_MS)
    ask_in_page(page, REFUSED, TIMEOUT_MS)
    wait_for_turns(page, 2)
    first, second = page.locator("#chat .turn").nth(0), page.locator("#chat .turn").nth(1)
    assert first.locator(".citation-card").count() == 1
    assert "delta i internationellt samarbete" in first.locator("mark").first.inner_text()
    assert second.locator(".not-answerable").count() == 1
    assert second.locator(".citation-card").count() == 0


def test_clearing_the_chat_clears_its_sources_and_an_empty_submit_changes_nothing(page):
    ask_in_page(page, ANSWERED, TIMEOUT_MS)
    box = page.locator("#question textarea")
    box.fill("   ")
    box.press("Enter")
    page.wait_for_timeout(800)
    assert page.locator(".citation-card").count() == 1
    assert "Skriv en fråga först" not in page.locator("body").inner_text()
    page.locator("#clear-chat").click()
    page.wait_for_function("document.querySelectorAll('#chat .turn').length === 0")
    assert page.locator(".citation-card, .cite-chip").count() == 0


def test_a_chip_previews_its_quote_and_takes_the_reader_to_its_card(page):
    ask_in_page(page, ANSWERED, TIMEOUT_MS)
    chip = page.locator("#chat .cite-chip").first
    preview = chip.locator(".chip-preview")
    assert not preview.is_visible()
    chip.hover()
    assert preview.is_visible() and preview.inner_text() == "delta i internationellt samarbete"
    page.mouse.wheel(0, 2000)
    chip.click()
    card = page.locator("#kalla-1-1")
    page.wait_for_function("document.querySelector('#kalla-1-1').classList.contains('flash')")
    assert card.is_visible() and card.bounding_box()["y"] < DESKTOP["height"]


def test_cards_show_joined_lines_kept_lists_and_one_card_per_passage(page):
    ask_in_page(page, f"Vilka {DISPLAY} finns?", TIMEOUT_MS)
    cards = page.locator("#chat .citation-card")
    assert cards.count() == 2  # three citations, two of them from one passage
    shared = cards.nth(0)
    assert [n.inner_text() for n in shared.locator(".card-n").all()] == ["[1]", "[3]"]
    passage = shared.locator(".card-passage").first
    assert passage.locator("mark").first.inner_text() == (
        "Falun har fem vänorter i Norden och samarbetar med dem i många frågor "
        "om skola, kultur och näringsliv"
    )
    assert "https://" not in passage.inner_text() and "falun.se/…" in passage.inner_text()
    shared.get_by_text("Visa ordagrant").click()
    assert "vänorter1" in shared.locator(".verbatim").inner_text()
    members = cards.nth(1).locator(".card-passage mark").inner_text()
    assert members.splitlines() == [
        "Jan E Fors (M), ordförande",
        "Jonas Sallén (S)",
        "Elisabeth Rooth (C)",
    ]
    page.locator("#chat .cite-chip", has_text="3").click()
    page.wait_for_function("document.querySelector('#kalla-1-1').classList.contains('flash')")


def test_the_question_box_is_capped_counted_and_needs_text(page):
    ask = page.locator("#ask")
    assert ask.is_disabled()
    box = page.locator("#question textarea")
    box.click()
    page.keyboard.insert_text("x" * (MAX_QUESTION_CHARS + 1000))  # a paste
    assert len(box.input_value()) == MAX_QUESTION_CHARS
    count = page.locator("#question-count")
    page.wait_for_function(
        f"document.querySelector('#question-count').innerText.includes('{MAX_QUESTION_CHARS} /')"
    )
    assert f"{MAX_QUESTION_CHARS} / {MAX_QUESTION_CHARS} tecken" in count.inner_text()
    page.wait_for_function("!document.querySelector('#ask').disabled")
    box.fill("")
    page.wait_for_function("document.querySelector('#ask').disabled")


def test_a_refusal_under_a_filter_says_so_and_offers_to_clear_it(page, ui_kb):
    page.locator("#filters").get_by_text("Avgränsa sökningen").click()
    page.get_by_label("Kommun").click()
    page.get_by_role("option", name="Falköpings kommun").click()
    ask_in_page(page, REFUSED, TIMEOUT_MS)
    note = page.locator("#chat .filter-note")
    assert "avgränsad till kommun Falköpings kommun" in note.inner_text()
    note.get_by_role("button", name="Ta bort avgränsningen").click()
    page.wait_for_function("document.querySelector('#filters input').value === 'Alla'")
    assert page.locator("#question textarea").input_value() == REFUSED
    page.locator("#ask").click()
    page.wait_for_function("document.querySelectorAll('#chat .turn').length === 2")
    assert ui_kb.history[-1][1].municipality is None


def test_a_thumb_says_thanks_and_takes_an_optional_comment(page, ui_kb):
    ask_in_page(page, ANSWERED, TIMEOUT_MS)
    feedback = page.locator("#chat .feedback").last
    feedback.get_by_role("button", name="Nej, svaret hjälpte inte").click()
    assert feedback.get_by_text("Tack för ditt svar!").is_visible()
    feedback.get_by_label("Vad saknades? (valfritt)").fill("Beslutsdatum")
    feedback.get_by_label("Fel källa").check()
    feedback.get_by_role("button", name="Skicka").click()
    for _ in range(75):  # the call goes through Gradio's queue: poll the fake
        if ui_kb.comments and ui_kb.comments[-1][2]:
            break
        page.wait_for_timeout(200)
    answer_id = f"svar-{len(ui_kb.history)}"
    assert ui_kb.comments[-2:] == [
        (answer_id, False, None),
        (answer_id, False, "fel källa: Beslutsdatum"),
    ]
    assert "Tack! Din kommentar är skickad." in feedback.inner_text()


ENGLISH = {"textbox", "like", "dislike", "clear", "copy", "submit", "dropdown", "retry", "undo"}


def test_the_page_is_swedish_for_screen_readers(page):
    assert page.evaluate("document.documentElement.lang") == "sv"
    assert page.get_by_role("textbox", name="Din fråga").count() == 1
    ask_in_page(page, ANSWERED, TIMEOUT_MS)
    names = page.evaluate(
        "[...document.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label'))"
    )
    assert not [n for n in names if n.strip().lower() in ENGLISH]
    page.get_by_role("tab", name="Exakt formulering").click()
    assert page.get_by_role("textbox", name="Formulering").count() == 1


def test_on_a_phone_the_box_is_in_view_and_sources_follow_the_answer(phone):
    box = phone.locator("#question textarea").bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"]
    ask_in_page(phone, ANSWERED, TIMEOUT_MS)
    answer = phone.locator("#chat .answer-bubble").last.bounding_box()
    card = phone.locator("#chat .citation-card").first.bounding_box()
    assert 0 <= card["y"] - (answer["y"] + answer["height"]) < 120
    assert card["width"] > PHONE["width"] * 0.7


def test_a_malformed_line_link_gets_a_swedish_page(page, live_url):
    response = page.goto(live_url + "/dokument/falun-strategi?from=abc&to=5")
    assert response.status == 400
    assert page.locator("h1").inner_text() == "Felaktig länk till dokumentet"
    assert page.evaluate("document.documentElement.lang") == "sv"
    page.get_by_text("Öppna hela dokumentet").click()
    assert page.locator("h1").inner_text() == "Internationell strategi"
