"""A one-screen KnowledgeBase fake: two small documents and scripted answers."""

from __future__ import annotations

from service.models import (
    Answer,
    Citation,
    DocumentDetail,
    DocumentInfo,
    Filters,
    Location,
    SearchResult,
)

FALUN_TEXT = (
    "# Internationell strategi\n\n## Syfte\n"
    "Falu kommun ska  delta i\ninternationellt samarbete för att stärka den lokala utvecklingen.\n"
    "Arbetet följs upp varje år."
)
FALKOPING_TEXT = "# Internationell policy\n\nFalköpings kommun ska bevaka möjligheter i EU."
UNANSWERABLE = "månen"  # any question containing this word gets the "not in documents" answer


def _doc(doc_id: str, title: str, municipality: str, text: str, ocr: bool = False):
    return DocumentDetail(
        doc_id=doc_id, title=title, municipality=municipality, doc_type="strategi",
        year=2020, ocr=ocr, chunks=1, text=text, raw_text=text,
    )  # fmt: skip


class FakeKnowledgeBase:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.history: list[tuple[str, Filters | None]] = []
        self.docs = {
            d.doc_id: d
            for d in (
                _doc("falun-strategi", "Internationell strategi", "Falu kommun", FALUN_TEXT),
                _doc("falkoping-policy", "Internationell policy", "Falköpings kommun",
                     FALKOPING_TEXT),
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

    def ask(self, question: str, filters: Filters | None = None) -> Answer:
        self.history.append((question, filters))
        if self.fail:
            raise RuntimeError("index is gone")
        if UNANSWERABLE in question.lower():
            nearest = [self._result("falun-strategi", 4, 5)]
            return Answer(question=question, answer="Det framgår inte av dokumenten.",
                          answerable=False, citations=[], nearest=nearest)  # fmt: skip
        r = self._result("falun-strategi", 4, 5)
        cite = Citation(
            n=1, doc_id=r.doc_id, title=r.title, municipality=r.municipality,
            doc_type=r.doc_type, year=r.year, section=r.section, location=r.location,
            chunk_id=r.chunk_id, context=r.text, quote="delta i internationellt samarbete",
        )  # fmt: skip
        return Answer(
            question=question, answerable=True, citations=[cite],
            answer="Falu kommun ska delta i internationellt samarbete [1].",
        )  # fmt: skip

    def search(self, query: str, k: int = 10, filters: Filters | None = None):
        return [self._result("falun-strategi", 4, 5)][:k]

    def documents(self) -> list[DocumentInfo]:
        return [
            DocumentInfo(**d.model_dump(exclude={"text", "raw_text"})) for d in self.docs.values()
        ]

    def document(self, doc_id: str) -> DocumentDetail:
        return self.docs[doc_id]  # KeyError for an unknown id, as the Protocol says

    def filter_options(self) -> dict[str, list[str | int]]:
        return {"municipality": ["Falköpings kommun", "Falu kommun"],
                "doc_type": ["strategi"], "year": [2020]}  # fmt: skip
