"""The wording and compare handlers without a browser: inputs, filters, friendly errors."""

from __future__ import annotations

from service.models import Filters
from tests.ui.fakes import FakeKnowledgeBase
from ui.compare_tab import make_compare, make_load_documents
from ui.wording_tab import make_find_wording


def test_wording_search_passes_filters_and_renders_cards():
    kb = FakeKnowledgeBase()
    html = make_find_wording(kb)(
        "  delta i internationellt samarbete ", "Falu kommun", "Alla", "2020"
    )
    assert 'class="wording-card"' in html and "<mark>" in html
    assert kb.history == [
        ("delta i internationellt samarbete", Filters(municipality="Falu kommun", year=2020))
    ]


def test_blank_wording_does_not_reach_the_kb():
    kb = FakeKnowledgeBase()
    assert "Klistra in" in make_find_wording(kb)("  ", None, None, None)
    assert kb.history == []


def test_wording_failure_is_a_friendly_message():
    html = make_find_wording(FakeKnowledgeBase(fail=True))("x", None, None, None)
    assert "ui-error" in html and "index is gone" not in html


def test_compare_renders_the_table_with_document_labels():
    html = make_compare(FakeKnowledgeBase())("falun-plan-2020", "falun-plan-2023", " ")
    assert "compare-table" in html and "A: Handlingsplan 2020 (2020)" in html
    assert html.count('<tr class="compare-row ') == 5  # the chair's three items are one row


def test_compare_topic_narrows_the_rows():
    html = make_compare(FakeKnowledgeBase())("falun-plan-2020", "falun-plan-2023", "budget")
    assert html.count('<tr class="compare-row ') == 1 and "status-changed" in html


def test_compare_needs_two_documents_and_survives_errors():
    assert "Välj två dokument" in make_compare(FakeKnowledgeBase())("falun-plan-2020", None, "")
    assert "finns inte" in make_compare(FakeKnowledgeBase())("nope", "falun-plan-2023", "")
    failing = make_compare(FakeKnowledgeBase(fail=True))("falun-plan-2020", "falun-plan-2023", "")
    assert "ui-error" in failing and "index is gone" not in failing


def test_document_dropdowns_default_to_the_oldest_and_newest_plan():
    a, b = make_load_documents(FakeKnowledgeBase())()
    assert (a["value"], b["value"]) == ("falun-plan-2020", "falun-plan-2023")
    assert ("Handlingsplan 2020 (2020)", "falun-plan-2020") in a["choices"]
