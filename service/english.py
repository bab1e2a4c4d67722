"""English question words in Swedish, from Debian's English–Swedish FreeDict dictionary
(`dict-freedict-eng-swe`), kept to the translations the documents themselves use."""

from __future__ import annotations

import gzip
import logging
import re
from dataclasses import replace
from functools import cache
from pathlib import Path
from types import MappingProxyType

from lang import tokenize
from service.lexicon import Lexicon

log = logging.getLogger(__name__)

FREEDICT = Path("/usr/share/dictd/freedict-eng-swe.dict.dz")

# an entry starts with its headword and pronunciation: "twins /twinz/", "Europe /juərəp/"
_HEAD = re.compile(r"^([A-Za-z][A-Za-z' -]*?) /[^/]*/\s*$")
_NUMBERED = re.compile(r"^\d+\.\s*")


def read_freedict(path: Path = FREEDICT) -> dict[str, list[str]]:
    """Headword → its Swedish translations, in the dictionary's order."""
    entries: dict[str, list[str]] = {}
    head: str | None = None
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            line = line.rstrip("\n")
            match = _HEAD.match(line)
            if match:
                head = match.group(1).strip().lower()  # questions are looked up lower-cased
                entries.setdefault(head, [])
            elif head and line.strip():
                words = _NUMBERED.sub("", line.strip())
                entries[head] += [w.strip() for w in words.split(",") if w.strip()]
    return entries


@cache
def english_stopwords() -> frozenset[str]:
    """English function words: NLTK's list, which llama-index ships with its own data."""
    from llama_index.core.utils import globals_helper

    return frozenset(globals_helper.stopwords)


def english_to_swedish(
    entries: dict[str, list[str]],
    vocabulary: set[str],
    stems: set[str],
    stopwords: frozenset[str] = frozenset(),
) -> dict[str, str]:
    """English word → the space-joined translations among the documents' words, or forms
    of them: FreeDict gives base forms ("åtagande"), the documents inflect ("åtaganden"),
    and both are one search token. A function word is not translated: FreeDict's "the" and
    "in" give "Ukraina", "emot", "såsom" …, which would become search terms of every
    English question. `stems` are the vocabulary's tokens (`word_tokens`)."""

    def used_in_documents(word: str) -> bool:
        if word.lower() in vocabulary:
            return True
        found = tokenize(word)
        return len(found) == 1 and found[0] in stems

    out = {}
    for english, swedish in entries.items():
        used = [s for s in swedish if used_in_documents(s)]
        if used and " " not in english and english not in stopwords:
            out[english] = " ".join(dict.fromkeys(used))
    return out


def with_english(lexicon: Lexicon, source: str, vocabulary: set[str], stems: set[str]) -> Lexicon:
    """The lexicon with its English words from `source`: "glossary" (the corpus's own
    lexicon file), "dictionary" (FreeDict, kept to the documents' `vocabulary`) or "both"."""
    if source == "glossary":
        return lexicon
    if not FREEDICT.exists():
        log.warning("%s not found (Debian's dict-freedict-eng-swe): glossary only", FREEDICT)
        return lexicon
    translated = english_to_swedish(read_freedict(), vocabulary, stems, english_stopwords())
    glossary = translated if source == "dictionary" else {**translated, **lexicon.glossary}
    return replace(lexicon, glossary=MappingProxyType(glossary))
