"""Corpus knowledge as data: abbreviations, synonyms, an English glossary and named places.

The words of a corpus are no part of the algorithms that read it. They live next to the
documents, in `<corpus_dir>/lexicon/*.tsv` (described in that folder's README.md), and what
the documents define themselves ("Full Name (ABBR)") is read from their texts when an index
is opened. The service builds one `Lexicon` per opened index and passes it to query
planning, answering and comparison.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Literal, NamedTuple, TypeVar, cast

from lang import english_stem, is_year

log = logging.getLogger(__name__)

LEXICON_DIR = "lexicon"
ABBREVIATIONS_FILE = "abbreviations.tsv"
SYNONYMS_FILE = "synonyms.tsv"
GLOSSARY_FILE = "en-sv.tsv"
PLACES_FILE = "places.tsv"

Kind = Literal["place", "organisation"]
KINDS: tuple[Kind, ...] = ("place", "organisation")
INFLECTED = "*"  # an abbreviation marked so also matches inside longer words ("EU-fonderna")
V = TypeVar("V")


class Name(NamedTuple):
    """A proper name comparison aligns on, and what it names."""

    name: str
    kind: Kind


class Abbreviation(NamedTuple):
    expansions: tuple[str, ...]
    inflected: bool = False  # also found inside a longer word of the question


class LexiconError(ValueError):
    """A lexicon file line that cannot be read; says which file and line."""


def _frozen(mapping: dict[str, V]) -> Mapping[str, V]:
    return MappingProxyType(mapping)


@dataclass(frozen=True)
class Lexicon:
    """What the service knows about the words of its corpus; built once per opened index.

    Every mapping is keyed by the lower-cased word; entries keep their file order.
    """

    # "ks" -> ("kommunstyrelsen", "kommunstyrelse")
    abbreviations: Mapping[str, Abbreviation] = field(default_factory=lambda: _frozen({}))
    # "vänstad" -> ("vänort",): question words and what the documents say instead
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _frozen({}))
    # "twin" -> "vänort": English question words and their Swedish domain words
    glossary: Mapping[str, str] = field(default_factory=lambda: _frozen({}))
    # places and organisations that plan comparison aligns on
    names: tuple[Name, ...] = ()
    # "pengar" -> ("medel",): a general thesaurus's synonyms that the documents use; they
    # count as covering a question term, but do not widen the search (service.thesaurus)
    thesaurus: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _frozen({}))
    # a word's dictionary forms ("upphörde" -> ("upphöra",)), under which the thesaurus
    # lists it; None: a word is looked up as written
    lemmas: Callable[[str], Sequence[str]] | None = None
    # names with a year in them that the documents use ("Agenda 2030": ("agenda", 2030)); a
    # question naming one asks about the name, not about a plan of that year
    year_names: frozenset[tuple[str, int]] = frozenset()

    @cached_property
    def _glossary_by_stem(self) -> Mapping[str, str]:
        by_stem: dict[str, list[str]] = {}
        for english, swedish in self.glossary.items():
            by_stem.setdefault(english_stem(english), []).extend(swedish.split())
        return _frozen({s: " ".join(dict.fromkeys(words)) for s, words in by_stem.items()})

    def in_swedish(self, word: str) -> str | None:
        """The glossary's Swedish words for a lower-case English word; for a form the
        glossary does not list ("municipalities", "evaluated"), those of its words with the
        same English stem ("municipality", "evaluate"); None when it has neither."""
        found = self.glossary.get(word)
        if found is not None:
            return found
        return self._glossary_by_stem.get(english_stem(word))

    @classmethod
    def load(cls, corpus_dir: Path) -> Lexicon:
        """The lexicon kept in `corpus_dir/lexicon/`; a missing file is an empty table."""
        folder = Path(corpus_dir) / LEXICON_DIR
        if not folder.is_dir():
            log.warning("no lexicon in %s: abbreviations, synonyms and places are empty", folder)
        abbreviations: dict[str, Abbreviation] = {}
        for path, n, cells in _rows(folder / ABBREVIATIONS_FILE, min_cells=2):
            key = cells[0].lower()
            inflected = key.endswith(INFLECTED)
            key = key.removesuffix(INFLECTED)
            _unique(abbreviations, key, path, n)
            abbreviations[key] = Abbreviation(tuple(cells[1:]), inflected)
        synonyms: dict[str, tuple[str, ...]] = {}
        for path, n, cells in _rows(folder / SYNONYMS_FILE, min_cells=2):
            key = cells[0].lower()
            _unique(synonyms, key, path, n)
            synonyms[key] = tuple(cells[1:])
        glossary: dict[str, str] = {}
        for path, n, cells in _rows(folder / GLOSSARY_FILE, min_cells=2, max_cells=2):
            key = cells[0].lower()
            _unique(glossary, key, path, n)
            glossary[key] = cells[1]
        names: dict[str, Name] = {}
        for path, n, cells in _rows(folder / PLACES_FILE, min_cells=2, max_cells=2):
            name, kind = cells
            if kind not in KINDS:
                raise LexiconError(f"{path}:{n}: kind must be one of {KINDS}, not {kind!r}")
            _unique(names, name.lower(), path, n)
            names[name.lower()] = Name(name, cast(Kind, kind))
        return cls(_frozen(abbreviations), _frozen(synonyms), _frozen(glossary), (*names.values(),))

    def with_definitions(self, texts: Iterable[str]) -> Lexicon:
        """This lexicon plus the abbreviations the texts define ("Full Name (ABBR)").

        The lexicon files are the curated word: an abbreviation they list keeps their
        expansions; one only the documents define is added with the name they give it.
        """
        defined = defined_abbreviations(texts)
        added = {
            abbr.lower(): Abbreviation((full,))
            for abbr, full in defined.items()
            if abbr.lower() not in self.abbreviations
        }
        if not added:
            return self
        return replace(self, abbreviations=_frozen({**self.abbreviations, **added}))

    def with_year_names(self, texts: Iterable[str], document_years: Iterable[int]) -> Lexicon:
        """This lexicon plus the names with a year in them that the texts use."""
        return replace(self, year_names=self.year_names | year_names(texts, document_years))

    def organisations(self) -> frozenset[str]:
        return frozenset(n.name for n in self.names if n.kind == "organisation")


def _unique(table: Mapping[str, object], key: str, path: Path, n: int) -> None:
    if key in table:
        raise LexiconError(f"{path}:{n}: {key!r} is listed twice")


def _rows(
    path: Path, min_cells: int, max_cells: int | None = None
) -> Iterator[tuple[Path, int, list[str]]]:
    """(path, line number, cells) of a UTF-8 tab-separated file; '#' starts a comment line."""
    if not path.is_file():
        return
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        too_many = max_cells is not None and len(cells) > max_cells
        if len(cells) < min_cells or too_many or not all(cells):
            count = f"{min_cells}" if max_cells == min_cells else f"at least {min_cells}"
            raise LexiconError(f"{path}:{n}: expected {count} non-empty tab-separated cells")
        yield path, n, cells


# --- abbreviations the documents define -------------------------------------------------

# "(ICLD)": two or more letters, at least two of them capitals, right after the name
_SHORT = re.compile(r"\((?P<short>[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{1,9})\)")
_CLAUSE_END = re.compile(r"[.!?:;()\[\]]")
_REACH = 400  # characters before "(ABBR)" that can hold its at most 20 words


def _long_form(short: str, before: str) -> str | None:
    """The words of `before` that `short` abbreviates, found as Schwartz & Hearst (2003) do:
    its letters matched right to left, the first one at a word start, in at most
    min(len + 5, 2 * len) words of the same clause."""
    clause = _CLAUSE_END.split(before)[-1]
    words = clause.split()
    window = words[-min(len(short) + 5, 2 * len(short)) :]
    text = " ".join(window)
    s, t = len(short) - 1, len(text) - 1
    while s >= 0:
        ch = short[s].lower()
        while t >= 0 and (text[t].lower() != ch or (s == 0 and t > 0 and text[t - 1].isalnum())):
            t -= 1
        if t < 0:
            return None
        s, t = s - 1, t - 1
    full = text[t + 1 :]
    full_words = full.split()
    if len(full_words) < 2:
        return None
    if len(short) <= 2 and all(w[:1].isupper() for w in full_words):
        return None  # "Anna Dahl (KD)": a person and a party, not a name and its abbreviation
    return full


def defined_abbreviations(texts: Iterable[str]) -> dict[str, str]:
    """Abbreviation -> the name it stands for, where a text writes "Full Name (ABBR)".

    The first definition of an abbreviation wins. A single word, a person's name with a
    party ("Jan E Fors (M)", "Anna Dahl (KD)") or letters that do not spell the words before
    the parenthesis define nothing.
    """
    found: dict[str, str] = {}
    for text in texts:
        for m in _SHORT.finditer(text):
            short = m.group("short")
            if sum(ch.isupper() for ch in short) < 2 or short in found:
                continue
            full = _long_form(short, text[max(0, m.start() - _REACH) : m.start()])
            if full is not None:
                found[short] = full
    return found


# a capitalised word inside a sentence, then a four-digit number: "för Agenda 2030 genom"
_YEAR_NAME = re.compile(r"[a-zåäö,]\s+([A-ZÅÄÖ][\w-]*)\s+(\d{4})(?!\d)")


def year_names(
    texts: Iterable[str], document_years: Iterable[int], *, min_uses: int = 2
) -> frozenset[tuple[str, int]]:
    """(word, year) for a capitalised word inside a sentence followed by a year that no
    document is of, written so at least `min_uses` times: a name ("Agenda 2030"), where a
    date of an event ("i Danmark 2007") is written once."""
    known = set(document_years)
    uses: dict[tuple[str, int], int] = {}
    for text in texts:
        for m in _YEAR_NAME.finditer(text):
            key = (m.group(1).lower(), int(m.group(2)))
            if is_year(m.group(2)) and key[1] not in known:
                uses[key] = uses.get(key, 0) + 1
    return frozenset(key for key, n in uses.items() if n >= min_uses)
