"""The CLI's progress line for a long stage: a bar, the rate so far and the time left."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


def clock_text(seconds: float) -> str:
    """12 s, 4:05, 1:02:03: a duration as people read it."""
    s = max(0, round(seconds))
    if s < 60:
        return f"{s} s"
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def progress_text(label: str, done: int, total: int, elapsed: float, width: int = 30) -> str:
    """`label [####....] done/total · rate/s · ~ETA kvar` (rate and ETA once something is done)."""
    filled = int(width * done / total) if total else width
    text = f"{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
    if done and elapsed > 0:
        rate = done / elapsed
        text += f" · {rate:.1f}/s"
        text += f" · ~{clock_text((total - done) / rate)} kvar" if done < total else ""
        text += f" · {clock_text(elapsed)}" if done >= total else ""
    return text


def progress_line(
    label: str, out: TextIO | None = None, clock: Callable[[], float] = time.monotonic
) -> Callable[[int, int], None]:
    """A `progress(done, total)` callback that redraws one line; the clock starts at its
    first call, so the rate counts only this stage's work."""
    started: list[float] = []
    longest = [0]

    def report(done: int, total: int) -> None:
        stream = out or sys.stderr
        now = clock()
        if not started:
            started.append(now)
        text = progress_text(label, done, total, now - started[0])
        longest[0] = max(longest[0], len(text))
        print("\r" + text.ljust(longest[0]), end="", file=stream)  # blank a longer last line
        if done >= total:
            print(file=stream)

    return report
