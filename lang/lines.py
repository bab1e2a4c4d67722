"""Line numbers of character offsets."""

from __future__ import annotations


def line_of(text: str, offset: int) -> int:
    """1-based line number of a character offset: what a citation's line range shows."""
    return text.count("\n", 0, offset) + 1
