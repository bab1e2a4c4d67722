"""The evaluation data lives in the repository (eval/) and stays in step with ../shared/eval."""

import filecmp
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "eval"
SHARED_EVAL = ROOT.parent / "shared" / "eval"
FILES = ["dev_questions.jsonl", "ocr_dev/raw.txt", "ocr_dev/corrected.txt"]


@pytest.mark.parametrize("name", FILES)
def test_eval_file_is_in_the_repository(name):
    assert (EVAL / name).stat().st_size > 0


@pytest.mark.skipif(not SHARED_EVAL.exists(), reason="no ../shared/eval beside this checkout")
@pytest.mark.parametrize("name", FILES)
def test_eval_file_matches_the_shared_copy(name):
    assert filecmp.cmp(EVAL / name, SHARED_EVAL / name, shallow=False), (
        f"eval/{name} differs from ../shared/eval/{name}: copy the shared one in"
    )
