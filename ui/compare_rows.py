"""The rows a comparison is shown in: items that share a passage become one row.

The service pairs passages one to one; a change of chair comes back as three items (the
chair line changed, the old chair's member line gone, the new chair's member line changed)
that share passages. Shown as one row, with every passage of it on its side, it reads as
the one change it is. Items that share nothing stay rows of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from service.models import ComparedItem, Side


@dataclass(frozen=True)
class Row:
    status: str
    topic: str
    a: list[Side] = field(default_factory=list)
    b: list[Side] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)


def _key(side: Side) -> tuple[str, int, int]:
    return side.doc_id, side.start, side.end


def _status(items: list[ComparedItem]) -> str:
    statuses = {i.status for i in items}
    return statuses.pop() if len(statuses) == 1 else "changed"


def merged_rows(items: list[ComparedItem]) -> list[Row]:
    """One row per group of items linked by a shared passage (unchanged items stay alone),
    in the order of each group's first item."""
    group_of: dict[tuple[str, int, int], int] = {}
    groups: list[list[ComparedItem]] = []
    for item in items:
        keys = [_key(s) for s in (item.a, item.b) if s is not None]
        found = sorted({group_of[k] for k in keys if k in group_of})
        if item.status == "same" or not found:
            groups.append([item])
            target = len(groups) - 1
        else:
            target = found[0]
            for other in found[1:]:  # the item links two groups: join them
                groups[target].extend(groups[other])
                groups[other] = []
                group_of.update({k: target for k, g in group_of.items() if g == other})
            groups[target].append(item)
        if item.status != "same":
            group_of.update({k: target for k in keys})
    return [_row(g) for g in groups if g]


def _row(items: list[ComparedItem]) -> Row:
    def sides(which: str) -> list[Side]:
        unique: dict[tuple[str, int, int], Side] = {}
        for item in items:
            side = getattr(item, which)
            if side is not None:
                unique.setdefault(_key(side), side)
        return sorted(unique.values(), key=lambda s: s.start)

    differences = list(dict.fromkeys(d for i in items for d in i.differences))
    return Row(_status(items), items[0].topic, sides("a"), sides("b"), differences)
