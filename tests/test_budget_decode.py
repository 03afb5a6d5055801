"""Decode budget: bytes per token, KV cache, hand-computed bound, published speeds."""

from __future__ import annotations

import pytest
from budget_fixtures import small_with_workloads

from solver.budgets import decode
from solver.catalog import load_catalog


@pytest.fixture(scope="module")
def cat():
    return small_with_workloads()


@pytest.mark.parametrize(
    ("workload", "expected"),
    [  # bytes per token in bf16, from workloads.md
        ("llama-3.1-8b", 131_072),
        ("llama-3.1-70b", 327_680),
        ("llama-3.1-405b", 516_096),
        ("mixtral-8x22b", 229_376),
        ("qwen3-235b-a22b", 192_512),
        ("llama-4-maverick", 196_608),
        ("deepseek-v3", 70_272),
        ("kimi-k2", 70_272),
    ],
)
def test_kv_bytes_per_token(cat, workload, expected):
    assert decode.kv_bytes_per_token(cat.workloads[workload]).to("B").m == expected


def test_weights_and_step_bytes(cat):
    dsv3 = cat.workloads["deepseek-v3"]
    assert decode.weight_bytes(dsv3).to("GB").m == pytest.approx(671)  # fp8: 1 B per param
    assert decode.step_weight_bytes(dsv3, 1).to("GB").m == pytest.approx(37)  # active only
    assert decode.experts_touched(256, 8, 1) == 8
    assert decode.experts_touched(256, 8, 2) == pytest.approx(256 * (1 - (1 - 8 / 256) ** 2))
    # a huge batch touches every expert: all weights are read
    assert decode.step_weight_bytes(dsv3, 10_000).to("GB").m == pytest.approx(671, rel=0.03)
    assert decode.step_weight_bytes(cat.workloads["llama-3.1-70b"], 64).to("GB").m == (
        pytest.approx(141.1)
    )


def test_single_user_bound_hand_computed(cat):
    xpu, w = cat.accelerators["xpu"], cat.workloads["llama-3.1-405b"]
    dep = decode.gpu_deployment(xpu, 72)
    step = decode.decode_step(w, dep, 1, 2048)
    weight_us = 405.9e9 * 2 / (72 * 8e12) * 1e6  # 1409.375 us
    kv_us = 2048 * 516_096 / (72 * 8e12) * 1e6  # 1.835 us
    compute_us = 2 * 405.9e9 / (72 * 2e15) * 1e6  # 5.6375 us
    all_reduce_us = 2 * 1 + 2 * 71 / 72 * 16384 * 2 / 900e9 * 1e6  # 2.0718 us
    comm_us = 2 * 126 * all_reduce_us  # 522.1 us
    assert step.weight_time.to("us").m == pytest.approx(weight_us)
    assert step.kv_time.to("us").m == pytest.approx(kv_us)
    assert step.compute_time.to("us").m == pytest.approx(compute_us)
    assert step.comm_time.to("us").m == pytest.approx(comm_us)
    assert step.total.to("us").m == pytest.approx(weight_us + kv_us + comm_us)
    assert step.tokens_per_s_per_user == pytest.approx(1e6 / (weight_us + kv_us + comm_us))
    assert step.interconnect_tax == pytest.approx(comm_us / (weight_us + kv_us + comm_us))
    assert step.fits


def test_capacity_fit_and_batch(cat):
    xpu, w = cat.accelerators["xpu"], cat.workloads["llama-3.1-405b"]
    assert not decode.fits(w, decode.gpu_deployment(xpu, 4))  # 768 GB < 811.8 GB
    assert decode.fits(w, decode.gpu_deployment(xpu, 5))  # 960 GB
    dep = decode.gpu_deployment(xpu, 8)
    room = 8 * 192e9 - 811.8e9
    assert decode.max_batch(w, dep, 2048) == int(room // (2048 * 516_096))  # 685 sequences
    batch, tps = decode.throughput_bound(w, dep, 2048)
    assert batch == 685
    step = decode.decode_step(w, dep, batch, 2048)
    assert tps == pytest.approx(batch / max(step.memory_time, step.compute_time).to("s").m)
    assert tps > 100 * step.tokens_per_s_per_user / 2  # batching multiplies throughput


def test_more_accelerators_read_faster(cat):
    """Claim 4: aggregate memory bandwidth sets decode latency; sparse models gain most."""
    xpu, kimi = cat.accelerators["xpu"], cat.workloads["kimi-k2"]
    t8 = decode.decode_step(kimi, decode.gpu_deployment(xpu, 8, precision="fp8")).total
    t64 = decode.decode_step(kimi, decode.gpu_deployment(xpu, 64, precision="fp8")).total
    assert t64 < t8


def test_no_published_speed_exceeds_its_bound():
    catalog = load_catalog()
    checks = [decode.published_check(catalog, s) for s in catalog.published_speeds.values()]
    assert len(checks) >= 5
    for c in checks:
        if c["counted"]:
            assert c["per_weight_read"] <= c["bound"], c
        else:
            assert "acceptance length" in c["reason"]
    by_id = {c["id"]: c for c in checks}
    assert by_id["cerebras-llama-3.1-405b"]["units"] == 19  # ~19-22 CS-3 reported [S63]
    assert by_id["cerebras-llama-3.1-70b"]["units"] == 4
    assert by_id["dgx-b200-llama-4-maverick"]["units"] == 8
