import itertools

from hypothesis import given
from hypothesis import strategies as st

from lang import collapse_whitespace, list_around, split_units, unit_spans


def texts(spans, text):
    return [text[a:b] for a, b in spans]


def test_sentences_split_at_full_stops_and_keep_exact_spans():
    text = "Internationell koordinator är Karin Perérs.\n\nTill gruppen kan knytas politiker."
    units = texts(split_units(text), text)
    assert units == [
        "Internationell koordinator är Karin Perérs.",
        "Till gruppen kan knytas politiker.",
    ]


def test_wrapped_lines_continue_a_sentence():
    text = (
        "Strategin är vägledande för kommunens arbete att bidra till \n\nuppfyllandet av visionen."
    )
    assert len(split_units(text)) == 1


def test_a_line_the_page_wrapped_before_a_capital_continues_its_sentence():
    text = (
        "Samarbeten\n\nInternationella frågor organiseras via regionen och samverkansparterna.\n\n"
        "Föreningen är en ideell förening vars medlemmar sedan länge är Region\n\n"
        "Norrby, Region Söderby och Region Västerby län. Den bidrar till strategierna."
    )
    units = texts(split_units(text), text)
    assert units[0] == "Samarbeten"  # a short heading still stands apart
    assert units[2].startswith("Föreningen") and units[2].endswith("Västerby län.")
    assert units[3] == "Den bidrar till strategierna."


def test_a_full_width_line_before_a_bulleted_item_is_not_wrapped_into_it():
    text = (
        "• Utveckla det nordiska samarbetet och samarbetet inom hela unionen\n"
        "• Skapa nyttor för kommunen och samarbetande partners genom olika projekt"
    )
    assert len(split_units(text)) == 2


def test_an_item_number_ends_no_sentence_so_a_numbered_list_stays_with_its_intro():
    text = (
        "Syftet med arbetet är att: \n\n \n\n1. Utveckla samarbetet inom unionen \n"
        "2. Skapa nyttor genom projekt \n3. Inneha kännedom om fonderna\n\n"
        "Detta gäller från 2. Sedan följer planen."
    )
    units = texts(split_units(text), text)
    assert units[0].startswith("Syftet") and units[0].endswith("kännedom om fonderna")
    assert units[1:] == ["Detta gäller från 2.", "Sedan följer planen."]


def test_list_intro_is_joined_with_its_items_but_not_the_next_sentence():
    text = (
        "Internationella rådet består av:\n\nCatharina Enhörning (M), ordförande\n\n"
        "Jan E Fors (M)\n\nInternationell koordinator är Karin Perérs."
    )
    units = texts(split_units(text), text)
    assert units[0].startswith("Internationella rådet består av:") and units[0].endswith(
        "Jan E Fors (M)"
    )
    assert units[1] == "Internationell koordinator är Karin Perérs."


def test_an_intro_without_a_colon_is_joined_with_the_short_lines_under_it():
    text = (
        "Arbetet har fokus på att verka inom kultur och miljö genom\n\n"
        "Vänortssamarbeten\n\nKommunala partnerskap\n\nElevutbyten"
    )
    assert texts(split_units(text), text) == [text]


def test_a_finished_sentence_is_not_joined_with_the_lines_after_it():
    text = "Arbetet har fokus på kultur.\n\nVänortssamarbeten\n\nElevutbyten"
    units = texts(split_units(text), text)
    assert units[0] == "Arbetet har fokus på kultur."
    assert "Vänortssamarbeten" in units[1] and "Elevutbyten" in units[-1]


def test_bullet_glyphs_are_not_part_of_the_quote():
    text = "- Elevutbyten\n• Kultur\ne Amnesspecifika projekt\n¢ Inneha kunskap om EU."
    assert texts(split_units(text), text) == [
        "Elevutbyten",
        "Kultur",
        "Amnesspecifika projekt",
        "Inneha kunskap om EU.",
    ]


@given(st.text(alphabet="abcåäö ABC.\n:-•1", max_size=300))
def test_units_are_ordered_non_overlapping_substrings(text):
    spans = split_units(text)
    for (a, b), (c, _) in itertools.pairwise(spans):
        assert a < b <= c
    for a, b in spans:
        assert 0 <= a < b <= len(text)
        assert text[a:b] == text[a:b].strip()


def test_collapse_whitespace():
    assert collapse_whitespace(" a \n\n b\tc ") == "a b c"


@given(
    st.text(alphabet="abc ABÅ.:\n-•e¢o|1", max_size=120),
    st.integers(0, 10),
    st.booleans(),
)
def test_unit_spans_stay_inside_their_chunk_in_order(text, start, is_list):
    start = min(start, len(text))
    last = start
    for span in unit_spans(text, start, len(text), is_list):
        assert last <= span.start < span.end <= len(text)
        assert text[span.start : span.end] == text[span.start : span.end].strip()
        last = span.end


LISTED = (
    "Målen godkänns av styrelsen.\n\n"
    "- Mål 1: Besluta om en strategi\n"
    "- Mål 2: Utveckla samarbetet med\n  vänorterna i Norden\n\n"
    "- Mål 3: Ta emot besök\n\n"
    "I synnerhet prioriteras kultur."
)


def test_a_list_item_is_found_inside_its_whole_list_from_the_first_items_words():
    item = LISTED.index("Mål 3")
    whole = list_around(LISTED, item, item + 5)
    assert LISTED[whole.start : whole.end] == (
        "Mål 1: Besluta om en strategi\n"
        "- Mål 2: Utveckla samarbetet med\n  vänorterna i Norden\n\n"
        "- Mål 3: Ta emot besök"
    )
    assert list_around(LISTED, LISTED.index("Mål 1"), LISTED.index("Mål 1") + 3) == whole


def test_a_sentence_outside_a_list_is_no_list_item():
    assert list_around(LISTED, 0, 10) is None
    last = LISTED.index("I synnerhet")
    assert list_around(LISTED, last, last + 5) is None


def test_a_page_wrapped_item_stays_in_its_list_across_a_blank_line():
    text = "Syftet är att:\n\n1. Utveckla samarbetet och öka\n\nmedvetenheten om världen\n2. Stärka varumärket\n\nNästa stycke."
    wrapped = text.index("medvetenheten")
    whole = list_around(text, wrapped, wrapped + 5)
    assert text[whole.start : whole.end].startswith("1. Utveckla samarbetet")  # its number kept
    assert text[whole.start : whole.end].endswith("Stärka varumärket")
