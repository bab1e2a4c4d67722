"""The default answerer: quotes the sentences that answer, or says the documents do not."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from index.hybrid import ScoredChunk
from ingest.schema import Chunk, Document
from lang import split_units, tokenize
from service.answer.compose import compose_answer, refusal
from service.answer.evidence import (
    TermStats,
    coverage,
    covered,
    missing_entities,
    question_entities,
    question_terms,
)
from service.answer.query import QueryPlan, answer_kind, short_names, term_alternatives
from service.lexicon import Lexicon
from service.models import Answer, Citation, Location, SearchResult


@dataclass(frozen=True)
class AnswerConfig:
    home_municipality: str = "Falu kommun"
    max_sentences: int = 3
    passages: int = 6  # retrieved passages an answer is chosen from
    nearest: int = 3
    # A passage supports the question when no named entity is missing and it covers enough
    # of the question's IDF weight, or a little less with a strong dense match.
    min_coverage: float = 0.5
    min_coverage_with_dense: float = 0.4
    min_dense: float = 0.88
    # ... and it must say something about what is asked, not only name the names in it
    # extra sentences must score at least this share of the best one
    follow_up_ratio: float = 0.6


@dataclass(frozen=True)
class Unit:
    """A quotable sentence or list item of a retrieved passage."""

    hit: ScoredChunk
    rank: int
    start: int  # absolute offsets in the document text
    end: int
    score: float
    new_terms: frozenset[str]


@dataclass(frozen=True)
class Support:
    hit: ScoredChunk
    rank: int
    coverage: float
    missing: tuple[str, ...]
    supported: bool


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def overlaps(a: Unit, b: Unit) -> bool:
    return a.hit.chunk.doc_id == b.hit.chunk.doc_id and a.start < b.end and b.start < a.end


def context_text(chunk: Chunk, doc: Document) -> str:
    """Words a passage carries beyond its text: its document's title, place, year, section."""
    meta = doc.meta
    year = str(meta.year) if meta.year else ""
    return " ".join([chunk.text, *chunk.section, meta.title, meta.municipality, year])


