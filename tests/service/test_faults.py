"""Faults at ingest: a kill -9 mid-embedding and a full disk leave the previous index serving."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from index.generations import current_generation
from index.manifest import read_manifest
from service.kb import KnowledgeBaseService
from service.pipeline import run_ingest
from service.settings import Settings
from tests.conftest import CORPUS, add_to_catalog
from tests.fakes import HashEmbedding

pytestmark = [pytest.mark.slow, pytest.mark.server]


def _corpus_with_extra_document(target: Path, paragraphs: int) -> Path:
    """The bundled corpus plus one long, catalogued document of distinct paragraphs."""
    shutil.copytree(CORPUS, target)
    text = "\n\n".join(
        f"Avsnitt {i}. Kommunen planerar utbyte nummer {i} med {uuid.uuid4().hex[:8]} "
        f"inom kultur, skola och näringsliv under året {1990 + i % 30}." * 3
        for i in range(paragraphs)
    )
    (target / "bilaga-utbyten.txt").write_text("Bilaga om utbyten\n\n" + text, encoding="utf-8")
    add_to_catalog(
        target,
        "bilaga-utbyten",
        file="bilaga-utbyten.txt",
        title="Bilaga om utbyten",
        municipality="Falu kommun",
        doc_type="bilaga",
        year=2023,
        ocr=False,
    )
    return target


def _env(data_dir: Path, corpus: Path) -> dict[str, str]:
    return {
        **os.environ,
        "FALUN_KB_DATA_DIR": str(data_dir),
        "FALUN_KB_CORPUS_DIR": str(corpus),
        "OMP_WAIT_POLICY": "passive",
    }


def test_kill_9_during_embedding_leaves_the_previous_generation_serving(tmp_path):
    data = tmp_path / "data"
    settings = Settings(data_dir=data, corpus_dir=CORPUS)
    run_ingest(settings)
    live = current_generation(data)
    before = read_manifest(data)

    corpus = _corpus_with_extra_document(tmp_path / "corpus", paragraphs=300)
    proc = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "ingest"],
        env=_env(data, corpus),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
    )
    # wait until embedding has visibly started, then kill it without warning
    seen = b""
    deadline = time.monotonic() + 120
    while b"/" not in seen.split(b"[")[-1] or b"] 0/" in seen[-40:]:
        assert proc.poll() is None, "ingest ended before it could be killed"
        assert time.monotonic() < deadline, seen[-200:]
        seen += os.read(proc.stderr.fileno(), 256)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    assert current_generation(data) == live
    kb = KnowledgeBaseService.open(settings)
    assert kb.index.manifest == before
    assert kb.ask("Vilken vänort har Falun i Finland?").answerable

    # the next ingest finishes, reusing what was embedded before the kill
    report = run_ingest(settings.model_copy(update={"corpus_dir": corpus}))
    assert "bilaga-utbyten" in {f.doc_id for f in report.files}
    assert read_manifest(data).counts["documents"] == 6


@pytest.fixture
def tiny_disk(tmp_path):
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_full_disk_gives_a_clear_error_and_keeps_the_old_index(tmp_path, tiny_disk):
    data = tiny_disk / "data"
    run = [sys.executable, "-m", "tests.fake_cli", "ingest"]  # the CLI with the hash embedder
    first = subprocess.run(run, env=_env(data, CORPUS), capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    live = current_generation(data)

    corpus = _corpus_with_extra_document(tmp_path / "corpus", paragraphs=1500)
    second = subprocess.run(run, env=_env(data, corpus), capture_output=True, text=True)
    assert second.returncode == 1
    assert "disken för datakatalogen är full" in second.stderr, second.stderr[-2000:]
    assert "används fortfarande" in second.stderr
    assert current_generation(data) == live
    assert [g.name for g in (data / "generations").iterdir()] == [live.name]  # no half-build left

    settings = Settings(data_dir=data, corpus_dir=CORPUS)
    assert KnowledgeBaseService.open(settings, embedder=HashEmbedding()).search("Hamina", k=1)
