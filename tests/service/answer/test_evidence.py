from lang import tokenize
from service.answer.evidence import (
    TermStats,
    coverage,
    missing_entities,
    question_entities,
    question_terms,
    term_matches,
)

CORPUS = [
    "Falu kommun har sedan lång tid fyra vänorter: Röros, Hamina, Gütersloh och Grudziadz.",
    "Samarbetet med Borlänge är viktigt för att kommunerna ska fungera som en region.",
    "Internationell koordinator är Karin Perérs.",
    "Det arbete som pågår inom ramen för kommunens Tillväxtprogram ska stärkas.",
]
# Falun is named all over a Falun corpus, so it weighs little
STATS = TermStats.from_texts([*CORPUS, *(f"Falun, avsnitt {i}." for i in range(6))])


def tokens(text):
    return set(tokenize(text))


def test_question_words_do_not_count_as_content():
    assert "hand" not in " ".join(question_terms("Vad händer med anteckningarna?"))
    assert question_terms("Vem är internationell koordinator?") == tokenize(
        "internationell koordinator"
    )


def test_inflections_and_compounds_match():
    assert term_matches(tokenize("Tillväxtprogrammets")[0], tokens("Tillväxtprogram"))
    assert term_matches(tokenize("vänorter")[0], tokens("vänortssamarbeten"))
    assert not term_matches(tokenize("skattesats")[0], tokens(CORPUS[0]))


def test_a_missing_rare_term_outweighs_a_common_one():
    terms = question_terms("Vad är Faluns skattesats?")
    assert coverage(terms, tokens(CORPUS[0] + " Falun"), STATS) < 0.5
    terms = question_terms("Vem är internationell koordinator?")
    assert coverage(terms, tokens(CORPUS[2]), STATS) == 1.0


def test_named_entities_must_be_in_the_passage():
    entities = question_entities("Vilka vänorter har Borlänge?", ignore=["Falu kommun"])
    assert entities == tokenize("Borlänge")
    assert missing_entities(entities, tokens(CORPUS[0])) == entities
    assert missing_entities(entities, tokens(CORPUS[1])) == []
    assert question_entities("Vad gör SKR?") == tokenize("SKR")
