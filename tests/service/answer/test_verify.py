"""The citation verifier, with strings only: what a generated sentence may claim."""

from __future__ import annotations

from service.answer.labels import split_sentences
from service.answer.verify import names, numbers, verify

BUDGET = "Internationella rådets budget för 2023 är 177 tkr. Rådet sammanträder fyra gånger."
BUDGET_2020 = "Budgeten för det internationella arbetet är 180 000 kr år 2020."
TWINS = "Falu kommun har vänorter i Norden: Hamina, Finland och Gjøvik, Norge."
COORDINATOR = "Internationell koordinator är Karin Perérs på kommunledningskontoret."


def test_a_correct_sentence_is_kept() -> None:
    v = verify("Falun har Hamina i Finland som vänort [1].", [TWINS])
    assert v.removed == []
    assert v.used_labels == [1]
    assert v.cited
    assert v.text == "Falun har Hamina i Finland som vänort [1]."


def test_a_number_not_in_the_passage_is_removed() -> None:
    v = verify("Rådets budget för 2023 är 250 tkr [1]. Hamina är vänort [2].", [BUDGET, TWINS])
    assert [r.sentence for r in v.removed] == ["Rådets budget för 2023 är 250 tkr."]
    assert "250" in v.removed[0].reason
    assert v.used_labels == [2]


def test_a_number_must_be_in_the_cited_passage_not_just_any() -> None:
    v = verify("Budgeten för 2023 är 180 000 kr [1].", [BUDGET, BUDGET_2020])
    assert not v.cited
    assert v.removed[0].reason.startswith("talet 180000")
    assert "180" in verify("Budgeten är 180 tkr [1].", [BUDGET]).removed[0].reason


def test_swedish_thousand_separators_and_tkr_are_the_same_amount() -> None:
    assert numbers("180 000 kr") == {"180000"} == numbers("180\u00a0000 kr")
    assert numbers("180.000 kr") == {"180000"}
    assert "177000" in numbers("177 tkr")
    assert numbers("2,5 %") == {"2.5"}
    assert numbers("mellan 2022 och 2023") == {"2022", "2023"}
    for sentence in [
        "Budgeten är 180 000 kr [1].",
        "Budgeten är 180 tkr [1].",
        "Budgeten 2020 [1].",
    ]:
        assert verify(sentence, [BUDGET_2020]).cited, sentence
    assert verify("Rådets budget är 177 000 kronor [1].", [BUDGET]).cited


def test_a_label_that_was_not_retrieved_is_dropped() -> None:
    v = verify("Hamina är vänort [1][7]. Karin Perérs är koordinator [3].", [TWINS, COORDINATOR])
    assert v.dropped_labels == [3, 7]
    assert v.kept_sentences[0].labels == (1,)
    assert v.text == "Hamina är vänort [1]."
    assert v.removed[0].sentence == "Karin Perérs är koordinator."
    assert "inte hämtats" in v.removed[0].reason


def test_a_name_not_in_the_passage_is_removed() -> None:
    v = verify("Koordinator är Anna Svensson [1]. Vänorten heter Hamina [1].", [COORDINATOR])
    assert len(v.removed) == 2
    assert "Svensson" in v.removed[0].reason
    assert "Hamina" in v.removed[1].reason
    assert not v.cited


def test_names_are_matched_through_inflection_case_and_diacritics() -> None:
    text = (
        "Faluns vänort i Finland är Hamina [1]. Haminas vänort är Falu kommun [1]. "
        "Koordinatorn heter Karin Perers [2]."
    )
    v = verify(text, [TWINS, COORDINATOR])
    assert v.removed == [], v.removed
    assert v.used_labels == [1, 2]


def test_acronyms_count_as_names() -> None:
    assert names("Arbetet finansieras av ICLD:s program och SKR.") == ["ICLD", "SKR"]
    v = verify("Arbetet finansieras av MUCF [1].", ["Arbetet finansieras av ICLD."])
    assert not v.cited


def test_unsupported_unlabelled_claims_are_removed_but_short_framing_is_kept() -> None:
    v = verify(
        "Här är vad dokumenten säger. Falun har Hamina som vänort. Budgeten är 177 tkr [1].",
        [BUDGET],
    )
    assert [s.text for s in v.kept_sentences] == [
        "Här är vad dokumenten säger.",
        "Budgeten är 177 tkr.",
    ]
    assert v.removed[0].reason == "påstående utan stöd i någon källa"


def test_an_unlabelled_claim_gets_the_passage_that_carries_it() -> None:
    v = verify("Budgeten för 2023 är 177 tkr. Hamina i Finland är vänort.", [TWINS, BUDGET])
    assert [(s.text, s.labels) for s in v.kept_sentences] == [
        ("Budgeten för 2023 är 177 tkr.", (2,)),
        ("Hamina i Finland är vänort.", (1,)),
    ]
    assert v.text == "Budgeten för 2023 är 177 tkr. [2] Hamina i Finland är vänort. [1]"


