"""space: everything mounted in the rack fits in its slots (U or OU)."""

from __future__ import annotations

from solver.design import Design, Space, slots
from solver.families.base import Check
from solver.units import Quantity

NAME = "space"
DESCRIPTION = "trays, switch trays, shelves, in-rack cooling and reserved gear fit the rack's slots"


def define(m) -> None:
    """Slots used per rack option: compute trays, switch trays, and everything together."""
    s = m.space
    m.q.slots_compute = [
        sum(slots(t.height, r) * n for t, n in zip(s.trays, m.n_trays, strict=True))
        for r in s.racks
    ]
    m.q.slots_switch = [  # switch blades behind a midplane take no front slot
        sum(
            slots(w.height, r) * n
            for w, n in zip(s.switch_trays, m.n_switch, strict=True)
            if w.attach == "backplane"
        )
        for r in s.racks
    ]
    m.q.slots_total = [
        m.q.slots_compute[j]
        + m.q.slots_switch[j]
        + sum(slots(p.height, r) * n for p, n in zip(s.shelves, m.n_shelves, strict=True))
        + sum(slots(k.height, r) * u for k, u in zip(s.coolings, m.use_cooling, strict=True))
        + s.profile.reserved_slots
        for j, r in enumerate(s.racks)
    ]


def add(m) -> None:
    """Slots used ≤ slots of the chosen rack, and every placed item inside it."""
    for j, rack in enumerate(m.space.racks):
        m.limit(NAME, rack.id, m.q.slots_total[j] <= rack.slots, m.use_rack[j])
        if m.top is not None:  # placed slot by slot
            m.limit(NAME, f"{rack.id}-top", m.top <= rack.slots, m.use_rack[j])


def slots_used(d: Design, s: Space) -> int:
    rack = d.rack
    return (
        d.compute_trays * slots(d.tray.height, rack)
        + (
            d.switch_trays * slots(d.switch_tray.height, rack)
            if d.switch_tray and d.switch_tray.attach == "backplane"
            else 0
        )
        + d.power_shelves * slots(d.shelf.height, rack)
        + slots(d.cooling.height, rack)
        + s.profile.reserved_slots
    )


def measure(d: Design, s: Space) -> list[Check]:
    if d.rack.slot_orientation == "vertical":
        used = Quantity(slots_used(d, s), "slot")
        return [Check(NAME, "blade positions", used, Quantity(d.rack.slots, "slot"))]
    pitch = d.rack.slot_pitch
    unit = "OU" if abs(pitch.to("mm").magnitude - 48) < 1e-6 else "RU"
    used = (slots_used(d, s) * pitch).to(unit)
    return [Check(NAME, "rack slots", used, (d.rack.slots * pitch).to(unit))]
