"""The feedback review page in headless Chromium: 403 without the admin token, sign in,
state a reason, see the thumbs-down answer, mark it handled with its right citation."""

from __future__ import annotations

import os
import re

import pytest

from tests.served import served
from tests.service.http.desk import AUTH, TOKEN, desk_client
from ui.screenshot import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason=f"Chromium not installed at {CHROMIUM}"
    ),
]
TIMEOUT_MS = 30_000
QUESTION = "Vem är internationell koordinator?"


@pytest.fixture(scope="module")
def admin_site(tmp_path_factory):
    """The whole app (hash embedder) served by uvicorn, with one thumbs-down answer."""
    client, _, _ = desk_client(tmp_path_factory.mktemp("admin"), admin_token=TOKEN)
    answer = client.post("/api/ask", json={"question": QUESTION}).json()
    feedback = {"answer_id": answer["answer_id"], "helpful": False, "comment": "fel källa"}
    assert client.post("/api/feedback", json=feedback).status_code == 200
    with served(client.app, timeout=30) as url:
        yield url, client, answer


def test_the_review_page_needs_the_token_then_marks_a_case_handled(browser, admin_site):
    url, client, answer = admin_site
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    assert page.goto(url + "/admin/").status == 403
    page.fill("input[name=token]", "fel")
    page.click("button[type=submit]")
    assert "Fel admin-token" in page.content()
    page.fill("input[name=token]", TOKEN)
    page.click("button[type=submit]")
    page.locator("#show").wait_for()
    assert page.url.endswith("/admin/")

    page.locator("#reason textarea, #reason input").first.fill("veckans genomgång")
    page.locator("#show").click()
    case = page.locator(f"#cases article[data-answer-id='{answer['answer_id']}']")
    case.wait_for()
    assert QUESTION in case.inner_text() and "fel källa" in case.inner_text()
    assert "läge: extractive" in case.inner_text()

    page.locator("#case input").click()
    page.get_by_role("option", name=re.compile(re.escape(QUESTION[:30]))).click()
    first = answer["citations"][0]
    page.locator("#right label", has_text=f"[{first['n']}]").locator("input").check()
    page.locator("#mark").click()
    page.locator("#marked").get_by_text("Markerat som hanterat").wait_for()

    handled = client.get(
        "/api/admin/feedback", params={"reason": "test", "handled": True}, headers=AUTH
    ).json()
    assert [(c["answer_id"], c["review"]["right"]) for c in handled] == [
        (answer["answer_id"], [first["n"]])
    ]
    context.close()
