"""Swedish words: what a word is, case and diacritic folding, stop words, stemming, tokenizing."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Literal

import Stemmer

# Bump when `tokenize` changes: a saved BM25 index is only valid for the tokenizer that built it.
TOKENIZER_VERSION = "sv-1"

# The Snowball Swedish stop list. Content words that matter here ("mål", "år") are not on it,
# and numbers never are.
SWEDISH_STOPWORDS = frozenset(
    # One string split once reads like the published list; 114 one-word lines would not.
    """
    och det att i en jag hon som han på den med var sig för så till är men ett om hade de av
    icke mig du henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde
    något från ut när efter upp vi dem vara vad över än dig kan sina här ha mot alla under
    någon eller allt mycket sedan ju denna själv detta åt utan varit hur ingen mitt ni bli
    blev oss din dessa några deras blir mina samma vilken er sådan vår blivit dess inom
    mellan sådant varför varje vilka ditt vem vilket sitta sådana vart dina vars vårt våra
    ert era vilkas
    """.split()  # noqa: SIM905
)

WordKind = Literal["search", "ocr", "name", "table", "letters", "glyphs"]

# What one word is depends on what the caller does with it; each kind is named by that use.
_WORD: dict[WordKind, re.Pattern[str]] = {
    # index and query terms: a word with hyphenated parts ("eu-fonder", "covid-19")
    "search": re.compile(r"\w+(?:-\w+)*"),
    # OCR text: "&" and "@" are letters (OCR makes them of ä/ö: "&r", "er@vrats"); hyphens
    # and apostrophes split, so "EU-\nmedel" == "EU-medel"
    "ocr": re.compile(r"[\w@&]+"),
    # names and acronyms: starts with a letter ("ICLD:s", "SKR's") or digits then a letter ("i17")
    "name": re.compile(r"[^\W\d_][\w'’:-]*|\d+[^\W\d_]\w*"),
    # keys of word tables (abbreviations, synonyms, glossary): "erasmus+", "eu-fonder"
    "table": re.compile(r"[\w+\-]+"),
    # two or more Swedish letters, nothing else: words of clean text
    "letters": re.compile(r"[A-Za-zÅÄÖåäöé]{2,}"),
    # Latin letters and the glyphs OCR makes of letters (& @ | 1 6): a word repair may respell
    "glyphs": re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ&@|16]+"),
}


def word_matches(text: str, kind: WordKind) -> Iterator[re.Match[str]]:
    """The words of `text` of one kind, with their spans (the one word scanner)."""
    return _WORD[kind].finditer(text)


def find_words(text: str, kind: WordKind) -> list[str]:
    """The words of `text` of one kind, as written."""
    return _WORD[kind].findall(text)


def vocabulary(texts: Iterable[str]) -> set[str]:
    """The lower-cased words (letters only) of some texts: what a corpus can be said to use."""
    return {w.lower() for text in texts for w in find_words(text, "letters")}


def is_word(text: str, kind: WordKind) -> bool:
    """`text` is exactly one word of this kind."""
    return _WORD[kind].fullmatch(text) is not None


def fold(text: str, *, casefold: bool = True) -> str:
    """Text without diacritics (å→a, ä→a, ö→o, é→e), case folded unless told not to,
    so a spelling without them still matches."""
    if casefold:
        text = text.casefold()
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


FOLDED_STOPWORDS = frozenset(fold(w, casefold=False) for w in SWEDISH_STOPWORDS)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("swedish")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball Swedish stem of one lower-case word ("vänorter" → "vänort")."""
    return _stemmer().stemWord(word)


@lru_cache(maxsize=1)
def _english_stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def english_stem(word: str) -> str:
    """The Snowball English stem of one lower-case word ("municipalities" → "municip")."""
    return _english_stemmer().stemWord(word)


def _search_words(text: str) -> Iterable[str]:
    text = unicodedata.normalize("NFC", text).lower()
    for match in word_matches(text, "search"):
        word = match.group().strip("_")
        if not word:
            continue
        yield word
        if "-" in word:
            # "eu-fonder" is also "eu" + "fonder", so either spelling finds the other.
            yield from (part for part in word.split("-") if part)


def tokenize(text: str) -> list[str]:
    """The one Swedish tokenizer for passages and queries alike.

    NFC + lowercase, split on non-word characters (hyphenated words also yield their parts),
    drop stop words, Snowball-stem, then fold diacritics. Folding comes after stemming
    because the Swedish stemmer's suffix rules are written with å/ä/ö.
    """
    kept = [w for w in _search_words(text) if w not in SWEDISH_STOPWORDS]
    return [_stem_folded(w) for w in kept]


def word_tokens(words: Iterable[str]) -> set[str]:
    """The tokens of some words (a corpus's `vocabulary`): a dictionary's base form is used by
    the documents when its token is among them ("åtagande" for "åtaganden")."""
    return {t for word in words for t in tokenize(word)}


@lru_cache(maxsize=1 << 18)
def _stem_folded(word: str) -> str:
    """A word's token, remembered: an archive repeats its words, and stemming and folding
    every occurrence again made opening 100 000 chunks take 17 s."""
    return fold(stem(word), casefold=False)
