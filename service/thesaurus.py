"""Swedish synonyms for question words from Debian's `mythes-sv` (the LibreOffice
thesaurus), kept to synonyms the documents themselves use."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

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


def corpus_synonyms(
    entries: dict[str, list[str]], vocabulary: set[str]
) -> dict[str, tuple[str, ...]]:
    """Word → its one-word synonyms among the documents' words (the word itself need not be)."""
    out = {}
    for word, synonyms in entries.items():
        used = [s.lower() for s in synonyms if " " not in s and s.lower() in vocabulary]
        used = [s for s in dict.fromkeys(used) if s != word]
        if used and " " not in word:
            out[word] = tuple(used)
    return out


def with_thesaurus(lexicon: Lexicon, use: bool, vocabulary: set[str]) -> Lexicon:
    """The lexicon with (when `use`) the thesaurus's synonyms that the documents use, for
    judging coverage only: measured on the tuning questions, they help that, and widening the
    search with them costs recall (README, configuration)."""
    if not use:
        return lexicon
    if not MYTHES.exists():
        log.warning("%s not found (Debian's mythes-sv): no thesaurus synonyms", MYTHES)
        return lexicon
    return replace(lexicon, thesaurus=MappingProxyType(corpus_synonyms(read_mythes(), vocabulary)))
