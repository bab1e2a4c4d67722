from service.answer.query import (
    answer_kind,
    asks_several,
    checked_claim,
    detect_language,
    expand_abbreviations,
    named_municipalities,
    plan_query,
)

MUNICIPALITIES = ["Falköpings kommun", "Falu kommun"]


def test_swedish_and_english_questions_are_told_apart():
    assert detect_language("Vilken vänort har Falun i Finland?") == "sv"
    assert detect_language("Vem är koordinator") == "sv"
    assert detect_language("Which twin town does Falun have in Finland?") == "en"
    assert detect_language("Who is the international coordinator?") == "en"
    # a Swedish name does not make a question Swedish; a Swedish word does
    assert detect_language("How is international work financed in Falköping?") == "en"
    assert detect_language("Is Röros one of Falun's twin towns?") == "en"
    assert detect_language("Hur är det finansierat i Falköping?") == "sv"
    assert detect_language("Vad är Röros?") == "sv"
    # the published stopword lists count too: a follow-up of function words only
    assert detect_language("Why that one?") == "en"
    assert detect_language("Och varför den?") == "sv"
    # Swedish typed without å, ä, ö ("för" as "for") stays Swedish
    assert detect_language("ska falun medverka i natverk enligt planen for 2023?") == "sv"


def test_abbreviations_expand_both_ways(lexicon):
    assert "kommunstyrelsen" in expand_abbreviations("Vad beslutar KS?", lexicon)
    assert "KS" in expand_abbreviations("Vad beslutar kommunstyrelsen?", lexicon)
    assert "Sveriges Kommuner och Regioner" in expand_abbreviations("Vad gör SKR?", lexicon)
    assert "ICLD" in expand_abbreviations("Internationellt Centrum för Lokal Demokrati", lexicon)
    assert any("fonder" in e for e in expand_abbreviations("Hur söker man EU-fonder?", lexicon))


def test_named_municipality_is_recognised_in_its_inflections():
    assert named_municipalities("Vad ska Falköpings kommun bevaka?", MUNICIPALITIES) == (
        "Falköpings kommun",
    )
    assert named_municipalities("Vad är Faluns skattesats?", MUNICIPALITIES) == ("Falu kommun",)
    assert named_municipalities("Vem är koordinator?", MUNICIPALITIES) == ()


def test_a_question_naming_two_municipalities_compares_them_without_a_filter(lexicon):
    plan = plan_query(
        "Hur följs arbetet upp i Falun respektive Falköping?", MUNICIPALITIES, lexicon
    )
    assert plan.municipality is None
    assert plan.compared == ("Falköpings kommun", "Falu kommun")
    assert "Falun" not in plan.lexical_text and "Falköping" not in plan.lexical_text
    alone = plan_query("Hur följs arbetet upp i Falköping?", MUNICIPALITIES, lexicon)
    assert (alone.municipality, alone.compared) == ("Falköpings kommun", ())


def test_plan_collects_years_and_english_glossary_terms(lexicon):
    plan = plan_query("How has the budget changed between 2020 and 2023?", MUNICIPALITIES, lexicon)
    assert plan.language == "en"
    assert plan.years == (2020, 2023)
    assert "budget" in plan.lexical_extra
    sv = plan_query("Vem är ordförande i KS?", MUNICIPALITIES, lexicon)
    assert sv.language == "sv" and "kommunstyrelsen" in sv.lexical_extra


def test_a_question_for_several_things_is_told_from_one_for_a_single_thing():
    assert asks_several("Vilka vänorter har kommunen?")
    assert asks_several("Räkna upp aktiviteterna under Norden")
    assert asks_several("Which twin towns does the town have?")
    assert not asks_several("Vem är koordinator?")
    assert not asks_several("What is the budget for 2023?")


def test_an_english_question_is_glossed_in_swedish_for_the_dense_side(lexicon):
    english = plan_query("Who chairs the council in Falköping?", MUNICIPALITIES, lexicon)
    assert english.language == "en"
    assert "ordförande" in english.gloss and "rådet" in english.gloss
    assert "Falköping" not in english.gloss  # the named municipality is a filter
    assert plan_query("Vem är ordförande i rådet?", MUNICIPALITIES, lexicon).gloss == ""


def test_the_dense_side_embeds_what_is_asked(lexicon):
    message = "Hej! Jag är nyvald i rådet. Vem samordnar arbetet i Falköping? Tack!"
    plan = plan_query(message, MUNICIPALITIES, lexicon)
    assert plan.dense_text.strip() == "Vem samordnar arbetet i  ?"
    assert "nyvald" in plan.lexical_text  # the lexical side keeps the asker's situation
    alone = plan_query("Vem samordnar arbetet", MUNICIPALITIES, lexicon)
    assert alone.dense_text == "Vem samordnar arbetet"  # nothing asks: the whole message


def test_a_question_asking_for_a_name_wants_one_it_does_not_already_say():
    town = answer_kind("Vad heter vänorten i Polen?")
    assert town("Grudziadz är vänort, liksom Gütersloh i Tyskland.")  # names beyond the question
    assert not town("Vänorten ligger i Polen.")  # only the question's own name
    assert not town("Budgeten för 2023 är 180 000 kr.")  # a year is no name
    person = answer_kind("What is the name of the coordinator?")
    assert person("Internationell koordinator: Karin Perérs.")
    assert not person("Koordinatorn är placerad på kommunstyrelsens utvecklingsavdelning.")
    assert answer_kind("Vem leder rådet?") is None  # a role or a body answers "vem" too


def test_a_question_asking_how_many_wants_a_count_not_an_article_or_a_year():
    count = answer_kind("Hur många vänorter har kommunen?")
    assert count("Kommunen har sedan lång tid fyra vänorter.")
    assert count("Det finns 3 mål för arbetet.")
    assert count("Ledamöter:\nA (M)\nB (S)\nC (C)")  # a list's items can be counted
    assert not count("Kommunen har en vänort i Norge och ett avtal.")  # articles, not counts
    assert not count("Planen för 2023 antogs i januari.")  # a year is no count


def test_a_question_asking_when_wants_a_year_also_after_a_greeting():
    when = answer_kind("Hej, jag skriver en motion. När antogs strategin?")
    assert when is not None and when("Strategin antogs 2019.") and not when("Strategin antogs.")
    assert answer_kind("Vad gäller när vi reser?") is None  # "när" inside a sentence asks no time


def test_a_question_checking_what_the_documents_say_gives_the_claim_to_check():
    assert checked_claim("Står det i strategin att Falun har fem vänorter?") == (
        "Falun har fem vänorter"
    )
    assert checked_claim("Hej! Stämmer det att rådets budget sänktes 2023?") == (
        "rådets budget sänktes 2023"
    )
    assert checked_claim("Does the policy say that boards pay for it?") == "boards pay for it"
    assert checked_claim("Is it true that the plan is for one year?") == "the plan is for one year"
    # a topic, or what something says, is no claim
    assert checked_claim("Står det något i strategin om att medarbetare reser?") == ""
    assert checked_claim("What does the 2023 plan say about Hamina?") == ""
    assert checked_claim("Vad säger strategin om vänorter?") == ""
