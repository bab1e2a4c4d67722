"""Questions of several parts, as staff write them ("Hej! Jag är mentor … Kan vi söka
Erasmus+? Och vem ska vi prata med?"): each question is answered, or refused, on its own
with its own citations, and the answers are put together in the order asked."""

from __future__ import annotations

import itertools
import re

from lang import sentence_breaks
from service.models import Answer, Citation

_LABEL = re.compile(r"\[(\d+)\]")
# A question sentence that asks a second question after "och"/"and" ("Vad är rådet, och vem
# utser ledamöterna?"): it is split before the conjunction when a question word follows.
_SECOND_QUESTION = re.compile(
    r"(?:\s*,\s*|\s+)(?=(?:och|samt|and)\s+(?:vem|vad|hur|när|var|vart|varför|vilk(?:en|et|a)|"
    r"who|what|how|when|where|which|why)\b)",
    re.IGNORECASE,
)
# ... when the second question has this many words beside its conjunction: "och hur ofta?"
# and "och vad mer?" qualify the first question rather than ask another
SECOND_QUESTION_WORDS = 3


def message_sentences(text: str) -> list[str]:
    """The sentences of a message as written, stripped, in order."""
    cuts = [0, *(m.end() for m in sentence_breaks(text, next_start=None)), len(text)]
    sentences = (text[a:b].strip() for a, b in itertools.pairwise(cuts))
    return [s for s in sentences if s]


def asked_sentences(message: str) -> str:
    """The sentences of a message that ask ("?"), without the greeting or the asker's
    situation around them; the whole message when none does."""
    return " ".join(s for s in message_sentences(message) if s.endswith("?")) or message


def conjoined_questions(sentence: str) -> list[str]:
    """A question sentence as the questions it joins with "och"/"and": "Vad är rådet, och
    vem utser ledamöterna?" → ["Vad är rådet?", "Och vem utser ledamöterna?"]."""
    for m in _SECOND_QUESTION.finditer(sentence):
        first, second = sentence[: m.start()].rstrip(" ,–-"), sentence[m.end() :]
        if first and len(second.split()) - 1 >= SECOND_QUESTION_WORDS:
            return [f"{first}?", second[0].upper() + second[1:]]
    return [sentence]


def question_parts(text: str) -> list[str]:
    """The questions of a message: each sentence that ends with "?", and each question a
    sentence joins with "och" (`conjoined_questions`), once there are two or more of them
    (what comes before the first one, a greeting or the asker's situation, stays with it as
    its context); otherwise the whole message as one question."""
    sentences = [
        q for s in message_sentences(text)
        for q in (conjoined_questions(s) if s.endswith("?") else [s])
    ]  # fmt: skip
    asked = [i for i, s in enumerate(sentences) if s.endswith("?")]
    if len(asked) < 2:
        return [text]
    parts = []
    start = 0
    for i in asked:
        parts.append(" ".join(sentences[start : i + 1]))
        start = i + 1
    if start < len(sentences):  # a closing remark ("Tack!") belongs to the last question
        parts[-1] = " ".join([parts[-1], *sentences[start:]])
    return parts


def _relabelled(text: str, label: dict[int, int]) -> str:
    return _LABEL.sub(lambda m: f"[{label.get(int(m.group(1)), m.group(1))}]", text)


# What stands for a quote an earlier part of the answer already gave.
_SEE_ABOVE = {"sv": "Se citat {labels} ovan.", "en": "See quote {labels} above."}


def merge_answers(question: str, parts: list[str], answers: list[Answer]) -> Answer:
    """One answer to a message of several questions: each part under its question, labels
    renumbered over all citations; a quote an earlier part gave is pointed to ("Se citat [2]
    ovan.") rather than repeated, unless it is the part's best; answerable when any part is;
    read as the parts were when one was rewritten (a follow-up of the part before it)."""
    lines: list[str] = []
    citations: list[Citation] = []
    nearest = []
    for part, answer in zip(parts, answers, strict=True):
        given = {(c.doc_id, c.quote): c.n for c in citations}
        label: dict[int, int] = {}  # the part's label -> the merged one
        repeated: set[int] = set()
        for c in answer.citations:
            if (c.doc_id, c.quote) in given:
                label[c.n] = given[(c.doc_id, c.quote)]
                repeated.add(c.n)
            else:
                label[c.n] = len(citations) + 1
                citations.append(c.model_copy(update={"n": label[c.n]}))
        paragraphs: list[str] = []
        pointed: list[int] = []  # repeated quotes in a row: one pointer to them all
        leading = True  # the part's best quote is shown under it even if given before
        for paragraph in [*answer.answer.split("\n\n"), ""]:
            own = [int(n) for n in _LABEL.findall(paragraph)]
            if own and leading:
                leading = False
            elif own and all(n in repeated for n in own):
                pointed += [label[n] for n in own if label[n] not in pointed]
                continue
            if pointed:
                see = _SEE_ABOVE.get(answer.language, _SEE_ABOVE["sv"])
                paragraphs.append(see.format(labels=" ".join(f"[{n}]" for n in sorted(pointed))))
                pointed = []
            if paragraph:
                paragraphs.append(_relabelled(paragraph, label))
        lines.append(f"«{part}»\n" + "\n\n".join(paragraphs))
        if not answer.answerable:
            nearest += answer.nearest
    first = answers[0]
    reasons = [a.fallback_reason for a in answers if a.fallback_reason]
    # a part read as a follow-up of the one before is shown as read, beside the others
    rewritten = any(a.interpreted_question for a in answers)
    read = [a.interpreted_question or p for p, a in zip(parts, answers, strict=True)]
    return first.model_copy(
        update={
            "question": question,
            "answer": "\n\n".join(lines),
            "answerable": any(a.answerable for a in answers),
            "citations": citations,
            "nearest": nearest,
            "removed": [r for a in answers for r in a.removed],
            "fallback_reason": reasons[0] if reasons else None,
            "interpreted_question": " ".join(read) if rewritten else None,
        }
    )
