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
    claim_lacks,
    question_features,
)
from service.answer.query import plan_query

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


def claim_lacking(claim: str, sentences: list[str], year: int | None = None) -> float:
    """`claim_lacks` of a claim check against a passage of these sentences."""
    text = " ".join(sentences)
    meta = DocumentMeta(doc_id="d", title="Strategi", municipality="Falu kommun",
                        doc_type="strategi", file="d.txt", year=year)  # fmt: skip
    doc = Document(meta=meta, text=text, raw_text=text, content_hash="x")
    chunk = Chunk(chunk_id="d:1", doc_id="d", text=text, start=0, end=len(text), start_line=1,
                  end_line=1)  # fmt: skip
    hit = ScoredChunk(chunk, 1.0, None, None, None, None)
    terms = tokenize(claim)
    years = tuple(int(t) for t in terms if t.isdigit() and len(t) == 4)
    terms = [t for t in terms if str(t) not in {str(y) for y in years}]
    q = Question(terms=terms, entities=[], synonyms={}, years=years, municipality=None,
                 wants=None, specificity={t: STATS.specificity(t) for t in terms},
                 claim_terms=tuple((t,) for t in terms), claim_years=years)  # fmt: skip
    units = candidates(q, [hit], {"d": doc}, STATS, "Falu kommun")
    x = question_features(q, units, [0.5] * len(units), set())
    return x[QUESTION_FEATURES.index("claim_lacks")]


def test_a_claim_borne_out_by_one_sentence_lacks_nothing():
    said = ["Budgeten beslutas av rådet.", "Falun har fyra vänorter i Norden och Europa."]
    assert claim_lacking("Falun har fyra vänorter", said) == 0.0
    # one detail changed: no sentence bears out the whole claim
    assert claim_lacking("Falun har fem vänorter", said) > 0
    # each detail is somewhere in the passage, but not in one sentence (nor in two in a row,
    # which are offered joined too)
    apart = [*reversed(said), "Budgeten är 180 000 kronor."]
    assert claim_lacking("rådet har fyra vänorter", [apart[0], apart[2], apart[1]]) > 0


def test_a_claimed_year_is_borne_out_by_the_sentence_or_its_documents_year():
    said = ["Rådet har fyra ledamöter."]
    assert claim_lacking("rådet har fyra ledamöter 2023", said, year=2023) == 0.0
    assert claim_lacking("rådet har fyra ledamöter 2020", said, year=2023) > 0


def test_a_detail_is_borne_out_by_any_of_its_alternatives_or_a_hyphenated_terms_parts():
    said = ["Projektet drivs av ICLD tillsammans med Röros."]
    assert claim_lacking("ICLD-projektet drivs med Röros", said) == 0.0
    q = Question(terms=["samarbet"], entities=[], synonyms={}, years=(), municipality=None,
                 wants=None, claim_terms=(("samarbet", ROROS),))  # fmt: skip
    chunk = Chunk(chunk_id="d:1", doc_id="d", text=said[0], start=0, end=len(said[0]),
                  start_line=1, end_line=1)  # fmt: skip
    hit = ScoredChunk(chunk, 1.0, None, None, None, None)
    unit = Candidate(hit, 0, 0, len(said[0]), (0.0,) * len(UNIT_FEATURES), frozenset())
    assert claim_lacks(q, unit) == 0.0  # "röros" stands in for the word


def test_a_question_checking_no_claim_has_no_claim_feature():
    q = Question(terms=[VANORT], entities=[], synonyms={}, years=(), municipality=None,
                 wants=None)  # fmt: skip
    x = question_features(q, [candidate(set())], [0.9], set())
    assert not q.checks_claim
    assert x[QUESTION_FEATURES.index("claim_lacks")] == 0.0


def test_a_claims_details_are_its_words_the_documents_have_or_its_names_and_numbers(corpus):
    def details(question: str) -> set[str]:
        answerer = corpus.answerer
        plan = plan_query(question, answerer.municipalities(), answerer.lexicon)
        q = answerer.question(plan)
        return {t for alternatives in q.claim_terms for t in alternatives}

    said = details("Står det i strategin att Falun precis har sju vänorter i Värmland?")
    assert set(tokenize("vänorter sju värmland")) <= said  # a number, a name: changed details
    assert not said & set(tokenize("strategin precis"))  # a document's name; no document's word
    assert corpus.answerer.stats.df.get(tokenize("precis")[0]) is None
    assert details("Vilka vänorter har Falun?") == set()  # no claim to check


def test_an_english_claims_name_or_number_no_document_has_is_a_detail(corpus):
    answerer = corpus.answerer
    question = "Does the plan say that the council's budget is 250 000 kr in Falun?"
    plan = plan_query(question, answerer.municipalities(), answerer.lexicon)
    said = {t for alternatives in answerer.question(plan).claim_terms for t in alternatives}
    assert "250" in said and "250" not in answerer.stats.df
    assert not said & set(tokenize("Falun plan"))  # whose documents, and which
    dated = plan_query(f"{question[:-1]} for 2021?", answerer.municipalities(), answerer.lexicon)
    claim = answerer.question(dated)
    assert claim.claim_years == (2021,)  # a year is checked apart, not also as a word
    assert "2021" not in {t for alternatives in claim.claim_terms for t in alternatives}
