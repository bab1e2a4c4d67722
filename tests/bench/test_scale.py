from bench.scale import swedishish_vocabulary


def test_vocabulary_is_distinct_and_deterministic():
    words = swedishish_vocabulary(2000, seed=1)
    assert len(words) == len(set(words)) == 2000
    assert words == swedishish_vocabulary(2000, seed=1)
    assert all(w.isalpha() for w in words)
