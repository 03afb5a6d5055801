"""floor_load: the loaded rack within the floor's distributed and point ratings.

Distributed: total mass over the rack's floor share (footprint plus half of each aisle
across its width) against the distributed rating, and a sidecar power rack's on its own.
Point: the force on each caster or levelling foot against the floor's concentrated rating,
where the profile gives one.
"""

from __future__ import annotations

from solver import parts
from solver.design import Design, Space
from solver.families.base import Check
from solver.physics import floor

NAME = "floor_load"
DESCRIPTION = "mass / floor share ≤ distributed rating; force per caster or foot ≤ point rating"


def define(m) -> None:
    """Floor load owns no shared quantities (it uses weight's total mass)."""


def add(m) -> None:
    """Total mass within the distributed and point limits of the chosen rack; a sidecar
    power rack within the distributed rating on its own floor share."""
    ints, p = m.ints, m.space.profile
    for j, rack in enumerate(m.space.racks):
        m.limit(NAME, rack.id, m.q.mass_hg <= ints.floor_hg[j], m.use_rack[j])
        if ints.point_hg[j] is not None:
            m.limit(NAME, f"{rack.id}-point", m.q.mass_hg <= ints.point_hg[j], m.use_rack[j])
    for k, shelf in enumerate(m.space.shelves):
        if shelf.kind == "sidecar" and _sidecar_load(shelf, p) > p.floor_load_rating:
            m.forbid([m.use_shelf[k]], f"{NAME}-sidecar-{shelf.id}", NAME)


def _sidecar_load(shelf, p):
    return floor.distributed_load(shelf.mass, floor.floor_share(shelf, p), p.floor_added_load)


def measure(d: Design, s: Space) -> list[Check]:
    p = s.profile
    mass = parts.total_mass(d, s)
    share = floor.floor_share(d.rack, p)
    checks = [
        Check(
            NAME,
            f"distributed load over {share.to('m^2').magnitude:.2f} m²",
            floor.distributed_load(mass, share, p.floor_added_load),
            p.floor_load_rating.to("kg/m^2"),
        )
    ]
    if p.floor_point_rating is not None:
        bearing = floor.bearing_points(d.rack)
        checks.append(
            Check(
                NAME,
                f"point load per caster or foot ({bearing} of {d.rack.load_points} bearing)",
                floor.point_load(mass, d.rack),
                p.floor_point_rating.to("kN"),
            )
        )
    if d.shelf.kind == "sidecar":
        area = floor.floor_share(d.shelf, p).to("m^2").magnitude
        checks.append(
            Check(
                NAME,
                f"sidecar power rack over {area:.2f} m²",
                _sidecar_load(d.shelf, p),
                p.floor_load_rating.to("kg/m^2"),
            )
        )
    return checks
