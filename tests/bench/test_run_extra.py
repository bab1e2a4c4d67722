"""`falun-kb bench` without the `bench` extra: the sections that need it say how to install it."""

import sys

import pytest

from bench import run


def _run(monkeypatch, tmp_path, only: str) -> tuple[int, dict[str, list[str]]]:
    ran: dict[str, list[str]] = {}
    for name in run.SECTIONS:  # stand-ins record that a section ran; the preflight stays real
        monkeypatch.setitem(run.RUNNERS, name, lambda ctx, name=name: ran.setdefault(name, []))
    code = run.main(
        ["--only", only, "--cache-dir", str(tmp_path), "--out", str(tmp_path / "r.json")]
    )
    return code, ran


@pytest.mark.parametrize(
    ("missing", "section"),
    [
        ("journal_digital", "scale"),
        ("matplotlib", "scale"),
        ("llama_index.vector_stores.chroma", "quality"),
    ],
)
def test_missing_extra_skips_the_section_with_the_install_command(
    monkeypatch, tmp_path, capsys, missing, section
):
    monkeypatch.setitem(
        sys.modules, missing, None
    )  # `import missing` now raises ModuleNotFoundError
    code, ran = _run(monkeypatch, tmp_path, f"{section},ingest")
    out = capsys.readouterr().out
    assert section not in ran
    assert "ingest" in ran  # the other sections still run
    line = next(x for x in out.splitlines() if f"section {section} needs the bench extra" in x)
    assert missing in line  # (with any others not installed here)
    assert "pip install -e '.[bench]'" in out
    assert "ModuleNotFoundError" not in out
    assert code == 0


def run_ingest_section(runner, monkeypatch, tmp_path, capsys):
    """`bench --only ingest` with the section replaced by `runner`: exit code and output."""
    monkeypatch.setitem(run.RUNNERS, "ingest", runner)
    code = run.main(
        ["--only", "ingest", "--cache-dir", str(tmp_path), "--out", str(tmp_path / "r.json")]
    )
    return code, capsys.readouterr().out


def test_extra_module_missing_inside_a_section_is_reported_the_same_way(
    monkeypatch, tmp_path, capsys
):
    def needs_plot(ctx):
        raise ModuleNotFoundError("No module named 'matplotlib'", name="matplotlib")

    code, out = run_ingest_section(needs_plot, monkeypatch, tmp_path, capsys)
    assert "section ingest needs the bench extra (missing matplotlib)" in out
    assert "pip install -e '.[bench]'" in out
    assert code == 0


def test_other_import_errors_still_fail_the_section(monkeypatch, tmp_path, capsys):
    def broken(ctx):
        raise ModuleNotFoundError("No module named 'nosuchthing'", name="nosuchthing")

    code, out = run_ingest_section(broken, monkeypatch, tmp_path, capsys)
    assert "section ingest failed: ModuleNotFoundError" in out
    assert "bench extra" not in out
    assert code == 1


def test_with_the_extra_installed_nothing_is_missing():
    pytest.importorskip("matplotlib")
    pytest.importorskip("journal_digital")
    pytest.importorskip("llama_index.vector_stores.chroma")
    assert run.missing_modules("scale") == run.missing_modules("quality") == []


def test_journal_digital_is_named_with_its_own_install_command(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "journal_digital", None)
    _run(monkeypatch, tmp_path, "scale")
    out = capsys.readouterr().out
    assert "pip install -e '.[bench]'` then `pip install --no-deps journal-digital==" in out
