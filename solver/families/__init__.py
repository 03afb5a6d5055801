"""Constraint families, one module each, applied in this fixed order.

Each module has ``NAME``, a one-line ``DESCRIPTION``, ``define(m)`` (the integer quantities
it owns, shared with later families), ``add(m)`` (its limits, each gated by
``m.enforce[NAME]``) and ``measure(design, space)`` (the same limits recomputed in
physical units from a design, independently of the solver).
"""

from __future__ import annotations

from solver.design import Space
from solver.families import (
    bend_radius,
    cable_density,
    cooling,
    floor_load,
    midplane,
    power,
    reach,
    space,
    topology,
    weight,
)

FAMILIES = {
    module.NAME: module
    for module in (
        space,
        topology,
        cable_density,
        midplane,
        bend_radius,
        reach,
        power,
        cooling,
        weight,
        floor_load,
    )
}


def limit_names(space: Space) -> tuple[str, ...]:
    """The families, then ``space``'s requirements, in the order their limits are added."""
    return (*FAMILIES, *(r.name for r in space.requirements))


def enforced_names(space: Space) -> tuple[str, ...]:
    """:func:`limit_names` without the families ``space`` relaxes."""
    return tuple(n for n in limit_names(space) if n not in space.relaxed)
