"""App factory and a live server for the UI tests; swap `ui_kb` to test the real service."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI

from service.facade import KnowledgeBase
from tests.served import served
from tests.ui.fakes import FakeKnowledgeBase
from ui.mount import mount_ui

EXAMPLES = [
    "Vad ska Falu kommun göra internationellt?",
    "Hur många bor på månen?",
]


@pytest.fixture(scope="module")
def ui_kb() -> KnowledgeBase:
    """The KnowledgeBase behind the UI; override this fixture to use the real service."""
    return FakeKnowledgeBase(draft_delay=0.15)


@pytest.fixture(scope="module")
def ui_app() -> Callable[[KnowledgeBase], FastAPI]:
    """Factory: a FastAPI app with the document pages and the chat page at "/"."""

    def make(kb: KnowledgeBase, examples: list[str] = EXAMPLES) -> FastAPI:
        return mount_ui(FastAPI(), lambda: kb, examples)

    return make


@pytest.fixture(scope="module")
def live_url(ui_app, ui_kb) -> Iterator[str]:
    """A real uvicorn server in a background thread; yields its base URL."""
    with served(ui_app(ui_kb), timeout=30) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through Playwright, one per test module."""
    from ui.screenshot import launch_chromium

    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()


# --- pages in headless Chromium, at desktop and phone size (the browser tests) ----------

TIMEOUT_MS = 30_000
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def open_page(browser, url, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url + "/")
    page.locator("#question textarea").wait_for()
    return page


@pytest.fixture
def page(browser, live_url):
    page = open_page(browser, live_url, DESKTOP)
    yield page
    page.context.close()


@pytest.fixture
def phone(browser, live_url):
    page = open_page(browser, live_url, PHONE)
    yield page
    page.context.close()
