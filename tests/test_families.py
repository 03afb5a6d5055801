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
    "reach": (
        [("cables.pair-26awg.reach", "1 m")],
        [("cables.pair-26awg.reach", "0.3 m"), ("cables.pair-32awg.reach", "0.3 m")],
    ),
    "power": ([("profile.feed_power", "50 kW")], [("profile.feed_power", "3 kW")]),
    "cooling": ([("profile.facility_water", "40 kW")], [("profile.air_cooling", "1 kW")]),
    "weight": (
        [("racks.test-rack.static_load", "800 kg")],
        [("racks.test-rack.static_load", "50 kg")],
    ),
    "floor_load": (
        [("profile.floor_load_rating", "1200 kg/m^2")],
        [("profile.floor_load_rating", "300 kg/m^2")],
    ),
}


def test_every_family_has_cases():
    assert set(CASES) == set(FAMILIES)


@pytest.fixture(scope="module")
def baseline():
    return solve_small()


def test_baseline_is_feasible_in_every_family(baseline):
    assert baseline.status == "optimal"
    assert baseline.domain_size == 72
    assert {c.family for c in baseline.checks} == set(FAMILIES)
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
