from index.hybrid import ScoredChunk
from ingest.schema import Chunk, Document, DocumentMeta
from lang import tokenize
from service.answer.evidence import TermStats
from service.answer.features import (
    QUESTION_FEATURES,
    UNIT_FEATURES,
    Candidate,
    Question,
    candidates,
    question_features,
)

STATS = TermStats.from_texts(["vänort röros norge", "vänort hamina finland", "budget rådet"])
VANORT, ROROS = tokenize("vänort röros")  # stems, as the question's terms are


def candidate(terms: set[str]) -> Candidate:
    chunk = Chunk(chunk_id="d:1", doc_id="d", text="x", start=0, end=1,
                  start_line=1, end_line=1)  # fmt: skip
    hit = ScoredChunk(chunk, 1.0, None, None, None, None)
    return Candidate(hit, 0, 0, 1, (0.0,) * len(UNIT_FEATURES), frozenset(terms))


def lacks(question_terms: list[str], best_terms: set[str]) -> float:
    q = Question(
        terms=question_terms,
        entities=[],
        synonyms={},
        years=(),
        municipality=None,
        wants=None,
        specificity={t: STATS.specificity(t) for t in question_terms},
    )
    x = question_features(q, [candidate(best_terms), candidate(set())], [0.9, 0.1], set())
    return x[QUESTION_FEATURES.index("best_unit_lacks")]


def test_the_most_specific_term_the_best_unit_lacks_is_measured_by_its_idf():
    assert lacks([VANORT, ROROS], {VANORT, ROROS}) == 0.0
    common = lacks([VANORT, ROROS], {ROROS})  # in two of the three passages
    rare = lacks([VANORT, ROROS], {VANORT})  # in one
    absent = lacks([VANORT, ROROS, "tanzania"], {VANORT, ROROS})  # in none
    assert 0 < common < rare < absent == 1.0  # a term no passage has weighs most


def test_a_comparison_is_two_years_that_documents_are_of():
    def compares(years: tuple[int, ...]) -> float:
        q = Question(terms=[VANORT], entities=[], synonyms={}, years=years,
                     municipality=None, wants=None)  # fmt: skip
        x = question_features(q, [candidate({VANORT})], [0.9], {2020, 2023})
        return x[QUESTION_FEATURES.index("compares_years")]

    assert compares((2020, 2023)) == 1.0
    assert compares((2023,)) == 0.0
    assert compares((2021, 2023)) == 0.0  # 2021 is no document's: an unknown year, not two


def test_a_term_only_the_best_units_heading_carries_is_lacking_in_the_unit_not_its_passage():
    text = "Bidraget är 25 000 kronor per år."
    meta = DocumentMeta(doc_id="d", title="Plan", municipality="Falu kommun", doc_type="plan",
                        file="d.txt")  # fmt: skip
    doc = Document(meta=meta, text=text, raw_text=text, content_hash="x")
    chunk = Chunk(chunk_id="d:1", doc_id="d", text=text, start=0, end=len(text), start_line=1,
                  end_line=1, section=("Samarbete med Röros",))  # fmt: skip
    hit = ScoredChunk(chunk, 1.0, None, None, None, None)
    terms = tokenize("bidrag röros")
    q = Question(terms=terms, entities=[], synonyms={}, years=(), municipality=None, wants=None,
                 specificity={t: STATS.specificity(t) for t in terms})  # fmt: skip
    units = candidates(q, [hit], {"d": doc}, STATS, "Falu kommun")
    x = question_features(q, units, [0.9] * len(units), set())
    assert x[QUESTION_FEATURES.index("best_unit_lacks")] > 0  # the sentence lacks the name
    assert x[QUESTION_FEATURES.index("best_passage_lacks")] == 0.0  # its heading has it


def test_a_question_term_names_a_document_by_a_word_of_its_name_or_a_compounds_last_part():
    from service.answer.features import names_document

    naming = set(tokenize("Internationella rådets verksamhetsplan 2023 Falu kommun"))
    assert names_document(tokenize("planen")[0], naming, {})  # "the 2023 plan"
    assert names_document(tokenize("verksamhetsplanen")[0], naming, {})
    assert names_document(tokenize("rådet")[0], naming, {})
    # too short a last part, or a word not in the name, names nothing
    assert not names_document("lan", naming, {})
    assert not names_document(tokenize("budgeten")[0], naming, {})
