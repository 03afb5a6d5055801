"""MoE all-to-all budget: inside one domain vs across domains, and the knee."""

from __future__ import annotations

import pytest
from budget_fixtures import small_with_workloads

from solver.budgets import moe
from solver.units import Quantity

SENT = 256 * 8 * 7168 * 2  # tokens x top-k x hidden x 2 B = 29,360,128 B per phase


@pytest.fixture(scope="module")
def cat():
    return small_with_workloads()


def test_inside_one_domain_hand_computed(cat):
    xpu = cat.accelerators["xpu"]  # 900 GB/s, no published latency -> 1 us default
    a2a = moe.all_to_all(xpu, 256, 7168, 8, participants=72, domain_size=72)
    phase_us = 1 + SENT * 71 / 72 / 900e9 * 1e6  # 33.1706 us
    assert a2a.scale_up_time.to("us").m == pytest.approx(phase_us)
    assert a2a.scale_out_time.m == 0
    assert a2a.layer_time.to("us").m == pytest.approx(2 * phase_us)  # 66.34 us
    assert a2a.cross_share == 0


def test_across_two_domains_is_about_nine_times_slower(cat):
    xpu = cat.accelerators["xpu"]
    inside = moe.all_to_all(xpu, 256, 7168, 8, 72, 72)
    across = moe.all_to_all(xpu, 256, 7168, 8, 144, 72)
    up_us = 1 + SENT * 71 / 144 / 900e9 * 1e6  # 17.085 us over NVLink-class links
    out_us = 3 + SENT * 72 / 144 / 50e9 * 1e6  # 296.60 us over 400 Gbit/s NICs
    assert across.scale_up_time.to("us").m == pytest.approx(up_us)
    assert across.scale_out_time.to("us").m == pytest.approx(out_us)
    assert across.layer_time.to("us").m == pytest.approx(2 * out_us)  # 593.2 us
    assert across.domains == 2
    assert across.cross_share == pytest.approx(72 / 143)
    assert (across.layer_time / inside.layer_time).m == pytest.approx(8.94, abs=0.01)


def test_workload_dims(cat):
    a2a = moe.workload_all_to_all(
        cat.accelerators["xpu"], cat.workloads["deepseek-v3"], 256, 72, 72
    )
    assert a2a.bytes_per_phase.to("B").m == pytest.approx(SENT * 71 / 72)
    with pytest.raises(ValueError, match="not an MoE model"):
        moe.workload_all_to_all(cat.accelerators["xpu"], cat.workloads["llama-3.1-8b"], 1, 8, 8)


def test_largest_layer_has_a_knee_at_the_domain_boundary(cat):
    xpu, dsv3 = cat.accelerators["xpu"], cat.workloads["deepseek-v3"]
    rows = moe.layer_frontier(xpu, dsv3, 72, 256, Quantity(200, "us"), max_domains=3)
    by_p = {r["participants"]: r for r in rows}
    # one fp8 expert: 3 x 7168 x 2048 = 44,040,192 B; 58 layers; 80% of 192 GB per accelerator
    assert by_p[72]["max_experts"] == int(72 * 192e9 * 0.8 // (58 * 44_040_192))  # 4329
    assert by_p[144]["max_experts"] == int(144 * 192e9 * 0.8 // (58 * 44_040_192))
    assert by_p[72]["meets_budget"] and not by_p[144]["meets_budget"]
    best = moe.largest_layer(rows)
    assert best["participants"] == 72  # capped at one domain although memory keeps growing
    assert best["max_layer_params"] == 4329 * 44_040_192
    tight = moe.layer_frontier(xpu, dsv3, 72, 256, Quantity(10, "us"))
    assert moe.largest_layer(tight)["participants"] == 1
