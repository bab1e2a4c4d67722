"""The words around the quotes: where each comes from, in the asker's language, and the
plain refusal when the documents do not answer."""

from __future__ import annotations

from ingest.schema import last_heading
from lang import lines_kept
from service.answer.query import QueryPlan
from service.models import Citation

NOT_ANSWERED_SV = "Det framgår inte av dokumenten."
NOT_ANSWERED_EN = "The documents do not answer this (Det framgår inte av dokumenten)."


def refusal(language: str) -> str:
    """What an answer says when the documents do not answer, pointing at the nearest passages."""
    if language == "en":
        return f"{NOT_ANSWERED_EN} The nearest passages are listed below."
    return f"{NOT_ANSWERED_SV} De närmaste avsnitten visas nedan (Närliggande avsnitt)."


def source_phrase(c: Citation, language: str, home: str) -> str:
    """ "Enligt «title» (municipality, year)", naming another municipality as not the home one."""
    year = f", {c.year}" if c.year else ""
    where = f"«{c.title}» ({c.municipality}{year})"
    if language == "en":
        if c.municipality != home:
            where += f", a document of {c.municipality}, not {home}"
        return f"According to {where}"
    if c.municipality != home:
        where += f", som gäller {c.municipality} och inte {home}"
    return f"Enligt {where}"


def older_phrase(c: Citation, language: str) -> str:
    """An older plan's statement is shown as such, with its year."""
    if language == "en":
        return f"Earlier, in {c.year}, «{c.title}» said"
    return f"Tidigare, {c.year}, stod det i «{c.title}»"


def heading(c: Citation) -> str:
    """The most specific heading the quote stands under ("" when none but the title)."""
    last = last_heading(c.section)
    return "" if last == c.title else last


def compose_answer(plan: QueryPlan, citations: list[Citation], home: str) -> str:
    """Each sentence is a verbatim quote framed by where it comes from, its document and
    the heading it stands under (when that changes), marked [n]. Only a quote's whitespace
    changes: a list keeps its lines, so no item runs into the next ("ordförande Jonas")."""
    lines = []
    previous: tuple[str, str] | None = None
    newest = max((c.year for c in citations if c.year), default=None)
    comparing = len(plan.years) >= 2
    for c in citations:
        quote = lines_kept(c.quote)  # a list keeps one item per line
        where = (c.doc_id, heading(c))
        if previous and c.doc_id == previous[0]:
            lead = "The same document also says" if plan.language == "en" else "Där står också"
        elif c.year and newest and c.year < newest and not comparing:
            lead = older_phrase(c, plan.language)
        else:
            lead = source_phrase(c, plan.language, home)
        if where[1] and where != previous:
            lead += f", under «{where[1]}»"
        lines.append(f'{lead}: "{quote}" [{c.n}]')
        previous = where
    if plan.language == "en":
        lines.insert(0, "The documents are in Swedish; the quotes below are verbatim.")
    return "\n\n".join(lines)
