"""Follow-ups are rewritten from the earlier questions; questions that stand alone are not."""

import pytest

from service.answer.followup import is_elliptic, standalone


def test_a_bare_year_takes_the_earlier_question_with_its_year_replaced():
    assert standalone("Och 2020?", ["Vad var budgeten 2023?"]) == "Vad var budgeten 2020?"


def test_a_bare_year_is_added_when_the_earlier_question_had_none():
    assert standalone("Och 2020?", ["Vad är budgeten?"]) == "Vad är budgeten 2020?"


def test_a_pronoun_carries_the_earlier_topic():
    out = standalone("Och vilka är medlemmar i den?", ["Vad är Central Sweden?"])
    assert out is not None
    assert out.startswith("Vilka är medlemmar i den")
    assert "Central" in out and "Sweden" in out


def test_a_chain_of_follow_ups_is_read_back_to_its_start():
    out = standalone("Och 2020?", ["Vad var budgeten 2023?", "Och 2021?"])
    assert out == "Vad var budgeten 2020?"


@pytest.mark.parametrize(
    "question",
    [
        "Vem är internationell koordinator i Falu kommun?",
        "Vilka vänorter har Falun i Norden?",
        # articles, not pronouns: "det"/"den"/"de" before an adjective or a number
        "Vad är den internationella strategin till för?",
        "Hur finansieras det internationella arbetet i Falköping?",
        "Hur mycket av de 180 000 kronorna går till kulturprojekt?",
        # "det" after "finns"/"står" stands for nothing
        "Vad står det om extern finansiering i strategin?",
        # the pronoun points to what the question itself names
        "Vilka riktlinjer i policyn handlar om samarbetsavtal? Räkna upp dem.",
        "Vad är ICLD?",  # one word, but a name
    ],
)
def test_a_question_that_stands_alone_is_not_changed(question):
    assert not is_elliptic(question)
    assert standalone(question, ["Vad är budgeten 2023?"]) is None


def test_a_word_of_its_own_beside_a_year_is_not_the_earlier_question_in_that_year():
    # after a budget question this asks about the chair, not "Vad var budgeten 2020?"
    assert standalone("Vem var ordförande 2020?", ["Vad var budgeten 2023?"]) is None


@pytest.mark.parametrize(
    "question", ["Varför tog det slut?", "Vilka av dem hör till Norden?", "Who are its members?"]
)
def test_a_pronoun_before_any_word_of_its_own_points_back(question):
    assert is_elliptic(question)


def test_without_history_nothing_is_rewritten():
    assert standalone("Och 2020?", []) is None


@pytest.mark.parametrize("question", ["Var är hen placerad?", "Vad heter hon?", "Who is he?"])
def test_a_personal_pronoun_points_back_to_the_earlier_question(question):
    assert is_elliptic(question)
    out = standalone(question, ["Vad gör nätverkets samordnare?"])
    assert out is not None and "samordnare" in out


def test_the_topic_comes_from_what_was_asked_not_the_greeting_before_it():
    earlier = "Hej! Jag är ny som kommunalråd. Vem leder det praktiska samarbetet?"
    out = standalone("Vad heter hon?", [earlier])
    assert out is not None and "praktiska samarbetet" in out
    assert "Hej" not in out and "kommunalråd" not in out


def test_the_earlier_questions_year_holds_for_a_follow_up_naming_none():
    out = standalone("Och hur stor är budgeten?", ["Vem är ordförande i rådet 2023?"])
    assert out is not None and "2023" in out and out.startswith("Hur stor är budgeten")
    # a follow-up's own year wins
    assert "2023" not in (standalone("Och vilka satt där 2020?", ["Vem leder rådet 2023?"]) or "")


def test_an_english_topic_carries_no_function_words():
    out = standalone("What is their budget?", ["Who chairs the international council in 2020?"])
    assert out is not None and "Who" not in out and "council" in out and "2020" in out