class ExtractiveAnswerer:
    """Selects verbatim sentences from retrieved passages; never writes a claim of its own."""

    def __init__(
        self,
        stats: TermStats,
        documents: dict[str, Document],
        config: AnswerConfig,
        lexicon: Lexicon,
    ):
        self.stats = stats
        self.documents = documents
        self.config = config
        self.lexicon = lexicon  # synonyms and abbreviations: which passage covers a question

    def terms(self, plan: QueryPlan) -> tuple[list[str], list[str]]:
        """The question's content stems and the names among them; years are handled apart."""
        query_text = f"{plan.text} {plan.lexical_extra}" if plan.language == "en" else plan.text
        years = {str(y) for y in plan.years}
        terms = [t for t in question_terms(query_text) if t not in years]
        if plan.language == "en":
            terms = [t for t in terms if t in self.stats.df]  # English words cannot match
        ignore = [*self.municipalities(), *short_names(self.config.home_municipality)]
        entities = [e for e in question_entities(plan.text, ignore) if e in terms]
        return terms, entities

    def support(self, plan: QueryPlan, hits: list[ScoredChunk]) -> list[Support]:
        """How well each retrieved passage supports the question."""
        terms, entities = self.terms(plan)
        topic = [t for t in terms if t not in entities]
        synonyms = term_alternatives(plan.text, self.lexicon)
        cfg = self.config
        out = []
        for rank, hit in enumerate(hits):
            doc = self.documents[hit.chunk.doc_id]
            tokens = set(tokenize(context_text(hit.chunk, doc)))
            cov = coverage(terms, tokens, self.stats, synonyms)
            topic_ok = not topic or any(covered(t, tokens, synonyms) for t in topic)
            # a question about a named year is answered from that year's documents
            year_ok = not plan.years or doc.meta.year is None or doc.meta.year in plan.years
            missing = tuple(missing_entities(entities, tokens, synonyms))
            dense = hit.dense_similarity or 0.0
            strong = cov >= cfg.min_coverage or (
                cov >= cfg.min_coverage_with_dense and dense >= cfg.min_dense
            )
            ok = strong and topic_ok and year_ok and not missing
            out.append(Support(hit, rank, cov, missing, ok))
        return out

    def municipalities(self) -> list[str]:
        return sorted({d.meta.municipality for d in self.documents.values()})

    def answer(self, plan: QueryPlan, hits: list[ScoredChunk]) -> Answer:
        return self.answer_from(plan, hits, self.support(plan, hits))

    def stream(self, plan: QueryPlan, hits: list[ScoredChunk]) -> Iterator[str | Answer]:
        """Nothing is generated: the answer is the one and last item."""
        yield self.answer(plan, hits)

    def answer_from(
        self, plan: QueryPlan, hits: list[ScoredChunk], supports: list[Support]
    ) -> Answer:
        """The answer from supports already judged (`support`), so a caller that needs the
        supports too (the LLM mode) judges them once."""
        supported = [s for s in supports if s.supported]
        if not supported:
            return self.not_answered(plan, hits)
        units = self.select_units(plan, supported)
        citations = [self.cite(n, u) for n, u in enumerate(units, start=1)]
        return Answer(
            question=plan.text,
            answer=compose_answer(plan, citations, self.config.home_municipality),
            answerable=True,
            citations=citations,
            language=plan.language,
        )

    def score_units(self, plan: QueryPlan, supported: list[Support]) -> list[Unit]:
        terms, _ = self.terms(plan)
        synonyms = term_alternatives(plan.text, self.lexicon)
        wants = answer_kind(plan.text)
        units = []
        for s in supported:
            chunk = s.hit.chunk
            doc = self.documents[chunk.doc_id]
            section_tokens = set(tokenize(" ".join(chunk.section)))
            foreign = doc.meta.municipality != self.config.home_municipality
            penalty = 0.15 if foreign and plan.municipality != doc.meta.municipality else 0.0
            spans = split_units(chunk.text)
            token_sets = [set(tokenize(chunk.text[a:b])) for a, b in spans]
            candidates = list(zip(spans, token_sets, strict=True))
            # A short next sentence that supplies a missing term ("Den senare bildades 1994.")
            # is quoted together with the one before it.
            for i in range(len(spans) - 1):
                (a, _), (c, d) = spans[i], spans[i + 1]
                missing = [t for t in terms if not covered(t, token_sets[i], synonyms)]
                if d - c <= 160 and any(covered(t, token_sets[i + 1], synonyms) for t in missing):
                    candidates.append(((a, d), token_sets[i] | token_sets[i + 1]))
            for (a, b), tokens in candidates:
                cov = coverage(terms, tokens | section_tokens, self.stats, synonyms)
                bonus = 0.15 if wants and wants(chunk.text[a:b]) else 0.0
                score = cov + bonus + 0.3 * s.coverage + 0.1 / (1 + s.rank) - penalty
                got = frozenset(t for t in terms if covered(t, tokens, synonyms))
                units.append(Unit(s.hit, s.rank, chunk.start + a, chunk.start + b, score, got))
        return sorted(units, key=lambda u: -u.score)

    def select_units(self, plan: QueryPlan, supported: list[Support]) -> list[Unit]:
        ranked = self.score_units(plan, supported)
        if len(plan.years) >= 2:
            return self.select_per_year(plan, ranked)
        best = ranked[0]
        chosen = [best]
        seen_terms = set(best.new_terms)
        for unit in ranked[1:]:
            if len(chosen) >= self.config.max_sentences:
                break
            if unit.score < self.config.follow_up_ratio * best.score:
                break
            adds = unit.new_terms - seen_terms
            if any(overlaps(unit, c) for c in chosen):
                continue
            other_chunk = all(unit.hit.chunk.chunk_id != c.hit.chunk.chunk_id for c in chosen)
            if adds or other_chunk:
                chosen.append(unit)
                seen_terms |= unit.new_terms
        chosen += self.other_year_statement(chosen, ranked)
        return sorted(chosen, key=self.newest_first)

    def other_year_statement(self, chosen: list[Unit], ranked: list[Unit]) -> list[Unit]:
        """When the answer comes from a dated plan, what another year's plan says on the same
        point, so a changed fact (chair, budget, a goal) is shown with its year."""
        best = chosen[0]
        year = self.year_of(best)
        if year is None or any(self.year_of(c) not in (None, year) for c in chosen):
            return []
        doc_type = self.documents[best.hit.chunk.doc_id].meta.doc_type
        best_words = self.quote_tokens(best)
        for unit in ranked:
            other = self.year_of(unit)
            same_kind = self.documents[unit.hit.chunk.doc_id].meta.doc_type == doc_type
            if other is None or other == year or not (same_kind or unit.score >= best.score):
                continue
            similar = jaccard(self.quote_tokens(unit), best_words)
            if unit.score + similar >= self.config.follow_up_ratio * best.score:
                return [unit]
        return []

    def select_per_year(self, plan: QueryPlan, ranked: list[Unit]) -> list[Unit]:
        """A comparison question gets one quote per named year, side by side: the best one
        overall, and in each other year the best one from the corresponding section."""
        anchor = next((u for u in ranked if self.year_of(u) in plan.years), ranked[0])
        anchor_section = self.section_tokens(anchor)
        anchor_words = self.quote_tokens(anchor)
        chosen = [anchor]
        for year in plan.years:
            if year == self.year_of(anchor):
                continue
            candidates = [u for u in ranked if self.year_of(u) == year]
            if candidates:
                chosen.append(
                    max(
                        candidates,
                        key=lambda u: (
                            u.score
                            + 0.5 * jaccard(self.section_tokens(u), anchor_section)
                            + jaccard(self.quote_tokens(u), anchor_words)
                        ),
                    )
                )
        return sorted(chosen, key=lambda u: self.year_of(u) or 0)

    def year_of(self, unit: Unit) -> int | None:
        return self.documents[unit.hit.chunk.doc_id].meta.year

    def quote_tokens(self, unit: Unit) -> set[str]:
        return set(tokenize(self.documents[unit.hit.chunk.doc_id].text[unit.start : unit.end]))

    def section_tokens(self, unit: Unit) -> set[str]:
        """Section words, with synonyms mapped together ("medlemmar" ~ "ledamöter")."""
        section = " ".join(unit.hit.chunk.section)
        tokens = set(tokenize(section))
        for alternatives in term_alternatives(section, self.lexicon).values():
            tokens |= set(alternatives)
        return {t for t in tokens if not t.isdigit()}

    def newest_first(self, unit: Unit) -> tuple[int, float]:
        year = self.documents[unit.hit.chunk.doc_id].meta.year or 0
        return (-year, -unit.score)

    def cite(self, n: int, unit: Unit) -> Citation:
        chunk = unit.hit.chunk
        doc = self.documents[chunk.doc_id]
        meta = doc.meta
        span = doc.span(unit.start, unit.end)
        raw_lines = None
        if doc.repaired:
            raw_lines = "\n".join(doc.raw_text.split("\n")[span.start_line - 1 : span.end_line])
        return Citation.of(
            meta,
            n=n,
            section=chunk.section_path,
            quote=doc.text[span.start : span.end],
            location=Location.of(span),
            chunk_id=chunk.chunk_id,
            context=chunk.text,
            ocr=meta.ocr,
            repaired=doc.repaired,
            raw_lines=raw_lines,
        )

    def not_answered(self, plan: QueryPlan, hits: list[ScoredChunk]) -> Answer:
        nearest = [self.search_result(h) for h in hits[: self.config.nearest]]
        return Answer(
            question=plan.text,
            answer=refusal(plan.language),
            answerable=False,
            citations=[],
            nearest=nearest,
            language=plan.language,
        )

    def search_result(self, hit: ScoredChunk) -> SearchResult:
        chunk = hit.chunk
        meta = self.documents[chunk.doc_id].meta
        return SearchResult.of(
            meta,
            chunk_id=chunk.chunk_id,
            section=chunk.section_path,
            text=chunk.text,
            score=hit.score,
            location=Location.of(chunk),
        )
