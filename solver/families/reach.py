"""reach: the longest spine run fits the cable's reach at its lane rate, less the margin.

Geometry until rack placement is modelled: the switch trays sit as one block in the middle
of the compute stack (as in NVL72), compute trays split evenly above and below. A run is
its vertical distance plus the rack's horizontal run plus the profile's service slack:

* longest (switched) = pitch × (compute slots / 2 + switch slots) + horizontal + slack
* mean (switched)    = pitch × (compute slots / 4 + switch slots / 2) + horizontal + slack
* without switches (torus, mesh) the stack is spanned end to end: longest = pitch × compute
  slots, mean = one third of it (the mean distance of two points on a segment).
"""

from __future__ import annotations

from solver.design import Design, Space, slots
from solver.families.base import Check
from solver.units import Quantity, limit_int, usage_int

NAME = "reach"
DESCRIPTION = "longest spine run ≤ the cable's reach at its lane rate × (1 − copper margin)"
COPPER = ("passive-copper", "active-copper")


def effective_reach(cable, s: Space):
    margin = s.profile.copper_reach_margin if cable.kind in COPPER else 0.0
    return cable.reach * (1 - margin)


def _switched(s: Space) -> bool:
    return bool(s.switch_trays)


def define(m) -> None:
    """Mean run (µm) per design and total length (µm) per cable option."""
    s, cp = m.space, m.cp
    slack = s.profile.service_slack
    max_run = max(
        usage_int(r.slot_pitch * r.slots + r.horizontal_run + slack, "um") for r in s.racks
    )
    mean = cp.new_int_var(0, max_run, "mean-run-um")
    cp.add(mean == 0).only_enforce_if(~m.uses_backplane)
    split = 4 if _switched(s) else 3
    for j, rack in enumerate(s.racks):
        pitch = usage_int(rack.slot_pitch, "um")
        fixed = usage_int(rack.horizontal_run + slack, "um")
        stack = m.x["slots_compute"][j] + 2 * m.x["slots_switch"][j]
        lits = [m.use_rack[j], m.uses_backplane]
        cp.add(split * mean >= pitch * stack + split * fixed).only_enforce_if(lits)
        cp.add(split * mean < pitch * stack + split * fixed + split).only_enforce_if(lits)
    m.x["mean_run_um"] = mean
    lengths = []
    for cable, count in zip(s.cables, m.n_cables, strict=True):
        length = cp.new_int_var(0, m.cable_bound * max_run, f"length-um-{cable.id}")
        cp.add_multiplication_equality(length, [count, mean])
        lengths.append(length)
    m.x["cable_length_um"] = lengths


def add(m) -> None:
    """2 × longest run ≤ 2 × effective reach, per cable and rack option."""
    s = m.space
    slack = s.profile.service_slack
    for j, rack in enumerate(s.racks):
        pitch = usage_int(rack.slot_pitch, "um")
        fixed = usage_int(rack.horizontal_run + slack, "um")
        if _switched(s):
            twice_longest = (
                pitch * (m.x["slots_compute"][j] + 2 * m.x["slots_switch"][j]) + 2 * fixed
            )
        else:
            twice_longest = 2 * pitch * m.x["slots_compute"][j] + 2 * fixed
        for c, cable in enumerate(s.cables):
            m.limit(
                NAME,
                f"{cable.id}-{rack.id}",
                twice_longest <= 2 * limit_int(effective_reach(cable, s), "um"),
                m.use_cable[c],
                m.use_rack[j],
            )


def run_lengths(d: Design, s: Space) -> tuple[Quantity, Quantity]:
    """(longest, mean) spine run of a design; zero when nothing is cabled."""
    if d.cable is None:
        zero = Quantity(0, "m")
        return zero, zero
    rack = d.rack
    compute = d.compute_trays * slots(d.tray.height, rack)
    switch = d.switch_trays * slots(d.switch_tray.height, rack) if d.switch_tray else 0
    fixed = rack.horizontal_run + s.profile.service_slack
    if d.switch_tray is not None:
        longest = rack.slot_pitch * (compute / 2 + switch) + fixed
        mean = rack.slot_pitch * (compute / 4 + switch / 2) + fixed
    else:
        longest = rack.slot_pitch * compute + fixed
        mean = rack.slot_pitch * compute / 3 + fixed
    return longest.to("m"), mean.to("m")


def measure(d: Design, s: Space) -> list[Check]:
    if d.cable is None:
        return []
    longest, _ = run_lengths(d, s)
    return [
        Check(
            NAME, f"longest run vs {d.cable.id} reach", longest, effective_reach(d.cable, s).to("m")
        )
    ]
