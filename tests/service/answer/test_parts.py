"""A message of several questions is answered part by part, labels renumbered."""

from service.answer.parts import merge_answers, question_parts
from service.models import Answer, Citation, Location


def test_one_question_stays_whole_with_its_context():
    text = "Hej! Jag är lärare i Falun. Kan min skola söka pengar för elevutbyte?"
    assert question_parts(text) == [text]


def test_two_questions_are_split_and_the_context_stays_with_the_first():
    text = "Hej! Jag är ny i rådet. Vem är ordförande? Och hur stor är budgeten? Tack!"
    assert question_parts(text) == [
        "Hej! Jag är ny i rådet. Vem är ordförande?",
        "Och hur stor är budgeten? Tack!",
    ]


def test_a_question_joined_to_another_by_och_is_split_before_the_conjunction():
    text = "Nyvald här. Vad är Internationella rådet, och vem utser ledamöterna?"
    assert question_parts(text) == [
        "Nyvald här. Vad är Internationella rådet?",
        "Och vem utser ledamöterna?",  # a follow-up of the first: read with it as history
    ]
    english = "What is the agency, and what does it have to do with pupil exchanges?"
    assert question_parts(english) == [
        "What is the agency?",
        "And what does it have to do with pupil exchanges?",
    ]


def test_a_conjoined_question_word_that_only_qualifies_the_question_keeps_it_whole():
    for text in (
        "Till vem rapporteras uppföljningen, och hur ofta?",
        "Vad krävs – att fastställa prioriteringar och vad mer?",
        "Vilka länder och vilka städer?",
    ):
        assert question_parts(text) == [text]


def _citation(n: int, quote: str) -> Citation:
    return Citation(
        n=n, doc_id="d", title="T", municipality="Falu kommun", doc_type="plan", year=2023,
        section="S", quote=quote, location=Location(start_line=1, end_line=1), chunk_id="d:1",
        context=quote, ocr=False,
    )  # fmt: skip


def test_merged_answer_renumbers_labels_and_keeps_each_part_under_its_question():
    first = Answer(question="A?", answer='Enligt T: "x" [1]', answerable=True,
                   citations=[_citation(1, "x")])  # fmt: skip
    refused = Answer(question="B?", answer="Det framgår inte av dokumenten.", answerable=False,
                     citations=[])  # fmt: skip
    third = Answer(question="C?", answer='Enligt T: "y" [1] och "z" [2]', answerable=True,
                   citations=[_citation(1, "y"), _citation(2, "z")])  # fmt: skip
    merged = merge_answers("A? B? C?", ["A?", "B?", "C?"], [first, refused, third])
    assert merged.answerable and merged.question == "A? B? C?"
    assert [c.n for c in merged.citations] == [1, 2, 3]
    assert [c.quote for c in merged.citations] == ["x", "y", "z"]
    assert '"y" [2] och "z" [3]' in merged.answer
    assert merged.answer.index("«B?»") < merged.answer.index("Det framgår inte")


def test_a_quote_an_earlier_part_gave_is_pointed_to_not_repeated():
    first = Answer(question="A?", answer='Enligt T: "x" [1]\n\nDär står också: "y" [2]',
                   answerable=True, citations=[_citation(1, "x"), _citation(2, "y")])  # fmt: skip
    second = Answer(question="B?", answer='Enligt T: "z" [1]\n\nDär står också: "y" [2]\n\n'
                    'Där står också: "x" [3]', answerable=True,
                    citations=[_citation(1, "z"), _citation(2, "y"), _citation(3, "x")])  # fmt: skip
    merged = merge_answers("A, och B?", ["A?", "B?"], [first, second])
    assert [(c.n, c.quote) for c in merged.citations] == [(1, "x"), (2, "y"), (3, "z")]
    under_b = merged.answer.split("«B?»")[1]
    assert '"z" [3]' in under_b  # new: quoted
    assert '"y"' not in under_b and '"x"' not in under_b
    assert "Se citat [1] [2] ovan." in under_b  # given above: pointed to, once


def test_a_parts_best_quote_is_shown_under_it_even_when_an_earlier_part_gave_it():
    first = Answer(question="A?", answer='Enligt T: "x" [1]\n\nDär står också: "y" [2]',
                   answerable=True, citations=[_citation(1, "x"), _citation(2, "y")])  # fmt: skip
    second = Answer(question="B?", answer='Enligt T: "y" [1]\n\nDär står också: "x" [2]',
                    answerable=True, citations=[_citation(1, "y"), _citation(2, "x")])  # fmt: skip
    merged = merge_answers("A, och B?", ["A?", "B?"], [first, second])
    assert len(merged.citations) == 2
    assert merged.answer.split("«B?»")[1].strip() == 'Enligt T: "y" [2]\n\nSe citat [1] ovan.'


def test_a_part_read_as_a_follow_up_is_shown_as_read_beside_the_others():
    first = Answer(question="Vad är rådet?", answer='Enligt T: "x" [1]', answerable=True,
                   citations=[_citation(1, "x")])  # fmt: skip
    second = Answer(question="Och vem utser ledamöterna?", answer='Enligt T: "y" [1]',
                    answerable=True, citations=[_citation(1, "y")],
                    interpreted_question="Vem utser ledamöterna (rådet)?")  # fmt: skip
    parts = ["Vad är rådet?", "Och vem utser ledamöterna?"]
    merged = merge_answers("Vad är rådet, och vem utser ledamöterna?", parts, [first, second])
    assert merged.interpreted_question == "Vad är rådet? Vem utser ledamöterna (rådet)?"
    alone = merge_answers("A? B?", ["A?", "B?"], [first, first])
    assert alone.interpreted_question is None  # nothing rewritten: nothing to show
