"""power: the rack's draw fits its feed, its shelves after redundancy, and its busbar.

IT load = compute trays + switch trays + in-rack cooling + active cable ends (spine and
inter-rack) + reserved gear; all per rack. The feed supplies IT load / shelf efficiency.
Shelves (or PDUs) must carry the IT
load with the profile's redundancy (N+k spare units, or 2N); a DC busbar carries it at its
voltage within its current rating.
"""

from __future__ import annotations

from solver.design import Design, Space
from solver.families.base import Check
from solver.units import Quantity, limit_int, usage_int

NAME = "power"
DESCRIPTION = "draw ≤ feed; IT load ≤ shelf capacity after redundancy; busbar current ≤ rating"
EFFICIENCY_SCALE = 10_000


def tray_power(tray, accelerator):
    return tray.accelerators * accelerator.power + tray.overhead_power


def define(m) -> None:
    """IT load and feed draw of one rack (W, IT load over the shelf's efficiency)."""
    s, cp = m.space, m.cp
    p = s.profile
    it = (
        sum(
            usage_int(tray_power(t, s.accelerator), "W") * n
            for t, n in zip(s.trays, m.n_trays, strict=True)
        )
        + sum(usage_int(w.power, "W") * n for w, n in zip(s.switch_trays, m.n_switch, strict=True))
        + sum(usage_int(k.power, "W") * u for k, u in zip(s.coolings, m.use_cooling, strict=True))
        + sum(
            usage_int(2 * c.power_per_end, "W") * n
            for c, n in zip(s.cables, m.n_cables, strict=True)
        )
        + usage_int(p.reserved_power, "W")
        + sum(
            usage_int(c.power_per_end, "W") * n
            for c, n in zip(s.xcables, m.n_xcable_ends, strict=True)
        )
    )
    m.x["it_w"] = it
    upper = 10 * usage_int(p.feed_power, "W") + 10**7
    draw = cp.new_int_var(0, upper, "draw-w")
    for k, shelf in enumerate(s.shelves):
        eff = limit_int(Quantity(shelf.efficiency * EFFICIENCY_SCALE, ""), "")
        cp.add(draw * eff >= it * EFFICIENCY_SCALE).only_enforce_if(m.use_shelf[k])
        cp.add(draw * eff < it * EFFICIENCY_SCALE + eff).only_enforce_if(m.use_shelf[k])
    m.x["draw_w"] = draw


def add(m) -> None:
    """Feed, shelf redundancy and busbar limits."""
    s = m.space
    p = s.profile
    it = m.x["it_w"]
    m.limit(NAME, "feed", m.x["draw_w"] <= limit_int(p.feed_power, "W"))
    spare, multiplier = p.spare_shelves
    for k, shelf in enumerate(s.shelves):
        capacity = limit_int(shelf.capacity, "W")
        m.limit(
            NAME,
            f"shelves-{shelf.id}",
            (m.n_shelves[k] - spare) * capacity >= multiplier * it,
            m.use_shelf[k],
        )
        if shelf.output != "busbar":
            continue
        for j, rack in enumerate(s.racks):
            if rack.busbar_voltage is None:
                continue
            rating = limit_int(rack.busbar_voltage * rack.busbar_current, "W")
            m.limit(NAME, f"busbar-{rack.id}", it <= rating, m.use_shelf[k], m.use_rack[j])


def it_power(d: Design, s: Space):
    """IT load of a design."""
    p = s.profile
    total = d.compute_trays * tray_power(d.tray, d.accelerator) + p.reserved_power
    total = total + d.cooling.power
    if d.switch_tray is not None:
        total = total + d.switch_trays * d.switch_tray.power
    if d.cable is not None:
        total = total + d.cables * 2 * d.cable.power_per_end
    if d.xcable is not None:
        total = total + d.x_cable_ends * d.xcable.power_per_end
    return total.to("kW")


def draw_power(d: Design, s: Space):
    """Power drawn from the rack's feed: IT load over the shelves' efficiency."""
    return (it_power(d, s) / d.shelf.efficiency).to("kW")


def measure(d: Design, s: Space) -> list[Check]:
    p = s.profile
    it = it_power(d, s)
    spare, multiplier = p.spare_shelves
    usable = max(d.power_shelves - spare, 0) * d.shelf.capacity / multiplier
    checks = [
        Check(NAME, "feed power", draw_power(d, s), p.feed_power.to("kW")),
        Check(NAME, f"{d.shelf.kind} capacity after {p.shelf_redundancy}", it, usable.to("kW")),
    ]
    if d.shelf.output == "busbar" and d.rack.busbar_voltage is not None:
        checks.append(
            Check(
                NAME,
                "busbar current",
                (it / d.rack.busbar_voltage).to("A"),
                d.rack.busbar_current.to("A"),
            )
        )
    return checks
