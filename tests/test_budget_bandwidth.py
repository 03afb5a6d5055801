"""Bandwidth budget: scale-up, bisection, scale-out and their ratio, hand-computed."""

from __future__ import annotations

import pytest
from budget_fixtures import small_with_workloads

from solver.budgets import bandwidth
from solver.units import Quantity


@pytest.fixture(scope="module")
def cat():
    return small_with_workloads()


def test_switched_domain(cat):
    xpu = cat.accelerators["xpu"]  # 900 GB/s scale-up, 400 Gbit/s NIC
    assert bandwidth.scale_up_bandwidth(xpu) == Quantity(900, "GB/s")
    assert bandwidth.scale_out_bandwidth(xpu) == Quantity(50, "GB/s")
    assert bandwidth.scale_up_to_out_ratio(xpu) == pytest.approx(18.0)
    # 36 accelerators on each side of the cut, each at 900 GB/s
    assert bandwidth.bisection_bandwidth(xpu, 72).to("TB/s").m == pytest.approx(32.4)
    assert bandwidth.bisection_bandwidth(xpu, 1).m == 0


def test_mesh_domain(cat):
    meshy = cat.accelerators["meshy"]  # 7 links, 448 GB/s -> 64 GB/s per link
    # 4 x 4 pairs cross the cut, one 64 GB/s link each
    assert bandwidth.bisection_bandwidth(meshy, 8).to("GB/s").m == pytest.approx(1024)
    with pytest.raises(ValueError, match="full mesh of 9 needs 8 links"):
        bandwidth.bisection_bandwidth(meshy, 9)


def test_summary_units(cat):
    s = bandwidth.summary(cat.accelerators["xpu"], 72)
    assert s["scale_out_total"].to("TB/s").m == pytest.approx(3.6)
    assert s["bisection"].check("[information]/[time]")


def test_shipped_ratios_match_the_fact_sheet(shipped):
    catalog, _ = shipped
    ratios = {
        a: bandwidth.scale_up_to_out_ratio(catalog.accelerators[a]) for a in ("gb200", "gb300")
    }
    assert ratios == pytest.approx({"gb200": 18.0, "gb300": 9.0})