def test_an_unlabelled_claim_sharing_few_words_with_every_passage_is_not_attributed() -> None:
    # 177 is in BUDGET, but most of the sentence's words are not
    v = verify("Kommunens simhall renoveras för 177 tkr under hösten.", [BUDGET])
    assert not v.cited and "stöd" in v.removed[0].reason


def test_framing_alone_is_nothing_verifiable() -> None:
    v = verify("Det här är en bra fråga.", [BUDGET])
    assert not v.cited


def test_a_cited_sentence_must_share_words_with_its_passage() -> None:
    v = verify("Kommunen bygger en ny simhall vid sjön [1].", [BUDGET])
    assert not v.cited
    assert v.removed[0].reason == "för lite gemensamt med källan"
    # an English answer over Swedish passages is checked on numbers and names only
    assert verify("The council meets four times [1].", [BUDGET], check_terms=False).cited


def test_labels_after_the_full_stop_stay_with_their_sentence() -> None:
    assert split_sentences("Hamina är vänort. [1] Budgeten är 177 tkr.[2]\n- Bl.a. ICLD [3]") == [
        "Hamina är vänort. [1]",
        "Budgeten är 177 tkr.[2]",
        "Bl.a. ICLD [3]",
    ]


def test_markdown_from_a_chat_model_is_ignored() -> None:
    v = verify("**Svar:** Vänorten i Finland är **Hamina** [1].", [TWINS])
    assert v.cited
    assert v.removed == []


def test_a_sentence_that_only_repeats_the_question_is_removed() -> None:
    question = "Vilken vänort har Falun i Finland?"
    v = verify("[1] Finland", [TWINS], question=question)
    assert not v.cited and v.removed[0].reason == "upprepar bara frågan"
    assert verify("[1] Hamina", [TWINS], question=question).cited


LISTED_TWINS = (
    "Falu kommun har sedan lång tid fyra vänorter:\n\nRöros, Norge\n\nHamina, Finland\n\n"
    "Gütersloh, Tyskland"
)
QUESTION = "Vilken vänort har Falun i Finland?"


def test_a_name_must_stand_with_what_the_question_asks_about() -> None:
    wrong = verify("Faluns vänort i Finland är Röros [1].", [LISTED_TWINS], question=QUESTION)
    assert not wrong.cited and "Röros" in wrong.removed[0].reason
    assert "Finland" in wrong.removed[0].reason
    right = verify("Faluns vänort i Finland är Hamina [1].", [LISTED_TWINS], question=QUESTION)
    assert right.cited, right.removed


def test_what_the_whole_passage_is_about_is_no_anchor() -> None:
    # "Falun" is the document's municipality: it binds every clause, so it pins nothing
    v = verify(
        "De fyra vänorterna till Falun är Röros och Hamina [1].",
        [LISTED_TWINS],
        question="Vilka vänorter har Falun?",
        backgrounds=["Internationell strategi Falu kommun"],
    )
    assert v.cited, v.removed
    # ... unless no background says so: then Röros and Hamina must stand with Falun
    assert not verify(
        "De fyra vänorterna till Falun är Röros och Hamina [1].",
        [LISTED_TWINS],
        question="Vilka vänorter har Falun?",
    ).cited


def test_a_bare_name_answer_is_bound_to_what_the_question_asks_about() -> None:
    about = ["Internationell strategi Falu kommun"]
    wrong = verify('[1] "Röros"', [LISTED_TWINS], question=QUESTION, backgrounds=about)
    assert not wrong.cited and "Finland" in wrong.removed[0].reason
    assert verify("[1] Hamina.", [LISTED_TWINS], question=QUESTION, backgrounds=about).cited
    bare = verify("Hamina [1]. Röros.", [LISTED_TWINS], question=QUESTION, backgrounds=about)
    assert [s.text for s in bare.kept_sentences] == ["Hamina."]  # "Röros." is no framing


def test_names_the_question_does_not_ask_about_are_not_bound() -> None:
    v = verify("Vänorterna är Röros och Gütersloh [1].", [LISTED_TWINS], question="Vilka vänorter?")
    assert v.cited, v.removed


def test_a_sentence_that_only_names_its_source_is_removed() -> None:
    about = [
        "Internationell strategi och programförklaring Falu kommun Organisation › Finansiering"
    ]
    for text in ("Falu kommun [1].", "«Internationell strategi» (Falu kommun) › Finansiering [1]"):
        # as in the service, the passage's text carries its title, place and section too
        v = verify(
            text, [f"{TWINS} {about[0]}"], question="Vem anlitas för stöd?", backgrounds=about
        )
        assert not v.cited and v.removed[0].reason == "nämner bara källan, inte vad den säger"
    assert verify(
        "Hamina är vänort [1].", [TWINS], question="Vilka vänorter?", backgrounds=about
    ).cited
