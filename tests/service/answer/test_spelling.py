"""Typos are corrected only to spellings the documents contain."""

from lang import vocabulary
from service.answer.spelling import QuestionSpelling


class Dictionary:
    """A fake dictionary: knows a few words, suggests from a table."""

    def __init__(self, known: set[str], suggestions: dict[str, list[str]]) -> None:
        self.known, self.suggestions, self.asked = known, suggestions, []

    def valid(self, word: str) -> bool:
        return word.lower() in self.known

    def suggest(self, word: str) -> list[str]:
        self.asked.append(word)
        return self.suggestions.get(word, [])


DOCUMENTS = vocabulary(
    ["Internationella rådets budget är 180 000 kr.", "Falköpings kommun och Hamina."]
)


def test_a_typo_becomes_the_documents_spelling():
    spelling = QuestionSpelling(DOCUMENTS, Dictionary(set(), {}))
    assert spelling.correct("Hur stor är internationela rådets budjet?") == (
        "Hur stor är internationella rådets budget?"
    )
    assert spelling.correct("Vad säger Falköppings policy?") == "Vad säger Falköpings policy?"


def test_a_correct_word_the_documents_lack_is_left_alone():
    spelling = QuestionSpelling(DOCUMENTS, Dictionary({"skattesats"}, {"skattesats": ["x"]}))
    assert spelling.correct("Vad är skattesats?") == "Vad är skattesats?"


def test_a_dictionary_suggestion_counts_only_when_the_documents_use_it():
    dictionary = Dictionary(set(), {"xyzzyq": ["budget"], "qqqqqq": ["simhall"]})
    spelling = QuestionSpelling(DOCUMENTS, dictionary)
    assert spelling.correction("xyzzyq") == "budget"
    assert spelling.correction("qqqqqq") is None
