"""Each constraint family alone: a feasible case, a case where it binds, an infeasible case.

The small catalog's switched accelerator reaches 72 (radix-bound) by default; each override
below tightens one family's limit so that it becomes the one that stops the domain.
"""

from __future__ import annotations

import pytest
from conftest import solve_small

from solver.families import FAMILIES

# family -> (override that makes it bind below 72, override that makes any domain impossible)
CASES = {
    "space": ([("racks.test-rack.slots", "30")], [("racks.test-rack.slots", "2")]),
    "topology": (
        [("switch_chips.test-switch-chip.ports", "48")],
        [("switch_chips.test-switch-chip.ports", "2")],
    ),
    "cable_density": (
        [("racks.test-rack.spine_area", "300 cm^2")],
        [("racks.test-rack.spine_area", "1 cm^2")],
    ),
    "bend_radius": (None, [("racks.test-rack.rear_clearance", "8 mm")]),
    "reach": (  # the cable's share of the loss budget: 5 dB (1 m of 26 AWG), then 1 dB
        [("channels.test-channel-200g.loss_budget", "25 dB")],
        [("channels.test-channel-200g.loss_budget", "21 dB")],
    ),
    "power": ([("profile.feed_power", "50 kW")], [("profile.feed_power", "3 kW")]),
    "cooling": ([("profile.facility_water", "40 kW")], [("profile.air_cooling", "1 kW")]),
    "weight": (
        [("racks.test-rack.static_load", "800 kg")],
        [("racks.test-rack.static_load", "50 kg")],
    ),
    "floor_load": (
        [("profile.floor_load_rating", "600 kg/m^2")],
        [("profile.floor_load_rating", "150 kg/m^2")],
    ),
}
POINT_LOAD = (  # the floor's point rating binds through the casters instead
    [("profile.floor_point_rating", "3 kN")],
    [("profile.floor_point_rating", "0.5 kN")],
)


BLADES_ONLY = {"midplane"}  # measured on blade designs only: tests/test_midplane.py


def test_every_family_has_cases():
    assert set(CASES) | BLADES_ONLY == set(FAMILIES)


@pytest.fixture(scope="module")
def baseline():
    return solve_small()


def test_baseline_is_feasible_in_every_family(baseline):
    assert baseline.status == "optimal"
    assert baseline.domain_size == 72
    assert {c.family for c in baseline.checks} == set(FAMILIES) - BLADES_ONLY
    assert all(c.ok for c in baseline.checks)


@pytest.mark.parametrize("family", [f for f, (bind, _) in CASES.items() if bind])
def test_family_binds(family, baseline):
    result = solve_small(overrides=CASES[family][0])
    assert result.status == "optimal"
    assert 0 < result.domain_size < baseline.domain_size
    assert family in result.binding, result.explanation
    assert all(c.ok for c in result.checks)  # the design found still passes every check


@pytest.mark.parametrize("family", [f for f, (_, none) in CASES.items() if none])
def test_family_makes_design_infeasible(family):
    result = solve_small(overrides=CASES[family][1])
    assert result.status == "infeasible"
    assert result.domain_size == 0
    assert family in result.binding, result.explanation
    assert family in result.explanation


def test_point_load_binds_and_rules_out():
    bind = solve_small(overrides=POINT_LOAD[0])
    assert bind.status == "optimal" and 0 < bind.domain_size < 72
    assert "floor_load" in bind.binding
    point = next(c for c in bind.checks if c.limit_name.startswith("point load"))
    assert point.ok and point.utilization > 0.8
    none = solve_small(overrides=POINT_LOAD[1])
    assert none.status == "infeasible" and "floor_load" in none.binding
