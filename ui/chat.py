"""The Gradio page: the chat tab (conversation, question box, examples, filters) and the tabs."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from service.facade import KnowledgeBase
from service.models import MAX_QUESTION_CHARS, Answer, Filters
from ui.cards import render_error
from ui.chat_assets import CONVERSATION_CSS, CONVERSATION_JS
from ui.compare_tab import build_compare_tab
from ui.conversation import DRAFT_LABEL, Turn, render_conversation
from ui.filters import ALL, filter_dropdowns, gr, make_load_filters, to_filters
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

# DRAFT_LABEL and make_load_filters are imported from here by callers and tests.
__all__ = ["DRAFT_LABEL", "build_ui", "make_load_filters", "make_respond_streaming"]

Reply = tuple[list[Turn], str, Any]  # the turns, the conversation's HTML, the question box


def ask_kb(
    kb: KnowledgeBase, question: str, filters: Filters, earlier: list[Turn]
) -> Iterator[str | Answer]:
    """The one place the chat asks the knowledge base: draft pieces, then the Answer.
    `earlier` are the turns before this question, each with the question as typed (the
    context a follow-up question needs)."""
    return kb.ask_stream(question, filters, history=[t.question for t in earlier])


def make_respond(kb: KnowledgeBase) -> Callable[..., Reply]:
    """The chat handler's final state only: (question, turns, filters...) -> Reply."""
    stream = make_respond_streaming(kb)

    def respond(*args: Any) -> Reply:
        *_, final = stream(*args)
        return final

    return respond


def make_respond_streaming(kb: KnowledgeBase) -> Callable[..., Iterator[Reply]]:
    """The chat handler as Gradio streams it: when an LLM writes the answer, its draft is
    shown as it grows (marked as unchecked); the last state is the verified answer. Each
    answer keeps its own sources; an empty question changes nothing."""

    def respond(
        question: str | None,
        turns: list[Turn] | None,
        municipality: str | None,
        doc_type: str | None,
        year: str | None,
    ) -> Iterator[Reply]:
        turns = list(turns or [])
        home = kb.home_municipality
        question = (question or "").strip()
        if not question:
            yield turns, render_conversation(turns, home), ""
            return
        if len(question) > MAX_QUESTION_CHARS:  # the box caps it; this is for other clients
            notice = f"Frågan är för lång ({len(question)} tecken, högst {MAX_QUESTION_CHARS})."
            yield turns, render_conversation(turns, home) + render_error(notice), question
            return
        filters = to_filters(municipality, doc_type, year)
        draft = ""
        answer: Answer | None = None
        try:
            for item in ask_kb(kb, question, filters, turns):
                if isinstance(item, str):
                    draft += item
                    shown = [*turns, Turn(question, filters, draft=draft)]
                    yield shown, render_conversation(shown, home), ""
                else:
                    answer = item
            if answer is None:
                raise RuntimeError("ask_stream ended without an answer")
            turn = Turn(question, filters, answer=answer)
        except Exception:
            # The reader gets a plain Swedish message; the details go to the server log.
            log.exception("kb.ask failed for question %r", question)
            turn = Turn(question, filters, error=ERROR_MESSAGE)
        turns.append(turn)
        yield turns, render_conversation(turns, home), ""

    return respond


def make_send_feedback(kb: KnowledgeBase) -> Callable[[list[Any]], bool]:
    """A thumb (and an optional comment) on an answer goes to the audit log with that answer.
    Called from the page's script as `server.send_feedback(id, helpful, comment)`; Gradio
    hands a server function the call's arguments as one list."""

    def send_feedback(args: list[Any]) -> bool:
        answer_id, helpful, comment = [*args, "", False, ""][:3]
        try:
            kb.feedback(str(answer_id), bool(helpful), (comment or "").strip()[:2000] or None)
        except Exception:  # feedback is a courtesy: never break the chat over it
            log.exception("feedback for answer %s failed", answer_id)
            return False
        return True

    return send_feedback


def question_state(question: str | None) -> tuple[Any, str]:
    """The Fråga button is live only with a question in the box; the counter shows its room."""
    n = len(question or "")
    return gr.update(interactive=bool((question or "").strip())), counter_text(n)


def counter_text(n: int) -> str:
    return f"{n} / {MAX_QUESTION_CHARS} tecken"


def _chat_tab(kb: KnowledgeBase, examples: list[str], demo: gr.Blocks) -> None:
    """The conversation, question box, examples and filters, wired to `kb.ask_stream`."""
    respond = make_respond_streaming(kb)
    turns = gr.State([])
    conversation = gr.HTML(
        render_conversation([], kb.home_municipality),
        css_template=CONVERSATION_CSS,
        js_on_load=CONVERSATION_JS,
        server_functions=[make_send_feedback(kb)],
        elem_id="chat",
    )
    with gr.Row(equal_height=True):
        question = gr.Textbox(
            label="Din fråga",
            placeholder="Skriv din fråga här …",
            show_label=False,
            lines=1,
            max_lines=4,
            max_length=MAX_QUESTION_CHARS,
            scale=5,
            elem_id="question",
        )
        ask = gr.Button("Fråga", variant="primary", scale=1, interactive=False, elem_id="ask")
    with gr.Row():
        counter = gr.Markdown(counter_text(0), elem_id="question-count")
        clear = gr.Button("Rensa samtalet", size="sm", scale=0, elem_id="clear-chat")
    with gr.Accordion("Avgränsa sökningen", open=False, elem_id="filters"):
        with gr.Row():
            municipality, doc_type, year = filter_dropdowns()
        clear_filters = gr.Button("Ta bort avgränsningen", size="sm", elem_id="clear-filters")
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

    inputs = [question, turns, municipality, doc_type, year]
    outputs = [turns, conversation, question]
    ask.click(respond, inputs, outputs, api_visibility="private")
    question.submit(respond, inputs, outputs, api_visibility="private")
    question.change(
        question_state, [question], [ask, counter], queue=False, show_progress="hidden",
        api_visibility="private",
    )  # fmt: skip
    clear.click(
        lambda: ([], render_conversation([], kb.home_municipality), ""),
        None, outputs, api_visibility="private",
    )  # fmt: skip
    clear_filters.click(
        lambda ts: (ALL, ALL, ALL, ts[-1].question if ts else ""),
        [turns], [municipality, doc_type, year, question], api_visibility="private",
    )  # fmt: skip
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
