"""What the answering models see: numbers describing each quotable unit of the retrieved
passages, and the question as a whole. Pure functions; the weights live in `fitted.py`'s
data file, learned from labelled questions (`falun-kb fit`)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from index.hybrid import ScoredChunk
from ingest.schema import Chunk, Document
from lang import compound_splits, split_units, tokenize
from service.answer.evidence import TermStats, coverage, covered
from service.answer.query import defines, is_list

# The names of the features, in the order the fitted weights use.
UNIT_FEATURES = (
    "unit_dense",  # cosine of the unit's vector (embedded at ingest) to the question's
    "unit_dense_gap",  # how far below the best unit's cosine among the candidates
    "unit_coverage",  # IDF share of the question's terms in the unit
    "unit_coverage_with_section",  # ... counting its section headings too
    "unit_coverage_beyond_title",  # ... of the terms that do not name its document
    "unit_centrality",  # cosine of the unit's vector to the mean of all units' (generic text)
    "passage_coverage",  # ... in the whole passage with its document's title, place, year
    "passage_rank",  # 1 / (1 + rank) of the passage in the fused ranking
    "passage_dense",  # the passage's dense similarity to the question
    "kind_found",  # the question asks for a year/amount/person and the unit has one
    "kind_missing",  # ... and the unit has none
    "length",  # log of the unit's length in characters
    "list_unit",  # a lead-in with its list, or a run of list lines
    "leads_with_term",  # a question term among the unit's first words (a definition)
    "defines",  # a "what is X" question, and the unit leads with its term and a defining verb
    "foreign",  # another municipality's document, not named in the question
    "year_mismatch",  # the question names years and the document is of another one
    "entity_missing",  # a name in the question is not in the passage
    "position",  # 1 / (1 + index of the unit in its passage)
)

# Measured and left out (5-fold CV on the training questions, no gain or a loss): whether a
# kind of answer is asked at all, English, the best passage's coverage, and whether both
# retrievers put the top passage in their top three. Removed: whether the three best units are
# all another municipality's (it never held on the training questions, and was weighted 0).
QUESTION_FEATURES = (
    "best_unit",  # the unit model's best probability
    "best_unit_margin",  # ... above the second best
    "likely_units",  # how many units the unit model finds more likely to answer than not
    "best_unit_nearness",  # 1 / (1 + that unit's rank by cosine to the question)
    "best_unit_dense",  # the highest unit cosine to the question
    "best_unit_coverage",  # ... of the unit the unit model likes best
    "rarest_covered",  # the question's rarest term is in a unit of the top three passages
    "rarest_in_best",  # ... in the unit the unit model likes best
    "best_unit_lacks",  # the IDF share of the most specific question term that unit lacks
    "best_passage_lacks",  # ... that its passage lacks, with its headings and document's name
    "kind_missing_in_best",  # a kind of answer is asked for and that unit has none
    "top_dense",  # dense similarity of the best passage
    "entities_missing",  # a name of the question is missing from every passage
    "kind_found",  # one of the three best units has the asked-for kind
    "unknown_year",  # the question names a year no document is of
    "compares_years",  # ... names two or more years that documents are of (a comparison)
    "foreign_covers_more",  # another municipality's best unit covers more than the named one's
    # a claim to check ("Står det att …?"): the share of its details (terms, years, weighed by
    # their specificity) that even the unit of the three best passages bearing out most of
    # it lacks
    "claim_lacks",
    "terms",  # log(1 + number of content terms)
    # the cosine of the nearest labelled training question the documents answer minus that
    # of the nearest one they do not (`labelled.LabelledQuestions`)
    "labelled_margin",
)


@dataclass(frozen=True)
class Candidate:
    """A quotable unit of a retrieved passage, with the features the unit model scores."""

    hit: ScoredChunk
    rank: int
    start: int  # absolute offsets in the document text
    end: int
    features: tuple[float, ...]
    terms: frozenset[str]  # the question terms it covers
    # ... that its passage covers, with its headings and its document's title, place and year
    passage_terms: frozenset[str] = frozenset()
    document_year: int | None = None  # the year its document is of, if any


@dataclass(frozen=True)
class Question:
    """What the features need to know of a read question."""

    terms: list[str]
    entities: list[str]
    synonyms: dict[str, list[str]]
    years: tuple[int, ...]
    municipality: str | None  # named in the question
    wants: Callable[[str], object] | None  # what a good answer unit contains
    definition: bool = False  # asks what something is
    several: bool = False  # asks for several things: quoted up to the longer limit
    rarest: str | None = None  # the question's term with the highest IDF
    # each term's IDF as a share of the highest possible (a term no passage has)
    specificity: dict[str, float] = field(default_factory=dict)
    # the cosine of a unit text's vector to the question's (None for a text without one)
    meaning: Callable[[str], float | None] = lambda text: None
    # ... to the mean direction of every unit's vector
    centrality: Callable[[str], float | None] = lambda text: None
    # how much nearer the question lies to a labelled question the documents answer than to
    # one they do not (0 without labelled questions)
    labelled_margin: float = 0.0
    compared: tuple[str, ...] = ()  # the municipalities it compares, when it names several
    # a question asking whether the documents say something: the claim's details, each a
    # term or (for an English word) its Swedish alternatives, beyond the documents' names and
    # the words no document has; and the years the question names (both empty for any other)
    claim_terms: tuple[tuple[str, ...], ...] = ()
    claim_years: tuple[int, ...] = ()

    @property
    def checks_claim(self) -> bool:
        return bool(self.claim_terms or self.claim_years)


def naming_text(doc: Document) -> str:
    """What names a document: its title, place and year."""
    meta = doc.meta
    return " ".join([meta.title, meta.municipality, str(meta.year) if meta.year else ""])


# the shortest last part of a compound in a document's name that the question may call it
# by ("plan" of "verksamhetsplan"), and the shortest part before it
NAME_TAIL = 4
NAME_HEAD = 3


def names_document(term: str, naming: set[str], synonyms: dict[str, list[str]]) -> bool:
    """The question term is a word of the document's name, or the last part of one of its
    compounds ("planen" for "Internationella rådets verksamhetsplan 2023")."""
    if covered(term, naming, synonyms):
        return True
    return any(
        tail == term
        for word in naming
        for _, tail in compound_splits(word, min_head=NAME_HEAD, min_tail=NAME_TAIL)
    )


def context_text(chunk: Chunk, doc: Document) -> str:
    """Words a passage carries beyond its text: its document's title, place, year, section."""
    return " ".join([chunk.text, *chunk.section, naming_text(doc)])


