"""Perf/W budget: per accelerator, per design (whole rack draw), and the trend."""

from __future__ import annotations

import pytest
from budget_fixtures import small_with_workloads

from solver.budgets import perf_per_watt as ppw
from solver.catalog import load_constraints
from solver.engine import solve
from solver.parts import draw_power
from solver.units import Quantity

PROFILE = "tests/data/small-profile.yaml"


def test_accelerator_perf_per_watt():
    xpu = small_with_workloads().accelerators["xpu"]  # 2 PFLOP/s over 1 kW
    assert ppw.accelerator_perf_per_watt(xpu) == Quantity(2, "TFLOP/s/W")
    with pytest.raises(ValueError, match="no dense fp8"):
        ppw.accelerator_perf_per_watt(xpu, "fp8")


def test_design_perf_per_watt_counts_the_whole_rack():
    cat = small_with_workloads()
    from solver.catalog import PROJECT_ROOT

    result = solve(cat, load_constraints(PROJECT_ROOT / PROFILE), accelerator="xpu")
    draw = draw_power(result.design, result.space)
    value = ppw.design_perf_per_watt(result.design.accelerator, 72, draw)
    assert value.to("TFLOP/s/W").m == pytest.approx(144_000 / draw.to("W").m)
    assert value < ppw.accelerator_perf_per_watt(result.design.accelerator)  # overheads
    assert ppw.design_perf_per_watt(result.design.accelerator, 72, draw, facility_overhead=1.2) < (
        value
    )


def test_trend_plateaus_after_b200(shipped):
    catalog, _ = shipped
    rows = {r["accelerator"]: r for r in ppw.trend(catalog, vendor="NVIDIA")}
    tf = {k: r["perf_per_watt"].to("TFLOP/s/W").m for k, r in rows.items()}
    assert tf["a100"] == pytest.approx(312 / 400)
    assert tf["h100"] == pytest.approx(989 / 700)
    assert tf["b200"] == pytest.approx(2.25)
    assert tf["gb300"] == pytest.approx(2500 / 1400)
    assert tf["h100"] / tf["a100"] > 1.8  # the old doubling per generation ...
    assert tf["gb300"] < tf["b200"]  # ... is gone in BF16
