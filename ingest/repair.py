"""Repair Swedish OCR text: restore å/ä/ö from the usual OCR confusions, line for line.

Each word is expanded into the spellings its damaged glyphs could stand for (a→å/ä,
o→ö, 6→ö, &→ä ...). The candidates are scored by a Swedish hunspell dictionary (with its
compound rules), wordfreq's Swedish frequencies and counts from clean documents of the
corpus; neighbours settle words that are valid both ways (for/för, var/vår, ar/är/år).
Here: lines and texts. Words and their candidates: `ingest.repair_words`; the dictionary
and frequencies: `ingest.repair_lexicon`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.repair_words import looks_damaged, repair_word, split_token
from lang import ends_sentence, ocr_bullet

if TYPE_CHECKING:
    from ingest.repair_lexicon import Lexicon


@dataclass(frozen=True)
class Change:
    """One repaired whitespace token: 1-based line, the token before and after."""

    line: int
    before: str
    after: str


@dataclass(frozen=True)
class RepairResult:
    text: str
    changes: list[Change] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def _repair_line(line: str, lexicon: Lexicon, before: str = "", after: str = "") -> str:
    """Repair one line; `before`/`after` are the neighbouring lines' edge words (wrapping)."""
    bullet = ocr_bullet(line)
    if bullet:
        line = (
            f"{bullet[1]}•{bullet[2]}{'I' if bullet[3] == '|' else bullet[3]}"
            + line[bullet.end() :]
        )
    elif line.lstrip().startswith("| "):
        line = line.replace("|", "I", 1)
    spans = list(re.finditer(r"\S+", line))
    cores = [split_token(m[0])[1] for m in spans]
    lows = [c.lower() for c in cores]
    out, pos = [], 0
    for k, m in enumerate(spans):
        lead, core, trail = split_token(m[0])
        if "://" in core or core.startswith("www.") or ("@" in core and "." in core):
            out.append(line[pos : m.end()])  # URLs and e-mail addresses
            pos = m.end()
            continue
        prev = lows[k - 1] if k else before
        nxt = lows[k + 1] if k + 1 < len(spans) else after
        start = k == 0 or (k == 1 and spans[0][0] == "•")
        start = start or ends_sentence(spans[k - 1][0], closers="", marks=".!?:")
        parts = re.split(r"([-/])", core)
        if len(parts) == 1:
            fixed = repair_word(core, lexicon, prev, nxt, start)
        else:
            fixed = "".join(
                p if p in "-/" else repair_word(p, lexicon, sentence_start=start and i == 0)
                for i, p in enumerate(parts)
            )
        out.append(line[pos : m.start()] + lead + fixed + trail)
        lows[k] = fixed.lower()  # the next word sees its repaired neighbour (nasta ar → nästa år)
        pos = m.end()
    return "".join(out) + line[pos:]


def repair_text(text: str, context: Lexicon) -> RepairResult:
    """Repair every line of OCR text; line i of the result is line i of the input."""
    lexicon = context
    lines = text.split("\n")
    repaired = list(lines)
    for _ in range(3):  # to a fixpoint, so that repair is idempotent
        edges = [line.split() for line in repaired]
        again = [
            _repair_line(
                line,
                lexicon,
                split_token(edges[i - 1][-1])[1].lower() if i and edges[i - 1] else "",
                split_token(edges[i + 1][0])[1].lower()
                if i + 1 < len(edges) and edges[i + 1]
                else "",
            )
            for i, line in enumerate(repaired)
        ]
        if again == repaired:
            break
        repaired = again
    changes = [
        Change(number, before, after)
        for number, (old, new) in enumerate(zip(lines, repaired, strict=True), start=1)
        if old != new
        for before, after in zip(old.split(), new.split(), strict=True)
        if before != after
    ]
    return RepairResult("\n".join(repaired), changes)


def repair_document_text(text: str, context: Lexicon) -> RepairResult:
    """Repair a document only if it looks damaged; a clean text comes back unchanged."""
    if not looks_damaged(text, context):
        return RepairResult(text)
    return repair_text(text, context)


def repair_file(path: str | Path, context: Lexicon) -> RepairResult:
    """Repair an OCR text file (the `falun-kb repair FILE` command)."""
    return repair_text(Path(path).read_text(encoding="utf-8"), context)
