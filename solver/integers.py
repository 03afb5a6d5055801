"""The one conversion of a space's physics into the integers of the CP-SAT model.

Every coefficient a family needs is computed here, once per :class:`~solver.design.Space`,
from the functions of :mod:`solver.physics`, and rounded against the design
(:func:`~solver.units.usage_int` up for what a design uses, :func:`~solver.units.limit_int`
down for what a site or part allows), so that a design the integer model accepts passes
the exact check. Lists follow the space's option lists.

Fixed units: ``_w`` watts, ``_hg`` 0.1 kg, ``_um`` µm, ``_um2`` µm², ``_mg_per_m`` mg/m.
"""

from __future__ import annotations

from dataclasses import dataclass

from solver.design import Space
from solver.physics import cooling, floor, mass, power, reach
from solver.units import Quantity, limit_int, usage_int

SCALE = 10_000
"""Fixed-point scale of ratios (shelf efficiency, transient factor)."""


@dataclass(frozen=True)
class Integers:
    """Integer coefficients of one space."""

    # power: steady watts per part, and its liquid and air shares (each rounded up)
    tray_w: list[int]
    tray_liquid_w: list[int]
    tray_air_w: list[int]
    switch_w: list[int]
    switch_liquid_w: list[int]
    switch_air_w: list[int]
    cable_w: list[int]
    """A spine cable's two ends."""
    cable_liquid_w: list[int]
    cable_air_w: list[int]
    xcable_end_w: list[int]
    xcable_liquid_w: list[int]
    xcable_air_w: list[int]
    cooling_w: list[int]
    reserved_w: int
    shelf_efficiency: list[int]
    """Efficiency × SCALE, rounded down."""
    shelf_capacity_w: list[int]
    """Usable output of one shelf (spare modules excluded)."""
    transient: int
    """Peak ÷ steady × SCALE, rounded up."""
    feed_w: int
    busbar_w: list[int | None]
    """Steady power a rack's busbar carries at its lowest voltage (None: no busbar)."""
    spare_shelves: int
    sides: int
    # cooling limits per cooling option
    liquid_cap_w: list[int]
    air_cap_w: list[int]
    # mass
    tray_hg: list[int]
    switch_hg: list[int]
    shelf_hg: list[int]
    cooling_hg: list[int]
    reserved_hg: int
    cable_mg_per_m: list[int]
    rack_empty_hg: list[int]
    rack_static_hg: list[int]
    floor_hg: list[int]
    """Distributed rating × the rack's floor share."""
    point_hg: list[int | None]
    """Point rating × load points, as mass (None: no point rating)."""
    # cables
    cable_um2: list[int]
    """Spine cross-section of one cable at the profile's packing fraction."""
    cable_reach_um: list[int]
    cable_bend_um: list[int]
    rack_spine_um2: list[int]
    rack_half_slot_um: list[int]
    """Vertical step between connector heights (half a slot)."""
    rack_straight_um: list[int]
    """Horizontal run and service slack of every spine run (bends are per cable)."""


