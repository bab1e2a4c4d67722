"""Exact-wording lookup: where a phrase occurs, verbatim or nearly, with its exact span."""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from index.filters import document_filter
from ingest.schema import Chunk, Document
from lang import is_stop, token_sim, tokens_of
from service.lookup.align import soft_match, token_stream
from service.models import WordingMatch, WordingResult

# A passage at or above this similarity "contains the wording"; calibrated in the tests on
# inflected, reordered, shortened and OCR-damaged versions of real sentences, against
# unrelated sentences of the same length (which score below 0.45).
FOUND_SCORE = 0.62
NEAREST = 3
_SEED = 0.75  # a document word this close to a query word starts a candidate region
_MAX_PER_DOC = 60  # safety bound on candidate passages per document


class _Hit(NamedTuple):
    score: float
    exact: bool
    doc_order: int
    first: int  # token indices, inclusive
    last: int


def _weight(fold: str) -> float:
    return 0.3 if is_stop(fold) else 1.0


def _exact(query: list[str], words: list[str]) -> list[tuple[int, int]]:
    n = len(query)
    return [(i, i + n - 1) for i in range(len(words) - n + 1) if words[i : i + n] == query]


def window_score(query: Sequence[str], window: Sequence[str]) -> float:
    """Coverage of the query by the window, discounted for extra words and changed order."""
    if not query or not window:
        return 0.0
    pairs = soft_match(query, window, floor=0.6)
    total = sum(_weight(q) for q in query)
    cover = sum(_weight(query[i]) * s for i, _, s in pairs) / total
    used = {j for _, j, _ in pairs}
    extra = sum(_weight(w) for j, w in enumerate(window) if j not in used)
    precision = 1 - extra / sum(_weight(w) for w in window)
    order_ = [j for _, j, _ in sorted(pairs)]
    tails: list[int] = []  # longest increasing run of window positions, in query order
    for j in order_:
        k = bisect.bisect_left(tails, j)
        tails[k : k + 1] = [j]
    order = len(tails) / len(order_) if order_ else 0.0
    return cover * (0.7 + 0.15 * precision + 0.15 * order)


def _local_alignment(
    query: list[str], words: list[str], lo: int, hi: int
) -> tuple[int, int] | None:
    """Smith-Waterman over words[lo:hi]: the best-aligned stretch (first, last) or None."""
    n = len(query)
    wq = [_weight(q) for q in query]
    prev = [0.0] * (n + 1)
    starts_prev = [0] * (n + 1)
    best, best_span = 0.0, None
    for j in range(lo, hi):
        wd = _weight(words[j])
        row, starts = [0.0] * (n + 1), [j] * (n + 1)
        for i in range(1, n + 1):
            s = token_sim(query[i - 1], words[j])
            sub = wq[i - 1] * s if s >= 0.6 else -0.5 * wq[i - 1]
            options = (
                (prev[i - 1] + sub, starts_prev[i - 1] if prev[i - 1] > 0 else j),
                (row[i - 1] - 0.5 * wq[i - 1], starts[i - 1]),
                (prev[i] - 0.4 * wd, starts_prev[i]),
            )
            value, start = max(options, key=lambda o: o[0])
            if value > 0:
                row[i], starts[i] = value, start
                if value > best:
                    best, best_span = value, (start, j)
        prev, starts_prev = row, starts
    return best_span


def _approximate(query: list[str], words: list[str]) -> list[tuple[float, int, int]]:
    content = [q for q in query if not is_stop(q)] or query
    seeds = [
        j
        for j, w in enumerate(words)
        if (not is_stop(w) or content is query) and any(token_sim(q, w) >= _SEED for q in content)
    ]
    margin = len(query) + 2
    regions: list[list[int]] = []
    for j in seeds:
        if regions and j - regions[-1][1] <= margin:
            regions[-1][1] = j
        else:
            regions.append([j, j])
    todo = [(max(0, a - margin), min(len(words), b + margin + 1)) for a, b in regions]
    found: list[tuple[float, int, int]] = []
    while todo and len(found) < _MAX_PER_DOC:
        lo, hi = todo.pop(0)
        span = _local_alignment(query, words, lo, hi)
        if span is None:
            continue
        first, last = span
        best = (window_score(query, words[first : last + 1]), first, last)
        for a in range(max(lo, first - 2), first + 1):  # words swapped across the edges
            for b in range(last, min(hi, last + 3)):
                score = window_score(query, words[a : b + 1])
                if score > best[0] + 1e-9:
                    best = (score, a, b)
        found.append(best)
        todo += [(lo, best[1]), (best[2] + 1, hi)]
        todo = [(a, b) for a, b in todo if any(a <= s < b for s in seeds)]
    return found


def _match(doc: Document, chunks: Sequence[Chunk], hit: _Hit) -> WordingMatch:
    stream = token_stream(doc.text)
    start, end = stream[hit.first].start, stream[hit.last].end
    touching = [c for c in chunks if c.start < end and c.end > start]
    before = [c for c in chunks if c.start <= start]
    if touching:
        ctx_start, ctx_end = touching[0].start, touching[-1].end
        section, chunk_id = touching[0].section_path, touching[0].chunk_id
    else:  # a title or heading line, which no chunk holds
        ctx_start = doc.text.rfind("\n", 0, start) + 1
        ctx_end = doc.text.find("\n", end) % (len(doc.text) + 1)
        section = before[-1].section_path if before else ""
        chunk_id = None
    return WordingMatch(
        **doc.span(start, end).model_dump(),
        title=doc.meta.title,
        year=doc.meta.year,
        section=section,
        text=doc.text[start:end],
        score=round(hit.score, 3),
        exact=hit.exact,
        chunk_id=chunk_id,
        context=doc.text[ctx_start:ctx_end],
        context_start=ctx_start,
        highlight_start=start - ctx_start,
        highlight_end=end - ctx_start,
    )


def find_wording(
    text: str,
    documents: Mapping[str, Document],
    chunks: Sequence[Chunk],
    filters: Mapping[str, Any] | None = None,
    limit: int = 10,
) -> WordingResult:
    """The passages holding this wording, exact ones first; else the nearest passages."""
    query = [t.fold for t in tokens_of(text)]
    hits: list[tuple[Document, _Hit]] = []
    wanted = document_filter(filters)
    for order, doc in enumerate(d for d in documents.values() if wanted(d.meta)):
        if not query:
            break
        words = [t.fold for t in token_stream(doc.text)]
        exact = _exact(query, words)
        hits += [(doc, _Hit(1.0, True, order, a, b)) for a, b in exact]
        for score, a, b in _approximate(query, words):
            if not any(a <= eb and ea <= b for ea, eb in exact):
                hits.append((doc, _Hit(min(score, 0.999), False, order, a, b)))
    hits.sort(key=lambda h: (not h[1].exact, -h[1].score, h[1].doc_order, h[1].first))
    by_doc: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_doc.setdefault(chunk.doc_id, []).append(chunk)
    results = [_match(doc, by_doc.get(doc.doc_id, []), hit) for doc, hit in hits]
    matches = [m for m in results if m.score >= FOUND_SCORE][:limit]
    return WordingResult(
        query=text,
        found=bool(matches),
        matches=matches,
        nearest=[] if matches else results[:NEAREST],
    )
