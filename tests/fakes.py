"""Test fakes, kept out of the product: a hash embedder and a scripted LLM.

They are injected through the composition root (`run_ingest(settings, embedder=...)`,
`KnowledgeBaseService.open(settings, embedder=...)`, `LlmAnswerer(ScriptedLLM(...))`); no
setting of the product can select them.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.embed import _LocalEmbedding
from service.answer.features import QUESTION_FEATURES, UNIT_FEATURES
from service.answer.fitted import AnsweringModel, LogisticModel

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Completion:
    """What llama-index's LLMs return: the text so far and, when streaming, the new piece."""

    text: str
    delta: str | None = None


class HashEmbedding(_LocalEmbedding):
    """Deterministic test fake: a bag of sha256-seeded word vectors; shared words → close."""

    dim: int = 64

    def __init__(self, dim: int = 64, embed_batch_size: int = 32, **kwargs: Any) -> None:
        super().__init__(
            dim=dim, model_name=f"hash-{dim}", embed_batch_size=embed_batch_size, **kwargs
        )

    @classmethod
    def class_name(cls) -> str:
        return "HashEmbedding"

    def _word_vector(self, word: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(word.encode()).digest()[:8], "little")
        return np.random.default_rng(seed).standard_normal(self.dim)

    def _embed_one(self, text: str) -> np.ndarray:
        words = _TOKEN.findall(text.lower()) or [""]  # never a zero vector: cosine needs a norm
        vector = np.sum([self._word_vector(w) for w in words], axis=0)
        return (vector / np.linalg.norm(vector)).astype(np.float32)

    def _embed_queries(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._embed_one(t) for t in texts])

    def _embed_passages(self, texts: list[str]) -> np.ndarray:
        return self._embed_queries(texts)


class ScriptedLLM:
    """A fake LLM for tests: replies (or raises) what was enqueued; records every prompt."""

    def __init__(self, *replies: str | BaseException) -> None:
        self.replies: deque[str | BaseException] = deque(replies)
        self.history: list[str] = []

    def enqueue(self, reply: str | BaseException) -> ScriptedLLM:
        self.replies.append(reply)
        return self

    def _next(self, prompt: str) -> str:
        self.history.append(prompt)
        reply = self.replies.popleft() if self.replies else "Inget svar."
        if isinstance(reply, BaseException):
            raise reply
        return reply

    def complete(self, prompt: str, **kwargs: Any) -> Completion:
        return Completion(self._next(prompt))

    def stream_complete(self, prompt: str, **kwargs: Any) -> Iterator[Completion]:
        text = self._next(prompt)
        pieces = re.findall(r"\S+\s*", text)
        for i, piece in enumerate(pieces):
            yield Completion("".join(pieces[: i + 1]), piece)


class SlowHashEmbedding(HashEmbedding):
    """The hash embedder taking `batch_seconds` per batch of passages, as a model would."""

    batch_seconds: float = 0.0

    def _embed_passages(self, texts: list[str]) -> np.ndarray:
        time.sleep(self.batch_seconds)
        return super()._embed_passages(texts)


def hash_embedder_factory(
    spec: str, batch_size: int = 32, batch_seconds: float = 0.0
) -> HashEmbedding:
    """Stands in for `index.embed.make_embedder` where a test drives the CLI, whose
    composition root builds the embedder itself: whatever is configured, the fake."""
    if batch_seconds:
        return SlowHashEmbedding(embed_batch_size=batch_size, batch_seconds=batch_seconds)
    return HashEmbedding(embed_batch_size=batch_size)


def coverage_answering_model(min_coverage: float = 0.5) -> AnsweringModel:
    """An answering model for logic tests over fake or lexical-only retrieval, where the
    fitted model's dense features mean nothing: a unit scores by its term coverage, and a
    question is answered when its best unit covers at least `min_coverage`."""

    def only(features: tuple[str, ...], name: str, weight: float, at: float) -> LogisticModel:
        weights = tuple(weight if f == name else 0.0 for f in features)
        n = len(features)
        # p = sigmoid(weight * (x - at)): one half exactly at `at`
        return LogisticModel(features, (at,) * n, (1.0,) * n, weights, 0.0)

    return AnsweringModel(
        unit=only(UNIT_FEATURES, "unit_coverage_with_section", 20.0, min_coverage),
        question=only(QUESTION_FEATURES, "best_unit_coverage", 20.0, min_coverage),
        answer_threshold=0.5,
        unit_ratio=0.6,
        unit_floor=0.0,
        year_section_weight=0.5,
        year_word_weight=1.0,
    )


def coverage_model_file(folder: Path) -> Path:
    """`coverage_answering_model` as a model file, for settings (FALUN_KB_ANSWERING_MODEL)."""
    path = Path(folder) / "coverage_answering_model.json"
    path.write_text(json.dumps(coverage_answering_model().to_json()), encoding="utf-8")
    return path
