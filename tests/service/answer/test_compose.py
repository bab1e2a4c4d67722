"""The words around an answer's quotes: each quote's document, and the heading it stands
under whenever that changes."""

from service.answer.compose import compose_answer
from service.answer.query import QueryPlan
from service.models import Citation, Location

HOME = "Falu kommun"


def _citation(n: int, quote: str, section: str, doc_id: str = "plan-2023") -> Citation:
    return Citation(
        n=n, doc_id=doc_id, title="Verksamhetsplan 2023", municipality=HOME,
        doc_type="verksamhetsplan", year=2023, section=section, quote=quote,
        location=Location(start_line=1, end_line=1), chunk_id=f"{doc_id}:{n}", context=quote,
    )  # fmt: skip


def test_each_quote_names_the_heading_it_stands_under_when_that_changes():
    citations = [
        _citation(1, "Fördjupa samarbeten med vänorterna.", "Verksamhetsmål 2023 › Mål Norden"),
        _citation(2, "Elevutbyte och världsarv.", "Verksamhetsmål 2023 › Mål Norden"),
        _citation(3, "Deltaga i projektet.", "Verksamhetsmål 2023 › Mål Europa"),
    ]
    paragraphs = compose_answer(QueryPlan("Vilka mål?", "sv"), citations, HOME).split("\n\n")
    assert paragraphs[0].startswith(
        "Enligt «Verksamhetsplan 2023» (Falu kommun, 2023), under «Mål Norden»: "
    )
    assert paragraphs[1] == 'Där står också: "Elevutbyte och världsarv." [2]'  # same heading
    assert paragraphs[2] == 'Där står också, under «Mål Europa»: "Deltaga i projektet." [3]'


def test_a_quote_under_no_heading_but_its_title_is_framed_by_its_document_alone():
    citations = [
        _citation(1, "Planen är ettårig.", ""),
        _citation(2, "Ny text.", "Verksamhetsplan 2023"),
    ]
    answer = compose_answer(QueryPlan("Hur ofta?", "en"), citations, HOME)
    assert "under «" not in answer
    assert (
        'According to «Verksamhetsplan 2023» (Falu kommun, 2023): "Planen är ettårig." [1]'
        in answer
    )


def test_a_quoted_list_keeps_one_item_per_line_and_a_wrapped_sentence_is_one():
    members = "Jan E Fors (M), ordförande\n\nJonas Sallén (S)\nElisabeth Rooth (C)"
    wrapped = "Vänorterna tillhör två grupperingar; en med Tyskland och \n\nPolen."
    citations = [_citation(1, members, "Ledamöter"), _citation(2, wrapped, "Ledamöter")]
    answer = compose_answer(QueryPlan("Vilka sitter i rådet?", "sv"), citations, HOME)
    # no item runs into the next: "ordförande Jonas Sallén" would name the wrong chair
    assert '"Jan E Fors (M), ordförande\nJonas Sallén (S)\nElisabeth Rooth (C)" [1]' in answer
    assert '"Vänorterna tillhör två grupperingar; en med Tyskland och Polen." [2]' in answer
