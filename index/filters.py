"""Metadata filters (municipality, document type, year, and a set of doc_ids) with one
meaning everywhere: as a Chroma `where`, over BM25's chunks, and over whole documents
(wording lookup). The doc_id filter is how the service narrows to documents by properties
that are not in the index (their status in the catalog)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ingest.schema import DocumentMeta

FILTER_KEYS = ("municipality", "doc_type", "year", "doc_id")
NO_YEAR = -1  # Chroma metadata cannot hold None


def build_where(filters: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Chroma `where` from {"municipality", "doc_type", "year", "doc_id"}; a list value
    means any of."""
    if not filters:
        return None
    unknown = set(filters) - set(FILTER_KEYS)
    if unknown:
        raise ValueError(f"unknown filter(s) {sorted(unknown)}; allowed: {list(FILTER_KEYS)}")
    clauses: list[dict[str, Any]] = []
    for key in FILTER_KEYS:
        if key in filters:
            values = filter_values(key, filters[key])
            clauses.append({key: values[0]} if len(values) == 1 else {key: {"$in": values}})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def filter_values(key: str, value: Any) -> list[str | int]:
    """A filter value (or list of alternatives) as stored in chunk metadata (year None → -1)."""
    values = list(value) if isinstance(value, list | tuple | set | frozenset) else [value]
    if not values:
        raise ValueError(f"filter {key!r} has no values")
    if key == "year":
        return [NO_YEAR if v is None else int(v) for v in values]
    return [str(v) for v in values]


def stored_value(meta: DocumentMeta, key: str) -> str | int:
    """A document's value for a filter key, as chunk metadata stores it (year None → -1)."""
    return filter_values(key, getattr(meta, key))[0]


def document_filter(filters: Mapping[str, Any] | None) -> Callable[[DocumentMeta], bool]:
    """Whether a document passes `filters` (the semantics of `build_where`): validated and
    normalised once, then asked of each document."""
    if not filters:
        return lambda _meta: True
    build_where(filters)  # validates the keys exactly as the dense side does
    wanted = {key: filter_values(key, value) for key, value in filters.items()}
    return lambda meta: all(stored_value(meta, key) in ok for key, ok in wanted.items())
