"""The "Jämför planer" tab: two documents, an optional topic, and the comparison table."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from service.facade import KnowledgeBase
from ui.cards import render_error
from ui.compare_view import (
    COMPARE_CSS,
    default_pair,
    doc_choices,
    render_compare_placeholder,
    render_comparison,
)
from ui.filters import gr

log = logging.getLogger(__name__)

ERROR_MESSAGE = "Något gick fel vid jämförelsen. Försök igen om en stund."
SAME_DOCUMENT = (
    "A och B är samma dokument, så det finns inget att jämföra. Välj två olika dokument, "
    "till exempel två års planer."
)


def make_compare(kb: KnowledgeBase) -> Callable[..., str]:
    """The compare handler: (doc A, doc B, topic) -> table HTML."""

    def compare(doc_a: str | None, doc_b: str | None, topic: str | None) -> str:
        if not doc_a or not doc_b:
            return render_error("Välj två dokument att jämföra.")
        if doc_a == doc_b:
            return render_error(SAME_DOCUMENT)
        topic = (topic or "").strip() or None
        try:
            labels = {v: label for label, v in doc_choices(kb.documents())}
            items = kb.compare(doc_a, doc_b, topic)
        except KeyError:
            return render_error("Dokumentet finns inte längre. Ladda om sidan.")
        except Exception:
            log.exception("kb.compare failed for %r, %r, %r", doc_a, doc_b, topic)
            return render_error(ERROR_MESSAGE)
        return render_comparison(items, labels.get(doc_a, doc_a), labels.get(doc_b, doc_b), topic)

    return compare


def make_load_documents(kb: KnowledgeBase) -> Callable[[], tuple[Any, Any]]:
    """Fill both document dropdowns on page load; A the oldest plan, B the newest."""

    def load_documents() -> tuple[Any, Any]:
        try:
            docs = kb.documents()
        except Exception:
            log.exception("kb.documents failed; the compare dropdowns stay empty")
            docs = []
        options = doc_choices(docs)
        a, b = default_pair(docs)
        return gr.update(choices=options, value=a), gr.update(choices=options, value=b)

    return load_documents


def build_compare_tab(kb: KnowledgeBase, demo: gr.Blocks) -> None:
    """Build the tab in the current Blocks context; `kb` is reached only from events."""
    gr.Markdown(
        "Jämför två dokument punkt för punkt, till exempel två års planer. Raderna paras "
        "ihop efter innehåll och avsnitt, inte rad för rad; varje sida länkar till sitt "
        "ställe i dokumentet."
    )
    with gr.Row(equal_height=True):
        doc_a = gr.Dropdown([], label="Dokument A (äldre)", scale=4, elem_id="compare-a")
        doc_b = gr.Dropdown([], label="Dokument B (nyare)", scale=4, elem_id="compare-b")
        topic = gr.Textbox(
            label="Ämne (valfritt)",
            placeholder="Ämne, t.ex. budget, Danmark, ledamöter",
            scale=3,
            elem_id="compare-topic",
        )
        run = gr.Button("Jämför", variant="primary", scale=1, elem_id="compare-run")
    table = gr.HTML(
        render_compare_placeholder(),
        css_template=COMPARE_CSS,
        js_on_load=None,  # the default makes the whole panel a click target
        elem_id="compare-results",
    )
    handler = make_compare(kb)
    run.click(handler, [doc_a, doc_b, topic], [table], api_visibility="private")
    topic.submit(handler, [doc_a, doc_b, topic], [table], api_visibility="private")
    demo.load(make_load_documents(kb), None, [doc_a, doc_b], api_visibility="private")
