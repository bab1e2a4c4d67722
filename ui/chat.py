"""The Gradio chat page: question box, example questions, filters, answer and source cards."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

# The machine running this is offline and Gradio phones home on import unless told not to;
# setdefault so an operator's own choice still wins.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # after the analytics switch above, on purpose

from service.facade import KnowledgeBase
from service.models import MAX_QUESTION_CHARS, Answer, Filters
from ui.cards import (
    CARDS_CSS,
    render_error,
    render_placeholder,
    render_sources,
)

log = logging.getLogger(__name__)

TITLE = "Falu kommun – internationellt arbete"
INTRO = (
    "Ställ en fråga om Falu kommuns internationella arbete. Svaren bygger bara på "
    "kommunens dokument och citerar dem ordagrant: varje hänvisning [1], [2] … pekar på "
    "ett citat under *Källor*, som du kan öppna och kontrollera i dokumentet."
)
ALL = "Alla"
ERROR_MESSAGE = (
    "Något gick fel när frågan skulle besvaras. Försök igen om en stund, "
    "eller formulera frågan på ett annat sätt."
)

Message = dict[str, Any]


def _choices(values: list[str | int]) -> list[str]:
    return [ALL, *(str(v) for v in values)]


def _filters(municipality: str | None, doc_type: str | None, year: str | None) -> Filters:
    """Dropdown values to service Filters; "Alla" (or nothing chosen) means no filter."""

    def pick(value: str | None) -> str | None:
        return None if value in (None, "", ALL) else value

    year_value = pick(year)
    return Filters(
        municipality=pick(municipality),
        doc_type=pick(doc_type),
        year=int(year_value) if year_value is not None else None,
    )


def _assistant_text(answer: Answer) -> str:
    return answer.answer.strip() or "Det framgår inte av dokumenten."


def make_respond(kb: KnowledgeBase) -> Callable[..., tuple[list[Message], str, str]]:
    """The chat handler: (question, history, filters...) -> (history, sources HTML, box)."""

    def respond(
        question: str | None,
        history: list[Message] | None,
        municipality: str | None,
        doc_type: str | None,
        year: str | None,
    ) -> tuple[list[Message], str, str]:
        history = list(history or [])
        question = (question or "").strip()
        if not question:
            return history, render_error("Skriv en fråga först."), ""
        history.append({"role": "user", "content": question})
        if len(question) > MAX_QUESTION_CHARS:
            notice = f"Frågan är för lång ({len(question)} tecken, högst {MAX_QUESTION_CHARS})."
            history.append({"role": "assistant", "content": notice})
            return history, render_error(notice), ""
        try:
            answer = kb.ask(question, _filters(municipality, doc_type, year))
        except Exception:
            # The reader gets a plain Swedish message; the details go to the server log.
            log.exception("kb.ask failed for question %r", question)
            history.append({"role": "assistant", "content": ERROR_MESSAGE})
            return history, render_error(ERROR_MESSAGE), ""
        history.append({"role": "assistant", "content": _assistant_text(answer)})
        return history, render_sources(answer), ""

    return respond


def make_load_filters(kb: KnowledgeBase) -> Callable[[], tuple[Any, Any, Any]]:
    """Fill the filter dropdowns when the page loads, so the kb is not touched at build time."""

    def load_filters() -> tuple[Any, Any, Any]:
        try:
            options = kb.filter_options()
        except Exception:
            log.exception("kb.filter_options failed; showing only 'Alla'")
            options = {}
        return tuple(  # type: ignore[return-value]  # always three updates
            gr.update(choices=_choices(options.get(field, [])), value=ALL)
            for field in ("municipality", "doc_type", "year")
        )

    return load_filters


def build_ui(kb: KnowledgeBase, examples: list[str]) -> gr.Blocks:
    """The chat page. `kb` is only called from event handlers, never while building."""
    respond = make_respond(kb)
    with gr.Blocks(title=TITLE) as demo:
        gr.Markdown(f"# {TITLE}\n\n{INTRO}", elem_id="intro")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=360):
                chatbot = gr.Chatbot(
                    label="Samtal",
                    height=460,
                    elem_id="chat",
                    placeholder="Ställ en fråga nedan eller välj en exempelfråga.",
                    feedback_options=None,
                    buttons=["copy"],
                )
                with gr.Row():
                    question = gr.Textbox(
                        placeholder="Skriv din fråga här …",
                        show_label=False,
                        lines=1,
                        max_lines=4,
                        scale=5,
                        elem_id="question",
                    )
                    ask = gr.Button("Fråga", variant="primary", scale=1, elem_id="ask")
                with (
                    gr.Accordion("Avgränsa sökningen", open=False, elem_id="filters"),
                    gr.Row(),
                ):
                    municipality = gr.Dropdown([ALL], value=ALL, label="Kommun")
                    doc_type = gr.Dropdown([ALL], value=ALL, label="Dokumenttyp")
                    year = gr.Dropdown([ALL], value=ALL, label="År")
                example_set = (
                    gr.Examples(
                        examples=[[q] for q in examples],
                        inputs=[question],
                        label="Exempelfrågor",
                        examples_per_page=max(len(examples), 1),
                    )
                    if examples
                    else None
                )
            with gr.Column(scale=2, min_width=320):
                sources = gr.HTML(
                    render_placeholder(),
                    css_template=CARDS_CSS,
                    js_on_load=None,  # the default makes the whole panel a click target
                    elem_id="sources",
                )

        inputs = [question, chatbot, municipality, doc_type, year]
        outputs = [chatbot, sources, question]
        ask.click(respond, inputs, outputs, api_visibility="private")
        question.submit(respond, inputs, outputs, api_visibility="private")
        if example_set is not None:
            # A click on an example fills the box; ask it right away.
            example_set.load_input_event.then(respond, inputs, outputs, api_visibility="private")
        demo.load(
            make_load_filters(kb),
            None,
            [municipality, doc_type, year],
            api_visibility="private",
        )
    return demo
