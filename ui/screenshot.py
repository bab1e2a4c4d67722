"""Screenshot of the chat page with one answered question, for the README.

Usage: python -m ui.screenshot URL QUESTION PATH   (against a running server)
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

CHROMIUM = "/usr/bin/chromium"
# The machine is offline: keep Chromium from trying to reach Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ANSWER_SELECTOR = ".citation-card, .not-answerable, .ui-error"


def launch_chromium(p: Playwright, executable: str = CHROMIUM) -> Browser:
    return p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


def ask_in_page(page: Page, question: str, timeout_ms: float = 30_000) -> None:
    """Type `question`, press Fråga and wait until the sources panel shows the outcome."""
    box = page.locator("#question textarea")
    box.wait_for(timeout=timeout_ms)
    box.fill(question)
    page.locator("#ask").click()
    page.wait_for_selector(ANSWER_SELECTOR, timeout=timeout_ms)


def take_screenshot(url: str, question: str, path: str | Path) -> Path:
    """Open `url`, ask `question` and save a full-page PNG of the answer to `path`."""
    # Imported here so importing ui never needs playwright (a test-only extra).
    from playwright.sync_api import sync_playwright

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": 1360, "height": 900})
            page.goto(url)
            ask_in_page(page, question)
            page.wait_for_timeout(300)  # let the chat finish its scroll animation
            page.screenshot(path=str(path), full_page=True)
        finally:
            browser.close()
    return path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    print(take_screenshot(*args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
