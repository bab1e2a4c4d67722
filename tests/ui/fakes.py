"""A one-screen KnowledgeBase fake: small documents and scripted answers, lookups, comparisons."""

from __future__ import annotations

import time
from collections.abc import Sequence

from service.models import (
    Answer,
    Citation,
    ComparedItem,
    DocumentDetail,
    DocumentInfo,
    Filters,
    Location,
    SearchResult,
    Side,
    WordingMatch,
    WordingResult,
)

FALUN_TEXT = (
    "# Internationell strategi\n\n## Syfte\n"
    "Falu kommun ska  delta i\ninternationellt samarbete för att stärka den lokala utvecklingen.\n"
    "Arbetet följs upp varje år."
)
FALKOPING_TEXT = "# Internationell policy\n\nFalköpings kommun ska bevaka möjligheter i EU."
UNANSWERABLE = "månen"  # any question containing this word gets the "not in documents" answer
LLM_WRITTEN = "fritt"  # ... and this one an answer an LLM streams, with one sentence removed
LLM_DRAFT = "Falu kommun ska delta i internationellt samarbete [1]. Budgeten är 9 miljoner [1]."
LLM_REMOVED = "Budgeten är 9 miljoner [1]."


COUNCIL_TEXT = (
    "# Rådet\n\n## Ledamöter\nInternationella rådet består av\nJan E Fors (M), ordförande\n"
    "Jonas Sallén (S)\nElisabeth Rooth (C)\n\n## Vänorter\n"
    "Falun har fem vänorter1 i Norden och samarbetar med dem i många frågor\n"
    "om skola, kultur och näringsliv, se https://www.falun.se/internationellt/vanorter.html\n"
    "för mer information om vänorterna."
)
DISPLAY = "vänorter"  # a question with this word gets three citations, two from one passage


PLAN_2020 = (
    "# Handlingsplan 2020\n\n## Budget\nBudgeten är 177 tkr.\n\n## Danmark\nUtreda vänort.\n\n"
    "## Ledamöter\nAnna Ek (M), ordförande\nJan Berg (S)"
)
PLAN_2023 = (
    "# Verksamhetsplan 2023\n\n## Budget\nBudgeten är 180 000 kr.\n\n## Ukraina\nStödja Ukraina.\n\n"
    "## Ledamöter\nJan Berg (S), ordförande"
)


def _doc(doc_id: str, title: str, municipality: str, text: str, ocr: bool = False,
         doc_type: str = "strategi", year: int = 2020):  # fmt: skip
    return DocumentDetail(
        doc_id=doc_id, title=title, municipality=municipality, doc_type=doc_type,
        year=year, ocr=ocr, chunks=1, text=text, raw_text=text,
    )  # fmt: skip


