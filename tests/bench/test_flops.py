import pytest

from bench.flops import (
    E5_SMALL,
    EncoderShape,
    efficiency,
    flops_per_token,
    layer_gemms,
    model_gemm_rate,
    sequence_flops,
)


def test_e5_small_matmul_flops_per_token():
    # 2 × 12 × (4·384² + 2·384·1536) ≈ 42.5 MFLOP, before attention
    assert 2 * E5_SMALL.matmul_params == 2 * 12 * (4 * 384**2 + 2 * 384 * 1536)
    assert 2 * E5_SMALL.matmul_params == pytest.approx(42.47e6, rel=1e-3)


def test_attention_grows_with_sequence_length():
    short, long = flops_per_token(16), flops_per_token(512)
    assert long - short == 12 * 4 * (512 - 16) * 384


def test_sequence_flops_sums_per_passage():
    shape = EncoderShape(layers=1, hidden=2, ffn=4)
    assert sequence_flops([3, 1], shape) == 3 * flops_per_token(3, shape) + flops_per_token(
        1, shape
    )


def test_efficiency_is_share_of_gemm_limit():
    # 100 GFLOP/s at 50 MFLOP/token → 2000 tokens/s limit
    assert efficiency(500, 100.0, 50e6) == pytest.approx(0.25)


def test_a_layers_gemms_are_its_matmul_weights():
    shape = EncoderShape(layers=2, hidden=8, ffn=32)
    assert sum(k * n for k, n in layer_gemms(shape)) * shape.layers == shape.matmul_params


@pytest.mark.parametrize("backend", ["numpy", pytest.param("torch", marks=pytest.mark.st)])
def test_the_gemm_probe_reports_wall_and_cpu_rates(backend):
    if backend == "torch":
        pytest.importorskip("torch")
    wall, cpu = model_gemm_rate(8, backend, EncoderShape(layers=1, hidden=32, ffn=64), 2)
    assert wall > 0 and cpu > 0


def test_the_gemm_probe_knows_its_backends():
    with pytest.raises(ValueError, match="unknown GEMM backend"):
        model_gemm_rate(8, "cublas", EncoderShape(layers=1, hidden=32, ffn=64))
