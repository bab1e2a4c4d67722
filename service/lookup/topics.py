"""Which compared items speak of a topic the user named ("budget", "ledamöter")."""

from __future__ import annotations

from lang import SAME_WORD, folds, is_content, stem, token_sim
from service.models import ComparedItem

# Topic words and the wordings plans use for them (keys are folded stems).
_SYNONYMS = {
    "budget": ["budget", "ekonomi", "finansiella medel", "tkr", "kr"],
    "ekonomi": ["budget", "ekonomi", "finansiella medel", "tkr", "kr"],
    "ledamot": ["ledamöter", "medlemmar", "ordförande", "rådet består"],
    "medlemm": ["ledamöter", "medlemmar", "ordförande", "rådet består"],
    "ordforand": ["ordförande"],
    "fokus": ["fokus", "prioriteringar"],
}


def matches_topic(item: ComparedItem, topic: str) -> bool:
    """The item's label, sections, quotes or differences speak of the topic (or a synonym)."""
    phrases = [[w] for w in folds(topic) if is_content(w)]
    for w in list(phrases):
        phrases += [folds(s) for s in _SYNONYMS.get(stem(w[0]), [])]
    sides = [s for s in (item.a, item.b) if s]
    text = " ".join([item.topic, *item.differences, *(f"{s.section} {s.quote}" for s in sides)])
    words = set(folds(text))
    return any(all(any(token_sim(p, w) >= SAME_WORD for w in words) for p in ph) for ph in phrases)
