"""mythes-sv's synonyms, kept to the words the documents use, judge coverage only."""

from lang import tokenize, vocabulary, word_tokens
from service.answer.query import synonyms_of, term_alternatives
from service.lexicon import Lexicon
from service.thesaurus import corpus_synonyms, read_mythes, with_thesaurus

DAT = (
    "ISO-8859-1\npengar|1\n(subst)|medel|kosing|slantar\nskola|1\n(subst)|läroverk\n"
    "upphöra|1\n(verb)|avsluta|sluta\n"
)


def stems(texts: list[str]) -> set[str]:
    return word_tokens(vocabulary(texts))


def test_entries_are_read_and_kept_to_the_documents_words(tmp_path):
    path = tmp_path / "th_sv.dat"
    path.write_bytes(DAT.encode("latin-1"))
    entries = read_mythes(path)
    assert entries["pengar"] == ["medel", "kosing", "slantar"]
    kept = corpus_synonyms(entries, stems(["Projekten finansieras med externa medel."]))
    assert kept == {"pengar": ("medel",)}


def test_a_synonym_the_documents_use_in_another_form_is_kept():
    entries = {"upphöra": ["avsluta", "sluta"], "pengar": ["slantar"]}
    kept = corpus_synonyms(entries, stems(["2007 avslutade de samtliga vänortssamarbeten."]))
    assert kept == {"upphöra": ("avsluta",)}


def test_a_question_word_finds_the_synonyms_of_its_dictionary_form(monkeypatch, tmp_path):
    path = tmp_path / "th_sv.dat"
    path.write_bytes(DAT.encode("latin-1"))
    monkeypatch.setattr("service.thesaurus.MYTHES", path)
    words = stems(["2007 avslutade de samtliga vänortssamarbeten."])
    question = "När upphörde samarbetet?"
    as_written = with_thesaurus(Lexicon(), True, words)
    term = tokenize("upphörde")[0]
    assert term not in term_alternatives(question, as_written)
    lemmas = {"upphörde": ["upphöra"]}
    by_lemma = with_thesaurus(Lexicon(), True, words, lambda w: lemmas.get(w, []))
    assert tokenize("avsluta")[0] in term_alternatives(question, by_lemma)[term]


def test_thesaurus_synonyms_cover_terms_but_do_not_widen_the_search(monkeypatch, tmp_path):
    path = tmp_path / "th_sv.dat"
    path.write_bytes(DAT.encode("latin-1"))
    monkeypatch.setattr("service.thesaurus.MYTHES", path)
    words = stems(["Projekten finansieras med externa medel."])
    lexicon = with_thesaurus(Lexicon(), True, words)
    assert "medel" in term_alternatives("Vilka pengar finns?", lexicon)["peng"]
    assert synonyms_of("Vilka pengar finns?", lexicon) == []
    assert with_thesaurus(Lexicon(), False, {"medel"}).thesaurus == {}
