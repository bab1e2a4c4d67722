"""HTML for the conversation: each question, its answer and that answer's own sources.

Pure functions of `Turn`s, unit-tested without a browser. Everything a user typed and every
piece of document text goes through `html.escape`: the conversation is plain text plus our
own markup, so a question like `<img src=x onerror=…>` shows as typed and runs nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from service.models import Answer, Filters, line_range
from ui.cards import NOT_IN_DOCUMENTS, card_id, render_drafting, render_error, render_sources
from ui.quote_display import display_text

DRAFT_LABEL = "✎ Utkast – kontrolleras mot källorna …"
CHIP = re.compile(r"\[(\d{1,3})\]")


@dataclass(frozen=True)
class Turn:
    """One question and what came of it: the answer, an LLM's draft so far, or an error."""

    question: str
    filters: Filters = field(default_factory=Filters)
    answer: Answer | None = None
    draft: str | None = None
    error: str | None = None


def paragraphs(text: str) -> str:
    """Plain text as escaped paragraphs; a single line break stays a line break."""
    blocks = [b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]
    return "".join(f"<p>{escape(b).replace(chr(10), '<br>')}</p>" for b in blocks)


def answer_html(answer: Answer, turn: int) -> str:
    """The answer's text with each [n] as a chip: it scrolls to card n, and shows its quote
    on hover or focus (a tap, on a phone)."""
    quotes = {c.n: c.quote for c in answer.citations}

    def chip(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if n not in quotes:
            return m.group(0)
        preview = escape(display_text(quotes[n]))
        return (
            f'<button type="button" class="cite-chip" data-target="{card_id(turn, n)}" '
            f'aria-label="Källa {n}: {preview}">{n}'
            f'<span class="chip-preview" role="tooltip">{preview}</span></button>'
        )

    text = answer.answer.strip() or f"{NOT_IN_DOCUMENTS}."
    return CHIP.sub(chip, paragraphs(text))


def copy_button(answer: Answer) -> str:
    """Copies the answer as plain text, its [n] and a line per source included."""
    sources = "\n".join(
        f"[{c.n}] {c.title}, {c.section}, {line_range(c.location.start_line, c.location.end_line)}"
        for c in answer.citations
    )
    text = answer.answer.strip() + (f"\n\nKällor:\n{sources}" if sources else "")
    return (
        f'<button type="button" class="copy-btn" data-copy="{escape(text)}">Kopiera svaret</button>'
    )


def feedback_html(answer_id: str) -> str:
    """Thumbs up/down; a thumb down asks, optionally, what was missing or if a source was wrong."""
    aid = escape(answer_id)
    return (
        f'<div class="feedback" data-answer-id="{aid}">'
        '<span class="fb-question">Hjälpte svaret?</span>'
        '<button type="button" class="fb-btn" data-helpful="1" aria-label="Ja, svaret hjälpte">'
        "Ja</button>"
        '<button type="button" class="fb-btn" data-helpful="0" '
        'aria-label="Nej, svaret hjälpte inte">Nej</button>'
        '<p class="fb-thanks" role="status" hidden>Tack för ditt svar!</p>'
        '<form class="fb-more" hidden>'
        f'<label for="fb-comment-{aid}">Vad saknades? (valfritt)</label>'
        f'<textarea id="fb-comment-{aid}" name="comment" rows="2" maxlength="1900"></textarea>'
        '<label class="fb-wrong"><input type="checkbox" name="wrong_source"> Fel källa</label>'
        '<button type="submit" class="fb-send">Skicka</button></form></div>'
    )


def interpreted_html(answer: Answer) -> str:
    """How the question was read, when it was rewritten (a follow-up, a corrected typo)."""
    if not answer.interpreted_question:
        return ""
    read = escape(answer.interpreted_question)
    return f'<p class="interpreted"><em>Tolkad fråga:</em> {read}</p>'


def turn_html(turn: Turn, t: int, home: str) -> str:
    user = (
        '<div class="bubble user-bubble"><span class="who">Du</span>'
        f'<div class="user-text">{paragraphs(turn.question)}</div></div>'
    )
    if turn.error is not None:
        reply, sources = f"<p>{escape(turn.error)}</p>", render_error(turn.error)
    elif turn.answer is None:
        reply = f'<p class="draft-label"><em>{DRAFT_LABEL}</em></p>{paragraphs(turn.draft or "")}'
        sources = render_drafting()
    else:
        reply = interpreted_html(turn.answer) + answer_html(turn.answer, t)
        reply += copy_button(turn.answer)
        if turn.answer.answer_id:
            reply += feedback_html(turn.answer.answer_id)
        sources = render_sources(turn.answer, home, turn=t, filters=turn.filters)
    return (
        f'<section class="turn" id="svar-{t}" aria-label="Fråga och svar {t}">{user}'
        '<div class="turn-body"><div class="bubble answer-bubble"><span class="who">Svar</span>'
        f'<div class="answer-text">{reply}</div></div>'
        f'<div class="turn-sources">{sources}</div></div></section>'
    )


def render_conversation(turns: list[Turn], home: str) -> str:
    """Every turn, oldest first, each answer with its own sources beside it (under it on a
    phone); a short prompt when there are none yet."""
    if not turns:
        return (
            '<p class="sources-empty">Ställ en fråga nedan eller välj en exempelfråga. '
            "Svaret visas här med citaten det bygger på.</p>"
        )
    return "".join(turn_html(turn, t, home) for t, turn in enumerate(turns, start=1))
