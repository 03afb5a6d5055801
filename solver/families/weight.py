"""weight: equipment, cables and coolant within the rack's static load rating.

Payload = compute and switch trays + shelves + cooling hardware + coolant (trays' cold
plates and the loop's manifolds) + reserved gear + spine cables. The rack's own empty mass
is not payload but counts toward the floor load. Inside the model a cable's length is
bounded by the longest run (the exact lengths depend on the layout, solved afterwards);
the measured budget uses the laid-out runs, so it never exceeds what the model allowed.
"""

from __future__ import annotations

from solver.design import Design, Space
from solver.families.base import Check
from solver.layout import cable_stats
from solver.units import Quantity, limit_int, usage_int

NAME = "weight"
DESCRIPTION = "trays + shelves + cables + coolant + cooling hardware ≤ the rack's static load"
LENGTH_SCALE = 10**11  # µm × mg/m -> hg: 1e6 µm/m × 1e5 mg/hg


def densest_coolant(s: Space):
    """The densest coolant among the cooling options (trays' cold-plate coolant mass)."""
    densities = [s.coolant(k).density for k in s.coolings if s.coolant(k) is not None]
    return max(densities) if densities else Quantity(1, "kg/L")


def define(m) -> None:
    """Payload mass and total mass (rack included), hg."""
    s, cp = m.space, m.cp
    tray_coolant = densest_coolant(s)
    cable_mass = cp.new_int_var(0, 10**6, "cable-mass-hg")  # ≤ 100 t; × scale fits int64
    per_mm = [usage_int(c.mass_per_length, "mg/m") for c in s.cables]
    total_length = sum(n * k for n, k in zip(m.x["cable_length_um"], per_mm, strict=True))
    cp.add(cable_mass * LENGTH_SCALE >= total_length)
    cp.add(cable_mass * LENGTH_SCALE < total_length + LENGTH_SCALE)
    payload = (
        sum(
            usage_int(t.mass + t.coolant_volume * tray_coolant, "hg") * n
            for t, n in zip(s.trays, m.n_trays, strict=True)
        )
        + sum(usage_int(w.mass, "hg") * n for w, n in zip(s.switch_trays, m.n_switch, strict=True))
        + sum(usage_int(p.mass, "hg") * n for p, n in zip(s.shelves, m.n_shelves, strict=True))
        + sum(
            usage_int(cooling_mass(k, s), "hg") * u
            for k, u in zip(s.coolings, m.use_cooling, strict=True)
        )
        + usage_int(s.profile.reserved_mass, "hg")
        + cable_mass
    )
    m.x["payload_hg"] = payload
    m.x["mass_hg"] = payload + sum(
        usage_int(r.empty_mass, "hg") * u for r, u in zip(s.racks, m.use_rack, strict=True)
    )


def add(m) -> None:
    """Payload ≤ the chosen rack's static load rating."""
    for j, rack in enumerate(m.space.racks):
        m.limit(
            NAME, rack.id, m.x["payload_hg"] <= limit_int(rack.static_load, "hg"), m.use_rack[j]
        )


def cooling_mass(k, s: Space):
    """Cooling hardware carried by the rack plus the coolant in its loop."""
    coolant = s.coolant(k)
    return k.mass + (k.coolant_volume * coolant.density if coolant else Quantity(0, "kg"))


def cable_mass(d: Design, s: Space):
    if d.cable is None:
        return Quantity(0, "kg")
    return (cable_stats(d, s)["total_cable_length"] * d.cable.mass_per_length).to("kg")


def payload(d: Design, s: Space):
    """Mass the rack carries (its own empty mass excluded)."""
    coolant = densest_coolant(s)
    total = d.compute_trays * (d.tray.mass + d.tray.coolant_volume * coolant)
    if d.switch_tray is not None:
        total = total + d.switch_trays * d.switch_tray.mass
    total = total + d.power_shelves * d.shelf.mass + cooling_mass(d.cooling, s)
    total = total + s.profile.reserved_mass + cable_mass(d, s)
    return total.to("kg")


def total_mass(d: Design, s: Space):
    """Rack and payload: what bears on the floor."""
    return (payload(d, s) + d.rack.empty_mass).to("kg")


def measure(d: Design, s: Space) -> list[Check]:
    return [
        Check(NAME, "payload vs rack static rating", payload(d, s), d.rack.static_load.to("kg"))
    ]
