"""weight: equipment, cables and coolant within the rack's static load rating.

Payload = compute and switch trays + shelves + cooling hardware + coolant (trays' cold
plates and the loop's manifolds) + reserved gear + spine cables. The rack's own empty mass
is not payload but counts toward the floor load. Inside the model a cable's length is
bounded by the longest run plus its bends (the exact lengths depend on the layout, solved
afterwards); the measured budget uses the laid-out runs, so it never exceeds what the
model allowed. Per cable option, one cable's mass is rounded up to whole mg, multiplied by
the option's count and rounded up to hg, so every product stays inside CP-SAT's integers
with every input at its bound (a rack's total cable length in µm times mg/m would not).
One product per option keeps count-only re-solves fast: a single product of the total
count and one cable's mass made them twice as slow.
"""

from __future__ import annotations

from solver import parts
from solver.design import Design, Space
from solver.families.base import Check

NAME = "weight"
DESCRIPTION = "trays + shelves + cables + coolant + cooling hardware ≤ the rack's static load"
UM_PER_M = 10**6  # µm × mg/m -> mg
MG_PER_HG = 10**5


def define(m) -> None:
    """Payload mass and total mass (rack included), hg."""
    ints = m.ints
    m.q.payload_hg = (
        sum(w * n for w, n in zip(ints.tray_hg, m.n_trays, strict=True))
        + sum(w * n for w, n in zip(ints.switch_hg, m.n_switch, strict=True))
        + sum(w * n for w, n in zip(ints.shelf_hg, m.n_shelves, strict=True))
        + sum(w * u for w, u in zip(ints.cooling_hg, m.use_cooling, strict=True))
        + ints.reserved_hg
        + _cable_mass_hg(m)
    )
    m.q.mass_hg = m.q.payload_hg + sum(
        w * u for w, u in zip(ints.rack_empty_hg, m.use_rack, strict=True)
    )


def _cable_mass_hg(m):
    """One rack's spine cables, hg: per cable option, its count times one cable's mass (the
    longest run plus its bends, times its mass per length, in mg rounded up), in hg rounded
    up."""
    if isinstance(sum(m.n_cables), int):  # no cable options, or a spine rack's view
        return 0
    cp, ints, longest = m.cp, m.ints, m.q.longest_um
    most = max(longest.proto.domain)
    total = 0
    for cable, n, bend, mg_per_m in zip(
        m.space.cables, m.n_cables, ints.cable_bend_um, ints.cable_mg_per_m, strict=True
    ):
        top_one = _ceil((most + bend) * mg_per_m, UM_PER_M)
        one_mg = cp.new_int_var(0, top_one, f"cable-mg-{cable.id}")
        cp.add(one_mg * UM_PER_M >= (longest + bend) * mg_per_m)
        mass_mg = cp.new_int_var(0, top_one * m.cable_bound, f"cables-mg-{cable.id}")
        cp.add_multiplication_equality(mass_mg, [n, one_mg])
        mass_hg = cp.new_int_var(
            0, _ceil(top_one * m.cable_bound, MG_PER_HG), f"cables-hg-{cable.id}"
        )
        cp.add(mass_hg * MG_PER_HG >= mass_mg)
        total += mass_hg
    return total


def _ceil(a: int, b: int) -> int:
    return -(-a // b)


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
