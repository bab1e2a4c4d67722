"""Vectors of every quotable unit (sentence, list item, lead-in with its list) of every chunk.

Embedded at ingest through the same embedding cache as the chunks, and stored beside them
in the index generation, so answering scores a question's candidate sentences by meaning
without embedding anything but the question at query time.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from index.cache import text_key
from index.centrality import mean_direction
from ingest.schema import Chunk
from lang import split_units

UNIT_VECTORS = "unit_vectors.npz"


def units_of(text: str) -> tuple[str, ...]:
    """The texts of a chunk text's quotable units, in order."""
    return tuple(text[a:b] for a, b in split_units(text))


# retrieval asks for the same candidates' units question after question
_remembered_units_of = lru_cache(maxsize=65536)(units_of)


def unit_texts(chunks: Iterable[Chunk]) -> list[str]:
    """The distinct texts of the chunks' quotable units, in chunk order."""
    return list(dict.fromkeys(u for c in chunks for u in units_of(c.text)))


class UnitVectors:
    """Unit vectors by unit text; `cosines_to` gives their cosines to a query vector (mapped
    first by the fitted question adapter, `index.adapter`, once one is set), `centrality`
    each one's cosine to the mean direction of them all."""

    # maps a question's vector toward the units that answer it (`adapt`); None: as embedded
    adapter: Callable[[np.ndarray], np.ndarray] | None = None

    def __init__(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        self.keys = [text_key(t) for t in texts]
        self.row = {key: i for i, key in enumerate(self.keys)}
        norms = np.linalg.norm(vectors, axis=1, keepdims=True) if len(vectors) else vectors
        self.vectors = vectors / np.where(norms == 0, 1, norms) if len(vectors) else vectors
        self.centre = mean_direction(self.vectors)

    def __len__(self) -> int:
        return len(self.keys)

    # with an adapter that maps a question apart for the units it was not fitted with: which
    # rows are of the units it was fitted with (None: it maps one way for every unit)
    fitted_rows: np.ndarray | None = None

    def adapt(self, adapter: Callable[[np.ndarray], np.ndarray] | None) -> None:
        """Map every later query's vector by `adapter` (None: use it as embedded); an
        adapter with `fitted_units` and `for_other_units` (`index.adapter.QueryAdapter`)
        maps it apart for the units it was not fitted with."""
        self.adapter = adapter
        fitted = getattr(adapter, "fitted_units", None)
        if fitted is None or getattr(adapter, "other", None) is None:
            self.fitted_rows = None
        else:
            self.fitted_rows = np.zeros(len(self.keys), dtype=bool)
            self.fitted_rows[[self.row[k] for k in fitted if k in self.row]] = True

    def best_unit_cosines(
        self, query: np.ndarray, chunk_texts: Mapping[str, str]
    ) -> dict[str, float]:
        """Each chunk's highest unit cosine to `query` (0.0 for a chunk without vectors):
        a passage is as near as its nearest sentence, which a long passage's own vector
        dilutes."""
        cosine = self.cosines_to(query)
        out = {}
        for cid, text in chunk_texts.items():
            found = [cosine(unit) for unit in _remembered_units_of(text)]
            out[cid] = max((c for c in found if c is not None), default=0.0)
        return out

    def nearest_rows(self, query: np.ndarray, k: int) -> list[int]:
        """The rows of the k units nearest `query` (mapped by the adapter, as `cosines_to`
        maps it), best first: one pass over every unit's vector."""
        if not len(self.keys) or k <= 0:
            return []
        fitted_query, other_query = self._mapped_queries(query)
        cosines = np.asarray(self.vectors @ other_query.astype(self.vectors.dtype, copy=False))
        if self.fitted_rows is not None:
            fitted = self.fitted_rows
            cosines[fitted] = self.vectors[fitted] @ fitted_query.astype(self.vectors.dtype)
        k = min(k, len(cosines))
        top = np.argpartition(-cosines, k - 1)[:k]
        return [int(i) for i in top[np.argsort(-cosines[top], kind="stable")]]

    def _mapped_queries(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The query as the units the adapter was fitted with are compared with it, and as
        the others are (the same without such an adapter): adapted, then of unit length."""
        fitted = other = query
        if self.adapter is not None:
            fitted = self.adapter(query)
            other = fitted if self.fitted_rows is None else self.adapter.for_other_units(query)
        return fitted / (np.linalg.norm(fitted) or 1.0), other / (np.linalg.norm(other) or 1.0)

    def row_of(self, text: str) -> int | None:
        """The unit text's row among the vectors, None for a text that has none."""
        return self.row.get(text_key(text))

    def vector_of(self, text: str) -> np.ndarray | None:
        """The unit text's vector (unit length), None for a text that has none."""
        i = self.row.get(text_key(text))
        return None if i is None else np.asarray(self.vectors[i])

    def cosines_to(self, query: np.ndarray) -> Callable[[str], float | None]:
        """Cosine of a unit text's vector to `query` (normalised once), None for a text that
        has none."""
        fitted, other = self._mapped_queries(query)
        rows = self.fitted_rows

        def cosine(text: str) -> float | None:
            i = self.row.get(text_key(text))
            if i is None:
                return None
            return float(self.vectors[i] @ (fitted if rows is None or rows[i] else other))

        return cosine

    def centrality(self, text: str) -> float | None:
        """How near a unit lies to the centre of them all, None for a text without a vector:
        a generic sentence (a document's opening line naming it) is near every question."""
        i = self.row.get(text_key(text))
        return None if i is None else float(self.vectors[i] @ self.centre)

    def save(self, path: Path) -> None:
        with Path(path).open("wb") as out:
            np.savez(
                out,
                keys=np.array(self.keys),
                vectors=self.vectors.astype(np.float32),
                centre=self.centre.astype(np.float32),
            )

    @classmethod
    def load(cls, path: Path) -> UnitVectors:
        """The saved vectors, mapped from the file rather than read: answering reads only the
        rows of a question's candidate units (100 000 chunks have ~700 000 units, 1 GB)."""
        out = cls.__new__(cls)
        keys = _mapped(Path(path), "keys.npy")
        out.keys = [
            str(k) for start in range(0, len(keys), 65536) for k in keys[start : start + 65536]
        ]
        out.row = {key: i for i, key in enumerate(out.keys)}
        out.vectors = _mapped(Path(path), "vectors.npy")
        with zipfile.ZipFile(path) as archive:
            stored = "centre.npy" in archive.namelist()
        # a generation saved before the centre was stored: counted once here
        out.centre = _mapped(Path(path), "centre.npy") if stored else mean_direction(out.vectors)
        return out


def _mapped(path: Path, member: str) -> np.ndarray:
    """A read-only memory map of one array of an uncompressed .npz (np.savez's format), or the
    array read whole if the member is compressed."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    if info.compress_type != zipfile.ZIP_STORED:
        with np.load(path) as data:
            return data[member.removesuffix(".npy")]
    with path.open("rb") as f:
        f.seek(info.header_offset)
        local = f.read(30)  # the zip local file header; name and extra field follow it
        name_length, extra_length = struct.unpack("<HH", local[26:30])
        f.seek(info.header_offset + 30 + name_length + extra_length)
        version = np.lib.format.read_magic(f)
        read_header = (
            np.lib.format.read_array_header_1_0
            if version == (1, 0)
            else np.lib.format.read_array_header_2_0
        )
        shape, fortran, dtype = read_header(f)
        offset = f.tell()
    if dtype.hasobject or 0 in shape:
        with np.load(path) as data:
            return data[member.removesuffix(".npy")]
    order = "F" if fortran else "C"
    return np.memmap(path, dtype=dtype, mode="r", offset=offset, shape=shape, order=order)
