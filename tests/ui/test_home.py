"""The home municipality is the service's setting: the UI asks the service, not a constant."""

from __future__ import annotations

from fastapi.testclient import TestClient

from service.http.app import create_app
from service.settings import Settings
from tests.ui.fakes import FakeKnowledgeBase
from ui.cards import render_sources
from ui.chat import intro, page_title
from ui.document_view import render_document_page

HOME = "Testby kommun"


class ElsewhereKnowledgeBase(FakeKnowledgeBase):
    home_municipality = HOME


def test_cards_badge_every_municipality_but_the_services_own():
    kb = ElsewhereKnowledgeBase()
    answer = kb.ask("Vad ska kommunen göra internationellt?")
    assert answer.citations and all(c.municipality != HOME for c in answer.citations)
    assert "badge-other-municipality" in render_sources(answer, kb.home_municipality)
    own = render_sources(answer, answer.citations[0].municipality)
    assert "badge-other-municipality" not in own
    detail = kb.document("falun-strategi")
    assert "badge-other-municipality" in render_document_page(detail, None, None, home=HOME)


def test_the_page_and_the_api_are_titled_by_the_services_home():
    assert page_title(HOME) == "Testby kommun – internationellt arbete"
    assert intro(HOME).startswith("Ställ en fråga om Testby kommuns internationella arbete.")
    app = create_app(Settings(), kb=ElsewhereKnowledgeBase())
    assert app.title == page_title(HOME)
    page = TestClient(app).get("/")
    assert page.status_code == 200 and page_title(HOME) in page.text


def test_the_home_municipality_is_a_setting(monkeypatch):
    monkeypatch.setenv("FALUN_KB_HOME_MUNICIPALITY", HOME)
    settings = Settings()
    assert settings.home_municipality == settings.answer.home_municipality == HOME
