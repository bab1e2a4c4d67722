"""axe-core over the three tabs, each showing a result: no serious or critical violations.

axe-core is the npm package in tests/ui/axe (scripts/setup.sh test runs `npm ci` there).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.ui.conftest import DESKTOP, PHONE, open_page
from ui.screenshot import CHROMIUM, ask_in_page

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason=f"Chromium not installed at {CHROMIUM}"
    ),
    pytest.mark.skipif(
        not AXE.exists(), reason="axe-core not installed: bash scripts/setup.sh test"
    ),
]
SERIOUS = ("serious", "critical")


def violations(page) -> list[dict]:
    """axe's violations on the page as shown, WCAG 2.1 A/AA and best practice."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                        where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
    )


def settled(page, shown: str):
    """The result `shown` is drawn fully opaque and nothing is pending: Gradio draws a pending
    output at opacity 0.2 and fades it in, which axe rightly reads as too little contrast (a
    busy CI machine caught the wording tab so)."""
    page.wait_for_function(
        """selector => {
            if ([...document.querySelectorAll('.pending')].some(e => e.offsetParent !== null))
                return false;
            for (let e = document.querySelector(selector); e; e = e.parentElement)
                if (getComputedStyle(e).opacity !== '1') return false;
            return document.getAnimations().every(a => a.playState !== 'running');
        }""",
        arg=shown,
    )
    return page


def show_each_tab(page):
    """Yield (tab, page) with each tab showing a result: an answer, a lookup, a comparison."""
    ask_in_page(page, "Vilka vänorter finns?")
    page.locator("#chat .feedback").last.get_by_role(
        "button", name="Nej, svaret hjälpte inte"
    ).click()
    yield "Fråga", settled(page, "#chat .feedback")
    page.get_by_role("tab", name="Exakt formulering").click()
    page.locator("#wording-text textarea").fill("delta i internationellt samarbete")
    page.locator("#wording-search").click()
    page.locator(".wording-card").first.wait_for()
    yield "Exakt formulering", settled(page, ".wording-card")
    page.get_by_role("tab", name="Jämför planer").click()
    page.wait_for_function("document.querySelector('#compare-b input')?.value")
    page.locator("#compare-run").click()
    page.locator(".compare-table").wait_for()
    yield "Jämför planer", settled(page, ".compare-table")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_serious_or_critical_accessibility_violations(browser, live_url, viewport):
    page = open_page(browser, live_url, viewport)
    try:
        found = {}
        for tab, shown in show_each_tab(page):
            found[tab] = violations(shown)
        report = {
            tab: [f"{v['impact']}: {v['id']} ×{v['nodes']} {v['where']}" for v in vs]
            for tab, vs in found.items()
        }
        print(report)  # the counts go in the report: pytest -s shows them
        serious = {t: [v for v in vs if v["impact"] in SERIOUS] for t, vs in found.items()}
        assert serious == {tab: [] for tab in found}, report
    finally:
        page.context.close()
