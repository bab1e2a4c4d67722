"""Split written questions into a tuning part and a held-out part, once and reproducibly.

    python scripts/split_questions.py eval/new_a.jsonl eval/new_b.jsonl

writes eval/split_tune.jsonl and eval/split_heldout.jsonl (it split the first 190 of our own
questions into own_tune/own_heldout; eval/README.md says what those files hold now).
A question goes to the held-out part when the sha256 of its chat's first question falls in
the lowest HELD_OUT share, so a follow-up stays with the question it follows and re-running
gives the same split. Nothing is tuned on the held-out part; it is only evaluated.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HELD_OUT = 0.3
EVAL = Path(__file__).resolve().parent.parent / "eval"


def chat_key(item: dict) -> str:
    """The first question of the item's chat: its history's first entry, or itself."""
    return (item.get("history") or [item["question"]])[0]


def held_out(item: dict) -> bool:
    digest = hashlib.sha256(chat_key(item).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < HELD_OUT


def main(paths: list[str]) -> None:
    items = [
        json.loads(line)
        for p in paths
        for line in Path(p).read_text("utf-8").splitlines()
        if line.strip()
    ]
    parts = {"split_tune.jsonl": [i for i in items if not held_out(i)],
             "split_heldout.jsonl": [i for i in items if held_out(i)]}  # fmt: skip
    for name, part in parts.items():
        text = "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in part)
        (EVAL / name).write_text(text, "utf-8")
        print(f"{name}: {len(part)} questions")


if __name__ == "__main__":
    main(sys.argv[1:])
