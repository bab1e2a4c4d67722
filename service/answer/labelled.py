"""The labelled training questions as vectors: how near a new question lies to one the
documents answer, against one they do not.

A question worded like one the documents answer is likely answered too; one worded like a
tempting question they do not answer (an official's name they never give, a year no plan
covers) likely is not. `margin` is that nearness as a number, a feature of the question
model (`labelled_margin`), fitted with it by `falun-kb fit`: each training question's margin
there is taken against the others only (out of its cross-validation fold when scored), as a
new question's is against them all.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# what the file next to the answering model is called: "answering_model.json" →
# "answering_model.questions.npz"
SUFFIX = ".questions.npz"


def questions_file(model_path: str | Path) -> Path:
    path = Path(model_path)
    return path.with_name(path.stem + SUFFIX)


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    v = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return v / np.where(norms == 0, 1.0, norms)


@dataclass(frozen=True)
class LabelledQuestions:
    """Unit vectors of questions (one row each) and whether the documents answer them."""

    vectors: np.ndarray  # (n, d) float32, unit length
    answerable: np.ndarray  # (n,) bool
    embedder: str = ""  # what embedded them: a question embedded otherwise is not comparable

    @classmethod
    def of(
        cls, vectors: np.ndarray, answerable: np.ndarray, embedder: str = ""
    ) -> LabelledQuestions:
        flags = np.asarray(answerable, dtype=bool)
        rows = _unit_rows(vectors) if len(flags) else np.zeros((0, 0), dtype=np.float32)
        if len(rows) != len(flags):
            raise ValueError(f"{len(rows)} vectors for {len(flags)} labels")
        return cls(rows, flags, embedder)

    def __len__(self) -> int:
        return len(self.answerable)

    def margin(self, vector: np.ndarray) -> float:
        """The cosine of the nearest answerable question minus the nearest unanswerable one's."""
        return float(self.margins(vector)[0])

    def margins(self, vectors: np.ndarray, left_out: np.ndarray | None = None) -> np.ndarray:
        """`margin` of each row of `vectors`; `left_out[i, j]` leaves labelled question j out
        for row i (the question itself, when the rows are labelled questions too). A side
        with no question left counts as cosine -1."""
        cosines = _unit_rows(vectors) @ self.vectors.T
        if left_out is not None:
            cosines = np.where(left_out, -np.inf, cosines)
        nearest = [
            np.max(cosines[:, side], axis=1, initial=-1.0)
            for side in (self.answerable, ~self.answerable)
        ]
        return nearest[0] - nearest[1]

    def save(self, path: Path) -> str:
        """Writes the vectors (float16) and labels; returns the file's sha256."""
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            vectors=self.vectors.astype(np.float16),
            answerable=self.answerable,
            embedder=np.array(self.embedder),
        )
        Path(path).write_bytes(buffer.getvalue())
        return hashlib.sha256(buffer.getvalue()).hexdigest()

    @classmethod
    def load(cls, path: Path) -> LabelledQuestions:
        with np.load(path) as data:
            return cls.of(data["vectors"], data["answerable"], str(data["embedder"]))
