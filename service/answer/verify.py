"""Checks a generated answer against the passages it cites: pure functions over strings.

Every sentence of an LLM answer must carry labels [1]..[k] of retrieved passages, and the
numbers and names it states must occur in a passage it cites. What fails is removed and
reported; the caller falls back to the extractive answer when no cited sentence is left.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from lang import (
    NUMBER_SCALES,
    amounts,
    find_words,
    fold,
    same_word,
    tokenize,
    word_matches,
)
from service.answer.labels import Sentence, keep_valid_labels, parse_labels, split_sentences
from service.models import RemovedSentence

MAX_FRAMING_CHARS = 100
MIN_SHARED_TERMS = 0.3
ATTRIBUTION_SHARE = 0.6


@dataclass(frozen=True)
class Verified:
    text: str  # the kept sentences with their (original) labels
    kept_sentences: list[Sentence]
    removed: list[RemovedSentence]
    used_labels: list[int]  # 1-based labels of passages cited by kept sentences
    dropped_labels: list[int] = field(default_factory=list)  # cited but never retrieved

    @property
    def cited(self) -> bool:
        """Whether anything verifiable is left: at least one kept sentence with a source."""
        return any(s.labels for s in self.kept_sentences)


def number_mentions(text: str) -> list[set[str]]:
    """Each number in `text` as its normalised values ("180 000" → "180000", "2,5" → "2.5");
    a scaled amount ("177 tkr") is also its value in kronor ("177000")."""
    found: list[set[str]] = []
    # any number, "180 000" grouped by space, nbsp or dot, "12%"; none glued to a word
    every = amounts(
        text,
        units=NUMBER_SCALES,
        unit_required=False,
        separators=" \u00a0\u202f.",
        not_after=r"\w.,",
        whole_unit=False,
    )
    for a in every:
        value = f"{int(a.digits)}.{a.fraction}" if a.fraction else str(int(a.digits))
        values = {value}
        if a.unit:
            scaled = float(value) * a.scale
            values.add(str(int(scaled)) if scaled.is_integer() else str(scaled))
        found.append(values)
    return found


def numbers(text: str) -> set[str]:
    """Every value of every number in `text` (see number_mentions)."""
    return {v for values in number_mentions(text) for v in values}


def names(sentence: str) -> list[str]:
    """Name-like words: capitalised words not at the sentence's start, and acronyms."""
    out = []
    for i, m in enumerate(word_matches(sentence, "name")):
        word = m.group().strip("'’:-")
        word = re.sub(r"[:'’]s$", "", word)  # "ICLD:s", "SKR's"
        if len(word) < 2:
            continue
        acronym = sum(ch.isupper() for ch in word) >= 2 or any(ch.isdigit() for ch in word)
        if acronym or (i > 0 and word[0].isupper()):
            out.append(word)
    return out


def _stems(word: str) -> set[str]:
    folded = fold(word.lower(), casefold=False)
    return {folded, *tokenize(word)}


def name_in(name: str, passage_words: set[str]) -> bool:
    """A name occurs in a passage, allowing Swedish inflection ("Faluns" ~ "Falun",
    "Falun" ~ "Falu kommun", "Haminas" ~ "Hamina")."""
    for stem in _stems(name):
        if stem in passage_words:
            return True
        # a name's inflections are short endings on a stem of four letters or more
        if any(same_word(stem, w, min_stem=4, max_ending=3) for w in passage_words):
            return True
    return False


def passage_words(passage: str) -> set[str]:
    words = set(tokenize(passage))
    words |= {fold(w.lower(), casefold=False) for w in find_words(passage, "name")}
    return words


def term_overlap(sentence: str, passage: str) -> tuple[int, int]:
    """(how many of the sentence's distinct non-number terms the passage has, how many)."""
    terms = [t for t in dict.fromkeys(tokenize(sentence)) if not t.isdigit()]
    in_passage = set(tokenize(passage))
    return sum(t in in_passage for t in terms), len(terms)


