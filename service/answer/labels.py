"""Generated text as sentences with the [n] labels that say which passage each relies on."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lang import ends_with_abbreviation, sentence_breaks

# "[1]", "[1, 3]", "[1][2]", "[1;2]"
_LABEL = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
_LEADING_LABELS = re.compile(r"^(?:\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])+[.,;:]?")
_MARKUP = re.compile(r"\*\*|__|^#+\s*|^\s*(?:[-*•]|\d+[.)])\s+", re.M)


@dataclass(frozen=True)
class Sentence:
    """A generated sentence without its labels, and the labels it carried."""

    text: str
    labels: tuple[int, ...]


def clean_markup(text: str) -> str:
    """Markdown a chat model adds (bold, bullets, headings) is not part of any claim."""
    return _MARKUP.sub("", text).strip()


def split_sentences(text: str) -> list[str]:
    """Sentences of generated text; a label written after the full stop stays with it."""
    pieces: list[str] = []
    for line in clean_markup(text).splitlines():
        start = 0
        # any next word may start a sentence here; abbreviations ("t.ex.") end none
        for m in sentence_breaks(line, next_start=None, cited=True):
            if ends_with_abbreviation(line[: m.start()]):
                continue
            pieces.append(line[start : m.end()])
            start = m.end()
        pieces.append(line[start:])
    out: list[str] = []
    for piece in (p.strip() for p in pieces):
        lead = _LEADING_LABELS.match(piece)
        if lead and out:
            out[-1] = f"{out[-1]} {lead.group().rstrip('.,;:')}"
            piece = piece[lead.end() :].strip()
        if piece and any(ch.isalnum() for ch in _LABEL.sub("", piece)):
            out.append(piece)
        elif piece and out:
            out[-1] = f"{out[-1]} {piece}"
    return out


def parse_labels(sentence: str) -> Sentence:
    labels: list[int] = []
    for m in _LABEL.finditer(sentence):
        labels += [int(x) for x in re.split(r"[,;]", m.group(1))]
    text = re.sub(r"\s+([.,;:!?])", r"\1", _LABEL.sub("", sentence))
    return Sentence(re.sub(r"\s{2,}", " ", text).strip(), tuple(dict.fromkeys(labels)))


def keep_valid_labels(text: str, k: int) -> str:
    """`text` with only the labels 1..k left in it (written one by one: "[1][3]")."""

    def valid(m: re.Match[str]) -> str:
        labels = [int(x) for x in re.split(r"[,;]", m.group(1)) if 1 <= int(x) <= k]
        return "".join(f"[{n}]" for n in labels)

    return _LABEL.sub(valid, text)
