"""Golden questions beyond the dev set, in English and paraphrased Swedish: the passage that
answers must be among the top five of the real hybrid retrieval."""

import pytest

pytestmark = pytest.mark.slow

GOLDEN = [
    ("Which twin town does Falun have in Norway?", "Röros, Norge"),
    ("Who chairs the international council?", "ordförande"),
    ("What is the budget of the international council in 2023?", "180 000 kr"),
    ("Which organisation funds the development cooperation?", "ICLD:s totalfinansiering"),
    ("Hur mycket pengar får rådet?", "budget"),
    ("Vilka länder har Falun vänorter i?", "Hamina, Finland"),
    ("Can schools get money for student exchanges?", "Elevutbyten"),
    (
        "Who is responsible for international issues in the municipality?",
        "Kommunstyrelsen ansvarar",
    ),
    ("Vem sköter kontakterna med EU i regionen?", "Region Dalarna"),
    ("Vilka är målgrupperna för informationen?", "Valda politiker"),
]


@pytest.mark.parametrize(("question", "passage"), GOLDEN)
def test_answering_passage_is_in_the_top_five(real_kb, question, passage):
    texts = [r.text for r in real_kb.search(question, k=5)]
    assert any(passage in t for t in texts), texts


def test_a_municipality_named_in_the_search_is_searched_alone(real_kb):
    results = real_kb.search("How is international work financed in Falköping municipality?")
    assert {r.municipality for r in results} == {"Falköpings kommun"}
    # Which of the policy's passages comes first is not checked here: nothing connects
    # "financed" with its "avsätts centrala medel" (a known miss; the passage was fifth in the
    # fused order, sixth re-ranked, eighth with the question adapter), and the policy's ten
    # passages all pass the filter.


def test_the_answering_passage_mostly_comes_first(real_kb):
    """Search re-ranks the fused passages by their best sentence's answering probability:
    9 of the 10 then have the answering passage first (8 in the fused order alone)."""
    first = [passage in real_kb.search(question, k=5)[0].text for question, passage in GOLDEN]
    assert sum(first) >= 9, [q for (q, _), ok in zip(GOLDEN, first, strict=True) if not ok]
