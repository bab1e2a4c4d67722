"""Word statistics of an index generation, counted once at ingest and stored beside it: each
token's document frequency over the chunks (the answerer's IDF weights) and the documents'
vocabulary (spelling correction, the dictionaries' filter). Counting them again on every
start took 20 s of a 100 000-chunk service's start-up."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.schema import Chunk, Document
from lang import tokenize, vocabulary

WORD_STATS = "word_stats.json"


def chunk_words_text(chunk: Chunk) -> str:
    """The text whose tokens count for a chunk: its words and its section headings."""
    return " ".join([chunk.text, *chunk.section])


def document_frequencies(texts: Iterable[str]) -> tuple[dict[str, int], int]:
    """How many of the texts hold each token, and how many texts there are."""
    df: Counter[str] = Counter()
    n = 0
    for text in texts:
        df.update(set(tokenize(text)))
        n += 1
    return dict(df), n


@dataclass(frozen=True)
class WordStats:
    df: dict[str, int]  # token -> how many chunks hold it
    chunks: int
    vocabulary: frozenset[str]  # the documents' lower-cased words

    @classmethod
    def count(cls, chunks: Iterable[Chunk], documents: Sequence[Document]) -> WordStats:
        df, n = document_frequencies(chunk_words_text(c) for c in chunks)
        return cls(df, n, frozenset(vocabulary(d.text for d in documents)))

    def save(self, path: Path) -> None:
        data = {"chunks": self.chunks, "df": self.df, "vocabulary": sorted(self.vocabulary)}
        Path(path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> WordStats:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(dict(data["df"]), int(data["chunks"]), frozenset(data["vocabulary"]))
