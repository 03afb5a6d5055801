"""cooling: liquid heat fits the CDU, its flow and the facility water; air heat fits the room.

All power drawn by the rack becomes heat. Each tray's liquid fraction goes to the liquid
loop; the rest (and the shelves' conversion losses) goes to air. The liquid loop's capacity
is the smallest of the cooling option's CDU capacity, the heat its flow carries at the
profile's coolant ΔT (Q = ρ · c_p · flow · ΔT), and the facility water allotted per rack.
Trays must accept the profile's coolant supply and inlet air temperatures.
"""

from __future__ import annotations

from solver.design import Design, Space
from solver.families.base import Check
from solver.families.power import draw_power, tray_power
from solver.units import Quantity, limit_int, usage_int

NAME = "cooling"
DESCRIPTION = "liquid heat ≤ CDU, flow and facility limits; air heat ≤ room air capacity"


def define(m) -> None:
    """Liquid heat (W) and air heat (W)."""
    s = m.space
    m.x["liquid_w"] = sum(
        usage_int(t.liquid_fraction * tray_power(t, s.accelerator), "W") * n
        for t, n in zip(s.trays, m.n_trays, strict=True)
    ) + sum(
        usage_int(w.liquid_fraction * w.power, "W") * n
        for w, n in zip(s.switch_trays, m.n_switch, strict=True)
    )
    m.x["air_w"] = m.x["draw_w"] - m.x["liquid_w"]


def flow_needed(heat, coolant, s: Space):
    """Coolant flow that carries ``heat`` at the profile's ΔT."""
    dt = s.profile.coolant_delta_t.to("K").magnitude * Quantity(1, "K")
    return (heat / (coolant.density * coolant.specific_heat * dt)).to("L/min")


def liquid_limits(k, s: Space) -> list[tuple[str, Quantity]]:
    """Named limits on the liquid heat of cooling option ``k``."""
    p = s.profile
    coolant = s.coolant(k)
    if coolant is None:
        return [("liquid capacity", Quantity(0, "kW"))]
    flow = k.max_flow
    if k.needs_facility_water:
        flow = min(flow, p.facility_flow)
    dt = p.coolant_delta_t.to("K").magnitude * Quantity(1, "K")
    limits = [
        ("CDU capacity", k.liquid_capacity.to("kW")),
        ("coolant flow", (flow * coolant.density * coolant.specific_heat * dt).to("kW")),
    ]
    if k.needs_facility_water:
        limits.append(("facility water", p.facility_water.to("kW")))
    return limits


def air_limit(k, s: Space):
    return (s.profile.air_cooling + k.air_capacity_added).to("kW")


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
    s = m.space
    no_water = s.profile.facility_water.magnitude <= 0
    for k, option in enumerate(s.coolings):
        if option.needs_facility_water and no_water:
            m.forbid([m.use_cooling[k]], f"{NAME}-no-facility-water-{option.id}", NAME)
            continue
        liquid_cap = min(limit_int(v, "W") for _, v in liquid_limits(option, s))
        m.limit(NAME, f"liquid-{option.id}", m.x["liquid_w"] <= liquid_cap, m.use_cooling[k])
        air = m.x["air_w"] + (m.x["liquid_w"] if option.rejects_to_air else 0)
        m.limit(
            NAME, f"air-{option.id}", air <= limit_int(air_limit(option, s), "W"), m.use_cooling[k]
        )
    for i, tray in enumerate(s.trays):
        if _forbidden_tray(tray, s):
            m.forbid([m.use_tray[i]], f"{NAME}-temperature-{tray.id}", NAME)


def liquid_heat(d: Design, s: Space):
    heat = d.compute_trays * d.tray.liquid_fraction * tray_power(d.tray, d.accelerator)
    if d.switch_tray is not None:
        heat = heat + d.switch_trays * d.switch_tray.liquid_fraction * d.switch_tray.power
    return heat.to("kW")


def measure(d: Design, s: Space) -> list[Check]:
    liquid = liquid_heat(d, s)
    air = draw_power(d, s) - liquid
    if d.cooling.rejects_to_air:
        air = air + liquid
    checks = [
        Check(NAME, f"liquid heat vs {name}", liquid, limit)
        for name, limit in liquid_limits(d.cooling, s)
        if name != "coolant flow"
    ]
    coolant = s.coolant(d.cooling)
    if coolant is not None and liquid.magnitude > 0:
        flow = d.cooling.max_flow
        if d.cooling.needs_facility_water:
            flow = min(flow, s.profile.facility_flow)
        checks.append(
            Check(NAME, "coolant flow", flow_needed(liquid, coolant, s), flow.to("L/min"))
        )
    checks.append(Check(NAME, "air heat vs room air", air.to("kW"), air_limit(d.cooling, s)))
    reason = _forbidden_tray(d.tray, s)
    if reason:
        checks.append(Check(NAME, reason, Quantity(1, ""), Quantity(0, "")))
    return checks
