import io

import pytest

from service.progress import (
    IngestProgress,
    IngestStopped,
    clock_text,
    progress_bars,
    progress_text,
    timing_text,
)


def test_clock_text():
    assert [clock_text(s) for s in (0, 12.4, 65, 3723)] == ["0 s", "12 s", "1:05", "1:02:03"]


def test_progress_shows_rate_and_time_left_then_time_taken():
    assert progress_text("bäddar in", 0, 100, 0.0, width=10) == "bäddar in [..........] 0/100"
    assert progress_text("bäddar in", 25, 100, 10.0, width=10) == (
        "bäddar in [##........] 25/100 · 2.5/s · ~30 s kvar"
    )
    assert progress_text("bäddar in", 100, 100, 40.0, width=10) == (
        "bäddar in [##########] 100/100 · 2.5/s · 40 s"
    )


def test_nothing_to_do_is_a_full_bar():
    assert progress_text("bäddar in", 0, 0, 0.0, width=4) == "bäddar in [####] 0/0"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_stages_follow_each_other_with_rate_and_time_left():
    clock = Clock()
    progress = IngestProgress(clock=clock)
    progress.start()
    progress("load", 0, 4)
    clock.now += 2
    progress("load", 4, 4)
    clock.now += 1  # between two stages (a model loading): counted in the next one
    progress("embed", 0, 100)
    clock.now += 9
    progress("embed", 20, 100)
    status = progress.status()
    assert status.state == "running" and status.stage == "embed"
    assert (status.done, status.total) == (20, 100)
    assert status.rate == pytest.approx(2.0)  # 20 in the 10 s since load ended
    assert status.eta_s == pytest.approx(40.0)
    load, embed = status.stages
    assert load.finished and load.seconds == 2 and load.rate == pytest.approx(2.0)
    assert not embed.finished and embed.seconds == 10
    clock.now += 40
    progress("embed", 100, 100)
    progress.finish()
    status = progress.status()
    assert status.state == "done" and status.finished >= status.started
    assert [s.seconds for s in status.stages] == [2, 50]
    assert status.stages[1].eta_s == 0
    assert timing_text(status.stages).endswith("load 2.0 s · embed 50.0 s · totalt 52.0 s")


def test_stop_makes_the_next_report_raise_and_the_run_end_stopped():
    progress = IngestProgress()
    assert not progress.stop()  # nothing running
    progress.start()
    progress("embed", 0, 10)
    assert progress.stop()
    with pytest.raises(IngestStopped) as stopped:
        progress("embed", 2, 10)
    progress.finish(stopped.value)
    status = progress.status()
    assert status.state == "stopped" and status.stage == "embed" and status.error
    progress.start()  # the next run starts afresh
    progress("load", 0, 1)
    assert progress.status().state == "running" and len(progress.status().stages) == 1


def test_a_failure_is_recorded_with_its_error():
    progress = IngestProgress()
    progress.start()
    progress("store", 0, 5)
    progress.finish(OSError("no space left on device"))
    status = progress.status()
    assert status.state == "failed" and "no space left" in status.error
    assert status.stages[0].finished


def test_bars_redraw_one_line_on_a_terminal():
    out = io.StringIO()
    clock = Clock()
    progress = IngestProgress(listener=progress_bars(out, tty=True), clock=clock)
    progress("embed", 0, 4)
    clock.now += 4
    progress("embed", 2, 4)
    clock.now += 4
    progress("embed", 4, 4)
    progress("store", 0, 4)
    drawn = out.getvalue()
    lines = drawn.split("\r")
    assert lines[2].rstrip().endswith("2/4 · 0.5/s · ~4 s kvar")
    assert lines[3].rstrip(" \n").endswith("4/4 · 0.5/s · 8 s") and lines[3].endswith("\n")
    assert lines[4].startswith("lagrar vektorer")


def test_bars_are_plain_lines_in_a_log_at_start_each_tenth_every_few_seconds_and_the_end():
    out = io.StringIO()
    clock = Clock()
    bars = progress_bars(out, tty=False, every=5, clock=clock)
    progress = IngestProgress(listener=bars, clock=clock)
    progress("embed", 0, 1000)
    for done in [*range(1, 12), 50, 99, 100, 101, 250, 1000]:
        clock.now += 1
        progress("embed", done, 1000)
    lines = out.getvalue().splitlines()
    assert "\r" not in out.getvalue()
    shown = [line.split("] ")[1].split(" ")[0] for line in lines]
    # the start, 5 s later, 5 s later, the first tenth, the second tenth, the end
    assert shown == ["0/1000", "5/1000", "10/1000", "100/1000", "250/1000", "1000/1000"]
