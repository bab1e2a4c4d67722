"""Index generations on disk: the data directory's layout, the CURRENT pointer, atomic files.

A build writes a new generation directory beside the live one and switches the pointer in
one rename, so readers see the old index or the new one, never half of either.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from index.store import open_chroma

MANIFEST = "manifest.json"
DOCUMENTS = "documents.jsonl"
CHUNKS = "chunks.jsonl"
BM25_DIR = "bm25"
CHROMA_DIR = "chroma"
EMBEDDING_CACHE = "embeddings.sqlite"
GENERATIONS = "generations"
CURRENT = "CURRENT"
BUILDING = ".building"  # in a generation being written: the pid of the process writing it

M = TypeVar("M", bound=BaseModel)


class DiskFullError(OSError):
    """The data directory's disk filled up while a new index generation was written."""

    errno = 28


def disk_nearly_full(path: Path) -> bool:
    usage = shutil.disk_usage(path)
    return usage.free < max(1 << 20, usage.total // 100)


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_jsonl(path: Path, models: Sequence[BaseModel]) -> None:
    write_atomic(path, "".join(m.model_dump_json() + "\n" for m in models))


def read_jsonl(path: Path, model: type[M]) -> list[M]:
    with path.open(encoding="utf-8") as lines:
        return [model.model_validate_json(line) for line in lines if line.strip()]


def current_generation(data_dir: Path) -> Path | None:
    """The generation directory the service reads, named by the CURRENT pointer file."""
    pointer = Path(data_dir) / CURRENT
    if not pointer.exists():
        return None
    generation = Path(data_dir) / GENERATIONS / pointer.read_text("utf-8").strip()
    return generation if generation.is_dir() else None


def new_generation(data_dir: Path) -> Path:
    """A new, empty generation directory under a unique name (not live until switched to)."""
    name = datetime.now(UTC).strftime("g%Y%m%dT%H%M%S") + f"-{os.getpid()}-{secrets.token_hex(2)}"
    generation = data_dir / GENERATIONS / name
    generation.mkdir()
    (generation / BUILDING).write_text(str(os.getpid()), encoding="utf-8")
    return generation


def collection_for(generation: str) -> str:
    return f"falun-kb-{generation}"


def chroma_path(generation: Path, chroma_url: str | None) -> Path | None:
    """Where a generation keeps its Chroma files: nowhere when a Chroma server holds them."""
    return None if chroma_url else generation / CHROMA_DIR


def switch_to(data_dir: Path, generation: Path) -> None:
    """Make `generation` live in one atomic rename; readers see the old or the new, never half."""
    (generation / BUILDING).unlink(missing_ok=True)
    write_atomic(data_dir / CURRENT, generation.name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _being_written(generation: Path) -> bool:
    """Marked as being written by a process that is still running."""
    try:
        pid = int((generation / BUILDING).read_text("utf-8").strip())
    except (OSError, ValueError):
        return False  # complete, or its builder was killed before it wrote its pid
    return _alive(pid)


def remove_stale_generations(data_dir: Path, chroma_url: str | None) -> list[str]:
    """Remove the half-written generations of builds that were killed (their process is gone)
    and return their names; a build still running in another process keeps its own."""
    removed = []
    root = Path(data_dir) / GENERATIONS
    for generation in sorted(root.iterdir()) if root.is_dir() else []:
        if not (generation / BUILDING).is_file() or _being_written(generation):
            continue
        discard_generation(generation, chroma_url)
        removed.append(generation.name)
    return removed


def discard_generation(generation: Path, chroma_url: str | None) -> None:
    """Remove a generation at once, with its collection on a Chroma server."""
    shutil.rmtree(generation, ignore_errors=True)
    if chroma_url:
        open_chroma(None, chroma_url, collection_for(generation.name)).drop()


def remove_old_generations(data_dir: Path, keep: set[str], chroma_url: str | None) -> None:
    """Old generations go; the live one, the one before it (maybe still open) and one that
    another process is still writing stay."""
    for generation in sorted((data_dir / GENERATIONS).iterdir()):
        if generation.name in keep or _being_written(generation):
            continue
        discard_generation(generation, chroma_url)
