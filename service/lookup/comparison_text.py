"""A comparison as a plain-text table, for the terminal (`falun-kb compare`)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from ingest.schema import last_heading
from service.models import ComparedItem, Side


def _cell(side: Side | None) -> str:
    if side is None:
        return "—"
    quote = " ".join(side.quote.split())
    lines = (
        f"{side.start_line}"
        if side.start_line == side.end_line
        else f"{side.start_line}–{side.end_line}"
    )
    short = textwrap.shorten(quote, 90, placeholder="…")
    return f"{last_heading(side.section)} r.{lines}: “{short}”"


def comparison_table(items: Sequence[ComparedItem]) -> str:
    """A plain-text table: status | topic | A | B, with the differing words under a row."""
    widths = (8, 30, 44, 44)
    head = ("status", "ämne", "A", "B")
    rule = "-+-".join("-" * w for w in widths)

    def row(cells: Sequence[str]) -> list[str]:
        wrapped = [textwrap.wrap(c, w) or [""] for c, w in zip(cells, widths, strict=True)]
        height = max(len(c) for c in wrapped)
        return [
            " | ".join(
                (c[k] if k < len(c) else "").ljust(w) for c, w in zip(wrapped, widths, strict=True)
            ).rstrip()
            for k in range(height)
        ]

    out = [*row(head), rule]
    for item in items:
        out += row((item.status, item.topic, _cell(item.a), _cell(item.b)))
        for diff in item.differences:
            out += [f"{'':8} | {'':30} | Δ " + line for line in textwrap.wrap(diff, 86)]
        out.append(rule)
    return "\n".join(out)
