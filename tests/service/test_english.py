"""FreeDict's English–Swedish entries, kept to the words the documents use."""

import gzip

from lang import vocabulary, word_tokens
from service.english import english_stopwords, english_to_swedish, read_freedict

ENTRIES = """00databaseshort
FreeDict English-Swedish
twins /twinz/
1. tvilling
2. tvillingar
budget /bʌdʒit/
budget, kalkyl
umbrella /ʌmbrelə/
paraply
Europe /juərəp/
Europa
"""


def test_entries_are_read_with_every_translation(tmp_path):
    path = tmp_path / "eng-swe.dict.dz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write(ENTRIES)
    entries = read_freedict(path)
    assert entries["twins"] == ["tvilling", "tvillingar"]
    assert entries["budget"] == ["budget", "kalkyl"]
    assert entries["europe"] == ["Europa"]  # a capitalised headword, looked up lower-cased
    words = vocabulary(["Rådets budget är 180 000 kr.", "Våra tvillingar."])
    kept = english_to_swedish(entries, words, word_tokens(words))
    # "tvilling" is a form of the documents' "tvillingar"; no paraply in the documents
    assert kept == {"twins": "tvilling tvillingar", "budget": "budget"}


def test_function_words_are_not_translated():
    # FreeDict lists country names under "the" ("the Ukraine"); translated, every English
    # question would search for them
    entries = {"the": ["Ukraina", "Nederländerna"], "in": ["mot", "för"], "twins": ["tvillingar"]}
    words = vocabulary(["Ukraina, Nederländerna, mot, för, tvillingar."])
    assert "the" in english_stopwords() and "twins" not in english_stopwords()
    kept = english_to_swedish(entries, words, word_tokens(words), english_stopwords())
    assert kept == {"twins": "tvillingar"}
    assert (
        english_to_swedish(entries, words, word_tokens(words))["the"] == "Ukraina Nederländerna"
    )  # no stop list


def test_a_base_form_is_kept_when_the_documents_inflect_it():
    # FreeDict gives "åtagande"; the documents write "åtaganden": one search token
    entries = {"commitment": ["åtagande", "förpliktelse"], "umbrella": ["paraply"]}
    words = vocabulary(["Kommunens internationella åtaganden ska främja fred."])
    assert "åtagande" not in words
    assert english_to_swedish(entries, words, word_tokens(words)) == {"commitment": "åtagande"}