def candidates(
    q: Question,
    hits: list[ScoredChunk],
    documents: dict[str, Document],
    stats: TermStats,
    home: str,
) -> list[Candidate]:
    """Every quotable unit of the passages; a short sentence that supplies a term its
    predecessor lacks ("Den senare bildades 1994.") is also offered joined to it."""
    out = []
    for rank, hit in enumerate(hits):
        chunk = hit.chunk
        doc = documents[chunk.doc_id]
        meta = doc.meta
        tokens = set(tokenize(context_text(chunk, doc)))
        section = set(tokenize(" ".join(chunk.section)))
        # a question term that names the document ("strategin", "planen" for a
        # "verksamhetsplan") picks no unit within it
        naming = set(tokenize(naming_text(doc)))
        names_it = {t for t in q.terms if names_document(t, naming, q.synonyms)}
        beyond = [t for t in q.terms if t not in names_it]
        in_passage = frozenset(
            t for t in q.terms if t in names_it or covered(t, tokens, q.synonyms)
        )
        passage = [
            coverage(q.terms, tokens, stats, q.synonyms),
            1 / (1 + rank),
            hit.dense_similarity or 0.0,
        ]
        foreign = float(
            meta.municipality != home
            and q.municipality != meta.municipality
            and meta.municipality not in q.compared
        )
        year_mismatch = float(bool(q.years) and meta.year is not None and meta.year not in q.years)
        entity_missing = float(any(not covered(e, tokens, q.synonyms) for e in q.entities))
        spans = split_units(chunk.text)
        token_sets = [set(tokenize(chunk.text[a:b])) for a, b in spans]
        cosines = [q.meaning(chunk.text[a:b]) or 0.0 for a, b in spans]
        central = [q.centrality(chunk.text[a:b]) or 0.0 for a, b in spans]
        pairs = zip(spans, token_sets, cosines, central, strict=True)
        offered = [(i, a, b, t, cos, cen) for i, ((a, b), t, cos, cen) in enumerate(pairs)]
        for i in range(len(spans) - 1):
            (a, _), (c, d) = spans[i], spans[i + 1]
            lacking = [t for t in q.terms if not covered(t, token_sets[i], q.synonyms)]
            if d - c <= 160 and any(covered(t, token_sets[i + 1], q.synonyms) for t in lacking):
                joined = token_sets[i] | token_sets[i + 1]
                cosine = max(cosines[i], cosines[i + 1])
                offered.append((i, a, d, joined, cosine, (central[i] + central[i + 1]) / 2))
        for i, a, b, unit_tokens, cosine, centrality in offered:
            text = chunk.text[a:b]
            got = frozenset(t for t in q.terms if covered(t, unit_tokens, q.synonyms))
            lead = set(tokenize(text)[:4])
            kind = bool(q.wants and q.wants(text))
            leads = any(covered(t, lead, q.synonyms) for t in q.terms)
            features = (
                cosine,
                0.0,  # the gap to the best cosine, set below when all are known
                coverage(q.terms, unit_tokens, stats, q.synonyms),
                coverage(q.terms, unit_tokens | section, stats, q.synonyms),
                coverage(beyond, unit_tokens | section, stats, q.synonyms),
                centrality,
                *passage,
                float(kind),
                float(q.wants is not None and not kind),
                math.log(1 + len(text)),
                float(is_list(text)),
                float(leads),
                float(q.definition and leads and defines(text)),
                foreign,
                year_mismatch,
                entity_missing,
                1 / (1 + i),
            )
            start, end = chunk.start + a, chunk.start + b
            out.append(Candidate(hit, rank, start, end, features, got, in_passage, meta.year))
    best = max((c.features[0] for c in out), default=0.0)
    return [
        Candidate(c.hit, c.rank, c.start, c.end, (c.features[0], best - c.features[0],
                  *c.features[2:]), c.terms, c.passage_terms, c.document_year)
        for c in out
    ]  # fmt: skip


