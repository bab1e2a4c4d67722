from types import SimpleNamespace

from index.hybrid import ScoredChunk
from ingest.schema import Chunk
from service.answer.extractive import AnswerConfig
from service.answer.query import QueryPlan
from service.answer.selection import QuoteSelection, Unit

YEARS = {"strategy": None, "plan-2020": 2020, "plan-2023": 2023}


def unit(doc_id: str, score: float, n: int = 1) -> Unit:
    chunk = Chunk(chunk_id=f"{doc_id}:{n}", doc_id=doc_id, text="x", start=0, end=1,
                  start_line=1, end_line=1)  # fmt: skip
    hit = ScoredChunk(chunk, score, None, None, None, None)
    return Unit(hit, 0, 10 * n, 10 * n + 5, score)


def selection() -> QuoteSelection:
    documents = {
        d: SimpleNamespace(meta=SimpleNamespace(year=y, doc_type="plan"), text="x" * 200)
        for d, y in YEARS.items()
    }
    model = SimpleNamespace(
        unit_floor=0.1, unit_ratio=0.1, year_section_weight=0.5, year_word_weight=1.0
    )
    config = AnswerConfig(max_sentences=3, max_list_sentences=5)
    return QuoteSelection(documents, lexicon=None, model=model, config=config)  # type: ignore[arg-type]


def plan(text: str) -> QueryPlan:
    return QueryPlan(text=text, language="sv")


def test_a_question_for_several_things_quotes_up_to_the_longer_limit():
    ranked = [unit("strategy", 0.9 - n / 100, n) for n in range(1, 8)]
    assert len(selection().select(plan("Vilka vänorter finns?"), ranked)) == 5
    assert len(selection().select(plan("Vem leder rådet?"), ranked)) == 3


def test_an_undated_documents_best_quote_leads_and_dated_plans_follow_newest_first():
    chosen = [unit("plan-2020", 0.6), unit("strategy", 0.9), unit("plan-2023", 0.3)]
    ordered = selection().dated_newest_first(chosen)
    assert [u.hit.chunk.doc_id for u in ordered] == ["strategy", "plan-2023", "plan-2020"]


def test_the_newer_plan_leads_when_both_quotes_are_dated():
    chosen = [unit("plan-2020", 0.9), unit("plan-2023", 0.4), unit("strategy", 0.2)]
    ordered = selection().dated_newest_first(chosen)
    assert [u.hit.chunk.doc_id for u in ordered] == ["plan-2023", "plan-2020", "strategy"]


def test_a_question_for_several_things_gets_the_list_first():
    chooser = selection()
    text = "En ny vänort söks. " + "Vänorterna är:\nRöros\nHamina\nGütersloh" + " " * 150
    chooser.documents["strategy"].text = text
    sentence = Unit(unit("strategy", 0.9).hit, 0, 0, 18, 0.9)
    listed = Unit(unit("strategy", 0.8, 2).hit, 0, 19, 57, 0.8)
    several = chooser.select(plan("Vilka vänorter finns?"), [sentence, listed])
    assert [u.start for u in several] == [19, 0]
    one = chooser.select(plan("Söks en ny vänort?"), [sentence, listed])
    assert [u.start for u in one] == [0, 19]


def test_a_comparison_keeps_the_best_quotes_and_adds_each_named_years_best_side_by_side():
    ranked = [
        unit("strategy", 0.9, 1),
        unit("plan-2023", 0.8, 2),
        unit("strategy", 0.7, 3),
        unit("plan-2020", 0.05, 4),  # under the floor: only the comparison brings it in
    ]
    compared = QueryPlan(text="Vad skiljer 2020 och 2023?", language="sv", years=(2020, 2023))
    chosen = selection().select(compared, ranked)
    assert {u.start for u in chosen} == {10, 20, 30, 40}
    # undated quotes first, then the plans oldest first
    assert [u.hit.chunk.doc_id for u in chosen][-2:] == ["plan-2020", "plan-2023"]
    alone = selection().select(plan("Vad skiljer planerna?"), ranked)
    assert "plan-2020" not in {u.hit.chunk.doc_id for u in alone}


def test_a_question_for_several_things_naming_a_heading_gets_that_section_in_its_order():
    chooser = selection()
    goals = "Samarbeta i Norden.\nStödja kulturprojekt.\nSprida kunskap."
    text = "Inledning om planen. " + goals + " " * 150
    chooser.documents["plan-2023"].text = text
    start = len("Inledning om planen. ")

    def at(n: int, begin: int, end: int, score: float, section: tuple[str, ...]) -> Unit:
        chunk = Chunk(chunk_id=f"plan-2023:{n}", doc_id="plan-2023", text="x", start=0,
                      end=1, start_line=1, end_line=1, section=section)  # fmt: skip
        return Unit(ScoredChunk(chunk, score, None, None, None, None), 0, begin, end, score)

    goals_section = ("Verksamhetsmål", "Övergripande mål")
    intro = at(1, 0, start - 1, 0.9, ("Inledning",))
    first = at(2, start, start + 19, 0.3, goals_section)
    second = at(2, start + 20, start + 41, 0.6, goals_section)
    both = at(2, start, start + 41, 0.5, goals_section)  # a pair of them, offered joined
    third = at(2, start + 42, start + 57, 0.2, goals_section)
    ranked = sorted([intro, first, second, both, third], key=lambda u: -u.score)
    asked = chooser.select(plan("Vilka övergripande mål har planen?"), ranked)
    assert asked == [both, third]  # the section in order, the longer unit before its parts
    # not asking for several things, or not naming the heading: quoted by score
    assert chooser.select(plan("Har planen övergripande mål?"), ranked)[0] is intro
    assert chooser.select(plan("Vilka mål har planen?"), ranked)[0] is intro
    # a one-word heading names no topic ("enligt riktlinjerna")
    renamed = [at(2, u.start, u.end, u.score, ("Mål",)) if u is not intro else u for u in ranked]
    assert chooser.select(plan("Vilka mål har planen?"), renamed)[0] is intro
    # the section's best unit must be one the score would quote
    chooser.model.unit_ratio = 0.9
    assert chooser.select(plan("Vilka övergripande mål har planen?"), ranked)[0] is intro


def test_two_quoted_items_of_one_list_become_the_whole_list_when_several_things_are_asked():
    chooser = selection()
    items = "- Mål 1: Besluta om strategin\n- Mål 2: Ta emot besök\n- Mål 3: Söka EU-medel"
    text = "Målen godkänns av styrelsen.\n" + items + "\nI synnerhet prioriteras kultur." + " " * 50
    chooser.documents["plan-2020"].text = text

    def at(phrase: str, score: float) -> Unit:
        start = text.index(phrase)
        return Unit(unit("plan-2020", score).hit, 0, start, start + len(phrase), score)

    second, third = at("Mål 2: Ta emot besök", 0.9), at("Mål 3: Söka EU-medel", 0.8)
    lead = at("Målen godkänns av styrelsen.", 0.7)
    asked = chooser.select(plan("Vilka mål har planen?"), [second, third, lead])
    whole = text[asked[0].start : asked[0].end]
    assert whole == items.removeprefix("- ")
    assert asked[0].score == 0.9 and asked[1:] == [lead]
    # asked for one thing, the items stay apart; one quoted item stays an item
    assert chooser.select(plan("Ska planen ta emot besök?"), [second, third, lead])[0] == second
    assert chooser.select(plan("Vilka mål har planen?"), [second, lead]) == [second, lead]
