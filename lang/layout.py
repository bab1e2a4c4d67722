"""Where a passage's line breaks stay when it is shown or quoted in running text: a list
keeps one item per line, a line the page wrapped and a sentence carried on are joined."""

from __future__ import annotations

import re

from lang.units import collapse_whitespace, runs_on

# A line that starts a list item or a heading keeps its own line.
LIST_ITEM = re.compile(r"\s*(?:[-–•*▪●◦]\s|\d{1,2}[.)]\s|[a-z][.)]\s|#)")
# A line this much shorter than the passage's longest, or shorter than MIN_WRAP_WIDTH, ends on
# purpose (a list item, a name with its party); a longer one was wrapped at the page's width
# (the corpus's prose lines run 70-80 characters, its member lines 25-45).
WRAPPED_LINE_SHARE = 0.6
MIN_WRAP_WIDTH = 50


def tidy_line_breaks(text: str, out: list[str]) -> None:
    """Set what each line break of `text` is shown as in `out` (one entry per character): a
    line break where a line ends on purpose, a space where it runs on, "" for the rest."""
    lines = text.split("\n")
    longest = max((len(line.strip()) for line in lines), default=0)
    wrap_width = max(longest * WRAPPED_LINE_SHARE, MIN_WRAP_WIDTH)
    for m in re.finditer(r"[ \t\r]*\n[\s]*", text):
        before = text[: m.start()].rsplit("\n", 1)[-1].strip()
        after_line = text[m.end() :].split("\n", 1)[0]
        blank = text.count("\n", m.start(), m.end()) > 1
        if not before or not after_line.strip():
            shown = "\n"  # the passage's start or end: nothing to join
        elif LIST_ITEM.match(after_line):
            shown = "\n"
        elif _continues(after_line) or _ends_its_sentence(before, after_line):
            shown = " "  # a sentence carried on ("... och" / "Polen.")
        elif not blank and len(before) >= wrap_width:
            shown = " "  # a line wrapped at the page's width
        else:
            shown = "\n"  # a short line ends on purpose (a name in a list), or a paragraph
        out[m.start()] = shown
        for i in range(m.start() + 1, m.end()):
            out[i] = ""


def _continues(line: str) -> bool:
    """The next line carries on a sentence: it starts with a small letter."""
    first = line.lstrip()[:1]
    return first.isalpha() and first.islower()


def _ends_its_sentence(before: str, line: str) -> bool:
    """A line running on ("... med Tyskland och") into one that ends the sentence ("Polen."),
    not into a list ("Rådet består av" / "Jan E Fors (M), ordförande")."""
    return runs_on(before) and line.rstrip().endswith((".", "!", "?"))


def lines_kept(text: str) -> str:
    """`text` as running text that keeps a list's lines: "Jan E Fors (M), ordförande" and
    "Jonas Sallén (S)" stay two lines, a wrapped sentence becomes one. Only whitespace
    changes."""
    out = list(text)
    tidy_line_breaks(text, out)
    lines = "".join(out).split("\n")
    return "\n".join(collapse_whitespace(line) for line in lines if line.strip())
