"""Reading a staff question: language, abbreviations, named municipality and year.

The abbreviations, synonyms and English glossary are corpus knowledge: they come from the
`Lexicon` the service builds from `corpus/lexicon/` and the documents (service.lexicon).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from lang import (
    FOLDED_STOPWORDS,
    MONEY_UNITS,
    SWEDISH_STOPWORDS,
    amounts,
    find_words,
    find_years,
    tokenize,
)
from service.answer.evidence import question_entities
from service.answer.parts import asked_sentences
from service.english import english_stopwords
from service.lexicon import Lexicon

_ENGLISH_MARKERS = frozenset(
    [
        "the",
        "what",
        "who",
        "which",
        "when",
        "where",
        "how",
        "does",
        "do",
        "is",
        "are",
        "was",
        "were",
        "of",
        "in",
        "for",
        "and",
        "to",
        "with",
        "our",
        "has",
        "have",
        "can",
        "should",
    ]
)
ENGLISH_FUNCTION_WORDS = _ENGLISH_MARKERS | frozenset(
    ["a", "an", "on", "at", "by", "from", "it", "its", "they", "their", "this", "that", "be"]
)
_SWEDISH_MARKERS = frozenset(
    [
        "vad",
        "vem",
        "vilka",
        "vilken",
        "när",
        "var",
        "hur",
        "är",
        "och",
        "att",
        "det",
        "som",
        "för",
        "med",
        "har",
        "kan",
        "ska",
        "skall",
        "en",
        "ett",
    ]
)


@dataclass(frozen=True)
class QueryPlan:
    """What the service needs to know about a question before retrieving."""

    text: str
    language: str  # "sv" or "en"
    lexical_extra: str = ""
    municipality: str | None = None  # municipality the question names, if any
    # the municipalities a question compares, when it names two or more (then `municipality`
    # is None: each one's documents are retrieved, and quoted, side by side)
    compared: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    expansions: tuple[str, ...] = field(default_factory=tuple)
    # the question without the named municipality, which retrieval applies as a filter
    lexical_text: str = ""
    # what the dense side embeds: the sentences that ask, without the greeting or the
    # asker's situation (which the lexical side keeps), nor the named municipality (a
    # filter: left in, it draws its documents' generic passages, "Falköpings kommun ska …")
    dense_text: str = ""
    # an English question's dense_text with its words in Swedish where the glossary has
    # them, embedded beside it ("" for a Swedish question)
    gloss: str = ""


_SWEDISH_LETTERS = frozenset("åäö")


@cache
def _language_markers() -> tuple[frozenset[str], frozenset[str]]:
    """English and Swedish function words: the lists above and the published stopword lists
    (NLTK's English, Snowball's Swedish, also as typed without å, ä, ö: "for", "nar"), less
    the words both languages have ("i", "under", "for")."""
    english = english_stopwords()
    swedish = SWEDISH_STOPWORDS | FOLDED_STOPWORDS
    return (
        _ENGLISH_MARKERS | (english - swedish),
        _SWEDISH_MARKERS | (swedish - english),
    )


def detect_language(text: str) -> str:
    """'en' when the question reads as English, else 'sv' (the default for short input)."""
    typed = find_words(text, "table")
    words = [w.lower() for w in typed]
    english, swedish = _language_markers()
    en = sum(w in english for w in words)
    sv = sum(w in swedish for w in words)
    # a word spelled with å, ä or ö is Swedish, unless it is a name: an English question
    # names Falköping or Röros as they are spelled
    sv += sum(bool(_SWEDISH_LETTERS & set(w)) for w in typed if not w[:1].isupper())
    return "en" if en > sv and en >= 1 else "sv"


def expand_abbreviations(text: str, lexicon: Lexicon) -> list[str]:
    """Expansions of abbreviations in `text`, and abbreviations of spelled-out names."""
    lowered = text.lower()
    words = {w.lower() for w in find_words(text, "table")}
    extra: list[str] = []
    for abbr, entry in lexicon.abbreviations.items():
        if abbr in words or (entry.inflected and abbr in lowered):  # "EU-fonderna"
            extra.extend(entry.expansions)
        elif any(e.lower() in lowered for e in entry.expansions):
            extra.append(abbr.upper())
    return list(dict.fromkeys(extra))


def synonyms_of(text: str, lexicon: Lexicon) -> list[str]:
    """Domain synonyms of the words of a question."""
    words = [w.lower() for w in find_words(text, "table")]
    return list(dict.fromkeys(s for w in words for s in lexicon.synonyms.get(w, ())))


def term_alternatives(text: str, lexicon: Lexicon) -> dict[str, list[str]]:
    """For each question stem, the stems of its one-word synonyms and abbreviation expansions."""
    alternatives: dict[str, list[str]] = {}
    for word in (w.lower() for w in find_words(text, "table")):
        abbreviation = lexicon.abbreviations.get(word)
        expansions = abbreviation.expansions if abbreviation else ()
        forms = [word, *(lexicon.lemmas(word) if lexicon.lemmas else ())]
        thesaurus = [s for form in dict.fromkeys(forms) for s in lexicon.thesaurus.get(form, ())]
        related = [*lexicon.synonyms.get(word, ()), *thesaurus, *expansions]
        stems = [t for r in related if " " not in r for t in tokenize(r)]
        for term in tokenize(word):
            if stems:
                alternatives.setdefault(term, []).extend(stems)
    return alternatives


def swedish_gloss(text: str, lexicon: Lexicon) -> str:
    """The text word by word, each English word the glossary knows replaced by its Swedish
    words ("How is work financed" → "How is arbeta verka arbete finansieras")."""
    return " ".join(lexicon.in_swedish(w.lower()) or w for w in find_words(text, "table"))


def translate_english(text: str, lexicon: Lexicon) -> list[str]:
    """Swedish domain words for the English words of a question (lexical search only)."""
    found = (lexicon.in_swedish(w.lower()) for w in find_words(text, "table"))
    return list(dict.fromkeys(s for s in found if s))


def _municipality_pattern(municipality: str) -> re.Pattern[str]:
    """ "Falu kommun" is named "Falun", "Falu", "Faluns", "Falu kommun(s)" in questions."""
    stem = municipality.lower().removesuffix(" kommun").removesuffix("s")
    return re.compile(rf"\b{re.escape(stem)}(?:n|s|ns)?(?:\s+kommuns?)?\b", re.IGNORECASE)


def named_municipalities(text: str, municipalities: list[str]) -> tuple[str, ...]:
    """The catalog municipalities the question names ("Falköping", "Falköpings kommun")."""
    return tuple(m for m in municipalities if _municipality_pattern(m).search(text))


def without_municipality(text: str, *municipalities: str | None) -> str:
    for municipality in municipalities:
        if municipality is not None:
            text = _municipality_pattern(municipality).sub(" ", text)
    return text


def plan_query(text: str, municipalities: list[str], lexicon: Lexicon) -> QueryPlan:
    language = detect_language(text)
    expansions = expand_abbreviations(text, lexicon) + synonyms_of(text, lexicon)
    if language == "en":
        expansions += translate_english(text, lexicon)
    named = named_municipalities(text, municipalities)
    years = asked_years(text, lexicon)
    lexical_text = without_municipality(text, *named)
    dense_text = asked_sentences(lexical_text)
    return QueryPlan(
        text=text,
        language=language,
        lexical_extra=" ".join(expansions),
        municipality=named[0] if len(named) == 1 else None,
        compared=named if len(named) > 1 else (),
        years=years,
        expansions=tuple(expansions),
        lexical_text=lexical_text,
        dense_text=dense_text,
        gloss=swedish_gloss(dense_text, lexicon) if language == "en" else "",
    )


def asked_years(text: str, lexicon: Lexicon) -> tuple[int, ...]:
    """The years a question names, but not a year in a name the documents use ("Agenda
    2030"): that question asks about the name, not about a plan of that year."""
    for word, year in lexicon.year_names:
        text = re.sub(rf"\b{re.escape(word)}\s+{year}\b", " ", text, flags=re.IGNORECASE)
    return tuple(sorted(set(find_years(text, standalone=True))))


def _names_a_year(sentence: str) -> bool:
    return bool(find_years(sentence, earliest=1800, standalone=True))


# What a "how much" answer states: an amount of money or a share.
_AMOUNT_UNITS = {**MONEY_UNITS, "%": 1}


def _names_an_amount(sentence: str) -> bool:
    return bool(amounts(sentence, units=_AMOUNT_UNITS, whole_unit=False))


_MONTHS = (
    "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december|"
    "january|february|march|may|june|july|august|october"
)
_DATE = re.compile(rf"\b\d{{1,2}}\s+(?:{_MONTHS})\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b", re.I)
_CONTACT = re.compile(r"@|\b\d{2,4}[- ]?\d{2,3}\s?\d{2}\s?\d{2}\b|\bwww\.|https?://")
# A count: a number that is not a year, or a number word from two up ("en"/"ett"/"one" are
# mostly articles, and every sentence has one)
_COUNT = re.compile(
    r"\b(?!(?:1[89]|20)\d\d\b)\d+\b|\b(?:två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|"
    r"båda|bägge|two|three|four|five|six|seven|eight|nine|ten|both)\b",
    re.I,
)
_FREQUENCY = re.compile(
    r"\b(?:varje|per|gång(?:er)?|årlig\w*|årsvis|månad\w*|vecka|veckor|kvartal\w*|"
    r"every|each|times|annual\w*|monthly|weekly)\b",
    re.I,
)


def is_list(unit: str) -> bool:
    """The unit is a lead-in with its list or a run of list lines."""
    return unit.count("\n") >= 2


def is_count(word: str) -> bool:
    """The word is a number, in digits or words ("sju", "seven", "580"), not a year."""
    return _COUNT.fullmatch(word) is not None


def _names_a_count(sentence: str) -> bool:
    """A count, or a list whose items can be counted."""
    return bool(_COUNT.search(sentence)) or is_list(sentence)


def _names_beyond(question: str) -> Callable[[str], bool]:
    """A test a sentence passes when it names something the question does not: a name or
    an acronym inside it (a person, a place, a body; `question_entities`), not a year."""
    own = set(tokenize(question))
    return lambda sentence: any(
        e not in own and not e.isdigit() for e in question_entities(sentence)
    )


def _always(test: Callable[[str], object]) -> Callable[[str], Callable[[str], object]]:
    """The same test whatever the question."""
    return lambda question: test


# What a question word asks for: the test a good answer sentence passes, made for the question.
_ANSWER_KINDS: list[tuple[re.Pattern[str], Callable[[str], Callable[[str], object]]]] = [
    (re.compile(r"\b(datum|vilken dag|what date|which date)\b", re.I), _always(_DATE.search)),
    (
        re.compile(r"\b(telefon\w*|mejl\w*|e-?post\w*|e-?mail\w*|phone\w*|adress\w*)\b", re.I),
        _always(_CONTACT.search),
    ),
    (re.compile(r"\b(hur ofta|how often)\b", re.I), _always(_FREQUENCY.search)),
    (re.compile(r"\b(hur många|how many)\b", re.I), _always(_names_a_count)),
    (re.compile(r"(?:^|[.!?]\s+)(när|vilket år|what year|when)\b", re.I), _always(_names_a_year)),
    (
        re.compile(r"\b(hur mycket|hur stor|kostar|how much)\b", re.I),
        _always(_names_an_amount),
    ),
    (
        # "vem" is often answered by a role or a body ("kommunstyrelsen"); a name is asked for,
        # of a person, a place or a body
        re.compile(r"\b(namn\w*|heter|name[sd]?|vilka personer)\b", re.I),
        _names_beyond,
    ),
]


# A question that asks what something is, and the verbs a sentence defines a thing with.
_ASKS_DEFINITION = re.compile(
    r"\b(?:vad (?:är|innebär|betyder|menas med|avses med|gör)|vad för (?:något|nåt)|"
    r"what (?:is|are|does)|what's)\b",
    re.I,
)
_DEFINES = re.compile(
    r"\b(?:är|var|innebär|betyder|avser|utgör|består|omfattar|syftar|"
    r"is|are|means|refers)\b",
    re.I,
)


# A question that asks for several things: a list is answered whole, not by its first item.
_ASKS_SEVERAL = re.compile(
    r"\b(?:vilka|räkna upp|lista|alla|samtliga|which|list|all|what are)\b", re.I
)


# A question that asks whether the documents say something ("Står det i policyn att …?",
# "Stämmer det att …?", "Does the plan say that …?"): the claim after the frame is what a
# quote must bear out, every detail of it. "Står det något om att …" asks for a topic, not
# a claim, and "What does X say …" for a content.
_CHECKS_CLAIM = re.compile(
    r"\b(?:står|stod|stämmer|sägs) det\b[^?.!]*?(?<!\bom )\batt\s+(?P<sv>[^?]+)"
    r"|\bär det (?:sant|korrekt|riktigt|så)\b[^?.!]*?\batt\s+(?P<sv2>[^?]+)"
    r"|(?:^|[.!?]\s+)(?:does|did|do)\b[^?.!]*?\b(?:say|state|mention|claim|write)s?\s+"
    r"(?:that\s+)?(?P<en>[^?]+)"
    r"|\bis it (?:true|correct|right|so)\s+(?:that\s+)?(?P<en2>[^?]+)",
    re.I,
)


def checked_claim(question: str) -> str:
    """The claim a question asks the documents to bear out, or "" when it asks no such
    thing."""
    found = _CHECKS_CLAIM.search(question)
    return next((g for g in found.groups() if g), "") if found else ""


def asks_several(question: str) -> bool:
    return bool(_ASKS_SEVERAL.search(question))


def asks_definition(question: str) -> bool:
    return bool(_ASKS_DEFINITION.search(question))


def defines(sentence: str, words: int = 12) -> bool:
    """A defining verb among the sentence's first words ("X är ett …", "X innebär …")."""
    return bool(_DEFINES.search(" ".join(sentence.split()[:words])))


def answer_kind(question: str) -> Callable[[str], object] | None:
    """What a good answer to the question looks like: a year, an amount, a name it does not
    already say."""
    for asks, test_for in _ANSWER_KINDS:
        if asks.search(question):
            return test_for(question)
    return None


def short_names(municipality: str) -> list[str]:
    """How a question names a municipality without "kommun": "X kommun" → X, Xn, Xs, Xns
    (the forms `service.answer.query` recognises as naming it)."""
    stem = municipality.removesuffix(" kommun").removesuffix("s")
    return [stem + ending for ending in ("", "n", "s", "ns")]