def integers(s: Space) -> Integers:
    """Convert the physics of ``s`` to the model's integers."""
    p = s.profile
    accel = s.accelerator
    trays = [power.tray_power(t, accel, s.outside(t)) for t in s.trays]
    switches = [w.power for w in s.switch_trays]
    cables = [power.spine_cable_power(c) for c in s.cables]
    xends = [power.cable_end_power(c) for c in s.xcables]

    def share(powers, options, to_liquid: bool) -> list[int]:
        """Each option's liquid (or air) share of its power, each rounded up on its own."""
        return [
            usage_int(cooling.liquid_share(q, f if to_liquid else 1 - f), "W")
            for q, f in zip(powers, (o.liquid_fraction for o in options), strict=True)
        ]

    spare, sides = power.redundancy(p.shelf_redundancy)
    coolant = s.densest_coolant()
    return Integers(
        tray_w=[usage_int(q, "W") for q in trays],
        tray_liquid_w=share(trays, s.trays, True),
        tray_air_w=share(trays, s.trays, False),
        switch_w=[usage_int(q, "W") for q in switches],
        switch_liquid_w=share(switches, s.switch_trays, True),
        switch_air_w=share(switches, s.switch_trays, False),
        cable_w=[usage_int(q, "W") for q in cables],
        cable_liquid_w=share(cables, s.cables, True),
        cable_air_w=share(cables, s.cables, False),
        xcable_end_w=[usage_int(q, "W") for q in xends],
        xcable_liquid_w=share(xends, s.xcables, True),
        xcable_air_w=share(xends, s.xcables, False),
        cooling_w=[usage_int(k.power, "W") for k in s.coolings],
        reserved_w=usage_int(p.reserved_power, "W"),
        shelf_efficiency=[limit_int(Quantity(sh.efficiency * SCALE, ""), "") for sh in s.shelves],
        shelf_capacity_w=[limit_int(power.shelf_capacity(sh), "W") for sh in s.shelves],
        transient=usage_int(Quantity(power.transient_factor(accel, p) * SCALE, ""), ""),
        **limits(s),
        busbar_w=[
            limit_int(power.busbar_capacity(r), "W") if r.busbar_voltage is not None else None
            for r in s.racks
        ],
        spare_shelves=spare,
        sides=sides,
        liquid_cap_w=[limit_int(min(v for _, v in s.liquid_limits(k)), "W") for k in s.coolings],
        air_cap_w=[limit_int(s.air_limit(k), "W") for k in s.coolings],
        tray_hg=[usage_int(mass.tray_mass(t, coolant), "hg") for t in s.trays],
        switch_hg=[usage_int(w.mass, "hg") for w in s.switch_trays],
        shelf_hg=[usage_int(mass.on_rack(sh), "hg") for sh in s.shelves],
        cooling_hg=[usage_int(mass.cooling_mass(k, s.coolant(k)), "hg") for k in s.coolings],
        reserved_hg=usage_int(p.reserved_mass, "hg"),
        cable_mg_per_m=[usage_int(c.mass_per_length, "mg/m") for c in s.cables],
        rack_empty_hg=[usage_int(r.empty_mass, "hg") for r in s.racks],
        floor_hg=[limit_int(floor.distributed_capacity(r, p), "hg") for r in s.racks],
        point_hg=[
            limit_int(floor.point_capacity(r, p), "hg")
            if p.floor_point_rating is not None
            else None
            for r in s.racks
        ],
        cable_um2=[usage_int(reach.spine_area(1, c, p.cable_fill), "um^2") for c in s.cables],
        cable_reach_um=[limit_int(s.usable_reach(c), "um") for c in s.cables],
        cable_bend_um=[usage_int(reach.bend_allowance(c), "um") for c in s.cables],
        rack_spine_um2=[limit_int(r.spine_area, "um^2") for r in s.racks],
        rack_half_slot_um=[usage_int(reach.half_slot(r), "um") for r in s.racks],
        rack_straight_um=[usage_int(reach.run_straight_length(r, p), "um") for r in s.racks],
    )


def limits(s: Space) -> dict[str, int | list[int]]:
    """The integers of :data:`solver.model.LIMITS` alone: all a what-if of feed power or rack
    static load changes (a reusable model takes them without converting the rest again)."""
    return {
        "feed_w": limit_int(power.feed_capacity(s.profile), "W"),
        "rack_static_hg": [limit_int(r.static_load, "hg") for r in s.racks],
    }


def per_rack(m, tray: list, switch: list, cable: list, xcable_end: list):
    """Σ coefficient × count over the compute trays, switch trays, spine cables and
    inter-rack cable ends of one rack of model ``m`` (a compute rack or a spine rack's view)."""
    return sum(
        w * n
        for coefficients, counts in (
            (tray, m.n_trays),
            (switch, m.n_switch),
            (cable, m.n_cables),
            (xcable_end, m.n_xcable_ends),
        )
        for w, n in zip(coefficients, counts, strict=True)
    )
