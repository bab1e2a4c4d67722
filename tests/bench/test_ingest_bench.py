"""The ingest breakdown: every stage timed, scaled to 1 000 chunks, cold vs warm cache."""

import pytest

from bench.ingest_bench import STAGES, _stage_breakdown, breakdown_table, compare_table
from service.settings import Settings
from tests.conftest import CORPUS
from tests.fakes import HashEmbedding


@pytest.mark.slow
def test_breakdown_times_every_stage_cold_and_warm(tmp_path):
    class Counting(HashEmbedding):
        def _embed_passages(self, texts):
            calls.append(len(texts))
            return super()._embed_passages(texts)

    calls: list[int] = []
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=CORPUS)
    r = _stage_breakdown(CORPUS, tmp_path, settings, Counting(), repeats=1)
    assert r["documents"] == 5 and r["chunks"] > 0 and r["units"] > r["chunks"]
    for run in ("cold", "warm"):
        stages = r[run]["stages_s"]
        assert list(stages) == list(STAGES)
        assert r[run]["total_s"] == pytest.approx(sum(stages.values()))
        scale = 1000 / r["chunks"]
        assert r[run]["per_1000_chunks_s"]["embed"] == pytest.approx(stages["embed"] * scale)
    assert r["cold"]["stages_s"]["ocr"] == 0  # no scans in the bundled corpus
    # the cold runs (stages, end to end) embed each text once; the warm ones nothing
    assert 0 < sum(calls) <= 1 + 2 * (r["chunks"] + r["units"])  # 1: the model's warm-up
    e2e = r["end_to_end"]
    assert e2e["cold_reported_s"].keys() == set(STAGES) - {"ocr"}
    assert set(e2e["warm_reported_s"]) == set(STAGES) - {"ocr"}
    table = breakdown_table(r)
    assert all(f"\n{name} " in table for name in STAGES) and "\ntotal " in table


def _fake(total: float, embed: float) -> dict:
    stages = {name: (embed if name == "embed" else (total - embed) / 8) for name in STAGES}
    run = {
        "stages_s": stages,
        "total_s": total,
        "per_1000_chunks_s": {k: v * 10 for k, v in stages.items()},
        "per_1000_chunks_total_s": total * 10,
    }
    return {
        "documents": 5, "chunks": 100, "units": 300, "cold": run, "warm": run,
        "end_to_end": {"cold_s": total, "warm_s": 1.0},
    }  # fmt: skip


def test_compare_gives_after_over_before_per_stage():
    text = compare_table({**_fake(10.0, 8.0), "label": "main"}, {**_fake(6.5, 4.0), "label": "ny"})
    total = next(line for line in text.splitlines() if line.startswith("total"))
    assert total.split()[1:] == ["100", "65.0", "0.650"]
    embed = next(line for line in text.splitlines() if line.startswith("embed"))
    assert embed.split()[-1] == "0.500"
    assert "before: main; after: ny" in text
