"""What changed between two quotes, as phrases marked in each: removed in A, added in B.

Display only (like a word diff in a code review): the comparison itself, which passages
pair up and why, is the service's; this shows the reader where two paired quotes differ.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from html import escape

TOKEN = re.compile(r"\S+")


def _key(word: str) -> str:
    return word.strip(".,;:!?()”“\"'«»").casefold()


def _marked(text: str, words: list[re.Match[str]], spans: list[tuple[int, int]], tag: str) -> str:
    """`text` escaped, with the words in each [i, j) span (and the spaces between) in <tag>."""
    html, at = [], 0
    for i, j in spans:
        a, b = words[i].start(), words[j - 1].end()
        html.append(f'{escape(text[at:a])}<{tag} class="diff-{tag}">{escape(text[a:b])}</{tag}>')
        at = b
    return "".join(html) + escape(text[at:])


def phrase_diff(a: str, b: str) -> tuple[str, str]:
    """(A's HTML, B's HTML): the phrases only in A inside <del>, only in B inside <ins>."""
    wa, wb = list(TOKEN.finditer(a)), list(TOKEN.finditer(b))
    matcher = SequenceMatcher(
        None, [_key(w.group()) for w in wa], [_key(w.group()) for w in wb], autojunk=False
    )
    removed, added = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("delete", "replace") and i2 > i1:
            removed.append((i1, i2))
        if op in ("insert", "replace") and j2 > j1:
            added.append((j1, j2))
    return _marked(a, wa, removed, "del"), _marked(b, wb, added, "ins")
