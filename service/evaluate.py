"""Runs a question file through the real pipeline and scores retrieval and answers."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import Any, Protocol

from lang import collapse_whitespace, fold
from service.models import Answer, SearchResult


class Pipeline(Protocol):
    def search(self, query: str, k: int = 10) -> list[SearchResult]: ...

    def ask(self, question: str, *, history: Sequence[str] = ()) -> Answer: ...

    def document_text(self, doc_id: str) -> str: ...


def comparable(text: str) -> str:
    """Case, diacritics and whitespace folded, as the evaluation data prescribes."""
    return collapse_whitespace(fold(text))


@dataclass
class QuestionResult:
    id: str
    question: str
    answerable_expected: bool
    answerable_given: bool
    evidence_recall_at_1: float | None
    evidence_recall_at_5: float | None
    reciprocal_rank: float | None
    facts_present: float | None
    quotes_verbatim: float | None
    answer: str = ""
    persona: str = ""
    language: str = "sv"
    missing_evidence: list[str] = field(default_factory=list)
    missing_facts: list[str] = field(default_factory=list)
    # of the passages a reviewer marked as wrongly cited, the share the answer still quotes
    wrong_cited: float | None = None


@dataclass
class EvalReport:
    questions: list[QuestionResult]

    def summary(self) -> dict[str, Any]:
        return _summary(self.questions)

    def by_persona(self) -> dict[str, dict[str, Any]]:
        """The summary of each persona's questions (staff, list, unanswerable, …)."""
        personas = sorted({q.persona for q in self.questions})
        return {p: _summary([q for q in self.questions if q.persona == p]) for p in personas}

    def render(self) -> str:
        rows = [f"{'id':5} {'R@5':>5} {'RR':>5} {'facts':>5} {'verb':>5} {'ans':>6}  question"]
        for q in self.questions:
            rows.append(
                f"{q.id:5} {_fmt(q.evidence_recall_at_5)} {_fmt(q.reciprocal_rank)} "
                f"{_fmt(q.facts_present)} {_fmt(q.quotes_verbatim)} "
                f"{'ok' if q.answerable_given == q.answerable_expected else 'WRONG':>6}  "
                f"{q.question[:60]}"
            )
        rows.append("")
        for key, value in self.summary().items():
            rows.append(
                f"{key:28} {value:.3f}" if isinstance(value, float) else f"{key:28} {value}"
            )
        rows += ["", f"{'persona':14} {'n':>3} {'R@5':>5} {'MRR':>5} {'facts':>5} {'ans':>5}"]
        groups = {**self.by_persona(), **self.by_language()}
        for name, s in groups.items():
            rows.append(
                f"{name or '-':14} {s['questions']:>3} {_fmt(s['evidence_recall@5'])} "
                f"{_fmt(s['mrr'])} {_fmt(s['facts_present'])} {_fmt(s['answerable_accuracy'])}"
            )
        rows += ["", self.calibration()]
        return "\n".join(rows)

    def by_language(self) -> dict[str, dict[str, Any]]:
        """The summary of the questions asked in English, and of those in Swedish."""
        names = {"en": "english", "sv": "swedish"}
        languages = sorted({q.language for q in self.questions})
        return {
            names.get(lang, lang): _summary([q for q in self.questions if q.language == lang])
            for lang in languages
        }

    def calibration(self) -> str:
        """How the refusal decided: unanswerable questions answered, answerable refused."""
        unanswerable = [q for q in self.questions if not q.answerable_expected]
        answerable = [q for q in self.questions if q.answerable_expected]
        answered = sum(q.answerable_given for q in unanswerable)
        refused = sum(not q.answerable_given for q in answerable)
        return (
            f"calibration: {answered} of {len(unanswerable)} unanswerable questions answered, "
            f"{refused} of {len(answerable)} answerable questions refused"
        )


def _summary(qs: list[QuestionResult]) -> dict[str, Any]:
    """Retrieval, answer and refusal figures over some questions (nan where none apply)."""

    def metric(name: str) -> float:
        values = [getattr(q, name) for q in qs if getattr(q, name) is not None]
        return mean(values) if values else float("nan")

    answerable = [q for q in qs if q.answerable_expected]
    unanswerable = [q for q in qs if not q.answerable_expected]
    return {
        "questions": len(qs),
        "evidence_recall@1": metric("evidence_recall_at_1"),
        "evidence_recall@5": metric("evidence_recall_at_5"),
        "mrr": metric("reciprocal_rank"),
        "facts_present": metric("facts_present"),
        "quotes_verbatim": metric("quotes_verbatim"),
        "wrong_evidence_cited": metric("wrong_cited"),
        "answerable_accuracy": _share([q.answerable_given == q.answerable_expected for q in qs]),
        "answered_when_answerable": _share([q.answerable_given for q in answerable]),
        "refused_when_unanswerable": _share([not q.answerable_given for q in unanswerable]),
    }


