"""A passage as a reader sees it on a card: wrapped lines joined, list lines kept, footnote
digits and raw URLs tidied, with verbatim spans (the quotes) marked.

Display only: the verbatim text is what is cited and checked; this maps every character of
it to what is shown, so a span found in the verbatim text is marked in the display form.
"""

from __future__ import annotations

import re
from html import escape

# A line that starts a list item or a heading keeps its own line.
LIST_ITEM = re.compile(r"\s*(?:[-–•*▪●◦]\s|\d{1,2}[.)]\s|[a-z][.)]\s|#)")
# A footnote mark glued to a word: "vänorter1", "samarbete.2" is left alone (it may be a list).
FOOTNOTE = re.compile(r"(?<=[a-zåäöéü])\d{1,2}(?=[\s,;:)]|[.](?:\s|$)|$)")
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"')]+")
# A line this much shorter than the passage's longest, or shorter than MIN_WRAP_WIDTH, ends on
# purpose (a list item, a name with its party); a longer one was wrapped at the page's width
# (the corpus's prose lines run 70-80 characters, its member lines 25-45).
WRAPPED_LINE_SHARE = 0.6
MIN_WRAP_WIDTH = 50


def display_map(text: str) -> list[str]:
    """What each character of `text` is shown as ("" for dropped characters)."""
    out = list(text)
    _tidy_line_breaks(text, out)
    for m in FOOTNOTE.finditer(text):
        for i in range(m.start(), m.end()):
            out[i] = ""
    for m in URL.finditer(text):
        out[m.start()] = short_url(m.group())
        for i in range(m.start() + 1, m.end()):
            out[i] = ""
    return out


def short_url(url: str) -> str:
    """ "https://www.falun.se/a/b.html" -> "falun.se/…": the site, not the address."""
    host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url)
    site, _, rest = host.partition("/")
    return f"{site}/…" if rest.strip("/") else site


def _tidy_line_breaks(text: str, out: list[str]) -> None:
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
        elif _continues(after_line) or (not blank and len(before) >= wrap_width):
            shown = " "  # a sentence carried on, or a line wrapped at the page's width
        else:
            shown = "\n"  # a short line ends on purpose (a name in a list), or a paragraph
        out[m.start()] = shown
        for i in range(m.start() + 1, m.end()):
            out[i] = ""


def _continues(line: str) -> bool:
    """The next line carries on a sentence: it starts with a small letter."""
    first = line.lstrip()[:1]
    return first.isalpha() and first.islower()


def display_text(text: str) -> str:
    return "".join(display_map(text)).strip()


def render_marked(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` in its display form, escaped, with each verbatim span of it inside <mark>."""
    out = display_map(text)
    marked = [False] * len(text)
    for a, b in spans:
        for i in range(max(a, 0), min(b, len(text))):
            marked[i] = True
    html, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and marked[j] == marked[i]:
            j += 1
        piece = escape("".join(out[i:j]))
        html.append(f"<mark>{piece}</mark>" if marked[i] and piece.strip() else piece)
        i = j
    return "".join(html).strip()
