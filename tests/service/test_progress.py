import io

from service.progress import clock_text, progress_line, progress_text


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


def test_progress_line_times_from_its_first_call():
    times = iter([1000.0, 1004.0, 1008.0])
    out = io.StringIO()
    report = progress_line("bäddar in", out=out, clock=lambda: next(times))
    report(0, 4)
    report(2, 4)
    report(4, 4)
    lines = out.getvalue().split("\r")
    assert lines[2].endswith("2/4 · 0.5/s · ~4 s kvar")
    assert lines[3].rstrip(" \n").endswith("4/4 · 0.5/s · 8 s")
    assert len(lines[3].rstrip("\n")) >= len(lines[2])  # the longer line before is blanked


def test_nothing_to_do_is_a_full_bar():
    assert progress_text("bäddar in", 0, 0, 0.0, width=4) == "bäddar in [####] 0/0"
