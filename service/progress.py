"""An ingest's progress, stage by stage: done/total, rate and time left for the CLI's bar and
the admin status endpoint, and a way to stop it between two steps."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal, TextIO

from pydantic import BaseModel

# the stages of an ingest, in order, with what the CLI calls them (index.build and
# ingest.load name them as they report: stage, done, total)
STAGE_LABELS = {
    "load": "läser filer (OCR)",
    "repair": "lagar OCR-text",
    "chunk": "delar upp",
    "embed": "bäddar in avsnitt",
    "units": "bäddar in meningar",
    "store": "lagrar vektorer",
    "bm25": "BM25-index",
    "write": "skriver, kontrollerar",
}


class IngestStopped(Exception):
    """The ingest was asked to stop; what was embedded so far stays in the cache."""


class StageStatus(BaseModel):
    """One stage of an ingest: how far it got, how fast, and how long is left."""

    name: str
    done: int
    total: int
    seconds: float
    rate: float | None = None  # items per second so far
    eta_s: float | None = None  # seconds left at that rate
    finished: bool = False


class IngestStatus(BaseModel):
    """The running or last ingest: its stage now, each stage so far, when, and how it ended."""

    state: Literal["idle", "running", "done", "failed", "stopped"] = "idle"
    stage: str | None = None
    done: int = 0
    total: int = 0
    rate: float | None = None
    eta_s: float | None = None
    started: datetime | None = None
    finished: datetime | None = None
    error: str | None = None
    stages: list[StageStatus] = []


@dataclass
class _Stage:
    name: str
    started: float
    done: int = 0
    total: int = 0
    ended: float | None = None

    def status(self, now: float) -> StageStatus:
        seconds = (self.ended if self.ended is not None else now) - self.started
        rate = self.done / seconds if self.done and seconds > 0 else None
        left = self.total - self.done
        eta = left / rate if rate and left > 0 else (0.0 if self.ended is not None else None)
        return StageStatus(
            name=self.name,
            done=self.done,
            total=self.total,
            seconds=round(seconds, 3),
            rate=rate,
            eta_s=eta,
            finished=self.ended is not None,
        )


Listener = Callable[[StageStatus], None]


@dataclass
class IngestProgress:
    """Thread-safe record of one ingest's stages; called as `progress(stage, done, total)`.

    A stage's clock starts at its first report and stops when done reaches total or the
    next stage begins. `stop()` makes the next report raise IngestStopped, so a build stops
    between two batches and leaves the previous index generation serving."""

    listener: Listener | None = None
    clock: Callable[[], float] = time.monotonic
    _stages: list[_Stage] = field(default_factory=list)
    _state: str = "idle"
    _t0: float | None = None
    _started: datetime | None = None
    _finished: datetime | None = None
    _error: str | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        with self._lock:
            self._stages.clear()
            self._state, self._error, self._finished = "running", None, None
            self._started, self._t0 = datetime.now(UTC), self.clock()
            self._stop.clear()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self._stop.is_set():
            raise IngestStopped("inläsningen avbröts / ingest stopped")
        now = self.clock()
        with self._lock:
            if self._state != "running":  # reported without start(): the run starts now
                self._state, self._started, self._t0 = "running", datetime.now(UTC), now
            current = self._stages[-1] if self._stages else None
            if current is None or current.name != stage:
                # stages follow each other: one starts where the last ended, so the time
                # between two reports (a model loading, the cache read) counts somewhere
                if current is not None and current.ended is None:
                    current.ended = now
                begun = current.ended if current is not None else self._t0
                current = _Stage(stage, now if begun is None else begun)
                self._stages.append(current)
            current.done, current.total = done, total
            current.ended = now if done >= total else None
            shown = current.status(now)
        if self.listener is not None:
            self.listener(shown)

    def stop(self) -> bool:
        """Ask a running ingest to stop at its next step; False when none is running."""
        with self._lock:
            if self._state != "running":
                return False
            self._stop.set()
            return True

    def finish(self, error: BaseException | None = None) -> None:
        now = self.clock()
        with self._lock:
            for stage in self._stages:
                stage.ended = now if stage.ended is None else stage.ended
            if error is None:
                self._state = "done"
            elif isinstance(error, IngestStopped | KeyboardInterrupt):
                self._state, self._error = "stopped", str(error) or type(error).__name__
            else:
                self._state, self._error = "failed", f"{type(error).__name__}: {error}"
            self._finished = datetime.now(UTC)

    def stages(self) -> list[StageStatus]:
        now = self.clock()
        with self._lock:
            return [s.status(now) for s in self._stages]

    def status(self) -> IngestStatus:
        stages = self.stages()
        with self._lock:
            now_stage = stages[-1] if stages else None
            return IngestStatus(
                state=self._state,  # type: ignore[arg-type]  # one of the Literal's values
                stage=now_stage.name if now_stage else None,
                done=now_stage.done if now_stage else 0,
                total=now_stage.total if now_stage else 0,
                rate=now_stage.rate if now_stage else None,
                eta_s=now_stage.eta_s if now_stage else None,
                started=self._started,
                finished=self._finished,
                error=self._error,
                stages=stages,
            )


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


def stage_text(stage: StageStatus, width: int = 30) -> str:
    label = f"{STAGE_LABELS.get(stage.name, stage.name):21}"
    return progress_text(label, stage.done, stage.total, stage.seconds, width)


def progress_bars(
    out: TextIO | None = None,
    *,
    tty: bool | None = None,
    every: float = 5.0,
    clock: Callable[[], float] = time.monotonic,
) -> Listener:
    """A listener drawing each stage's bar: redrawn in place on a terminal; on a pipe or a
    log, plain lines when a stage starts, each tenth of the way (or `every` seconds), and
    when it ends."""
    last: dict[str, tuple[float, int]] = {}  # per stage: when a line was last printed, tenth
    longest = [0]

    def draw(stage: StageStatus) -> None:
        stream = out or sys.stderr
        on_tty = stream.isatty() if tty is None else tty
        text = stage_text(stage)
        if on_tty:
            longest[0] = max(longest[0], len(text))
            print("\r" + text.ljust(longest[0]), end="", file=stream, flush=True)
            if stage.finished:
                print(file=stream, flush=True)
                longest[0] = 0
            return
        now = clock()
        tenth = 10 * stage.done // stage.total if stage.total else 10
        when, shown = last.get(stage.name, (float("-inf"), -1))
        if stage.finished or tenth > shown or now - when >= every:
            print(text, file=stream, flush=True)
            last[stage.name] = (now, tenth)

    return draw


def timing_text(stages: list[StageStatus]) -> str:
    """`tid per steg: load 0.2 s · … · totalt 11 s`: where an ingest's time went."""
    parts = [f"{s.name} {s.seconds:.1f} s" for s in stages]
    total = sum(s.seconds for s in stages)
    return f"tid per steg / time per stage: {' · '.join(parts)} · totalt {total:.1f} s"