def bears_out(term: str, tokens: set[str], synonyms: dict[str, list[str]]) -> bool:
    """The unit's tokens have the term, or each part of a hyphenated one ("ICLD-projektet"
    for "ICLD projektet"), as a word or a word's beginning."""
    if covered(term, tokens, synonyms):
        return True
    parts = [p for p in term.split("-") if p] if "-" in term else []
    return bool(parts) and all(
        covered(p, tokens, synonyms) or any(t.startswith(p) for t in tokens) for p in parts
    )


def claim_lacks(q: Question, unit: Candidate) -> float:
    """The share of the claim's weight the unit does not bear out: each detail weighs its
    specificity (a year weighs 1), and a detail is borne out by any of its alternatives (an
    English word's Swedish ones), or a year by the unit or its document's year. 0 when the
    unit bears out every detail."""
    chunk = unit.hit.chunk
    text = chunk.text[unit.start - chunk.start : unit.end - chunk.start]
    tokens = set(tokenize(text))
    weight = lacking = 0.0
    for alternatives in q.claim_terms:
        w = min(q.specificity.get(t, 1.0) for t in alternatives)
        weight += w
        if not any(bears_out(t, tokens, q.synonyms) for t in alternatives):
            lacking += w
    for year in q.claim_years:
        weight += 1.0
        if str(year) not in text and year != unit.document_year:
            lacking += 1.0
    return lacking / weight if weight else 0.0


# how many of the best passages a claim is looked for in
CLAIM_PASSAGES = 3


def question_features(
    q: Question,
    units: list[Candidate],
    probabilities: list[float],
    known_years: set[int],
) -> tuple[float, ...]:
    """The question-level features from its candidates and the unit model's probabilities."""
    index = {name: i for i, name in enumerate(UNIT_FEATURES)}
    asked = {
        "unknown_year": float(any(y not in known_years for y in q.years)),
        "compares_years": float(len({y for y in q.years if y in known_years}) >= 2),
        "terms": math.log(1 + len(q.terms)),
        "labelled_margin": q.labelled_margin,
    }
    if not units:  # nothing retrieved: every name missing, nothing found
        found = {"entities_missing": 1.0, "kind_missing_in_best": float(q.wants is not None)}
        return tuple({**asked, **found}.get(name, 0.0) for name in QUESTION_FEATURES)
    best = max(range(len(units)), key=lambda i: probabilities[i])
    top_hits = {u.hit.chunk.chunk_id: u.hit for u in units if u.rank == 0}
    top = next(iter(top_hits.values()), units[0].hit)
    ranked = sorted(range(len(units)), key=lambda i: -probabilities[i])[:3]
    every = range(len(units))

    def feature(i: int, name: str) -> float:
        return units[i].features[index[name]]

    def best_cover(foreign: bool) -> float:
        return max(
            (feature(i, "unit_coverage_with_section") for i in every
             if bool(feature(i, "foreign")) == foreign),
            default=0.0,
        )  # fmt: skip

    by_cosine = sorted(every, key=lambda i: -feature(i, "unit_dense"))
    second = sorted(probabilities, reverse=True)[1] if len(units) > 1 else 0.0
    found = {
        "best_unit": probabilities[best],
        "best_unit_margin": probabilities[best] - second,
        "likely_units": float(sum(p >= 0.5 for p in probabilities)),
        "best_unit_nearness": 1 / (1 + by_cosine.index(best)),
        "best_unit_dense": max(feature(i, "unit_dense") for i in every),
        "best_unit_coverage": feature(best, "unit_coverage_with_section"),
        "rarest_covered": float(any(q.rarest in u.terms for u in units if u.rank < 3)),
        "rarest_in_best": float(q.rarest in units[best].terms),
        "best_unit_lacks": max(
            (q.specificity.get(t, 1.0) for t in q.terms if t not in units[best].terms),
            default=0.0,
        ),
        "best_passage_lacks": max(
            (q.specificity.get(t, 1.0) for t in q.terms if t not in units[best].passage_terms),
            default=0.0,
        ),
        "kind_missing_in_best": feature(best, "kind_missing"),
        "top_dense": top.dense_similarity or 0.0,
        "entities_missing": float(all(feature(i, "entity_missing") for i in every)),
        "kind_found": float(any(feature(i, "kind_found") for i in ranked)),
        "foreign_covers_more": max(0.0, best_cover(True) - best_cover(False)),
        "claim_lacks": min(
            (claim_lacks(q, u) for u in units if u.rank < CLAIM_PASSAGES), default=1.0
        )
        if q.checks_claim
        else 0.0,
    }
    return tuple({**asked, **found}[name] for name in QUESTION_FEATURES)