class FakeKnowledgeBase:
    home_municipality = "Falu kommun"

    def __init__(self, fail: bool = False, draft_delay: float = 0.0) -> None:
        self.fail = fail
        self.draft_delay = draft_delay
        self.history: list[tuple[str, Filters | None]] = []
        self.conversations: list[list[str]] = []  # the earlier questions each ask was given
        self.feedbacks: list[tuple[str, bool]] = []
        self.comments: list[tuple[str, bool, str | None]] = []
        self.docs = {
            d.doc_id: d
            for d in (
                _doc("falun-strategi", "Internationell strategi", "Falu kommun", FALUN_TEXT),
                _doc("falkoping-policy", "Internationell policy", "Falköpings kommun",
                     FALKOPING_TEXT),
                _doc("falun-rad", "Rådets plan", "Falu kommun", COUNCIL_TEXT),
                _doc("falun-plan-2020", "Handlingsplan 2020", "Falu kommun", PLAN_2020,
                     doc_type="handlingsplan", year=2020),
                _doc("falun-plan-2023", "Verksamhetsplan 2023", "Falu kommun", PLAN_2023,
                     doc_type="verksamhetsplan", year=2023),
            )
        }  # fmt: skip

    def _result(self, doc_id: str, start_line: int, end_line: int) -> SearchResult:
        d = self.docs[doc_id]
        lines = d.text.split("\n")[start_line - 1 : end_line]
        return SearchResult(
            chunk_id=f"{doc_id}:0", doc_id=doc_id, title=d.title, municipality=d.municipality,
            doc_type=d.doc_type, year=d.year, section="Internationell strategi › Syfte",
            text="\n".join(lines), score=0.5, location=Location(start_line=start_line,
            end_line=end_line),
        )  # fmt: skip

    def ask(
        self, question: str, filters: Filters | None = None, *, history: Sequence[str] = ()
    ) -> Answer:
        self.history.append((question, filters))
        self.conversations.append(list(history))
        if self.fail:
            raise RuntimeError("index is gone")
        if UNANSWERABLE in question.lower():
            nearest = [self._result("falun-strategi", 4, 5)]
            return Answer(question=question, answer="Det framgår inte av dokumenten.",
                          answerable=False, citations=[], nearest=nearest)  # fmt: skip
        if DISPLAY in question.lower():
            return self._display_answer(question)
        r = self._result("falun-strategi", 4, 5)
        cite = Citation(
            n=1, doc_id=r.doc_id, title=r.title, municipality=r.municipality,
            doc_type=r.doc_type, year=r.year, section=r.section, location=r.location,
            chunk_id=r.chunk_id, context=r.text, quote="delta i internationellt samarbete",
        )  # fmt: skip
        return Answer(
            question=question, answerable=True, citations=[cite],
            answer="Falu kommun ska delta i internationellt samarbete [1].",
            answer_id=f"svar-{len(self.history)}",
        )  # fmt: skip

    def _display_answer(self, question: str) -> Answer:
        """Three citations: a member list, and two quotes from one wrapped passage."""
        members, friends = self._result("falun-rad", 4, 7), self._result("falun-rad", 10, 12)
        members = members.model_copy(update={"chunk_id": "falun-rad:1"})
        friends = friends.model_copy(update={"chunk_id": "falun-rad:2"})

        def cite(n: int, r: SearchResult, quote: str) -> Citation:
            return Citation(
                n=n, doc_id=r.doc_id, title=r.title, municipality=r.municipality,
                doc_type=r.doc_type, year=r.year, section=r.section, location=r.location,
                chunk_id=r.chunk_id, context=r.text, quote=quote,
            )  # fmt: skip

        cites = [
            cite(1, friends, "Falun har fem vänorter1 i Norden och samarbetar med dem i många "
                 "frågor\nom skola, kultur och näringsliv"),
            cite(2, members, "Jan E Fors (M), ordförande\nJonas Sallén (S)\nElisabeth Rooth (C)"),
            cite(3, friends, "för mer information om vänorterna"),
        ]  # fmt: skip
        return Answer(
            question=question, answerable=True, citations=cites,
            answer="Vänorter [1]. Ledamöter [2]. Mer [3].", answer_id=f"svar-{len(self.history)}",
        )  # fmt: skip

    def ask_stream(
        self, question: str, filters: Filters | None = None, *, history: Sequence[str] = ()
    ):
        """Extractive questions: the answer alone. LLM_WRITTEN ones: the draft word by word,
        slowly enough for a browser to see it grow, then the verified answer."""
        answer = self.ask(question, filters, history=history)
        if LLM_WRITTEN not in question.lower():
            yield answer
            return
        for word in LLM_DRAFT.split(" "):
            time.sleep(self.draft_delay)
            yield word + " "
        removed = [{"sentence": LLM_REMOVED, "reason": "talet 9 står inte i [1]"}]
        yield Answer.model_validate({**answer.model_dump(), "mode": "llm", "removed": removed})

    def feedback(self, answer_id: str, helpful: bool, comment: str | None = None) -> None:
        self.feedbacks.append((answer_id, helpful))
        self.comments.append((answer_id, helpful, comment))

    def search(self, query: str, k: int = 10, filters: Filters | None = None):
        return [self._result("falun-strategi", 4, 5)][:k]

    def documents(self) -> list[DocumentInfo]:
        return [
            DocumentInfo(**d.model_dump(exclude={"text", "raw_text"})) for d in self.docs.values()
        ]

    def document(self, doc_id: str) -> DocumentDetail:
        return self.docs[doc_id]  # KeyError for an unknown id, as the Protocol says

    def wording(self, text: str, filters: Filters | None = None) -> WordingResult:
        self.history.append((text, filters))
        if self.fail:
            raise RuntimeError("index is gone")
        phrase = "delta i\ninternationellt samarbete"
        start = FALUN_TEXT.index(phrase)
        context = FALUN_TEXT.split("\n", 3)[3]  # the "Syfte" passage, lines 4-6
        at = context.index(phrase)
        match = WordingMatch(
            doc_id="falun-strategi", title="Internationell strategi", year=2020,
            section="Internationell strategi › Syfte", start=start, end=start + len(phrase),
            start_line=4, end_line=5, text=phrase, score=1.0, exact=True,
            chunk_id="falun-strategi:0", context=context, context_start=start - at,
            highlight_start=at, highlight_end=at + len(phrase),
        )  # fmt: skip
        if UNANSWERABLE in text.lower():
            near = match.model_copy(update={"exact": False, "score": 0.41})
            return WordingResult(query=text, found=False, matches=[], nearest=[near])
        # and, as a real lookup can, an unrelated passage of another municipality just over
        # the found bar
        other = FALKOPING_TEXT.split("\n")[2]
        unrelated = WordingMatch(
            doc_id="falkoping-policy", title="Internationell policy", year=2020, section="",
            start=FALKOPING_TEXT.index(other), end=len(FALKOPING_TEXT), start_line=3,
            end_line=3, text=other, score=0.62, exact=False, chunk_id="falkoping-policy:0",
            context=other, context_start=FALKOPING_TEXT.index(other), highlight_start=0,
            highlight_end=len(other),
        )  # fmt: skip
        return WordingResult(query=text, found=True, matches=[match, unrelated], nearest=[])

    def compare(self, doc_a: str, doc_b: str, topic: str | None = None) -> list[ComparedItem]:
        self.history.append((f"{doc_a} vs {doc_b}", None))
        if self.fail:
            raise RuntimeError("index is gone")
        a, b = self.docs[doc_a], self.docs[doc_b]  # KeyError for an unknown id

        def side(doc: DocumentDetail, line: int, section: str) -> Side:
            lines = doc.text.split("\n")
            start = sum(len(x) + 1 for x in lines[: line - 1])
            return Side(doc_id=doc.doc_id, start=start, end=start + len(lines[line - 1]),
                        start_line=line, end_line=line, section=section,
                        quote=lines[line - 1])  # fmt: skip

        items = [
            ComparedItem(status="changed", topic="Budget", a=side(a, 4, "Budget"),
                         b=side(b, 4, "Budget"), differences=["177 tkr → 180 000 kr"]),
            ComparedItem(status="same", topic="Rubrik", a=side(a, 1, ""), b=side(b, 1, "")),
            ComparedItem(status="only_a", topic="Danmark", a=side(a, 7, "Danmark")),
            ComparedItem(status="only_b", topic="Ukraina", b=side(b, 7, "Ukraina")),
            # a change of chair, as the service reports it: three items sharing passages
            ComparedItem(status="changed", topic="Ordförande", a=side(a, 10, "Ledamöter"),
                         b=side(b, 10, "Ledamöter"), differences=["Anna Ek (M) → Jan Berg (S)"]),
            ComparedItem(status="only_a", topic="Ledamöter: Anna Ek (M)",
                         a=side(a, 10, "Ledamöter")),
            ComparedItem(status="changed", topic="Ledamöter: Jan Berg (S)",
                         a=side(a, 11, "Ledamöter"), b=side(b, 10, "Ledamöter"),
                         differences=["ledamot → ordförande"]),
        ]  # fmt: skip
        return [i for i in items if not topic or topic.lower() in i.topic.lower()]

    def filter_options(self) -> dict[str, list[str | int]]:
        return {"municipality": ["Falköpings kommun", "Falu kommun"],
                "doc_type": ["strategi"], "year": [2020]}  # fmt: skip
