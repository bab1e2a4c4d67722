"""The real product in headless Chromium: the served app answers a dev-set question with a card."""

from __future__ import annotations

import os
import threading
import time

import pytest

from tests.ui.conftest import _free_port
from ui.screenshot import CHROMIUM, ask_in_page, launch_chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason=f"Chromium not installed at {CHROMIUM}"
    ),
]


@pytest.fixture(scope="module")
def real_url(real_app):
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(real_app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_dev_question_gets_an_answer_with_a_citation_card(real_url):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(60_000)
        page.goto(real_url + "/")
        ask_in_page(page, "Vilken vänort har Falun i Finland?", 60_000)
        card = page.locator(".citation-card").first
        card.wait_for()
        assert "Internationell strategi och programförklaring" in card.inner_text()
        assert "Hamina" in page.locator("#chat").inner_text()
        browser.close()
