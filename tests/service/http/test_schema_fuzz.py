"""Schemathesis against the app's own OpenAPI schema: no generated input gives a 500."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings

schemathesis = pytest.importorskip("schemathesis")
from tests.conftest import CORPUS  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    from service.http.app import create_app
    from service.pipeline import run_ingest
    from service.settings import Settings

    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(CORPUS, root / "corpus")
    app_settings = Settings(
        data_dir=root / "data",
        corpus_dir=root / "corpus",
        rate_limit_per_second=10_000,
        rate_limit_burst=10_000,
    )
    from service.kb import KnowledgeBaseService
    from tests.fakes import HashEmbedding

    embedder = HashEmbedding()
    run_ingest(app_settings, embedder=embedder)
    kb = KnowledgeBaseService.open(app_settings, embedder=embedder)
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(app_settings, kb=kb))


def test_no_input_gives_a_server_error(api_schema):
    # Hypothesis drives each operation's strategy directly: schemathesis' own pytest plugin
    # does not run under pytest 9 (it reads a private attribute pytest removed).
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/api/ask", "/api/search", "/api/wording"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
        def no_server_error(case):
            response = case.call()
            assert response.status_code < 500, (
                case.method,
                case.path,
                case.body,
                response.text[:300],
            )

        no_server_error()
