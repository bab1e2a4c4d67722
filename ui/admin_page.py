"""The coordinator's feedback review page (/admin, behind the admin token): answers with a
thumbs down or a comment, newest first, with the question, the answer, its citations, the
mode and the comments; filtered by date, verdict and handled; each marked handled with
which citations were right and which wrong. Reading needs a stated reason (it is logged)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from html import escape
from typing import Any

from fastapi import FastAPI

from service.review_models import FeedbackCase, FeedbackQuery, FeedbackReview, Review
from ui.filters import gr  # gr via ui.filters: it turns analytics off first

log = logging.getLogger(__name__)

VERDICTS = {"Alla": None, "Tumme ned": "ned", "Kommentar": "kommentar"}
HANDLED = {"Ohanterade": False, "Hanterade": True, "Alla": None}
CSS = """
.case { border: 1px solid #ccc; border-radius: 6px; padding: 0.6rem 0.8rem; margin: 0.5rem 0; }
.case-handled { opacity: 0.7; }
.case-question { font-weight: 600; }
.case-meta { color: #555; font-size: 0.85rem; }
.case-answer { white-space: pre-wrap; margin: 0.4rem 0; }
.case-comment { background: #fff6d6; padding: 0.2rem 0.4rem; border-radius: 4px; }
"""


def _day(text: str, what: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise gr.Error(f"{what}: skriv datumet som ÅÅÅÅ-MM-DD") from None


def case_html(case: FeedbackCase) -> str:
    """One case: question, verdicts and comments, mode, the answer, its citations."""
    verdicts = " ".join("👍" if f.helpful else "👎" for f in case.feedback)
    comments = "".join(
        f'<div class="case-comment">{escape(f.comment)}</div>' for f in case.feedback if f.comment
    )
    cites = "".join(
        f"<li>[{c['n']}] {escape(str(c.get('title') or c['doc_id']))} › "
        f"{escape(str(c.get('section') or ''))}: «{escape(c['quote'])}»</li>"
        for c in case.citations
    )
    handled = f" · hanterad {escape(case.handled_at[:10])}" if case.handled_at else ""
    return (
        f'<article class="case{" case-handled" if case.handled_at else ""}" '
        f'data-answer-id="{escape(case.answer_id)}">'
        f'<div class="case-question">{escape(case.question)}</div>'
        f'<div class="case-meta">{escape(case.last_feedback_at[:16].replace("T", " "))} · '
        f"{verdicts} · läge: {escape(case.mode or 'okänt')}{handled}</div>{comments}"
        f'<div class="case-answer">{escape(case.answer)}</div>'
        f"<ol class='case-citations'>{cites}</ol></article>"
    )


def build_admin(desk: Callable[[], FeedbackReview | None]) -> gr.Blocks:
    """The page; `desk` gives the review desk on each call (None: the audit log is off)."""

    def show(
        reason: str, since: str, until: str, verdict: str, handled: str, request: gr.Request
    ) -> tuple[Any, ...]:
        review = desk()
        if review is None:
            raise gr.Error("Granskningsloggen är avstängd (FALUN_KB_AUDIT_ENABLED).")
        if not (reason or "").strip():
            raise gr.Error("Ange ett skäl: läsningen av återkopplingen loggas.")
        query = FeedbackQuery(
            since=_day(since, "Från"), until=_day(until, "Till"),
            verdict=VERDICTS.get(verdict), handled=HANDLED.get(handled),
        )  # fmt: skip
        host = request.client.host if request is not None and request.client else "okänd"
        cases = review.cases(query, reader=f"admin-sida:{host}", reason=reason)
        html = "".join(case_html(c) for c in cases) or "<p>Ingen återkoppling att visa.</p>"
        choices = [(f"{c.question[:80]} ({c.last_feedback_at[:10]})", c.answer_id) for c in cases]
        return (
            f"{len(cases)} fall.",
            html,
            [c.model_dump() for c in cases],
            gr.update(choices=choices, value=None),
        )

    def choose(answer_id: str | None, cases: list[dict]) -> tuple[Any, Any]:
        case = next((c for c in cases if c["answer_id"] == answer_id), None)
        cites = case["citations"] if case else []
        choices = [(f"[{c['n']}] {c['quote'][:70]}", c["n"]) for c in cites]
        return gr.update(choices=choices, value=[]), gr.update(choices=choices, value=[])

    def mark(
        answer_id: str | None, right: list[int], wrong: list[int], answerable: bool, note: str
    ) -> str:
        review = desk()
        if review is None or not answer_id:
            raise gr.Error("Välj ett fall först.")
        if set(right) & set(wrong):
            raise gr.Error("En källa kan inte vara både rätt och fel.")
        verdict = Review(right=right, wrong=wrong, answerable=answerable, note=note or None)
        review.mark_handled(answer_id, verdict)
        return f"Markerat som hanterat: {answer_id[:10]}…"

    with gr.Blocks(title="Återkoppling – granskning") as blocks:
        gr.HTML(f"<style>{CSS}</style>")
        gr.Markdown("# Återkoppling\nSvar som fått tumme ned eller en kommentar, nyast först.")
        reason = gr.Textbox(label="Skäl för att läsa återkopplingen (loggas)", elem_id="reason")
        with gr.Row():
            since = gr.Textbox(label="Från (ÅÅÅÅ-MM-DD)", elem_id="since")
            until = gr.Textbox(label="Till (ÅÅÅÅ-MM-DD)", elem_id="until")
            verdict = gr.Dropdown(list(VERDICTS), value="Alla", label="Omdöme")
            handled = gr.Dropdown(list(HANDLED), value="Ohanterade", label="Status")
        show_button = gr.Button("Visa återkoppling", variant="primary", elem_id="show")
        count = gr.Markdown(elem_id="count")
        cases_html = gr.HTML(elem_id="cases")
        cases = gr.State([])
        gr.Markdown("## Markera som hanterad")
        case = gr.Dropdown([], label="Fall", elem_id="case")
        with gr.Row():
            right = gr.CheckboxGroup([], label="Rätt källor", elem_id="right")
            wrong = gr.CheckboxGroup([], label="Fel källor", elem_id="wrong")
        answerable = gr.Checkbox(True, label="Dokumenten besvarar frågan")
        note = gr.Textbox(label="Anteckning (vad saknades?)")
        mark_button = gr.Button("Markera som hanterad", elem_id="mark")
        marked = gr.Markdown(elem_id="marked")

        inputs = [reason, since, until, verdict, handled]
        show_button.click(show, inputs, [count, cases_html, cases, case], api_visibility="private")
        case.change(choose, [case, cases], [right, wrong], api_visibility="private")
        mark_button.click(
            mark, [case, right, wrong, answerable, note], marked, api_visibility="private"
        ).then(show, inputs, [count, cases_html, cases, case], api_visibility="private")
    return blocks


def mount_admin(app: FastAPI, desk: Callable[[], FeedbackReview | None]) -> FastAPI:
    """The review page at /admin; mount it before the chat's catch-all "/"."""
    return gr.mount_gradio_app(
        app, build_admin(desk), path="/admin", footer_links=[], run_history=False
    )
