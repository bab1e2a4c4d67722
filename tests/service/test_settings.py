"""One settings object: defaults from the stage configs, env names as documented, parts handed down."""

from __future__ import annotations

import re
from pathlib import Path

from index.config import EmbedderConfig, RetrievalConfig
from index.hybrid import HybridRetriever, reciprocal_rank_fusion
from ingest.chunk import ChunkerConfig
from service.answer.extractive import AnswerConfig
from service.config import AuditConfig, HttpConfig, LlmConfig
from service.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_default_comes_from_its_stage_config():
    settings = Settings()
    assert settings.retrieval == RetrievalConfig()
    assert settings.chunker == ChunkerConfig()
    assert settings.embedding == EmbedderConfig()
    assert settings.answer == AnswerConfig()
    assert settings.llm == LlmConfig()
    assert settings.audit == AuditConfig()
    assert settings.http == HttpConfig()
    assert settings.ingest.chunker == ChunkerConfig()


def test_the_index_defaults_are_the_products_fusion():
    product = Settings().retrieval
    assert HybridRetriever.__init__.__defaults__ == (product, None, None)  # no centrality, units
    fused = dict(reciprocal_rank_fusion([["a"]], [1.0]))
    assert fused["a"] == 1.0 / (product.rrf_k + 1)


def test_every_documented_variable_reaches_its_stage(monkeypatch):
    documented = set(re.findall(r"FALUN_KB_([A-Z_]+)", README.read_text(encoding="utf-8")))
    fields = {name.upper() for name in Settings.model_fields}
    assert documented <= fields
    monkeypatch.setenv("FALUN_KB_RRF_K", "7")
    monkeypatch.setenv("FALUN_KB_LEXICAL_WEIGHT", "3")
    monkeypatch.setenv("FALUN_KB_CHUNK_MAX_CHARS", "500")
    monkeypatch.setenv("FALUN_KB_HOME_MUNICIPALITY", "Testby kommun")
    monkeypatch.setenv("FALUN_KB_LLM_TIMEOUT", "5")
    settings = Settings()
    assert (settings.retrieval.rrf_k, settings.retrieval.lexical_weight) == (7, 3.0)
    assert settings.chunker.max_chars == 500
    assert settings.answer.home_municipality == "Testby kommun"
    assert settings.llm.timeout == 5.0


def test_the_example_questions_are_a_data_file(tmp_path):
    from service.http.app import example_questions

    examples = example_questions(Settings().examples_file)
    assert len(examples) == 5 and all(q.endswith("?") for q in examples)
    assert example_questions(tmp_path / "none.txt") == []
