"""Swedish synonyms for question words from Debian's `mythes-sv` (the LibreOffice
thesaurus), kept to synonyms the documents themselves use."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from lang import tokenize
from service.lexicon import Lexicon

log = logging.getLogger(__name__)

MYTHES = Path("/usr/share/mythes/th_sv_SE_v2.dat")


def read_mythes(path: Path = MYTHES) -> dict[str, list[str]]:
    """Word → its synonyms: a "word|n" line, then n lines "(class)|syn|syn…"."""
    lines = path.read_bytes().decode("latin-1").splitlines()
    encoding = lines[0].strip() or "ISO-8859-1"
    if encoding.upper() not in ("ISO-8859-1", "LATIN-1", "LATIN1"):
        lines = path.read_bytes().decode(encoding).splitlines()
    entries: dict[str, list[str]] = {}
    i = 1
    while i < len(lines):
        head, _, count = lines[i].rpartition("|")
        n = int(count) if count.isdigit() else 0
        synonyms = [s for line in lines[i + 1 : i + 1 + n] for s in line.split("|")[1:] if s]
        entries.setdefault(head.lower(), []).extend(synonyms)
        i += 1 + n
    return entries


def corpus_synonyms(entries: dict[str, list[str]], stems: set[str]) -> dict[str, tuple[str, ...]]:
    """Word → its one-word synonyms that the documents use in some form (their stems are
    among the documents' `stems`: "avsluta" for documents that say "avslutade"); the word
    itself need not be used."""
    out = {}
    for word, synonyms in entries.items():
        used = [s.lower() for s in synonyms if " " not in s and _used(s, stems)]
        used = [s for s in dict.fromkeys(used) if s != word]
        if used and " " not in word:
            out[word] = tuple(used)
    return out


def _used(word: str, stems: set[str]) -> bool:
    found = tokenize(word)
    return bool(found) and all(t in stems for t in found)


def with_thesaurus(
    lexicon: Lexicon,
    use: bool,
    stems: set[str],
    lemmas: Callable[[str], Sequence[str]] | None = None,
) -> Lexicon:
    """The lexicon with (when `use`) the thesaurus's synonyms that the documents use, for
    judging coverage only: measured on the tuning questions, they help that, and widening the
    search with them costs recall (README, configuration). The thesaurus lists dictionary
    forms: with `lemmas` (hunspell's stems) a question's "upphörde" finds "upphöra"'s.
    `stems` are the tokens of the documents' vocabulary (`word_tokens`)."""
    if not use:
        return lexicon
    if not MYTHES.exists():
        log.warning("%s not found (Debian's mythes-sv): no thesaurus synonyms", MYTHES)
        return lexicon
    synonyms = MappingProxyType(corpus_synonyms(read_mythes(), stems))
    return replace(lexicon, thesaurus=synonyms, lemmas=lemmas)
