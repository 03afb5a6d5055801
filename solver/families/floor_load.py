"""floor_load: the loaded rack's mass over its footprint within the floor's rating."""

from __future__ import annotations

from solver.design import Design, Space
from solver.families.base import Check
from solver.families.weight import total_mass
from solver.units import limit_int

NAME = "floor_load"
DESCRIPTION = "loaded rack mass / footprint ≤ the floor's distributed load rating"


def define(m) -> None:
    """Floor load owns no shared quantities (it uses weight's total mass)."""


def add(m) -> None:
    """Total mass ≤ rating × footprint of the chosen rack."""
    rating = m.space.profile.floor_load_rating
    for j, rack in enumerate(m.space.racks):
        m.limit(
            NAME,
            rack.id,
            m.x["mass_hg"] <= limit_int(rating * rack.floor_area, "hg"),
            m.use_rack[j],
        )


def measure(d: Design, s: Space) -> list[Check]:
    load = (total_mass(d, s) / d.rack.floor_area).to("kg/m^2")
    return [Check(NAME, "floor load", load, s.profile.floor_load_rating.to("kg/m^2"))]
