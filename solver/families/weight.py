"""weight: equipment, cables and coolant within the rack's static load rating.

Payload = compute and switch trays + shelves + cooling hardware + coolant (trays' cold
plates and the loop's manifolds) + reserved gear + spine cables. The rack's own empty mass
is not payload but counts toward the floor load. Inside the model a cable's length is
bounded by the longest run (the exact lengths depend on the layout, solved afterwards);
the measured budget uses the laid-out runs, so it never exceeds what the model allowed.
"""

from __future__ import annotations

from solver import parts
from solver.design import Design, Space
from solver.families.base import Check

NAME = "weight"
DESCRIPTION = "trays + shelves + cables + coolant + cooling hardware ≤ the rack's static load"
LENGTH_SCALE = 10**11  # µm × mg/m -> hg: 1e6 µm/m × 1e5 mg/hg


def define(m) -> None:
    """Payload mass and total mass (rack included), hg."""
    cp, ints = m.cp, m.ints
    cable_mass = cp.new_int_var(0, 10**6, "cable-mass-hg")  # ≤ 100 t; × scale fits int64
    total_length = sum(n * k for n, k in zip(m.q.cable_length_um, ints.cable_mg_per_m, strict=True))
    cp.add(cable_mass * LENGTH_SCALE >= total_length)
    cp.add(cable_mass * LENGTH_SCALE < total_length + LENGTH_SCALE)
    m.q.payload_hg = (
        sum(w * n for w, n in zip(ints.tray_hg, m.n_trays, strict=True))
        + sum(w * n for w, n in zip(ints.switch_hg, m.n_switch, strict=True))
        + sum(w * n for w, n in zip(ints.shelf_hg, m.n_shelves, strict=True))
        + sum(w * u for w, u in zip(ints.cooling_hg, m.use_cooling, strict=True))
        + ints.reserved_hg
        + cable_mass
    )
    m.q.mass_hg = m.q.payload_hg + sum(
        w * u for w, u in zip(ints.rack_empty_hg, m.use_rack, strict=True)
    )


def add(m) -> None:
    """Payload ≤ the chosen rack's static load rating."""
    for j, limit in enumerate(m.ints.rack_static_hg):
        m.limit(NAME, m.space.racks[j].id, m.q.payload_hg <= limit, m.use_rack[j])


def measure(d: Design, s: Space) -> list[Check]:
    return [
        Check(
            NAME, "payload vs rack static rating", parts.payload(d, s), d.rack.static_load.to("kg")
        )
    ]
