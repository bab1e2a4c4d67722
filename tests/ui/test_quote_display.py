"""The display form of a passage: lines joined, lists kept, footnotes and URLs tidied."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ui.quote_display import display_map, display_text, render_marked, short_url

WRAPPED = (
    "Falun har fem vänorter1 i Norden och samarbetar med dem i många frågor\n"
    "om skola, kultur och näringsliv.\n\nMinnesanteckningar anmäls. Rådets \n\n"
    "uppdrag är att leda."
)
MEMBERS = "Rådet består av\nJan E Fors (M), ordförande\nJonas Sallén (S)\nElisabeth Rooth (C)"


def test_wrapped_lines_and_a_broken_sentence_are_joined():
    assert display_text(WRAPPED) == (
        "Falun har fem vänorter i Norden och samarbetar med dem i många frågor "
        "om skola, kultur och näringsliv.\nMinnesanteckningar anmäls. Rådets uppdrag är att leda."
    )


def test_a_list_of_short_lines_keeps_its_lines():
    assert display_text(MEMBERS) == MEMBERS
    names = (
        "Jan E Fors (M), ordförande\n\nJonas Sallén Lennerthson (S)\nElisabeth Rooth Eriksson (C)"
    )
    assert display_text(names + "\n\nInternationell koordinator: Karin Perérs.").splitlines() == [
        "Jan E Fors (M), ordförande",
        "Jonas Sallén Lennerthson (S)",
        "Elisabeth Rooth Eriksson (C)",
        "Internationell koordinator: Karin Perérs.",
    ]
    assert (
        display_text("Mål:\n- Röros och\nHamina\n- Ukraina")
        == "Mål:\n- Röros och\nHamina\n- Ukraina"
    )
    # a sentence the page broke after a joining word, with a blank line, is one line
    assert display_text("en med Tyskland och \n\nPolen.") == "en med Tyskland och Polen."


def test_urls_show_as_their_site():
    assert short_url("https://www.falun.se/internationellt/vanorter.html") == "falun.se/…"
    assert display_text("se https://www.falun.se/a.html för mer") == "se falun.se/… för mer"
    assert short_url("www.falun.se") == "falun.se"


def test_a_quote_across_a_line_break_is_marked_as_one_piece():
    start = WRAPPED.index("samarbetar")
    end = WRAPPED.index("näringsliv") + len("näringsliv")
    html = render_marked(WRAPPED, [(start, end)])
    assert "<mark>samarbetar med dem i många frågor om skola, kultur och näringsliv</mark>" in html
    assert html.count("<mark>") == 1


def test_document_text_is_escaped():
    assert render_marked("a <b> c", [(2, 5)]) == "a <mark>&lt;b&gt;</mark> c"


@given(st.text(alphabet="ab1 \n-.åÅ:(", max_size=80))
def test_display_only_changes_whitespace_and_footnote_digits(text):
    out = display_map(text)
    assert len(out) == len(text)
    assert [c for c in "".join(out) if not c.isspace() and not c.isdigit()] == [
        c for c in text if not c.isspace() and not c.isdigit()
    ]
