import pytest

from bench.tables import fmt, render_table


def test_fmt_by_magnitude():
    assert fmt(0.96667) == "0.967"
    assert fmt(12.345) == "12.3"
    assert fmt(123.4) == "123"
    assert fmt(12345.6) == "12 346"
    assert fmt(float("nan")) == "-"
    assert fmt(None) == "-"
    assert fmt(20000) == "20 000"
    assert fmt(True) == "yes"
    assert fmt("ours") == "ours"


def test_render_table_aligns_columns_and_keeps_footnotes():
    text = render_table("T", ["system", "R@5"], [["ours", 1.0], ["A: recipe", 0.5]], ["* note"])
    lines = text.splitlines()
    assert lines[0] == "T"
    body = [line for line in lines if line.startswith(("system", "ours", "A: recipe"))]
    assert len({len(line) for line in body}) == 1  # right-aligned to one width
    assert body[1].startswith("ours ") and body[1].endswith("1.000")
    assert lines[-1] == "  * note"


def test_render_table_rejects_ragged_rows():
    with pytest.raises(ValueError):
        render_table("T", ["a", "b"], [["x"]])
