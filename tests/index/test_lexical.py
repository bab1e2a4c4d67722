import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from index.lexical import SwedishBM25
from lang import SWEDISH_STOPWORDS, tokenize


def test_query_and_passage_with_the_same_words_tokenize_alike():
    query = tokenize("Vilka vänorter har Falun?")
    passage = tokenize("Falu kommuns vänorter")
    assert "vanort" in query
    assert "vanort" in passage
    assert tokenize("VÄNORTER") == tokenize("vänorter") == tokenize("vänort")


def test_stop_words_dropped_but_mal_and_numbers_kept():
    tokens = tokenize("Mål 7 för år 2023 och det som är viktigt")
    assert tokens[:2] == ["mal", "7"]
    assert "2023" in tokens
    assert "ar" in tokens  # "år" is a content word here
    assert not {"för", "och", "det", "som", "är"} & set(tokens)
    assert "mål" not in SWEDISH_STOPWORDS


def test_hyphenated_word_also_yields_its_parts():
    tokens = tokenize("EU-fonder")
    assert tokens == ["eu-fond", "eu", "fond"]
    assert set(tokenize("EU fonder")) <= set(tokens)


def test_diacritics_folded_so_unaccented_queries_match():
    assert tokenize("vanorter") == tokenize("vänorter")
    assert tokenize("radet") == tokenize("rådet")


def test_decomposed_input_tokenizes_like_composed():
    text = "Förvaltningarnas mål för världen"
    assert tokenize(unicodedata.normalize("NFD", text)) == tokenize(text)


@given(st.text(alphabet=st.sampled_from("abcåäöéAÅÖ-0123 .,?\n"), max_size=60))
def test_tokens_are_nonempty_lowercase_and_normalization_invariant(text):
    tokens = tokenize(text)
    assert all(t and t == t.lower() for t in tokens)
    assert tokenize(unicodedata.normalize("NFD", text)) == tokens
    assert tokenize(text.upper()) == tokens


def _bm25(corpus):
    _, chunks = corpus
    return SwedishBM25().build([c.chunk_id for c in chunks], [c.text for c in chunks]), chunks


def test_swedish_stemming_matches_inflections(corpus):
    bm25, chunks = _bm25(corpus)
    hits = bm25.search("vänort", k=5)  # passages say "vänorter" and "vänort"
    assert {cid for cid, _ in hits} == {chunks[0].chunk_id, chunks[-1].chunk_id}
    assert bm25.search("Vilka vänorter har Falu kommun?", k=5)[0][0] == chunks[0].chunk_id
    assert all(score > 0 for _, score in hits)


def test_only_positive_scores_and_unknown_words_give_nothing(corpus):
    bm25, _ = _bm25(corpus)
    assert bm25.search("xyzzy qwerty", k=5) == []
    assert bm25.search("och det som", k=5) == []  # only stop words
    assert len(bm25.search("vänort", k=100)) == 2


def test_allowed_ids_restrict_results(corpus):
    bm25, chunks = _bm25(corpus)
    falkoping = chunks[-1].chunk_id
    unfiltered = dict(bm25.search("vänorter", k=5))
    filtered = bm25.search("vänorter", k=5, allowed_ids={falkoping})
    assert filtered == [(falkoping, unfiltered[falkoping])]
    assert bm25.search("vänorter", k=5, allowed_ids=set()) == []


def test_search_accepts_pre_tokenized_query(corpus):
    bm25, _ = _bm25(corpus)
    assert bm25.search(tokenize("EU-fonder 2021"), k=3) == bm25.search("EU-fonder 2021", k=3)


def test_save_load_round_trip(tmp_path, corpus):
    bm25, chunks = _bm25(corpus)
    bm25.save(tmp_path / "bm25")
    loaded = SwedishBM25.load(tmp_path / "bm25")
    assert loaded.chunk_ids == [c.chunk_id for c in chunks]
    for query in ["vänorter", "mål 7", "EU-fonder", "budget"]:
        assert loaded.search(query, k=5) == bm25.search(query, k=5)


def test_empty_corpus(tmp_path):
    bm25 = SwedishBM25().build([], [])
    assert bm25.search("vänorter", k=5) == []
    bm25.save(tmp_path / "bm25")
    assert SwedishBM25.load(tmp_path / "bm25").search("vänorter", k=5) == []


def _reference_search(index: SwedishBM25, tokens: list[str], k: int, allowed=None):
    """The search as bm25s itself scores it (np.add.at), every positive score sorted."""
    import numpy as np

    ids = [index._vocab[t] for t in tokens if t in index._vocab]
    if not ids:
        return []
    scores = np.asarray(index._bm25.get_scores_from_ids(ids), dtype=np.float64)
    if allowed is not None:
        scores = np.where([c in allowed for c in index.chunk_ids], scores, 0.0)
    positive = np.flatnonzero(scores > 0)
    order = positive[np.argsort(-scores[positive], kind="stable")][:k]
    return [(index.chunk_ids[i], float(scores[i])) for i in order]


WORDS = ["vänort", "kommun", "plan", "mål", "råd", "skola", "gruva", "år", "stöd", "land"]


@settings(max_examples=60, deadline=None)
@given(
    docs=st.lists(st.lists(st.sampled_from(WORDS), max_size=12), min_size=4, max_size=40),
    query=st.lists(st.sampled_from(WORDS), min_size=1, max_size=6),
    k=st.integers(1, 6),  # mostly fewer than the matching chunks: the top-k cut is tested
    keep=st.one_of(st.none(), st.sets(st.integers(0, 39))),
)
def test_sparse_scoring_and_top_k_give_bm25s_own_ranking(docs, query, k, keep):
    # few words, short docs: many equal scores, so tie order (corpus order) is tested too
    ids = [f"c{i}" for i in range(len(docs))]
    index = SwedishBM25().build(ids, [" ".join(d) for d in docs])
    allowed = None if keep is None else {f"c{i}" for i in keep}
    if index._bm25 is None:
        assert index.search(query, k, allowed) == []
        return
    tokens = [t for w in query for t in tokenize(w)]
    assert index.search(tokens, k, allowed) == _reference_search(index, tokens, k, allowed)