def _share(flags: list[bool]) -> float:
    return mean(flags) if flags else float("nan")


def _fmt(value: float | None) -> str:
    return f"{value:5.2f}" if value is not None and value == value else "    -"  # None, nan


PERSONAS = frozenset(
    ["staff", "onboarding", "wording", "compare", "falkoping", "list", "unanswerable", "feedback"]
)


def question_problems(item: dict[str, Any], texts: dict[str, str]) -> list[str]:
    """What is wrong with one question of a question file, given the documents' indexed
    texts by id: unknown documents or persona, evidence that is not in its documents (after
    folding case, diacritics and whitespace), an answerable question without evidence."""
    where = item.get("id", "?")
    problems = [f"{where}: no {k}" for k in ("id", "question", "persona") if not item.get(k)]
    if item.get("persona") and item["persona"] not in PERSONAS:
        problems.append(f"{where}: unknown persona {item['persona']!r}")
    docs = item.get("docs", [])
    problems += [f"{where}: unknown document {d!r}" for d in docs if d not in texts]
    if not isinstance(item.get("answerable"), bool):
        problems.append(f"{where}: answerable must be true or false")
    if item.get("answerable") and not (item.get("evidence") and item.get("facts")):
        problems.append(f"{where}: an answerable question needs evidence and facts")
    history = item.get("history", [])
    if not (isinstance(history, list) and all(isinstance(h, str) and h for h in history)):
        problems.append(f"{where}: history must be a list of the earlier questions")
    folded = [comparable(texts[d]) for d in docs if d in texts]
    for evidence in item.get("evidence", []):
        if not any(comparable(evidence) in text for text in folded):
            problems.append(f"{where}: evidence not in {docs}: {evidence!r}")
    return problems


def load_questions(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def retrieval_scores(evidence: list[str], texts: list[str]) -> tuple[float, float, float]:
    """Recall@1, recall@5 and reciprocal rank of folded evidence among folded result texts."""
    r1 = mean(any(e in t for t in texts[:1]) for e in evidence)
    r5 = mean(any(e in t for t in texts[:5]) for e in evidence)
    ranks = [i for i, t in enumerate(texts, start=1) if any(e in t for e in evidence)]
    return r1, r5, (1 / ranks[0] if ranks else 0.0)


def evaluate_question(pipeline: Pipeline, item: dict[str, Any]) -> QuestionResult:
    results = pipeline.search(item["question"], k=10)
    answer = pipeline.ask(item["question"], history=item.get("history", []))
    if answer.interpreted_question:  # retrieval is scored on the question as it was read
        results = pipeline.search(answer.interpreted_question, k=10)
    evidence = [comparable(e) for e in item.get("evidence", [])]
    texts = [comparable(r.text) for r in results]
    r1 = r5 = rr = None
    missing_evidence: list[str] = []
    if evidence:
        r1, r5, rr = retrieval_scores(evidence, texts)
        missing_evidence = [e for e in evidence if not any(e in t for t in texts[:5])]
    facts = item.get("facts", [])
    folded_answer = comparable(answer.answer)
    facts_present = mean(comparable(f) in folded_answer for f in facts) if facts else None
    quotes = [c.quote in pipeline.document_text(c.doc_id) for c in answer.citations]
    wrong = [comparable(w) for w in item.get("wrong_evidence", [])]
    cited = [comparable(c.quote) for c in answer.citations]
    wrong_cited = mean(any(w in q or q in w for q in cited) for w in wrong) if wrong else None
    return QuestionResult(
        id=str(item.get("id", "")),
        question=item["question"],
        persona=str(item.get("persona", "")),
        language=answer.language,
        answerable_expected=bool(item.get("answerable", True)),
        answerable_given=answer.answerable,
        evidence_recall_at_1=r1,
        evidence_recall_at_5=r5,
        reciprocal_rank=rr,
        facts_present=facts_present,
        quotes_verbatim=mean(quotes) if quotes else None,
        answer=answer.answer,
        missing_evidence=missing_evidence,
        missing_facts=[f for f in facts if comparable(f) not in folded_answer],
        wrong_cited=wrong_cited,
    )


def evaluate(pipeline: Pipeline, path: Path) -> EvalReport:
    return EvalReport([evaluate_question(pipeline, item) for item in load_questions(path)])
