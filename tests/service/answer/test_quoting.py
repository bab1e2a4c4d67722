"""`falun-kb fit` scores quote parameters with the answerer's own selection
(`ExtractiveAnswerer.quoted_under`): what it counts as quoted is what an answer cites."""

from dataclasses import replace

import pytest

from lang import tokenize
from service.answer.query import plan_query
from tests.service.answer.conftest import Corpus


@pytest.mark.parametrize(
    "question",
    [
        "Vilka är Faluns vänorter?",
        "Hur stor är rådets budget för verksamhet 2020 och 2023?",
        "Vem är ordförande i Internationella rådet 2020 och 2023?",
    ],
)
def test_the_units_fit_counts_as_quoted_are_the_answers_quotes(corpus: Corpus, question: str):
    answerer = corpus.answerer
    plan, hits = corpus.retrieve(question)
    found = answerer.candidates(plan, hits)
    probabilities = [answerer.model.unit.probability(c.features) for c in found]
    chosen = answerer.quoted_under(answerer.model, plan, found, probabilities)
    answer = answerer.answer(plan, hits)
    assert answer.answerable and chosen
    quoted = [answerer.documents[found[i].hit.chunk.doc_id].text[found[i].start : found[i].end]
              for i in chosen]  # fmt: skip
    assert quoted == [c.quote for c in answer.citations]


def test_whatever_the_year_weights_a_comparison_quotes_each_year_it_names(corpus: Corpus):
    answerer = corpus.answerer
    plan, hits = corpus.retrieve("Hur stor är rådets budget för verksamhet 2020 och 2023?")
    found = answerer.candidates(plan, hits)
    probabilities = [answerer.model.unit.probability(c.features) for c in found]

    def years_quoted(section: float, words: float) -> set[int | None]:
        model = replace(answerer.model, year_section_weight=section, year_word_weight=words)
        chosen = answerer.quoted_under(model, plan, found, probabilities)
        return {answerer.documents[found[i].hit.chunk.doc_id].meta.year for i in chosen}

    assert {2020, 2023} <= years_quoted(0.0, 0.0)
    assert {2020, 2023} <= years_quoted(2.0, 2.0)


@pytest.mark.parametrize(
    "question",
    [
        "Världsarvet: hur nämns det 2020 respektive 2023?",
        "Hur beskrivs elevutbyten i planerna 2020 och 2023?",
    ],
)
def test_a_comparisons_passages_lead_with_each_named_years_quoted_passage(
    corpus: Corpus, question: str
):
    answerer = corpus.answerer
    plan, hits = corpus.retrieve(question, k=10)
    judged = answerer.judge(plan, hits)
    first = [answerer.documents[h.chunk.doc_id].meta.year for h in judged.passages[:2]]
    assert sorted(first, key=str) == [2020, 2023]


def test_the_greetings_words_the_documents_never_use_are_not_terms(corpus: Corpus):
    answerer = corpus.answerer

    def terms(text: str) -> list[str]:
        plan = plan_query(text, answerer.municipalities(), answerer.lexicon)
        return answerer.terms(plan)[0]

    asked = "Vad har internationella rådets ordförande för telefonnummer?"
    greeting = "Hej! Jag är rektor och undrar en sak om rådet."
    got = terms(f"{greeting} {asked}")
    # what is asked stays whole, a word no document has included: its absence is evidence
    assert set(terms(asked)) <= set(got)
    assert any(t not in answerer.stats.df for t in terms(asked))
    # the greeting keeps only the words the documents use
    assert all(t in answerer.stats.df for t in got if t not in terms(asked))
    assert not set(tokenize("hej rektor undrar")) & set(got)
    assert set(tokenize("rådet")) <= set(got)