def check_sentence(
    sentence: Sentence, passages: Sequence[str], check_terms: bool = True
) -> str | None:
    """Why the sentence is not supported by the passages it cites, or None when it is."""
    cited = "\n".join(passages[n - 1] for n in sentence.labels)
    known = numbers(cited)
    missing_numbers = [min(v, key=len) for v in number_mentions(sentence.text) if not v & known]
    if missing_numbers:
        return f"talet {', '.join(dict.fromkeys(missing_numbers))} står inte i källan"
    words = passage_words(cited)
    missing_names = [n for n in names(sentence.text) if not name_in(n, words)]
    if missing_names:
        return f"namnet {', '.join(dict.fromkeys(missing_names))} står inte i källan"
    if check_terms:
        shared, terms = term_overlap(sentence.text, cited)
        if terms and shared < max(1, MIN_SHARED_TERMS * terms):
            return "för lite gemensamt med källan"
    return None


# Clauses of a passage: a blank line (list items, paragraphs) or a clause-ending mark.
_CLAUSE_BREAK = re.compile(r"\n\s*\n|[.;:!?](?=\s|$)")


def claimed_names(sentence: str, passage: str) -> list[str]:
    """The sentence's names, with its first word when the passage uses that word as a name
    ("Röros är vänort", a bare "Röros")."""
    found = names(sentence)
    first = next(word_matches(sentence, "name"), None)
    if first and first.group()[0].isupper():
        word = first.group()
        if fold(word) in {fold(n) for n in names(passage)}:
            found = [word, *found]
    return list(dict.fromkeys(found))


def unbound_name(sentence: Sentence, cited: str, question: str, background: str = "") -> str | None:
    """A name the sentence pairs with what the question asks about, though the cited passage
    never says the two together: "Röros" for the Finnish twin town, when the passage lists
    "Röros, Norge" and "Hamina, Finland" as separate items.

    The question's names are the anchors, except those the whole passage is about (its
    `background`: title, municipality, section). Every other name of the sentence must share
    one clause of the passage with an anchor; the anchor may be left unsaid in the sentence
    ("Röros." answering which twin town is in Finland).
    """
    found = claimed_names(sentence.text, cited)
    ambient = passage_words(background)
    anchors = [n for n in names(question) if not name_in(n, ambient)]
    asked = passage_words(" ".join(anchors))
    others = [n for n in found if not name_in(n, asked) and not name_in(n, ambient)]
    if not anchors or not others:
        return None
    clauses = [passage_words(c) for c in _CLAUSE_BREAK.split(cited) if c.strip()]
    for other in others:
        bound = any(
            name_in(other, words) and any(name_in(a, words) for a in anchors) for words in clauses
        )
        if not bound:
            return f"källan nämner inte {other} tillsammans med {', '.join(anchors)}"
    return None


def makes_claim(text: str) -> bool:
    return bool(numbers(text) or names(text)) or len(text) > MAX_FRAMING_CHARS


def _supported(
    sentence: Sentence,
    passages: Sequence[str],
    check_terms: bool,
    question: str,
    backgrounds: Sequence[str],
) -> str | None:
    """Why `sentence` is not supported by the passages it cites, or None when it is."""
    reason = check_sentence(sentence, passages, check_terms)
    if reason:
        return reason
    about = " ".join(backgrounds[n - 1] for n in sentence.labels if n <= len(backgrounds))
    said = set(tokenize(sentence.text))
    if question and said <= set(tokenize(question)):
        return "upprepar bara frågan"
    if about and said <= set(tokenize(f"{question} {about}")):
        # "Falu kommun [1]", a title with its section path: names the source, says nothing
        return "nämner bara källan, inte vad den säger"
    if question:
        cited = "\n\n".join(passages[n - 1] for n in sentence.labels)
        return unbound_name(sentence, cited, question, about)
    return None


