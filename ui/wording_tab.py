"""The "Exakt formulering" tab: paste a phrase, see where the documents say it."""

from __future__ import annotations

import logging
from collections.abc import Callable

from service.facade import KnowledgeBase
from service.models import MAX_QUESTION_CHARS
from ui.cards import render_error
from ui.filters import filter_dropdowns, gr, make_load_filters, to_filters
from ui.wording_view import WORDING_CSS, render_wording, render_wording_placeholder

log = logging.getLogger(__name__)

ERROR_MESSAGE = "Något gick fel vid sökningen. Försök igen om en stund."


def make_find_wording(kb: KnowledgeBase) -> Callable[..., str]:
    """The search handler: (text, filters...) -> result HTML."""

    def find_wording(
        text: str | None, municipality: str | None, doc_type: str | None, year: str | None
    ) -> str:
        text = (text or "").strip()
        if not text:
            return render_error("Klistra in en formulering först.")
        if len(text) > MAX_QUESTION_CHARS:
            return render_error(
                f"Texten är för lång ({len(text)} tecken, högst {MAX_QUESTION_CHARS})."
            )
        try:
            result = kb.wording(text, to_filters(municipality, doc_type, year))
            where = {d.doc_id: d.municipality for d in kb.documents()}
        except Exception:
            log.exception("kb.wording failed for %r", text)
            return render_error(ERROR_MESSAGE)
        return render_wording(result, where, kb.home_municipality)

    return find_wording


def build_wording_tab(kb: KnowledgeBase, demo: gr.Blocks) -> None:
    """Build the tab in the current Blocks context; `kb` is reached only from events."""
    gr.Markdown(
        "Klistra in en formulering, till exempel ur ett utkast, och se var den står i "
        "dokumenten: ordagrant eller nästan (skiftläge, å/ä/ö, OCR-fel, böjning och "
        "ordföljd spelar ingen roll)."
    )
    with gr.Row():
        text = gr.Textbox(
            label="Formulering",
            placeholder="Klistra in formuleringen här …",
            show_label=False,
            lines=2,
            max_lines=8,
            max_length=MAX_QUESTION_CHARS,
            scale=5,
            elem_id="wording-text",
        )
        search = gr.Button("Sök formulering", variant="primary", scale=1, elem_id="wording-search")
    with gr.Accordion("Avgränsa sökningen", open=False, elem_id="wording-filters"), gr.Row():
        municipality, doc_type, year = filter_dropdowns()
    results = gr.HTML(
        render_wording_placeholder(),
        css_template=WORDING_CSS,
        js_on_load=None,  # the default makes the whole panel a click target
        elem_id="wording-results",
    )
    inputs = [text, municipality, doc_type, year]
    handler = make_find_wording(kb)
    search.click(handler, inputs, [results], api_visibility="private")
    text.submit(handler, inputs, [results], api_visibility="private")
    demo.load(make_load_filters(kb), None, [municipality, doc_type, year], api_visibility="private")
