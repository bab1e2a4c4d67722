"""Paths, settings and small helpers every benchmark section shares."""

from __future__ import annotations

import os
import platform
import resource
import shutil
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pydantic-settings import is cheap, but keep the bench CLI import-light
    from service.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CACHE_DIR = ROOT / "bench" / ".cache"
RESULTS_DIR = ROOT / "bench" / "results"
DEV_QUESTIONS = ROOT / "eval" / "dev_questions.jsonl"
CORPUS_DIR = ROOT / "corpus"
# One embedding cache for everything the bench embeds (corpus and distractors); it is copied
# into each bench data dir before a build, so no index build embeds a text twice across runs.
SHARED_EMBEDDINGS = CACHE_DIR / "embeddings.sqlite"


def bench_settings(data_dir: Path, corpus_dir: Path = CORPUS_DIR, **overrides: object) -> Settings:
    from service.settings import Settings

    return Settings(data_dir=data_dir, corpus_dir=corpus_dir, **overrides)  # type: ignore[arg-type]


def seed_embedding_cache(data_dir: Path) -> None:
    """Copy the shared embedding cache into a data dir, so its build only embeds new texts."""
    from index.generations import EMBEDDING_CACHE

    data_dir.mkdir(parents=True, exist_ok=True)
    if SHARED_EMBEDDINGS.exists():
        shutil.copyfile(SHARED_EMBEDDINGS, data_dir / EMBEDDING_CACHE)


def harvest_embedding_cache(data_dir: Path) -> None:
    """Merge a data dir's embedding cache back into the shared one."""
    import sqlite3

    from index.generations import EMBEDDING_CACHE

    source = data_dir / EMBEDDING_CACHE
    if not source.exists():
        return
    SHARED_EMBEDDINGS.parent.mkdir(parents=True, exist_ok=True)
    from index.cache import EmbeddingCache

    EmbeddingCache(SHARED_EMBEDDINGS).close()  # creates the table if the file is new
    db = sqlite3.connect(SHARED_EMBEDDINGS)
    try:
        db.execute("ATTACH DATABASE ? AS src", (str(source),))
        db.execute("INSERT OR IGNORE INTO embeddings SELECT * FROM src.embeddings")
        db.commit()
    finally:
        db.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB.

    VmHWM first: ru_maxrss survives fork+exec on Linux, so a spawned child would report its
    parent's peak if that was higher.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info() -> dict[str, object]:
    import numpy as np

    info: dict[str, object] = {
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "load_average": os.getloadavg(),
    }
    try:
        import psutil

        info["memory_gb"] = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:
        pass
    return info
