"""Years, amounts of money and other numbers in Swedish text."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

# A four-digit number from 1800 to 2099 that is not part of a longer number.
_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")

# Years of the documents here: the oldest plan is from the 1950s.
DOCUMENT_YEARS = 1950


def _word_char(text: str, at: int) -> bool:
    return 0 <= at < len(text) and (text[at].isalnum() or text[at] == "_")


def find_years(text: str, *, earliest: int = DOCUMENT_YEARS, standalone: bool = False) -> list[int]:
    """The years `text` mentions, in order: four-digit numbers from `earliest` to 2099.

    `standalone` also asks that no letter touches the year ("2020" but not "år2020"), as a
    year a person writes in a question stands alone.
    """
    found = []
    for m in _YEAR.finditer(text):
        if standalone and (_word_char(text, m.start() - 1) or _word_char(text, m.end())):
            continue
        if int(m.group()) >= earliest:
            found.append(int(m.group()))
    return found


def is_year(word: str, *, earliest: int = 1900) -> bool:
    """`word` is nothing but a year from `earliest` to 2099 (a folded word that is a year)."""
    return len(word) == 4 and bool(find_years(word, earliest=earliest))


# --- amounts: numbers with what they count in ---------------------------------------------

# Money units and what each multiplies by, in kronor; a longer unit before its prefix.
MONEY_UNITS = {
    "tkr": 1_000,
    "mkr": 1_000_000,
    "msek": 1_000_000,
    "miljoner kronor": 1_000_000,
    "kronor": 1,
    "kr": 1,
}
# Scale words of a plain number ("177 tkr", "2 miljarder"), what each multiplies by.
NUMBER_SCALES = {
    "tkr": 1_000,
    "tusen": 1_000,
    "mkr": 10**6,
    "mnkr": 10**6,
    "miljoner": 10**6,
    "miljon": 10**6,
    "mdr": 10**9,
    "miljarder": 10**9,
}


class Amount(NamedTuple):
    """One number of a text with its unit: "177 tkr" is 177 (digits) times 1000 (scale)."""

    start: int
    end: int
    digits: str  # the whole part, group separators removed: "180 000" -> "180000"
    fraction: str  # the digits after the decimal comma, "" for none
    unit: str  # lower case, single-spaced; "" for none
    scale: int  # what the unit multiplies by (1 without one)
    wording: str  # as written, whitespace collapsed

    @property
    def kronor(self) -> int:
        """The amount in whole kronor (or units)."""
        fraction = float(f"0.{self.fraction}") if self.fraction else 0.0
        return round((int(self.digits) + fraction) * self.scale)


@lru_cache(maxsize=8)
def _amount(
    units: tuple[str, ...], unit_required: bool, separators: str, not_after: str, whole_unit: bool
) -> re.Pattern[str]:
    number = rf"(?<![{not_after}])(\d{{1,3}}(?:[{separators}]\d{{3}})+|\d+)(?:,(\d+))?(?!\d)"
    word_end = r"\b" if whole_unit else ""
    unit = rf"\s*({'|'.join(re.escape(u) for u in units)}){word_end}"
    return re.compile(number + (unit if unit_required else f"(?:{unit})?"), re.IGNORECASE)


def amounts(
    text: str,
    *,
    units: dict[str, int] = MONEY_UNITS,
    unit_required: bool = True,
    separators: str = " \u00a0",
    not_after: str = r"\d,",
    whole_unit: bool = True,
) -> list[Amount]:
    """The one number parser: amounts in `text` with their `units`, in order.

    By default money: a number with a money unit ("177 tkr", "1 500 kronor"). A caller
    reading every number passes `unit_required=False` and scale words; `separators` may
    group thousands ("180 000"), no number starts right after a `not_after` character, and
    `whole_unit` asks the unit to end its word.
    """
    pattern = _amount(tuple(units), unit_required, separators, not_after, whole_unit)
    found = []
    for m in pattern.finditer(text):
        unit = " ".join((m.group(3) or "").lower().split())
        digits = "".join(ch for ch in m.group(1) if ch not in separators)
        wording = " ".join(m.group().split())
        scale = units.get(unit, 1)
        found.append(Amount(m.start(), m.end(), digits, m.group(2) or "", unit, scale, wording))
    return found
