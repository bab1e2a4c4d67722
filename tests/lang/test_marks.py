import itertools

from hypothesis import given
from hypothesis import strategies as st

from lang import (
    DOCUMENT_CLOSERS,
    NEXT_IN_DOCUMENT,
    bullet_end,
    ends_sentence,
    ends_with_abbreviation,
    goal_end,
    is_numbered,
    ocr_bullet,
    sentence_breaks,
    starts_item,
)

_TEXT = st.text(alphabet='abc ABÅ.!?\n"”’)»[]12,;:', max_size=80)


def _spans(text, **style):
    cuts = [0, *(m.end() for m in sentence_breaks(text, **style)), len(text)]
    return list(itertools.pairwise(cuts))


def test_breaks_of_a_passage_a_document_and_an_answer():
    text = "Första meningen. Andra (”citat”)! tredje? Fjärde."
    assert [text[a:b] for a, b in _spans(text)] == [
        "Första meningen. ",
        "Andra (”citat”)! tredje? ",
        "Fjärde.",
    ]
    document = dict(closers=DOCUMENT_CLOSERS, many_closers=True, next_start=NEXT_IN_DOCUMENT)
    assert len(_spans("Ett.)” Två.", **document)) == 2
    answer = "Det är sant. [1] Och så vidare?! [2] slut"
    breaks = list(sentence_breaks(answer, next_start=None, cited=True))
    assert [answer[: m.end()] for m in breaks][-1] == "Det är sant. [1] Och så vidare?! [2] "


@given(_TEXT, st.sampled_from([{}, {"next_start": None, "cited": True}]))
def test_breaks_are_in_order_inside_the_text(text, style):
    last = 0
    for m in sentence_breaks(text, **style):
        assert last <= m.start() < m.end() <= len(text)
        assert text[m.start() - 1] in ".!?"
        last = m.end()


def test_abbreviations_end_no_sentence():
    assert ends_with_abbreviation("se t.ex.") and ends_with_abbreviation("Jan E.")
    assert not ends_with_abbreviation("vänorter.")


@given(_TEXT)
def test_ends_sentence_ignores_trailing_space_and_closers(text):
    assert ends_sentence(text) == ends_sentence(text.rstrip() + "”) \n")
    assert ends_sentence(text, closers="") == ends_sentence(text + "  ", closers="")


def test_ends_sentence_marks():
    assert ends_sentence("Mål:") and ends_sentence("klart.)")
    assert not ends_sentence("klart.)", closers="") and not ends_sentence("och", closers="")
    assert not ends_sentence("slut;", marks=".!?:")


def test_bullets_by_kind():
    assert bullet_end("  • Punkt", "document") == 4
    assert bullet_end("e Punkt", "document") == 2 and bullet_end("e punkt", "document") == 0
    assert bullet_end("¢ Punkt", "passage") == 2
    assert bullet_end("- Punkt", "line") == 2 and bullet_end("Punkt", "line") == 0
    assert ocr_bullet("  ¢ Punkt").groups() == ("  ", " ", "P")
    assert starts_item("- punkt") and starts_item("Punkt") and not starts_item("punkt")
    assert is_numbered("2) x", "document") and is_numbered("Mål 3: x", "passage")


def test_goal_labels():
    assert goal_end("Delmål 12. Text", "document") == 10
    assert goal_end("MAL 3: text", "document") == 6 and goal_end("MAL 3: text", "passage") == 0
    assert goal_end("Mål 3 : text", "passage") == 7 and goal_end("Se Mål 3:", "passage") == 0
