"""Which documents are in force: the catalog's status, read when the index is opened and
applied after retrieval, so changing it re-embeds nothing.

A replaced or archived document stays searchable and citable, marked with what replaced it.
For a present-tense question (no year named, no status asked for) its passages come after
its replacement's, and an answer resting on it alone is given again from the replacement
when the replacement answers the question too.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from index.hybrid import ScoredChunk
from ingest.load import CATALOG_NAME
from ingest.schema import IN_FORCE, DocStatus, DocumentMeta
from service.models import Answer, Filters, Replacement, Source

# a doc_id filter that matches no document: a status that no document has
NO_DOCUMENT = "\x00"

S = TypeVar("S", bound=Source)


def present_tense(years: tuple[int, ...], filters: Filters | None) -> bool:
    """The in-force rule is for the present tense: not for a question naming a year, nor
    for one that asks for replaced or archived documents (a status filter)."""
    return not years and (filters is None or filters.status is None)


@dataclass(frozen=True)
class DocumentStatuses:
    """Every document's catalog metadata as it stands now (status, valid_from, replaced_by)."""

    metas: Mapping[str, DocumentMeta]

    @classmethod
    def load(cls, corpus_dir: Path, indexed: Mapping[str, DocumentMeta]) -> DocumentStatuses:
        """The indexed documents' metadata with the status fields of the catalog as it is
        now; a document the catalog does not list keeps what it was indexed with."""
        path = Path(corpus_dir) / CATALOG_NAME
        try:
            catalog = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            catalog = {}
        metas = {}
        for doc_id, meta in indexed.items():
            entry = catalog.get(doc_id) if isinstance(catalog, dict) else None
            if isinstance(entry, dict):
                fields = {k: entry.get(k) for k in ("status", "valid_from", "replaced_by")}
                fields["status"] = fields["status"] or IN_FORCE
                # an invalid entry keeps what was indexed (the ingest report names it)
                with contextlib.suppress(ValidationError):
                    meta = DocumentMeta.model_validate({**meta.model_dump(), **fields})
            metas[doc_id] = meta
        return cls(metas)

    def status(self, doc_id: str) -> DocStatus:
        meta = self.metas.get(doc_id)
        return meta.status if meta else IN_FORCE

    def with_status(self, status: DocStatus) -> list[str]:
        """The doc_ids with `status`, as a doc_id filter (never empty: see NO_DOCUMENT)."""
        return sorted(d for d, m in self.metas.items() if m.status == status) or [NO_DOCUMENT]

    def replacement(self, doc_id: str) -> DocumentMeta | None:
        """The document in force that (perhaps through others) replaced `doc_id`, if known."""
        seen = {doc_id}
        meta = self.metas.get(doc_id)
        while meta is not None and meta.status != IN_FORCE and meta.replaced_by:
            if meta.replaced_by in seen:
                return None  # a cycle in the catalog: nothing is known to be in force
            seen.add(meta.replaced_by)
            meta = self.metas.get(meta.replaced_by)
        return (
            meta if meta is not None and meta.doc_id != doc_id and meta.status == IN_FORCE else None
        )

    def superseded_by(self, doc_id: str) -> Replacement | None:
        if self.status(doc_id) == IN_FORCE or (new := self.replacement(doc_id)) is None:
            return None
        year = new.valid_from.year if new.valid_from else new.year
        return Replacement(doc_id=new.doc_id, title=new.title, year=year)

    def mark(self, result: S) -> S:
        """`result` with its document's status and replacement."""
        return result.model_copy(
            update={
                "status": self.status(result.doc_id),
                "superseded_by": self.superseded_by(result.doc_id),
            }
        )

    def mark_answer(self, answer: Answer) -> Answer:
        return answer.model_copy(
            update={
                "citations": [self.mark(c) for c in answer.citations],
                "nearest": [self.mark(r) for r in answer.nearest],
            }
        )

    # --- the present-tense rule ----------------------------------------------------------

    def in_force_first(self, hits: list[ScoredChunk]) -> list[ScoredChunk]:
        """The hits with each replaced document's passages after its replacement's, when
        the replacement has passages among them; otherwise in their order."""
        present = {h.chunk.doc_id for h in hits}
        old = [h for h in hits if self._outranked(h.chunk.doc_id, present)]
        return [h for h in hits if h not in old] + old

    def _outranked(self, doc_id: str, present: set[str]) -> bool:
        new = self.replacement(doc_id)
        return self.status(doc_id) != IN_FORCE and new is not None and new.doc_id in present

    def answer_in_force(
        self,
        answer: Callable[[list[ScoredChunk]], Answer],
        hits: list[ScoredChunk],
        more: Callable[[list[str]], list[ScoredChunk]],
    ) -> Answer:
        """`answer(hits)`, unless it rests on replaced documents alone: then their
        replacements' passages (`more(doc_ids)` adds them when retrieval missed them)
        answer instead, if they answer the question; else the first answer stands."""
        first = answer(hits)
        cited = {c.doc_id for c in first.citations}
        if not first.answerable or not cited or any(self.status(d) == IN_FORCE for d in cited):
            return first
        replacements = sorted({r.doc_id for d in cited if (r := self.replacement(d))})
        if not replacements:
            return first
        seen = {h.chunk.chunk_id for h in hits}
        pool = hits + [h for h in more(replacements) if h.chunk.chunk_id not in seen]
        kept = [h for h in pool if h.chunk.doc_id not in cited]
        second = answer(kept)
        if second.answerable and {c.doc_id for c in second.citations} & set(replacements):
            return second
        return first
