"""Relaxing any limit never shrinks the domain; tightening never grows it (property-based)."""

from __future__ import annotations

import pytest
from conftest import solve_small
from hypothesis import given, settings
from hypothesis import strategies as st

# (field, unit, baseline value, the direction that relaxes it)
LIMITS = [
    ("profile.feed_power", "kW", 150, +1),
    ("profile.air_cooling", "kW", 40, +1),
    ("profile.facility_water", "kW", 200, +1),
    ("profile.facility_flow", "L/min", 300, +1),
    ("profile.floor_load_rating", "kg/m^2", 2549, +1),
    ("profile.service_slack", "m", 0.1, -1),
    ("profile.reserved_power", "kW", 1, -1),
    ("profile.reserved_slots", "", 2, -1),
    ("racks.test-rack.static_load", "kg", 1500, +1),
    ("racks.test-rack.spine_area", "cm^2", 600, +1),
    ("racks.test-rack.rear_clearance", "mm", 150, +1),
    ("racks.test-rack.slots", "", 48, +1),
    ("channels.test-channel-200g.loss_budget", "dB", 30, +1),
    ("profile.copper_loss_margin", "dB", 2, -1),
    ("profile.cold_aisle_width", "m", 1.2, +1),
    ("profile.floor_point_rating", "kN", 4, +1),
]


def _value(unit: str, number: float) -> str:
    return str(max(1, round(number))) if unit == "" else f"{number:.6g} {unit}"


def _domain(field: str, unit: str, number: float) -> int:
    result = solve_small(overrides=[(field, _value(unit, number))], explain=False)
    return result.domain_size if result.ok else 0


CASES = (
    st.sampled_from(LIMITS),
    st.floats(min_value=0.05, max_value=1.0),
    st.floats(min_value=1.0, max_value=3.0),
)


def _check(limit, tight, relax):
    field, unit, base, direction = limit
    low, high = (base * tight, base * tight * relax)
    if direction < 0:
        low, high = high, low  # for a usage figure, a smaller value is the relaxed one
    assert _domain(field, unit, high) >= _domain(field, unit, low)


@settings(max_examples=13, deadline=None, derandomize=True)
@given(*CASES)
def test_relaxing_a_limit_never_shrinks_the_domain(limit, tight, relax):
    _check(limit, tight, relax)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, derandomize=True)
@given(*CASES)
def test_relaxing_a_limit_never_shrinks_the_domain_thoroughly(limit, tight, relax):
    _check(limit, tight, relax)
