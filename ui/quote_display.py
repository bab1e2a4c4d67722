"""A passage as a reader sees it on a card: wrapped lines joined, list lines kept, footnote
digits and raw URLs tidied, with verbatim spans (the quotes) marked.

Display only: the verbatim text is what is cited and checked; this maps every character of
it to what is shown, so a span found in the verbatim text is marked in the display form.
"""

from __future__ import annotations

import re
from html import escape

from lang.layout import tidy_line_breaks

# A footnote mark glued to a word: "vänorter1", "samarbete.2" is left alone (it may be a list).
FOOTNOTE = re.compile(r"(?<=[a-zåäöéü])\d{1,2}(?=[\s,;:)]|[.](?:\s|$)|$)")
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"')]+")


def display_map(text: str) -> list[str]:
    """What each character of `text` is shown as ("" for dropped characters)."""
    out = list(text)
    tidy_line_breaks(text, out)
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
