"""Follow-up questions in a conversation: an elliptic question ("Och 2020?", "Och vilka är
medlemmar i den?") is rewritten into one that stands alone, from the earlier questions.

Pure functions over text. Which question is elliptic is read from function words of the
language (a continuation at its start, a pronoun pointing back) and from how little it asks
of its own; no corpus word is involved. A question that stands alone is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lang import find_words, find_years
from service.answer.evidence import question_entities, question_terms
from service.answer.parts import asked_sentences
from service.english import english_stopwords

# A question that opens with one of these continues the previous one.
_CONTINUES = re.compile(
    r"^\s*(och|men|samt|också|än|hur är det med|vad gäller|and|but|also|what about|how about)\b",
    re.IGNORECASE,
)
# Pronouns and adverbs that point back to something named earlier.
_POINTS_BACK = re.compile(
    r"\b(den|det|dem|de|dess|deras|denna|detta|dessa|där|då|han|hon|hen|honom|henne|hans|"
    r"hennes|it|its|they|them|their|there|those|these|he|she|him|her|his)\b",
    re.IGNORECASE,
)
# "den", "det", "de" before an adjective's weak form or a number are articles, not pronouns:
# "det internationella arbetet", "de 180 000 kronorna"
_ARTICLES = frozenset({"den", "det", "de"})
_BEFORE_ADJECTIVE = re.compile(r"\s+(?:\d|[^\W\d_]+[ae]\b)")
# "det", "it", "there" after such a verb stand for nothing: "finns det", "vad står det om"
_EXPLETIVES = frozenset({"det", "it", "there"})
_AFTER_EXPLETIVE_VERB = re.compile(
    r"\b(?:finns|fanns|står|stod|gäller|gällde|handlar|is|are|was|were)\s+$", re.IGNORECASE
)
# A pronoun with at least this many of the question's own words before it points to what the
# question itself names ("Vilka riktlinjer handlar om nätverk? Räkna upp dem."), not to an
# earlier question. Chosen on the training questions (eval/README.md: 1, 2 or 3).
ANTECEDENT_WORDS = 3


def own_words(text: str) -> list[str]:
    """The question's content words: no years, no English function words."""
    stop = english_stopwords()
    return [t for t in question_terms(text) if not t.isdigit() and t not in stop]


def points_back(question: str) -> bool:
    """A pronoun of the question stands for something named earlier in the conversation."""
    for m in _POINTS_BACK.finditer(question):
        word, before = m.group(1).lower(), question[: m.start()]
        if word in _ARTICLES and _BEFORE_ADJECTIVE.match(question, m.end()):
            continue
        if word in _EXPLETIVES and _AFTER_EXPLETIVE_VERB.search(before):
            continue
        if len(own_words(before)) < ANTECEDENT_WORDS:
            return True
    return False


def is_elliptic(question: str) -> bool:
    """The question leans on an earlier one: it continues it, points back to it, or asks
    nothing of its own but a year or a place ("Och 2020?"), or one word and no name
    ("Med vilken stad?"; "Vad är ICLD?" stands alone)."""
    own = own_words(question)
    bare = not own or (len(own) == 1 and not question_entities(question))
    return bool(_CONTINUES.search(question)) or points_back(question) or bare


def _topic(previous: str, question: str) -> str:
    """The earlier question's content words that the follow-up does not repeat, as written."""
    have = set(question_terms(question))
    words = []
    for word in find_words(asked_sentences(previous), "table"):
        terms = own_words(word)
        if terms and not set(terms) & have and word not in words:
            words.append(word)
    return " ".join(words)


def _with_years(text: str, years: Sequence[int]) -> str:
    """The earlier question with its years replaced by the follow-up's."""
    found = [str(y) for y in find_years(text, standalone=True)]  # as plan_query reads them
    if not found:
        return f"{text.rstrip(' ?')} {' och '.join(str(y) for y in years)}?"
    out = text
    for old, new in zip(found, years, strict=False):
        out = out.replace(old, str(new), 1)
    return out


def standalone(question: str, history: Sequence[str]) -> str | None:
    """The question rewritten to stand alone from the earlier questions (oldest first), or
    None when it stands alone already or there is nothing to lean on."""
    if not history or not is_elliptic(question):
        return None
    previous = history[-1]
    earlier = standalone(previous, history[:-1])
    if earlier is not None:
        previous = earlier
    years = find_years(question, standalone=True)
    rest = _CONTINUES.sub("", question).strip(" ,")
    if years and not own_words(question):  # "Och 2020?": the earlier question, that year
        return _with_years(previous, years)
    topic = _topic(previous, question)
    if not years:  # the earlier question's years hold ("… 2023?" / "Och budgeten?")
        topic = " ".join([topic, *map(str, find_years(previous, standalone=True))]).strip()
    if not topic:
        return None
    rest = rest[:1].upper() + rest[1:]
    return f"{rest.rstrip(' ?')} ({topic})?"
