"""Which of the scored units an answer quotes: the best, the others the fitted model rates
close to it (none overlapping another), a dated fact's statement in another year's plan, and
for a question naming several years also one quote per year side by side."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index.hybrid import ScoredChunk
from ingest.schema import Document
from lang import MAX_UNIT_CHARS, list_around, tokenize
from service.answer.evidence import question_terms
from service.answer.features import Candidate
from service.answer.fitted import AnsweringModel
from service.answer.query import QueryPlan, asks_several, is_list, term_alternatives
from service.lexicon import Lexicon

if TYPE_CHECKING:
    from service.answer.extractive import AnswerConfig


@dataclass(frozen=True)
class Unit:
    """A quotable sentence or list item of a retrieved passage, scored by the unit model."""

    hit: ScoredChunk
    rank: int
    start: int  # absolute offsets in the document text
    end: int
    score: float  # the unit model's probability that it answers the question


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def overlaps(a: Unit | Candidate, b: Unit | Candidate) -> bool:
    """Two quotable units share text (a sentence and the pair it is also offered joined into)."""
    return a.hit.chunk.doc_id == b.hit.chunk.doc_id and a.start < b.end and b.start < a.end


# a heading of one word ("Riktlinjer", "Syfte") names a part of a document that a question
# mentions in passing ("enligt riktlinjerna"); one of two or more names a topic
HEADING_NAME_WORDS = 2


def heading_named(section: Sequence[str], asked: set[str]) -> bool:
    """Every word of the section's last heading, at least `HEADING_NAME_WORDS` of them, is
    among the question's terms (numbers aside): "Mål Europa" in "Vilka mål har rådet under
    Mål Europa?"."""
    heading = {t for t in tokenize(section[-1]) if not t.isdigit()} if section else set()
    return len(heading) >= HEADING_NAME_WORDS and heading <= asked


# A list quoted whole is at most two units long; a longer one is quoted by its items.
WHOLE_LIST_CHARS = 2 * MAX_UNIT_CHARS


