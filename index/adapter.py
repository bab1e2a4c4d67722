"""A fitted linear map of a question's vector toward the sentences that answer it.

The embedder puts a question near sentences that repeat its words and an English question
near nothing Swedish in particular; the sentence that answers it is often not the nearest.
A square matrix W, fitted on the labelled training questions (`falun-kb fit-adapter`,
`service/fit_adapter.py`), maps the question's vector before its cosines to the quotable
units are taken: in answering (the unit features) and in retrieval's nearest-sentence
ranking. Only the question side moves: no unit is re-embedded, and the dense side of
retrieval keeps the embedder's own cosines to whole passages.

A map fitted on the corpus's units ranks a document it never saw (next year's plan) below the
known ones. So the fitted map W = I + D is applied as I + share · D, with one share for the
units it was fitted with and one for any other unit, both chosen by the fit (the packaged
fit chose the same share for both: one map).

The fitted map lives in `unit_adapter.npy` beside `unit_adapter.json`, which records the
embedder it was fitted for, the two shares, the units fitted with (their text keys), the
data, the command and the cross-validated grids; an index built with another embedder gets
no adapter.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ADAPTER_FILE = Path(__file__).with_name("unit_adapter.json")


@dataclass(frozen=True)
class QueryAdapter:
    """Maps a question's vector by the fitted matrix (the cosines normalise it after); for a
    unit it was not fitted with (a document added since), by the `other` matrix if any."""

    matrix: np.ndarray
    other: np.ndarray | None = None  # the map for units outside `fitted_units`
    fitted_units: frozenset[str] | None = None  # the text keys of the units fitted with

    def __call__(self, vector: np.ndarray) -> np.ndarray:
        return (self.matrix @ np.asarray(vector, dtype=np.float32)).astype(np.float32)

    def for_other_units(self, vector: np.ndarray) -> np.ndarray:
        """The vector as the units it was not fitted with are compared with it."""
        matrix = self.matrix if self.other is None else self.other
        return (matrix @ np.asarray(vector, dtype=np.float32)).astype(np.float32)


def shrunk(matrix: np.ndarray, share: float) -> np.ndarray:
    """The map I + share · (matrix − I): 0 is the embedder's own vectors, 1 the fitted map."""
    identity = np.eye(matrix.shape[0])
    return identity + share * (np.asarray(matrix, dtype=np.float64) - identity)


def adapter_from(fitted: np.ndarray, about: dict) -> QueryAdapter:
    """The adapter the fitted map and its record make: the map shrunk by `share` for the
    units it was fitted with, and by `share_other_units` for the others (the same share, or
    a file without them: one map for every unit; without `share`, the map as it is)."""
    share = float(about.get("share", 1.0))
    matrix = shrunk(fitted, share).astype(np.float32)
    if float(about.get("share_other_units", share)) == share:
        return QueryAdapter(matrix)
    other = shrunk(fitted, float(about["share_other_units"])).astype(np.float32)
    return QueryAdapter(matrix, other, frozenset(about.get("fitted_units", ())))


def matrix_file(path: Path) -> Path:
    return Path(path).with_suffix(".npy")


def load_adapter(path: str | Path, embedder: str) -> QueryAdapter | None:
    """The adapter fitted for `embedder`; None without a file (`path` empty: none wanted) or
    when the file was fitted for another embedder."""
    if not path or not Path(path).is_file():
        return None
    about = json.loads(Path(path).read_text(encoding="utf-8"))
    if about.get("embedder") != embedder:
        return None
    matrix = np.load(matrix_file(path)).astype(np.float32)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"{matrix_file(path)}: not a square matrix ({matrix.shape})")
    return adapter_from(matrix, about)


def save_adapter(path: Path, matrix: np.ndarray, about: dict) -> None:
    """Writes the matrix (`.npy`) and what it was fitted for and from (`.json`)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    np.save(matrix_file(path), np.asarray(matrix, dtype=np.float32))
    text = json.dumps(about, indent=1, ensure_ascii=False)
    Path(path).write_text(text + "\n", encoding="utf-8")
