"""Floor and structure: distributed load over a rack's floor share, point load per foot.

A structural check looks at two things: the load spread over the area a rack claims
(its footprint plus half of the aisle on each side, across its width) against the
floor's distributed rating, and the force on each caster or levelling foot against the
floor's concentrated (point) rating.
"""

from __future__ import annotations

from solver.units import STANDARD_GRAVITY, Quantity


def floor_share(rack, profile) -> Quantity:
    """Floor area one rack claims: its footprint and half of each aisle across its width."""
    aisles = rack.width * (profile.cold_aisle_width + profile.hot_aisle_width) / 2
    return (rack.floor_area + aisles).to("m^2")


def distributed_load(mass: Quantity, area: Quantity) -> Quantity:
    """Mass per floor area."""
    return (mass / area).to("kg/m^2")


def point_load(mass: Quantity, rack) -> Quantity:
    """Force on each caster or levelling foot (the load shared evenly)."""
    return (mass * STANDARD_GRAVITY / rack.load_points).to("kN")
