"""Pipeline budget: more stages add capacity, never latency gain (claim 3)."""

from __future__ import annotations

import pytest
from budget_fixtures import small_with_workloads

from solver.budgets import pipeline


def test_stages_add_capacity_not_speed():
    cat = small_with_workloads()
    xpu, w = cat.accelerators["xpu"], cat.workloads["llama-3.1-405b"]
    rows = pipeline.stage_scan(w, xpu, per_stage=4, max_stages=4)
    assert [r["fits"] for r in rows] == [False, True, True, True]  # 768 GB per stage
    assert [r["capacity"].to("GB").m for r in rows] == pytest.approx([768, 1536, 2304, 3072])
    assert pipeline.capacity_gain(rows) == pytest.approx(4.0)
    times = [r["token_time"].to("us").m for r in rows]
    assert times == sorted(times)  # each stage only adds a hop
    # the hop: 3 us RDMA latency + 16384 x 2 B over 50 GB/s = 3.65536 us
    assert times[1] - times[0] == pytest.approx(3 + 32768 / 50e9 * 1e6)
    assert pipeline.latency_gain(rows) < 1
