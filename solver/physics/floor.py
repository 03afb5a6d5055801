"""Floor and structure: distributed load over a rack's floor share, point load per foot.

Checked as IBM's site-planning method does (ibm.com/docs POWER6/POWER8 "floor
construction"): the rack's weight spread over its footprint plus half of the service
clearance on each side (at most 760 mm from the frame), with the profile's added load
(people, raised floor, cables) on top, against the distributed rating; and one caster or
levelling foot carrying the rack's weight shared by all but one of its feet (a rack on an
uneven floor rocks onto three of four: IBM checks one tile for 1/3 of the rack) against
the floor's concentrated rating.
"""

from __future__ import annotations

from solver.units import STANDARD_GRAVITY, Quantity

SERVICE_REACH = Quantity(0.76, "m")
"""Farthest from the frame that a rack's floor share extends (IBM: 30 in)."""


def floor_share(rack, profile) -> Quantity:
    """Floor area one rack claims: its footprint and half of each aisle across its width,
    at most :data:`SERVICE_REACH` on each side."""
    sides = min(profile.cold_aisle_width / 2, SERVICE_REACH) + min(
        profile.hot_aisle_width / 2, SERVICE_REACH
    )
    return (rack.floor_area + rack.width * sides).to("m^2")


def distributed_load(mass: Quantity, area: Quantity, added: Quantity) -> Quantity:
    """Mass per floor area, plus the added load on that area."""
    return (mass / area + added).to("kg/m^2")


def bearing_points(rack) -> int:
    """Casters or feet that carry the rack when the floor is uneven: all but one."""
    return rack.load_points - 1


def distributed_capacity(rack, profile) -> Quantity:
    """Heaviest loaded rack the distributed rating allows on its floor share."""
    return ((profile.floor_load_rating - profile.floor_added_load) * floor_share(rack, profile)).to(
        "kg"
    )


def point_capacity(rack, profile) -> Quantity:
    """Heaviest loaded rack the point rating allows on its bearing casters or feet."""
    return (profile.floor_point_rating * bearing_points(rack) / STANDARD_GRAVITY).to("kg")


def point_load(mass: Quantity, rack) -> Quantity:
    """Force on the most loaded caster or levelling foot."""
    return (mass * STANDARD_GRAVITY / bearing_points(rack)).to("kN")
