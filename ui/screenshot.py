"""The README's screenshots: an answer with its sources, a wording lookup and a plan
comparison, each at desktop (1280×900) and phone (390×844) size, against a running server.

Usage: python -m ui.screenshot URL [DIR]            (all six, into DIR, default docs/)
       python -m ui.screenshot URL QUESTION PATH    (one answered question)
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


VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
QUESTION = "Vem är ordförande i internationella rådet 2023?"
WORDING = "Fördjupa samarbeten med vänorterna Röros och Hamina"
COMPARE_TOPIC = "ledamöter"


def _chat(page: Page) -> None:
    ask_in_page(page, QUESTION)
    page.locator("#chat .turn").last.scroll_into_view_if_needed()


def _wording(page: Page) -> None:
    page.get_by_role("tab", name="Exakt formulering").click()
    page.locator("#wording-text textarea").fill(WORDING)
    page.locator("#wording-search").click()
    page.locator("#wording-results article").first.wait_for(timeout=30_000)


def _compare(page: Page) -> None:
    page.get_by_role("tab", name="Jämför planer").click()
    page.wait_for_function("document.querySelector('#compare-b input')?.value", timeout=30_000)
    page.locator("#compare-topic textarea").fill(COMPARE_TOPIC)
    page.locator("#compare-run").click()
    page.locator(".compare-table").wait_for(timeout=30_000)


SHOTS = {"chat": _chat, "wording": _wording, "compare": _compare}


def take_screenshots(url: str, out_dir: str | Path = "docs") -> list[Path]:
    """docs/screenshot-{chat,wording,compare}-{desktop,phone}.png from the page at `url`;
    each shows the top of the page down to the result (a phone, a screen and a half)."""
    from playwright.sync_api import sync_playwright

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            for size, viewport in VIEWPORTS.items():
                for name, show in SHOTS.items():
                    page = browser.new_page(viewport=viewport)
                    page.goto(url)
                    page.locator("#question textarea").wait_for(timeout=30_000)
                    show(page)
                    page.wait_for_timeout(400)  # fonts and the scroll settle
                    path = out / f"screenshot-{name}-{size}.png"
                    height = min(
                        page.evaluate("document.body.scrollHeight"), 2 * viewport["height"]
                    )
                    page.screenshot(
                        path=str(path),
                        full_page=True,
                        clip={"x": 0, "y": 0, "width": viewport["width"], "height": height},
                    )
                    paths.append(path)
                    page.close()
        finally:
            browser.close()
    return paths


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) == 3:
        print(take_screenshot(*args))
        return 0
    if len(args) in (1, 2):
        for path in take_screenshots(*args):
            print(path)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
