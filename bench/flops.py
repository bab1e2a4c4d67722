"""How close the embedder runs to this CPU's matrix-multiply limit: FLOP model and GEMM probe."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class EncoderShape:
    """A BERT-style encoder's matmul dimensions (multilingual-e5-small by default)."""

    layers: int = 12
    hidden: int = 384
    ffn: int = 1536

    @property
    def matmul_params(self) -> int:
        """Weights used in matmuls per layer × layers: Q, K, V, O (4·h²) and the FFN (2·h·f)."""
        return self.layers * (4 * self.hidden**2 + 2 * self.hidden * self.ffn)


E5_SMALL = EncoderShape()


def flops_per_token(seq_len: int, shape: EncoderShape = E5_SMALL) -> float:
    """Forward FLOPs per token: 2 per matmul weight, plus attention scores and mixing
    (QKᵀ and AV: 2·L·h each per layer) for a sequence of `seq_len` tokens."""
    return 2 * shape.matmul_params + shape.layers * 4 * seq_len * shape.hidden


def sequence_flops(token_counts: Sequence[int], shape: EncoderShape = E5_SMALL) -> float:
    """Total forward FLOPs for passages of these token counts, each run as its own sequence."""
    return sum(n * flops_per_token(n, shape) for n in token_counts)


def efficiency(tokens_per_s: float, gflops: float, flops_per_tok: float) -> float:
    """Measured tokens/s as a share of the GEMM-bound limit (GFLOP/s ÷ FLOPs per token)."""
    limit = gflops * 1e9 / flops_per_tok
    return tokens_per_s / limit if limit > 0 else float("nan")


def measure_gemm_gflops(
    n: int = 1024, repeats: int = 5, m: int | None = None, k: int | None = None
) -> float:
    """Median float32 GEMM throughput of numpy's BLAS for an (m×k)·(k×n) product, in GFLOP/s."""
    import numpy as np

    m, k = m or n, k or n
    rng = np.random.default_rng(0)
    a = rng.standard_normal((m, k), dtype=np.float32)
    b = rng.standard_normal((k, n), dtype=np.float32)
    a @ b  # warm-up: BLAS threads and pages
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - start)
    times.sort()
    return 2 * m * n * k / times[len(times) // 2] / 1e9


def layer_gemms(shape: EncoderShape = E5_SMALL) -> list[tuple[int, int]]:
    """(k, n) of each weight matmul in one layer: Q, K, V, O (h→h), FFN in (h→f), out (f→h)."""
    h, f = shape.hidden, shape.ffn
    return [(h, h)] * 4 + [(h, f), (f, h)]


def model_gemm_rate(
    tokens: int, backend: str = "numpy", shape: EncoderShape = E5_SMALL, repeats: int = 5
) -> tuple[float, float]:
    """float32 GEMM throughput at the model's shapes: one layer's six weight matmuls on a
    (tokens × k) activation, by `backend` ("numpy" = its BLAS, or "torch"), in GFLOP per wall
    second and per process-CPU second (medians of `repeats` after a warm-up)."""
    import numpy as np

    rng = np.random.default_rng(0)
    pairs = [
        (
            rng.standard_normal((tokens, k), dtype=np.float32),
            rng.standard_normal((k, n), np.float32),
        )
        for k, n in layer_gemms(shape)
    ]
    if backend == "torch":
        import torch

        tpairs = [(torch.from_numpy(a), torch.from_numpy(b.T.copy())) for a, b in pairs]
        linear = torch.nn.functional.linear

        def layer() -> None:
            with torch.inference_mode():
                for a, w in tpairs:
                    linear(a, w)

    elif backend == "numpy":

        def layer() -> None:
            for a, b in pairs:
                a @ b

    else:
        raise ValueError(f"unknown GEMM backend {backend!r}")
    flops = sum(2 * tokens * k * n for k, n in layer_gemms(shape))
    layer()  # warm-up: threads, pages
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        layer()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    walls.sort()
    cpus.sort()
    return flops / walls[len(walls) // 2] / 1e9, flops / cpus[len(cpus) // 2] / 1e9