def attribute(
    sentence: Sentence,
    passages: Sequence[str],
    check_terms: bool = True,
    question: str = "",
    backgrounds: Sequence[str] = (),
) -> int | None:
    """The label of the passage that carries a claim the model left unlabelled: one that
    passes every check of a cited sentence and shares at least ATTRIBUTION_SHARE of its
    words (a stricter bar than for a label the model gave). The best such passage; None."""
    best: tuple[float, int] | None = None
    for n in range(1, len(passages) + 1):
        candidate = Sentence(sentence.text, (n,))
        if _supported(candidate, passages, check_terms, question, backgrounds):
            continue
        shared, terms = term_overlap(sentence.text, passages[n - 1])
        share = shared / terms if check_terms and terms else 1.0
        if share >= ATTRIBUTION_SHARE and (best is None or share > best[0]):
            best = (share, n)
    return None if best is None else best[1]


def verify(
    text: str,
    passages: Sequence[str],
    check_terms: bool = True,
    question: str = "",
    backgrounds: Sequence[str] = (),
) -> Verified:
    """Keep the sentences whose cited passages contain their numbers and names.

    `passages[i]` is the text behind label [i+1] (the passage with its title, place, year and
    section, since a sentence may name those). Labels outside 1..len(passages) are dropped.
    An unlabelled claim gets the passage that carries it (`attribute`), or is removed; an
    unlabelled sentence with no number or name in it is kept as short framing.
    `check_terms` also asks a cited sentence to share words with its passage (off for an
    English answer over Swedish passages). A sentence that only repeats words of the
    `question` ("[1] Finland") answers nothing and is removed, and one that pairs a name
    with what the question asks about must find the two in one clause (`unbound_name`;
    `backgrounds[i]` is what passage i is about as a whole: title, municipality, section).
    """
    everything = "\n\n".join(passages)
    kept: list[tuple[str, Sentence]] = []
    removed: list[RemovedSentence] = []
    dropped: list[int] = []
    for raw in split_sentences(text):
        parsed = parse_labels(raw)
        dropped += [n for n in parsed.labels if not 1 <= n <= len(passages)]
        judged = _judge(raw, parsed, passages, everything, check_terms, question, backgrounds)
        if isinstance(judged, RemovedSentence):
            removed.append(judged)
        elif judged is not None:
            kept.append(judged)
    used = sorted({n for _, s in kept for n in s.labels})
    body = " ".join(keep_valid_labels(r, len(passages)) for r, _ in kept)
    return Verified(
        text=re.sub(r"\s{2,}", " ", body).strip(),
        kept_sentences=[s for _, s in kept],
        removed=removed,
        used_labels=used,
        dropped_labels=sorted(set(dropped)),
    )


def _judge(
    raw: str,
    parsed: Sentence,
    passages: Sequence[str],
    everything: str,
    check_terms: bool,
    question: str,
    backgrounds: Sequence[str],
) -> tuple[str, Sentence] | RemovedSentence | None:
    """One generated sentence: kept (its text with labels, and the sentence), removed with
    the reason, or None when nothing is left of it without its labels."""
    valid = tuple(n for n in parsed.labels if 1 <= n <= len(passages))
    sentence = Sentence(parsed.text, valid)
    if not sentence.text:
        return None
    if valid:
        reason = _supported(sentence, passages, check_terms, question, backgrounds)
        return RemovedSentence(sentence=sentence.text, reason=reason) if reason else (raw, sentence)
    if parsed.labels:
        return RemovedSentence(
            sentence=parsed.text, reason="hänvisar till en källa som inte hämtats"
        )
    if not makes_claim(sentence.text) and not claimed_names(sentence.text, everything):
        return raw, sentence
    source = attribute(sentence, passages, check_terms, question, backgrounds)
    if source is None:
        return RemovedSentence(sentence=parsed.text, reason="påstående utan stöd i någon källa")
    # attribute() has run every check on it already
    return f"{parsed.text} [{source}]", Sentence(parsed.text, (source,))
