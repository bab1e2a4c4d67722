"""A bounded load run against the real server: no errors, and memory that settles.

The reported run is `python -m bench.soak --clients 32 --seconds 60`; CI runs shorter rounds.
"""

import pytest

from bench.soak import soak
from service.pipeline import run_ingest
from service.settings import Settings
from tests.conftest import CORPUS

pytestmark = [pytest.mark.slow, pytest.mark.server]


def test_32_concurrent_clients_get_no_errors_and_memory_settles(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=CORPUS)
    run_ingest(settings)
    result = soak(settings.data_dir, clients=32, seconds=8, settle=2)
    assert result["errors"] == 0, result["rounds"]
    assert all(r["requests"] > 32 for r in result["rounds"])
    assert result["rss_growth_between_rounds"] < 0.10, result
