"""Reading a staff question: language, abbreviations, named municipality and year."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lang import find_words, find_years, tokenize

# Common municipal abbreviations, expanded both ways for lexical search: a question with
# "KS" must find "Kommunstyrelsen" and a question with "kommunstyrelsen" must find "KS".
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "ks": ("kommunstyrelsen", "kommunstyrelse"),
    "kf": ("kommunfullmäktige",),
    "ksf": ("kommunstyrelseförvaltningen",),
    "skr": ("Sveriges Kommuner och Regioner",),
    "icld": ("Internationellt Centrum för Lokal Demokrati",),
    "mucf": ("Myndigheten för Ungdoms- och Civilsamhällesfrågor",),
    "sida": ("Styrelsen för internationellt utvecklingssamarbete",),
    "eu-fonder": ("EU-fonder", "strukturfonder", "fonder", "EU-medel"),
    "eu-medel": ("EU-medel", "EU-fonder", "fonder"),
    "esf": ("Europeiska socialfonden",),
    "amif": ("Asyl-, migrations- och integrationsfonden",),
    "erasmus": ("Erasmus+", "elevutbyten"),
    "tkr": ("tusen kronor",),
    "dnr": ("diarienummer",),
}

# Swedish words staff use for what the documents say otherwise. Used for lexical search and
# to decide whether a passage covers the question.
DOMAIN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "sammansättning": ("ledamöter", "medlemmar", "består"),
    "ledamöter": ("medlemmar", "ledamot"),
    "medlemmar": ("ledamöter",),
    "ordförande": ("ordf",),
    "budget": ("finansiella medel", "ekonomi"),
    "budgeten": ("finansiella medel", "ekonomi"),
    "pengar": ("medel", "budget", "finansiering"),
    "kostar": ("budget", "medel", "finansieras"),
    "bidrag": ("medel", "finansiering", "stöd"),
    "skola": ("elevutbyte", "skolans", "Erasmus+"),
    "skolor": ("elevutbyten", "skolans", "Erasmus+"),
    "söka": ("ansöka", "ansökan"),
    "vänstad": ("vänort",),
    "vänstäder": ("vänorter",),
    "systerstad": ("vänort",),
    "ansvarar": ("ansvarig", "ansvar"),
    "ansvarig": ("ansvarar", "ansvar"),
    "mål": ("verksamhetsmål", "målsättning"),
    "bistånd": ("solidaritetsarbete", "utvecklingsländer"),
}

# A small English-to-Swedish glossary of the domain, so an English question also finds
# its Swedish passages lexically (dense retrieval is multilingual on its own).
ENGLISH_GLOSSARY: dict[str, str] = {
    "twin": "vänort",
    "twinning": "vänortssamarbete",
    "sister": "vänort",
    "town": "vänort",
    "towns": "vänorter",
    "city": "vänort",
    "council": "rådet",
    "international": "internationell",
    "coordinator": "koordinator",
    "budget": "budget",
    "goal": "mål",
    "goals": "mål",
    "aim": "mål",
    "policy": "policy",
    "strategy": "strategi",
    "plan": "plan",
    "action": "handlingsplan",
    "members": "ledamöter medlemmar",
    "member": "ledamot",
    "chair": "ordförande",
    "chairman": "ordförande",
    "chairs": "ordförande",
    "school": "skola elevutbyte",
    "schools": "skola elevutbyten",
    "student": "elev",
    "exchange": "utbyte",
    "exchanges": "utbyten",
    "funding": "finansiering",
    "financed": "finansieras",
    "funded": "finansieras",
    "funds": "fonder medel",
    "money": "medel",
    "apply": "ansöka",
    "responsible": "ansvarig ansvarar",
    "municipality": "kommun",
    "municipal": "kommunal",
    "board": "kommunstyrelsen",
    "executive": "kommunstyrelsen",
    "assembly": "kommunfullmäktige",
    "network": "nätverk",
    "contact": "kontaktpersoner",
    "contacts": "kontakter",
    "solidarity": "solidaritet",
    "development": "utveckling",
    "developing": "utvecklingsländer",
    "countries": "länder",
    "culture": "kultur",
    "tourism": "besöksnäring turism",
    "youth": "unga ungdomar",
    "children": "barn",
    "democracy": "demokrati",
    "world": "världen",
    "heritage": "världsarv",
    "minutes": "minnesanteckningar",
    "meetings": "möten",
    "communication": "kommunikation",
    "focus": "fokus",
    "priorities": "prioriteringar",
    "activities": "aktiviteter",
    "projects": "projekt",
    "project": "projekt",
    "founded": "bildades",
    "formed": "bildades",
    "denmark": "Danmark",
    "finland": "Finland",
    "norway": "Norge",
    "germany": "Tyskland",
    "poland": "Polen",
    "ukraine": "Ukraina",
    "south": "Sydafrika",
    "africa": "Sydafrika",
    "france": "Frankrike",
    "sweden": "Sverige",
    "who": "vem",
    "year": "år",
}

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
    years: tuple[int, ...] = ()
    expansions: tuple[str, ...] = field(default_factory=tuple)
    # the question without the named municipality, which retrieval applies as a filter
    lexical_text: str = ""


def detect_language(text: str) -> str:
    """'en' when the question reads as English, else 'sv' (the default for short input)."""
    words = [w.lower() for w in find_words(text, "table")]
    if any(ch in text for ch in "åäöÅÄÖ"):
        return "sv"
    en = sum(w in _ENGLISH_MARKERS for w in words)
    sv = sum(w in _SWEDISH_MARKERS for w in words)
    return "en" if en > sv and en >= 1 else "sv"


def expand_abbreviations(text: str) -> list[str]:
    """Expansions of abbreviations in `text`, and abbreviations of spelled-out names."""
    lowered = text.lower()
    words = {w.lower() for w in find_words(text, "table")}
    extra: list[str] = []
    for abbr, expansions in ABBREVIATIONS.items():
        if abbr in words or (abbr.endswith("-fonder") and "eu-fonder" in lowered):
            extra.extend(expansions)
        elif any(e.lower() in lowered for e in expansions):
            extra.append(abbr.upper())
    return list(dict.fromkeys(extra))


def synonyms_of(text: str) -> list[str]:
    """Domain synonyms of the words of a question."""
    words = [w.lower() for w in find_words(text, "table")]
    return list(dict.fromkeys(s for w in words for s in DOMAIN_SYNONYMS.get(w, ())))


def term_alternatives(text: str) -> dict[str, list[str]]:
    """For each question stem, the stems of its one-word synonyms and abbreviation expansions."""
    alternatives: dict[str, list[str]] = {}
    for word in (w.lower() for w in find_words(text, "table")):
        related = [*DOMAIN_SYNONYMS.get(word, ()), *ABBREVIATIONS.get(word, ())]
        stems = [t for r in related if " " not in r for t in tokenize(r)]
        for term in tokenize(word):
            if stems:
                alternatives.setdefault(term, []).extend(stems)
    return alternatives


def translate_english(text: str) -> list[str]:
    """Swedish domain words for the English words of a question (lexical search only)."""
    words = [w.lower() for w in find_words(text, "table")]
    return list(dict.fromkeys(ENGLISH_GLOSSARY[w] for w in words if w in ENGLISH_GLOSSARY))


def _municipality_pattern(municipality: str) -> re.Pattern[str]:
    """ "Falu kommun" is named "Falun", "Falu", "Faluns", "Falu kommun(s)" in questions."""
    stem = municipality.lower().removesuffix(" kommun").removesuffix("s")
    return re.compile(rf"\b{re.escape(stem)}(?:n|s|ns)?(?:\s+kommuns?)?\b", re.IGNORECASE)


def named_municipality(text: str, municipalities: list[str]) -> str | None:
    """The catalog municipality the question names ("Falköping", "Falköpings kommun")."""
    for municipality in municipalities:
        if _municipality_pattern(municipality).search(text):
            return municipality
    return None


def without_municipality(text: str, municipality: str | None) -> str:
    if municipality is None:
        return text
    return _municipality_pattern(municipality).sub(" ", text)


def plan_query(text: str, municipalities: list[str]) -> QueryPlan:
    language = detect_language(text)
    expansions = expand_abbreviations(text) + synonyms_of(text)
    if language == "en":
        expansions += translate_english(text)
    named = named_municipality(text, municipalities)
    years = tuple(sorted(set(find_years(text, standalone=True))))
    return QueryPlan(
        text=text,
        language=language,
        lexical_extra=" ".join(expansions),
        municipality=named,
        years=years,
        expansions=tuple(expansions),
        lexical_text=without_municipality(text, named),
    )
