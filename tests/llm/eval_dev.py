"""The dev questions in extractive and in LLM mode, side by side (the issue's closing numbers).

FALUN_KB_LLM_URL=http://127.0.0.1:8081/v1 .venv/bin/python -m tests.llm.eval_dev [--json F]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from statistics import mean, median

from service.answer.llm import LlmOutcome, LlmWithFallback
from service.answer.llm_client import LlmAnswerer
from service.answer.query import plan_query
from service.evaluate import evaluate
from service.kb import KnowledgeBaseService
from service.models import Answer, Filters
from service.pipeline import run_ingest
from service.settings import Settings
from tests.conftest import DEV_QUESTIONS


class Timed:
    """The extractive pipeline with the time of each ask recorded."""

    def __init__(self, kb: KnowledgeBaseService) -> None:
        self.kb = kb
        self.seconds: list[float] = []

    def search(self, query: str, k: int = 10):
        return self.kb.search(query, k)

    def document_text(self, doc_id: str) -> str:
        return self.kb.document_text(doc_id)

    def ask(self, question: str, filters: Filters | None = None) -> Answer:
        started = time.monotonic()
        answer = self.kb.ask(question, filters)
        self.seconds.append(time.monotonic() - started)
        return answer


class LlmMode(Timed):
    """kb.ask as it will be wired: the extractive answer first, then the LLM's verified one."""

    def __init__(self, kb: KnowledgeBaseService, llm: LlmAnswerer) -> None:
        super().__init__(kb)
        self.llm = llm
        self.outcomes: list[LlmOutcome] = []

    def ask(self, question: str, filters: Filters | None = None) -> Answer:
        started = time.monotonic()
        plan = plan_query(question, self.kb.filter_options()["municipality"], self.kb.lexicon)  # type: ignore[arg-type]
        hits = self.kb.retrieve_for(plan, {})
        out = LlmWithFallback(self.kb.answerer, self.llm).outcome(plan, hits)
        self.seconds.append(time.monotonic() - started)
        self.outcomes.append(out)
        return out.answer


def latency(seconds: list[float]) -> dict[str, float]:
    return {
        "latency_mean_s": mean(seconds),
        "latency_p50_s": median(seconds),
        "latency_max_s": max(seconds),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", type=Path)
    parser.add_argument("--questions", type=Path, default=DEV_QUESTIONS)
    args = parser.parse_args()
    # llm_url=None: the extractive column must not pick FALUN_KB_LLM_URL up from the environment
    settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="falun-kb-eval-")), llm_url=None)
    assert run_ingest(settings).ok
    kb = KnowledgeBaseService.open(settings)
    llm = LlmAnswerer.connect(
        os.environ["FALUN_KB_LLM_URL"],
        os.environ.get("FALUN_KB_LLM_MODEL", "qwen2.5-0.5b-instruct"),
        os.environ.get("FALUN_KB_LLM_API_KEY"),
        float(os.environ.get("FALUN_KB_LLM_TIMEOUT", "120")),
    )
    extractive, generative = Timed(kb), LlmMode(kb, llm)
    reports = {"extractive": evaluate(extractive, args.questions)}
    reports["llm"] = evaluate(generative, args.questions)
    summary = {mode: r.summary() for mode, r in reports.items()}
    summary["extractive"] |= latency(extractive.seconds)
    summary["llm"] |= latency(generative.seconds)
    outs = generative.outcomes
    summary["llm"] |= {
        "answers_in_llm_mode": sum(o.mode == "llm" for o in outs),
        "fallbacks": sum(o.llm_called and o.mode == "extractive" for o in outs),
        "llm_calls": sum(o.llm_called for o in outs),
        "removed_sentences": sum(len(o.removed) for o in outs),
        "unanswerable_sent_to_llm": sum(
            o.llm_called
            for o, q in zip(outs, reports["llm"].questions, strict=True)
            if not q.answerable_expected
        ),
    }
    print(reports["llm"].render())
    print(f"\n{'metric':28} {'extractive':>10} {'llm':>10}")
    for key in summary["llm"]:
        a, b = summary["extractive"].get(key, ""), summary["llm"][key]
        fmt = lambda v: f"{v:10.3f}" if isinstance(v, float) else f"{v!s:>10}"  # noqa: E731
        print(f"{key:28} {fmt(a)} {fmt(b)}")
    for q, o in zip(reports["llm"].questions, outs, strict=True):
        print(
            f"\n{q.id} [{o.mode}{', ' + o.fallback_reason if o.fallback_reason else ''}] "
            f"{o.seconds:.1f}s\n  raw: {o.raw!r}\n  shown: {q.answer[:300]!r}"
        )
        for r in o.removed:
            print(f"  removed: {r.sentence!r} ({r.reason})")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
