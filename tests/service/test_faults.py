"""Faults at ingest: a kill -9, Ctrl-C or SIGTERM mid-embedding and a full disk leave the
previous index serving; the next ingest embeds only what the stopped one had not."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from index.generations import EMBEDDING_CACHE, current_generation
from index.manifest import read_manifest
from service.kb import KnowledgeBaseService
from service.pipeline import run_ingest
from service.progress import IngestProgress
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


def _cached(data: Path) -> int:
    """How many vectors the embedding cache holds."""
    with sqlite3.connect(data / EMBEDDING_CACHE) as db:
        return int(db.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0])


EMBEDDING_UNDER_WAY = re.compile(r"bäddar in avsnitt +\[[#.]+\] ([1-9]\d*)/(\d+)")


def _wait_for_embedding(proc: subprocess.Popen) -> bytes:
    """The ingest's stderr up to its first line showing passages embedded (but not all)."""
    seen = b""
    deadline = time.monotonic() + 120
    while True:
        assert proc.poll() is None, f"ingest ended before it could be stopped: {seen[-300:]!r}"
        assert time.monotonic() < deadline, seen[-300:]
        seen += os.read(proc.stderr.fileno(), 4096)
        match = EMBEDDING_UNDER_WAY.search(seen.decode("utf-8", "replace"))
        if match and match.group(1) != match.group(2):
            return seen


def test_kill_9_during_embedding_leaves_the_previous_generation_serving(tmp_path):
    data = tmp_path / "data"
    settings = Settings(data_dir=data, corpus_dir=CORPUS)
    run_ingest(settings)
    live = current_generation(data)
    before = read_manifest(data)
    cached_before = _cached(data)

    corpus = _corpus_with_extra_document(tmp_path / "corpus", paragraphs=300)
    proc = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "ingest"],
        env=_env(data, corpus),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
    )
    _wait_for_embedding(proc)  # then kill it without warning
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    assert current_generation(data) == live
    kb = KnowledgeBaseService.open(settings)
    assert kb.index.manifest == before
    assert kb.ask("Vilken vänort har Falun i Finland?").answerable
    kept = _cached(data) - cached_before
    assert kept > 0  # the batches embedded before the kill were written to the cache

    # the next ingest finishes, embedding only what the killed one had not
    progress = IngestProgress()
    report = run_ingest(settings.model_copy(update={"corpus_dir": corpus}), progress=progress)
    assert "bilaga-utbyten" in {f.doc_id for f in report.files}
    assert read_manifest(data).counts["documents"] == 6
    embedded = {s.name: s.total for s in progress.stages() if s.name in ("embed", "units")}
    assert sum(embedded.values()) == _cached(data) - cached_before - kept  # each one new
    assert sorted(g.name for g in (data / "generations").iterdir()) == sorted(
        [live.name, current_generation(data).name]
    )


FAKE_INGEST = [sys.executable, "-m", "tests.fake_cli", "ingest"]  # the CLI, hash embedder


def _first_ingest(data):
    """Ingest the bundled corpus with the CLI (hash embedder); the live generation."""
    first = subprocess.run(FAKE_INGEST, env=_env(data, CORPUS), capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    return current_generation(data)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_or_sigterm_stops_ingest_and_the_rerun_resumes_from_the_cache(tmp_path, stop):
    data = tmp_path / "data"
    live = _first_ingest(data)
    cached_before = _cached(data)

    corpus = _corpus_with_extra_document(tmp_path / "corpus", paragraphs=200)
    slow = {**_env(data, corpus), "TEST_EMBED_BATCH_SECONDS": "0.3"}
    proc = subprocess.Popen(
        FAKE_INGEST, env=slow, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    _wait_for_embedding(proc)
    proc.send_signal(stop)
    _, rest = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "avbröts" in rest.decode() and "används fortfarande" in rest.decode()
    assert current_generation(data) == live
    assert [g.name for g in (data / "generations").iterdir()] == [live.name]
    kept = _cached(data) - cached_before
    assert kept > 0

    again = subprocess.run(FAKE_INGEST, env=_env(data, corpus), capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    totals = re.findall(r"bäddar in (?:avsnitt|meningar) +\[#+\] (\d+)/\1", again.stderr)
    assert len(totals) == 2, again.stderr
    assert sum(map(int, totals)) == _cached(data) - cached_before - kept  # only the missing
    settings = Settings(data_dir=data, corpus_dir=corpus)
    kb = KnowledgeBaseService.open(settings, embedder=HashEmbedding())
    assert "bilaga-utbyten" in {c.doc_id for c in kb.index.chunks.values()}
    # hash vectors are noise to the fused ranking; the title's words still bring it up
    assert "bilaga-utbyten" in {r.doc_id for r in kb.search("Bilaga om utbyten", k=5)}


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
    live = _first_ingest(data)

    corpus = _corpus_with_extra_document(tmp_path / "corpus", paragraphs=1500)
    second = subprocess.run(FAKE_INGEST, env=_env(data, corpus), capture_output=True, text=True)
    assert second.returncode == 1
    assert "disken för datakatalogen är full" in second.stderr, second.stderr[-2000:]
    assert "används fortfarande" in second.stderr
    assert current_generation(data) == live
    assert [g.name for g in (data / "generations").iterdir()] == [live.name]  # no half-build left

    settings = Settings(data_dir=data, corpus_dir=CORPUS)
    assert KnowledgeBaseService.open(settings, embedder=HashEmbedding()).search("Hamina", k=1)
