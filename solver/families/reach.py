"""reach: every spine run fits the cable's usable reach at the lane rate.

A run is the vertical distance between connector middles (from the placement), plus the
rack's horizontal run, the profile's service slack and the bend allowance
(:func:`solver.physics.reach.run_length`). Switched designs run each compute tray to the
switch trays of its leaf group (one group in one rack: every switch tray), so the longest
run joins the extreme trays of a group (:mod:`solver.placement`); torus and mesh designs
span the compute stack. A passive cable's usable reach follows from the channel's loss
budget less the profile's margin; active copper and optics carry their rated reach.
"""

from __future__ import annotations

from solver.design import Design, Space
from solver.families.base import Check
from solver.layout import cable_stats
from solver.physics.reach import interrack_run

NAME = "reach"
DESCRIPTION = (
    "longest spine run ≤ the cable's usable reach at the lane rate (loss budget or rating)"
)


def define(m) -> None:
    """Longest run without bends (µm): every cable's length is bounded by it and its bends."""
    s, cp, place, ints = m.space, m.cp, m.place, m.ints
    bound = max(  # a run can span at most twice the rack's height
        4 * r.slots * half + straight
        for r, half, straight in zip(
            s.racks, ints.rack_half_slot_um, ints.rack_straight_um, strict=True
        )
    )
    longest = cp.new_int_var(0, bound, "longest-um")
    cp.add(longest == 0).only_enforce_if(~m.uses_backplane)
    if place["leaf_groups"]:  # the longest group span, in half-slots (runs step by half-slots)
        span2 = cp.new_int_var(0, 6 * m.max_slots, "longest-span2")
        for g in place["leaf_groups"]:
            for span in (g.compute_high2 - g.switch_low2, g.switch_high2 - g.compute_low2):
                cp.add(span2 >= span).only_enforce_if(g.when)
    for j in range(len(s.racks)):
        half, fixed = ints.rack_half_slot_um[j], ints.rack_straight_um[j]
        lits = [m.use_rack[j], m.uses_backplane]
        if place["leaf_groups"]:  # each group's compute trays to its switch trays
            cp.add(longest == half * span2 + fixed).only_enforce_if(lits)
            continue
        if place["switch"].starts:
            spans = (
                place["compute_high2"] - place["switch_low2"],
                place["switch_high2"] - place["compute_low2"],
            )
        else:
            spans = (place["compute_high2"] - place["compute_low2"],)
        for span in spans:
            cp.add(longest >= half * span + fixed).only_enforce_if(lits)
    m.q.longest_um = longest


def add(m) -> None:
    """Longest run + bend allowance ≤ usable reach of the chosen cable, in and between racks."""
    s, ints = m.space, m.ints
    for c, cable in enumerate(s.cables):
        m.limit(
            NAME,
            cable.id,
            m.q.longest_um + ints.cable_bend_um[c] <= ints.cable_reach_um[c],
            m.use_cable[c],
        )
    blocks = bool(s.accelerator.scale_up.torus_block)  # block faces run out even alone
    for c, cable in enumerate(s.xcables):
        for k, use in m.use_racks.items():
            if (k > 1 or blocks) and interrack_run(k, cable, s.profile) > s.usable_reach(cable):
                m.forbid([use, m.use_xcable[c]], f"{NAME}-interrack-{cable.id}-{k}", NAME)


def measure(d: Design, s: Space) -> list[Check]:
    checks = []
    if d.cable is not None:
        checks.append(
            Check(
                NAME,
                f"longest run vs {d.cable.id} reach",
                cable_stats(d, s)["max_run"],
                s.usable_reach(d.cable),
            )
        )
    if d.xcable is not None:
        checks.append(
            Check(
                NAME,
                f"inter-rack run vs {d.xcable.id} reach",
                interrack_run(d.racks, d.xcable, s.profile),
                s.usable_reach(d.xcable),
            )
        )
    return checks
