"""The document page and its route: line anchors, cited lines, escaping, Swedish 404."""

from __future__ import annotations

from functools import partial

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.ui.fakes import FakeKnowledgeBase
from ui.document_view import document_router
from ui.document_view import render_document_page as _render_document_page

render_document_page = partial(_render_document_page, home=FakeKnowledgeBase.home_municipality)


def test_every_line_is_an_anchor_and_cited_lines_are_marked():
    detail = FakeKnowledgeBase().document("falun-strategi")
    html = render_document_page(detail, 4, 5)
    n_lines = detail.text.count("\n") + 1
    for n in range(1, n_lines + 1):
        assert f'id="L{n}"' in html
    assert '<div class="line cited" id="L4">' in html
    assert '<div class="line cited" id="L5">' in html
    assert '<div class="line" id="L3">' in html
    assert "Internationell strategi" in html and "Falu kommun" in html


def test_out_of_range_lines_are_clamped_and_text_escaped():
    detail = FakeKnowledgeBase().document("falun-strategi")
    detail = detail.model_copy(update={"text": "a\n<script>x</script>", "title": "<b>t</b>"})
    html = render_document_page(detail, 2, 99)
    assert '<div class="line cited" id="L2">' in html and 'id="L3"' not in html
    assert "<script>x" not in html and "&lt;b&gt;t&lt;/b&gt;" in html


def test_route_serves_page_and_swedish_404():
    kb = FakeKnowledgeBase()
    app = FastAPI()
    app.include_router(document_router(lambda: kb))
    client = TestClient(app)
    ok = client.get("/dokument/falkoping-policy", params={"from": 3, "to": 3})
    assert ok.status_code == 200 and "text/html" in ok.headers["content-type"]
    assert '<div class="line cited" id="L3">' in ok.text
    assert "Annan kommun: Falköpings kommun" in ok.text
    missing = client.get("/dokument/<nope>")
    assert missing.status_code == 404
    assert "Dokumentet hittades inte" in missing.text and "<nope>" not in missing.text


def test_malformed_line_numbers_get_a_swedish_page_not_json():
    kb = FakeKnowledgeBase()
    app = FastAPI()
    app.include_router(document_router(lambda: kb))
    client = TestClient(app)
    for query in ("from=abc&to=5", "from=4&to=x", "from=0", "from=-3", "from=4.5"):
        response = client.get(f"/dokument/falun-strategi?{query}")
        assert response.status_code == 400, query
        assert "Felaktig länk till dokumentet" in response.text
        assert response.headers["content-type"].startswith("text/html")
    assert client.get("/dokument/falun-strategi?from=4&to=5").status_code == 200
    assert client.get("/dokument/falun-strategi?from=&to=").status_code == 200
