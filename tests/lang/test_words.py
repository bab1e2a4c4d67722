import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from lang import FOLDED_STOPWORDS, SWEDISH_STOPWORDS, find_words, fold, is_word, stem, tokenize

_SWEDISH = st.text(alphabet="abcdefghijklmnoprstuvyåäöéÅÄÖABC -.,:!?\n0123456789", max_size=60)
_PLAIN = {"å": "a", "ä": "a", "ö": "o", "é": "e", "Å": "A", "Ä": "A", "Ö": "O"}


def test_fold_strips_diacritics_and_case():
    assert fold("Vänortssamarbete ÖVER") == "vanortssamarbete over"
    assert fold("Vänort", casefold=False) == "Vanort"


@given(_SWEDISH)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)
    assert fold(fold(text, casefold=False), casefold=False) == fold(text, casefold=False)


@given(_SWEDISH)
def test_fold_leaves_no_combining_marks(text):
    decomposed = unicodedata.normalize("NFD", fold(text))
    assert not any(unicodedata.combining(ch) for ch in decomposed)


@given(_SWEDISH)
def test_tokenize_is_case_blind(text):
    assert tokenize(text.upper()) == tokenize(text.lower())


@given(_SWEDISH)
def test_tokens_are_folded_lower_case(text):
    for token in tokenize(text):
        assert token == fold(token)


def test_tokenize_stems_drops_stop_words_and_splits_hyphens():
    assert tokenize("Vilka vänorter har Falun?") == ["vanort", "falun"]
    assert tokenize("EU-fonder") == ["eu-fond", "eu", "fond"]
    assert tokenize("och det att") == []


def test_folded_stop_words_are_the_stop_words_folded():
    assert len(FOLDED_STOPWORDS) <= len(SWEDISH_STOPWORDS)
    assert "for" in FOLDED_STOPWORDS and "för" in SWEDISH_STOPWORDS


def test_stem_of_a_plural():
    assert stem("vänorter") == "vänort"


def test_word_kinds():
    assert find_words("EU-medel &r bra", "ocr") == ["EU", "medel", "&r", "bra"]
    assert find_words("ICLD:s och i17", "name") == ["ICLD:s", "och", "i17"]
    assert find_words("Erasmus+ och EU-fonder", "table") == ["Erasmus+", "och", "EU-fonder"]
    assert find_words("ett år 2023 i", "letters") == ["ett", "år"]
    assert is_word("l6pande", "glyphs") and not is_word("2023", "glyphs")


@given(_SWEDISH)
def test_tokenize_does_not_see_unicode_normal_forms(text):
    assert tokenize(unicodedata.normalize("NFD", text)) == tokenize(text)
