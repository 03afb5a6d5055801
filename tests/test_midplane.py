"""Blades through a PCB midplane (no cable spine) and accelerators outside the domain.

The blade fixture (tests/data/blade, loaded beside tests/data/small) is a 24-position
vertical chassis whose midplane joins 4-accelerator compute blades to 2-chip switch blades.
"""

from __future__ import annotations

import pytest
from conftest import SMALL_PROFILE, TIME_LIMIT

from solver.catalog import load_catalog, load_constraints
from solver.engine import solve
from solver.units import Quantity

CATALOGS = ["tests/data/small", "tests/data/blade"]


def solve_blade(overrides=(), **kwargs):
    catalog = load_catalog(CATALOGS, overrides)
    profile = load_constraints(SMALL_PROFILE, overrides)
    kwargs.setdefault("accelerator", "bxpu")
    return solve(catalog, profile, time_limit=TIME_LIMIT, **kwargs)


@pytest.fixture(scope="module")
def baseline():
    return solve_blade(pins={"compute_tray": "bxpu-blade"})


def test_blades_reach_the_radix_without_cables(baseline):
    d = baseline.design
    assert baseline.status == "optimal" and baseline.domain_size == 72
    assert d.cable is None and d.cables == 0 and d.links == 72 * 18
    assert "midplane" in d.topology
    midplane = [c for c in baseline.checks if c.family == "midplane"]
    assert {c.limit_name.split(" vs")[0] for c in midplane} == {
        "pairs per blade",
        "switch blades",
        "longest trace",
    }
    assert all(c.ok for c in baseline.checks)


def test_switch_blades_take_no_front_position(baseline):
    d = baseline.design
    space = next(c for c in baseline.checks if c.limit_name == "blade positions")
    reserved = 2  # the small profile's management slots
    assert space.used.magnitude == d.compute_trays + d.power_shelves + reserved
    assert not d.layout.of_kind("switch_tray")


@pytest.mark.parametrize(
    ("override", "reason"),
    [
        (("midplanes.test-midplane.pairs_per_slot", "287"), "pins"),  # a blade needs 288
        (("midplanes.test-midplane.longest_trace", "0.3 m"), "trace"),  # reach is 0.25 m
    ],
)
def test_connector_pins_and_trace_reach_rule_blades_out(override, reason):
    result = solve_blade([override], pins={"compute_tray": "bxpu-blade"})
    assert result.status == "infeasible", reason
    assert result.binding == ("midplane",), result.explanation


def test_rear_positions_bind():
    result = solve_blade(
        [("midplanes.test-midplane.switch_positions", "8")], pins={"compute_tray": "bxpu-blade"}
    )
    assert result.status == "optimal" and 0 < result.domain_size < 72
    assert "midplane" in result.binding, result.explanation
    blades = next(c for c in result.checks if c.limit_name.startswith("switch blades"))
    assert blades.used.magnitude <= 8


def test_a_rack_without_midplane_is_named():
    result = solve_blade(pins={"compute_tray": "bxpu-blade", "rack": "test-rack"})
    assert result.status == "infeasible"
    assert "midplane rated for 200" in result.explanation


def test_chips_outside_the_domain_draw_power_but_do_not_count():
    result = solve_blade(pins={"compute_tray": "bxpu-pcie-blade"})
    d = result.design
    assert result.status == "optimal"
    assert result.domain_size == 4 * d.compute_trays  # the 4 outside chips are not counted
    it = next(v for k, v in result.totals.items() if k == "it_power")
    blade = Quantity(4 * 1 + 4 * 0.5 + 1, "kW")  # in-domain, outside, overhead
    switches = Quantity(0.8, "kW") * d.switch_trays
    assert it.to("kW").magnitude == pytest.approx(
        (d.compute_trays * blade + switches + Quantity(1, "kW")).to("kW").magnitude
    )


def test_accelerators_only_carried_outside_are_not_solved_alone():
    catalog = load_catalog(CATALOGS)
    assert "sidekick" in catalog.accelerators
    assert "sidekick" not in catalog.domain_accelerators()
