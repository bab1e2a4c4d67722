"""The Gradio page: the chat tab (question, examples, filters, source cards) and the tab bar."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from service.facade import KnowledgeBase
from service.models import MAX_QUESTION_CHARS, Answer
from ui.cards import (
    CARDS_CSS,
    render_drafting,
    render_error,
    render_placeholder,
    render_sources,
)
from ui.compare_tab import build_compare_tab
from ui.filters import filter_dropdowns, gr, make_load_filters, to_filters
from ui.wording_tab import build_wording_tab

log = logging.getLogger(__name__)


def page_title(home: str) -> str:
    """The page's title, for the service's home municipality."""
    return f"{home} – internationellt arbete"


def intro(home: str) -> str:
    return (
        f"Ställ en fråga om {possessive(home)} internationella arbete. Svaren bygger bara på "
        "kommunens dokument och citerar dem ordagrant: varje hänvisning [1], [2] … pekar på "
        "ett citat under *Källor*, som du kan öppna och kontrollera i dokumentet. "
        "Under *Exakt formulering* ser du var en formulering står, och under *Jämför planer* "
        "vad som ändrats mellan två planer."
    )


def possessive(name: str) -> str:
    """Swedish genitive: "… kommun" → "… kommuns"; a name ending in s stays as it is."""
    return name if name.endswith(("s", "x", "z")) else f"{name}s"


ERROR_MESSAGE = (
    "Något gick fel när frågan skulle besvaras. Försök igen om en stund, "
    "eller formulera frågan på ett annat sätt."
)

Message = dict[str, Any]


def _assistant_text(answer: Answer) -> str:
    return answer.answer.strip() or "Det framgår inte av dokumenten."


DRAFT_LABEL = "✎ Utkast – kontrolleras mot källorna …"

Reply = tuple[list[Message], str, str, dict[str, str]]


def make_respond(kb: KnowledgeBase) -> Callable[..., tuple[list[Message], str, str]]:
    """The chat handler: (question, history, filters...) -> (history, sources HTML, box)."""
    respond_with_id = make_respond_with_id(kb)

    def respond(*args: Any) -> tuple[list[Message], str, str]:
        history, sources, box, _ = respond_with_id(*args, {})
        return history, sources, box

    return respond


def make_respond_with_id(kb: KnowledgeBase) -> Callable[..., Reply]:
    """As make_respond, also keeping which chat message holds which logged answer, so a
    thumbs up/down on it reaches the audit log. Returns only the final state."""
    stream = make_respond_streaming(kb)

    def respond(*args: Any) -> Reply:
        *_, final = stream(*args)
        return final

    return respond


def make_respond_streaming(kb: KnowledgeBase) -> Callable[..., Iterator[Reply]]:
    """The chat handler as Gradio streams it: when an LLM writes the answer, its draft is
    shown as it grows (marked as unchecked); the last state is the verified answer."""

    def respond(
        question: str | None,
        history: list[Message] | None,
        municipality: str | None,
        doc_type: str | None,
        year: str | None,
        answer_ids: dict[str, str] | None,
    ) -> Iterator[Reply]:
        history = list(history or [])
        ids = dict(answer_ids or {})
        question = (question or "").strip()
        if not question:
            yield history, render_error("Skriv en fråga först."), "", ids
            return
        history.append({"role": "user", "content": question})
        if len(question) > MAX_QUESTION_CHARS:
            notice = f"Frågan är för lång ({len(question)} tecken, högst {MAX_QUESTION_CHARS})."
            history.append({"role": "assistant", "content": notice})
            yield history, render_error(notice), "", ids
            return
        draft = ""
        answer: Answer | None = None
        try:
            for item in kb.ask_stream(question, to_filters(municipality, doc_type, year)):
                if isinstance(item, str):
                    draft += item
                    shown = [
                        *history,
                        {"role": "assistant", "content": f"*{DRAFT_LABEL}*\n\n{draft}"},
                    ]
                    yield shown, render_drafting(), "", ids
                else:
                    answer = item
            if answer is None:
                raise RuntimeError("ask_stream ended without an answer")
        except Exception:
            # The reader gets a plain Swedish message; the details go to the server log.
            log.exception("kb.ask failed for question %r", question)
            history.append({"role": "assistant", "content": ERROR_MESSAGE})
            yield history, render_error(ERROR_MESSAGE), "", ids
            return
        history.append({"role": "assistant", "content": _assistant_text(answer)})
        if answer.answer_id:
            ids[str(len(history) - 1)] = answer.answer_id
        yield history, render_sources(answer, kb.home_municipality), "", ids

    return respond


def make_feedback(kb: KnowledgeBase) -> Callable[..., None]:
    """Thumbs up/down on an answer in the chat goes to the audit log with that answer."""

    def on_like(answer_ids: dict[str, str] | None, like: gr.LikeData) -> None:
        index = like.index[0] if isinstance(like.index, (list, tuple)) else like.index
        answer_id = (answer_ids or {}).get(str(index))
        if answer_id is None or like.liked is None:
            return
        try:
            kb.feedback(answer_id, bool(like.liked))
        except Exception:  # feedback is a courtesy: never break the chat over it
            log.exception("feedback for answer %s failed", answer_id)

    return on_like


def _chat_tab(kb: KnowledgeBase, examples: list[str], demo: gr.Blocks) -> None:
    """The question box, examples, filters and the sources panel, wired to `kb.ask_stream`."""
    respond = make_respond_streaming(kb)
    answer_ids = gr.State({})
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=360):
            chatbot = gr.Chatbot(
                label="Samtal",
                height=460,
                elem_id="chat",
                placeholder="Ställ en fråga nedan eller välj en exempelfråga.",
                feedback_options=("Like", "Dislike"),
                buttons=["copy"],
            )
            gr.Markdown(
                "Hjälpte svaret? Svara med tummen upp eller ner under svaret.",
                elem_id="feedback-hint",
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
            with gr.Accordion("Avgränsa sökningen", open=False, elem_id="filters"), gr.Row():
                municipality, doc_type, year = filter_dropdowns()
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

    inputs = [question, chatbot, municipality, doc_type, year, answer_ids]
    outputs = [chatbot, sources, question, answer_ids]
    chatbot.like(make_feedback(kb), [answer_ids], None, api_visibility="private")
    ask.click(respond, inputs, outputs, api_visibility="private")
    question.submit(respond, inputs, outputs, api_visibility="private")
    if example_set is not None:
        # A click on an example fills the box; ask it right away.
        example_set.load_input_event.then(respond, inputs, outputs, api_visibility="private")
    demo.load(make_load_filters(kb), None, [municipality, doc_type, year], api_visibility="private")


def build_ui(kb: KnowledgeBase, examples: list[str]) -> gr.Blocks:
    """The page: chat first, then wording lookup and plan comparison, one tab each.

    `kb` is only called from event handlers (and page-load events), never while building;
    its home municipality (a fixed attribute, not a call) names the page.
    """
    home = kb.home_municipality
    with gr.Blocks(title=page_title(home)) as demo:
        gr.Markdown(f"# {page_title(home)}\n\n{intro(home)}", elem_id="intro")
        with gr.Tabs(elem_id="tabs"):
            with gr.Tab("Fråga", id="fraga", elem_id="tab-fraga"):
                _chat_tab(kb, examples, demo)
            with gr.Tab("Exakt formulering", id="formulering", elem_id="tab-formulering"):
                build_wording_tab(kb, demo)
            with gr.Tab("Jämför planer", id="jamfor", elem_id="tab-jamfor"):
                build_compare_tab(kb, demo)
    return demo
