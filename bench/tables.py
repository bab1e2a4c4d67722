"""Plain-text tables for the terminal: aligned columns, numbers formatted by magnitude."""

from __future__ import annotations

import math
from collections.abc import Sequence


def fmt(value: object, digits: int = 3) -> str:
    """A cell: floats with `digits` decimals below 10, fewer above; nan as '-'."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        if abs(value) >= 1000:
            return f"{value:,.0f}".replace(",", " ")
        if abs(value) >= 100:
            return f"{value:.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ") if abs(value) >= 10000 else str(value)
    return str(value)


def render_table(
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    footnotes: Sequence[str] = (),
) -> str:
    """A titled table; the first column is left-aligned, the others right-aligned."""
    cells = [[fmt(v) for v in row] for row in rows]
    widths = [len(h) for h in header]
    for row in cells:
        if len(row) != len(header):
            raise ValueError(f"row has {len(row)} cells, header has {len(header)}")
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]

    def line(values: Sequence[str]) -> str:
        first, *rest = values
        parts = [first.ljust(widths[0])] + [
            v.rjust(w) for v, w in zip(rest, widths[1:], strict=True)
        ]
        return "  ".join(parts).rstrip()

    rule = "-" * len(line(list(header)))
    out = [title, rule, line(list(header)), rule, *(line(r) for r in cells), rule]
    out.extend(f"  {note}" for note in footnotes)
    return "\n".join(out)
