"""Alignment shared by wording lookup and plan comparison: soft word pairing, council
members and places.

Everything here works on OCR-folded words (`lang.folds`: lowercase, no diacritics, common
OCR slips undone), so it gives the same answers on raw OCR text and on its repaired version.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from lang import SAME_WORD, folds, token_sim, tokens_of

# Documents are tokenized once per text, whatever the number of lookups.
token_stream = lru_cache(maxsize=16)(tokens_of)


def soft_match(
    a: Sequence[str], b: Sequence[str], floor: float = 0.75
) -> list[tuple[int, int, float]]:
    """Greedy one-to-one pairing of words of `a` and `b` by `token_sim`, best pairs first."""
    pairs = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            s = token_sim(x, y)
            if s >= floor:
                pairs.append((s, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for s, i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            out.append((i, j, s))
    return out


def soft_jaccard(a: Sequence[str], b: Sequence[str]) -> float:
    if not a or not b:
        return 0.0
    matched = sum(s for _, _, s in soft_match(a, b))
    return matched / (len(a) + len(b) - matched)


# --- facts that comparison aligns on: members and places ------------------------------

_MEMBER = re.compile(
    r"^(?P<name>[A-ZÅÄÖÉÜ][^\s()]+(?:\s[A-ZÅÄÖÉÜ][^\s()]*){1,3})\s*\((?P<party>[A-ZÅÄÖ]{1,3})\)"
    r"\s*(?:,\s*(?P<role>.+?))?\s*$"
)


def member(line: str) -> tuple[str, str, str] | None:
    """(name, party, role) of a council member line: "Jan E Fors (M), ordförande"."""
    m = _MEMBER.match(line.strip())
    if m is None:
        return None
    role = "ledamot"
    if m.group("role"):
        words = folds(m.group("role"))
        if words and token_sim(words[-1], "ordforande") >= SAME_WORD:
            role = "vice ordförande" if "vice" in words else "ordförande"
        else:
            role = " ".join(m.group("role").split())
    return " ".join(m.group("name").split()), m.group("party"), role


@lru_cache(maxsize=4096)
def places(text: str, names: tuple[str, ...]) -> frozenset[str]:
    """Those of `names` (places and organisations) a passage mentions, OCR-tolerant."""
    words = set(folds(text))
    return frozenset(p for p in names if any(token_sim(folds(p)[0], w) >= 0.85 for w in words))
