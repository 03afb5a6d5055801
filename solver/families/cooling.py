"""cooling: liquid heat fits the CDU, its flow and the facility water; air heat fits the room.

All power drawn by the rack becomes heat. Each part's liquid fraction goes to the liquid
loop (trays' cold plates, co-packaged optics on a cold-plated switch package); the rest,
pluggable optics and the shelves' conversion loss go to room air (a sidecar power rack
releases its loss outside the IT rack). The loop's capacity is
the smallest of the CDU's capacity, the heat its flow carries as the coolant rises from
the profile's supply to its return temperature, and the facility water allotted per rack.
Trays must accept the profile's coolant supply and inlet air temperatures.
"""

from __future__ import annotations

from solver import parts
from solver.design import Design, Space
from solver.families.base import Check
from solver.integers import per_rack
from solver.physics import cooling
from solver.units import Quantity

NAME = "cooling"
DESCRIPTION = "liquid heat ≤ CDU, coolant flow and facility limits; air heat ≤ room air capacity"


def define(m) -> None:
    """Liquid heat (W) and air heat (W): every part's share, and the shelves' loss to air."""
    ints = m.ints
    m.q.liquid_w = per_rack(
        m, ints.tray_liquid_w, ints.switch_liquid_w, ints.cable_liquid_w, ints.xcable_liquid_w
    )
    # air: each part's air share plus the shelves' conversion loss in the rack; summed
    # from its own rounded-up shares, so that neither heat is underestimated
    m.q.air_w = (
        per_rack(m, ints.tray_air_w, ints.switch_air_w, ints.cable_air_w, ints.xcable_air_w)
        + sum(w * u for w, u in zip(ints.cooling_w, m.use_cooling, strict=True))
        + ints.reserved_w
        + m.q.loss_w
    )


def _forbidden_tray(tray, s: Space) -> str | None:
    p = s.profile
    if (
        tray.liquid_fraction > 0
        and tray.max_coolant_supply is not None
        and (p.supply_temperature.to("K") > tray.max_coolant_supply.to("K"))
    ):
        return "coolant supply too warm"
    if tray.max_inlet_air is not None and p.ambient_temperature.to("K") > tray.max_inlet_air.to(
        "K"
    ):
        return "inlet air too warm"
    return None


def add(m) -> None:
    """Liquid, flow, facility and air limits per cooling option; temperature compatibility."""
    s, ints = m.space, m.ints
    no_water = s.profile.facility_water.magnitude <= 0
    for k, option in enumerate(s.coolings):
        if option.needs_facility_water and no_water:
            m.forbid([m.use_cooling[k]], f"{NAME}-no-facility-water-{option.id}", NAME)
            continue
        m.limit(NAME, f"liquid-{option.id}", m.q.liquid_w <= ints.liquid_cap_w[k], m.use_cooling[k])
        air = m.q.air_w + (m.q.liquid_w if option.rejects_to_air else 0)
        m.limit(NAME, f"air-{option.id}", air <= ints.air_cap_w[k], m.use_cooling[k])
    for i, tray in enumerate(s.trays):
        if _forbidden_tray(tray, s):
            m.forbid([m.use_tray[i]], f"{NAME}-temperature-{tray.id}", NAME)


def measure(d: Design, s: Space) -> list[Check]:
    liquid = parts.liquid_heat(d, s)
    air = parts.heat(d, s) - liquid
    if d.cooling.rejects_to_air:
        air = air + liquid
    checks = [
        Check(NAME, f"liquid heat vs {name}", liquid, limit)
        for name, limit in s.liquid_limits(d.cooling)
        if name != "coolant flow"
    ]
    coolant = s.coolant(d.cooling)
    if coolant is not None and liquid.magnitude > 0:
        rise = cooling.coolant_rise(s.profile)
        checks.append(
            Check(
                NAME,
                f"coolant flow at {rise.to('K').magnitude:g} K rise",
                cooling.coolant_flow(liquid, coolant, rise),
                s.flow_limit(d.cooling),
            )
        )
    checks.append(Check(NAME, "air heat vs room air", air.to("kW"), s.air_limit(d.cooling)))
    reason = _forbidden_tray(d.tray, s)
    if reason:
        checks.append(Check(NAME, reason, Quantity(1, ""), Quantity(0, "")))
    return checks
