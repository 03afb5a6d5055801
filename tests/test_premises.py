"""The premises a planner checks against published systems: shelves, coolant flow, reach
from the loss budget, floor loads, redundancy."""

from __future__ import annotations

import pytest
from conftest import solve_small

from solver.catalog import load_catalog, load_constraints
from solver.design import build_space
from solver.engine import solve


def _check(result, prefix):
    return next(c for c in result.checks if c.limit_name.startswith(prefix))


def test_gb200_nvl72_matches_the_published_rack(shipped_results):
    r = shipped_results["gb200"]
    d, t = r.design, r.totals
    assert r.domain_size == 72 and d.cables == 5184
    assert 7 <= d.power_shelves <= 9  # published: 8 x 33 kW
    assert 115 <= t["power"].to("kW").magnitude <= 135
    assert 60 <= t["coolant_flow"].to("L/min").magnitude <= 110  # published ~80 L/min
    assert 0.5 <= t["mean_run"].to("m").magnitude <= 0.8  # published ~0.62 m
    assert d.cable.id == "twinax-200g-26awg"
    assert _check(r, "distributed load").ok and _check(r, "point load").ok
    peak = _check(r, "peak (1.4 × steady)")
    assert peak.ok and peak.used.to("kW").magnitude == pytest.approx(
        1.4 * t["it_power"].to("kW").magnitude
    )


def _reach(lane_rate: str, lanes: int) -> float:
    overrides = [
        ("accelerators.gb200.scale_up.lane_rate", lane_rate),
        ("accelerators.gb200.scale_up.lanes_per_link", str(lanes)),
        ("cables.twinax-200g-26awg.lane_rate", lane_rate),
    ]
    catalog = load_catalog(overrides=overrides)
    space = build_space(
        catalog, load_constraints().profile, "gb200", {"cable": "twinax-200g-26awg"}
    )
    return space.usable_reach(space.cables[0]).to("m").magnitude


def test_reach_follows_the_lane_rate():
    at_100, at_200, at_400 = (
        _reach("100 Gbit/s", 4),
        _reach("200 Gbit/s", 2),
        _reach("400 Gbit/s", 1),
    )
    assert at_100 > at_200 > at_400 > 0
    assert 2 <= at_100 <= 3.5  # published ~2-3 m at 100G per lane
    assert 1 <= at_200 <= 1.6  # ~1-1.5 m at 200G
    assert at_400 < 0.9  # 400G per lane: copper barely leaves the tray


def test_400g_lanes_move_gb200_off_26awg_copper():
    overrides = [
        ("accelerators.gb200.scale_up.lane_rate", "400 Gbit/s"),
        ("accelerators.gb200.scale_up.lanes_per_link", "1"),
        ("cables.twinax-200g-26awg.lane_rate", "400 Gbit/s"),
    ]
    catalog = load_catalog(overrides=overrides)
    pinned = solve(
        catalog, load_constraints(), "gb200", pins={"cable": "twinax-200g-26awg"}, time_limit=20
    )
    assert pinned.domain_size < 72 and "reach" in pinned.binding


def test_2n_needs_an_even_count_and_more_shelves_than_n_plus_1():
    n1 = solve_small(overrides=[("profile.shelf_redundancy", "N+1")])
    two = solve_small(overrides=[("profile.shelf_redundancy", "2N")])
    assert n1.domain_size == two.domain_size == 72
    assert two.design.power_shelves % 2 == 0
    assert two.design.power_shelves > n1.design.power_shelves
    half = two.design.power_shelves // 2 * 33  # each side alone carries the peak
    assert half >= _check(two, "peak").used.to("kW").magnitude


def test_a_single_shelf_is_never_2n():
    r = solve_small(
        overrides=[
            ("profile.shelf_redundancy", "2N"),
            ("power_shelves.test-shelf.capacity", "500 kW"),
        ]
    )
    assert r.design.power_shelves == 2


def test_docs_physics_quotes_the_gb200_run(shipped_results):
    """docs/physics.md works GB200 through by hand; its figures must match a fresh run."""
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "docs" / "physics.md").read_text()
    r = shipped_results["gb200"]
    t = r.totals
    it, peak = t["it_power"].to("kW").magnitude, t["peak_power"].to("kW").magnitude
    quoted = [
        f"steady IT {it:.1f} kW",
        f"1.4 × {it:.1f} = {peak:.1f} kW",
        f"N+1 needs\n⌈{peak:.1f} / 27.5⌉ + 1 = {r.design.power_shelves}",
        f"{t['liquid_heat'].to('kW').magnitude:.1f} kW of liquid heat needs "
        f"{t['coolant_flow'].to('L/min').magnitude:.0f} L/min",
        f"{t['mass'].to('kg').magnitude:,.0f} kg over",
        f"≈ {_check(r, 'distributed load').used.to('kg/m^2').magnitude:.0f} kg/m²",
        f"{_check(r, 'point load').used.to('kN').magnitude:.1f} kN per caster",
    ]
    missing = [q for q in quoted if q not in text]
    assert not missing, f"docs/physics.md is stale: {missing}"