def select_units(
    scores: Sequence[float],
    ratio: float,
    floor: float,
    limit: int,
    overlapping: Callable[[int, int], bool] = lambda i, j: False,
) -> list[int]:
    """Indices of the units quoted: the best, then the next best while they score at least
    the floor and `ratio` of the best, up to `limit`, skipping a unit that overlaps one
    already quoted (a sentence and the pair it is also offered joined into). The answerer
    quotes by this rule and `falun-kb fit` fits the ratio and floor by it."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    chosen: list[int] = []
    for i in order:
        if len(chosen) >= limit or (chosen and scores[i] < max(floor, ratio * scores[order[0]])):
            break
        if not any(overlapping(i, j) for j in chosen):
            chosen.append(i)
    return chosen


class QuoteSelection:
    def __init__(
        self,
        documents: dict[str, Document],
        lexicon: Lexicon,
        model: AnsweringModel,
        config: AnswerConfig,
    ) -> None:
        self.documents = documents
        self.lexicon = lexicon
        self.model = model
        self.config = config

    def select(self, plan: QueryPlan, ranked: list[Unit]) -> list[Unit]:
        if plan.compared:  # two municipalities compared: each one's best beside the others
            chosen = self.select_by_score(plan, ranked)
            return chosen + self.select_per_municipality(plan, ranked, chosen)
        if len(plan.years) < 2:
            return self.named_section(plan, ranked) or self.select_by_score(plan, ranked)
        chosen = self.select_by_score(plan, ranked)
        # a comparison: the quotes the model rates best, and beside them one per named year
        side_by_side = [
            u for u in self.select_per_year(plan, ranked) if not any(overlaps(u, c) for c in chosen)
        ]
        return sorted(chosen + side_by_side, key=lambda u: self.year_of(u) or 0)

    def named_section(self, plan: QueryPlan, ranked: list[Unit]) -> list[Unit]:
        """For a question asking for several things that names a section by its heading
        ("Vilka övergripande mål har rådet?" and a section "Övergripande mål"), what that
        section says, in its order: its units from the first, a longer one (a lead-in with
        its list) before those inside it, up to the longer quote limit. The section is the
        one of the best unit under such a heading, and only when that unit would be quoted
        by score (at least the floor and the ratio of the best); none otherwise."""
        if not ranked or not asks_several(plan.text):
            return []
        asked = set(question_terms(plan.text))
        model = self.model
        least = max(model.unit_floor, model.unit_ratio * ranked[0].score)
        named = next(
            (u for u in ranked if u.score >= least and heading_named(u.hit.chunk.section, asked)),
            None,
        )
        if named is None:
            return []
        where = (named.hit.chunk.doc_id, named.hit.chunk.section)
        inside = sorted(
            (u for u in ranked if (u.hit.chunk.doc_id, u.hit.chunk.section) == where),
            key=lambda u: (u.start, -u.end),
        )
        chosen: list[Unit] = []
        for unit in inside:
            if len(chosen) < self.config.quote_limit(True) and not any(
                overlaps(unit, c) for c in chosen
            ):
                chosen.append(unit)
        return chosen

    def select_by_score(self, plan: QueryPlan, ranked: list[Unit]) -> list[Unit]:
        """The best unit and the others the model rates close to it (`select_units`); a
        dated fact's statement in another year's plan beside them."""
        several = asks_several(plan.text)
        model = self.model
        chosen = [
            ranked[i]
            for i in select_units(
                [u.score for u in ranked],
                model.unit_ratio,
                model.unit_floor,
                self.config.quote_limit(several),
                lambda i, j: overlaps(ranked[i], ranked[j]),
            )
        ]
        chosen += self.other_year_statement(chosen, ranked)
        ordered = self.dated_newest_first(chosen)
        if several:  # asked for several things: the list they are in first, and whole
            ordered = self.whole_lists(ordered)
            ordered.sort(key=lambda u: not is_list(self.text_of(u)))
        return ordered

    def whole_lists(self, chosen: list[Unit]) -> list[Unit]:
        """Two or more quotes that are items of one bulleted or numbered list become that
        list, quoted whole once, where its first quote stood: asked which things, the
        answer is every item, in the document's order, not the items that scored best.
        A list longer than `WHOLE_LIST_CHARS` keeps its quoted items."""
        out: list[Unit] = []
        for unit in chosen:
            if any(overlaps(unit, quoted) for quoted in out):
                continue  # inside a list already quoted whole
            doc_id = unit.hit.chunk.doc_id
            # a lead-in with its first items is inside the list its last line is an item of
            run = list_around(self.documents[doc_id].text, unit.end - 1, unit.end)
            members = [
                u for u in chosen
                if run and u.hit.chunk.doc_id == doc_id and u.start < run.end and run.start < u.end
            ]  # fmt: skip
            if len(members) < 2 or run is None or run.end - run.start > WHOLE_LIST_CHARS:
                out.append(unit)
                continue
            first = min(members, key=lambda u: u.start)
            start = min(run.start, first.start)
            end = max(run.end, *(u.end for u in members))
            out.append(
                Unit(first.hit, min(u.rank for u in members), start, end,
                     max(u.score for u in members))
            )  # fmt: skip
        return out

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
            if unit.score + similar >= self.model.unit_ratio * best.score:
                return [unit]
        return []

    def select_per_year(self, plan: QueryPlan, ranked: list[Unit]) -> list[Unit]:
        """A comparison question gets one quote per named year, side by side: the best one
        overall, and in each other year the best one from the corresponding section: by its
        probability and its section's and words' overlap with the first, as weighted by the
        model (`falun-kb fit` fits the weights on the training questions that compare years)."""
        section_weight, word_weight = self.model.year_section_weight, self.model.year_word_weight
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
                            + section_weight * jaccard(self.section_tokens(u), anchor_section)
                            + word_weight * jaccard(self.quote_tokens(u), anchor_words)
                        ),
                    )
                )
        return sorted(chosen, key=lambda u: self.year_of(u) or 0)

    def select_per_municipality(
        self, plan: QueryPlan, ranked: list[Unit], chosen: list[Unit]
    ) -> list[Unit]:
        """For a question comparing municipalities, the best unit of each compared one that
        `chosen` has no quote from, so every side is shown."""
        added: list[Unit] = []
        for municipality in plan.compared:
            if any(self.municipality_of(u) == municipality for u in chosen + added):
                continue
            best = next(
                (u for u in ranked if self.municipality_of(u) == municipality
                 and not any(overlaps(u, c) for c in chosen + added)),
                None,
            )  # fmt: skip
            if best is not None:
                added.append(best)
        return added

    def municipality_of(self, unit: Unit) -> str:
        return self.documents[unit.hit.chunk.doc_id].meta.municipality

    def year_of(self, unit: Unit) -> int | None:
        return self.documents[unit.hit.chunk.doc_id].meta.year

    def text_of(self, unit: Unit) -> str:
        return self.documents[unit.hit.chunk.doc_id].text[unit.start : unit.end]

    def quote_tokens(self, unit: Unit) -> set[str]:
        return set(tokenize(self.text_of(unit)))

    def section_tokens(self, unit: Unit) -> set[str]:
        """Section words, with synonyms mapped together ("medlemmar" ~ "ledamöter")."""
        section = " ".join(unit.hit.chunk.section)
        tokens = set(tokenize(section))
        for alternatives in term_alternatives(section, self.lexicon).values():
            tokens |= set(alternatives)
        return {t for t in tokens if not t.isdigit()}

    def dated_newest_first(self, chosen: list[Unit]) -> list[Unit]:
        """Best first, except that the dated plans' quotes take their places newest first,
        so a changed fact leads with its current statement; an undated document's quote
        (a strategy, a policy) keeps its place by score."""
        by_score = sorted(chosen, key=lambda u: -u.score)
        dated = sorted(
            (u for u in by_score if self.year_of(u) is not None),
            key=lambda u: -(self.year_of(u) or 0),
        )
        newest = iter(dated)
        return [next(newest) if self.year_of(u) is not None else u for u in by_score]
