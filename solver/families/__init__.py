"""Constraint families, one module each, applied in this fixed order.

Each module has ``NAME``, a one-line ``DESCRIPTION``, ``define(m)`` (the integer quantities
it owns, shared with later families), ``add(m)`` (its limits, each gated by
``m.enforce[NAME]``) and ``measure(design, space)`` (the same limits recomputed in
physical units from a design, independently of the solver).
"""

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
