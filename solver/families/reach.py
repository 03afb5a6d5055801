"""reach: the longest spine run fits the cable's reach at its lane rate, less the margin.

A run is the vertical distance between connector middles (from the placement), plus the
rack's horizontal run, the profile's service slack and the bend allowance (two quarter
circles at the cable's bend radius). Switched designs run every compute tray to every
switch tray, so the longest run joins the extreme trays; torus and mesh designs span the
compute stack. Only copper carries the profile's reach margin.
"""

from __future__ import annotations

from solver.design import Design, Space
from solver.families.base import Check
from solver.layout import bend_allowance, cable_stats
from solver.units import limit_int, usage_int

NAME = "reach"
DESCRIPTION = "longest spine run ≤ the cable's reach at its lane rate × (1 − copper margin)"
COPPER = ("passive-copper", "active-copper")


def effective_reach(cable, s: Space):
    margin = s.profile.copper_reach_margin if cable.kind in COPPER else 0.0
    return cable.reach * (1 - margin)


def define(m) -> None:
    """Longest run without bends (µm) and, per cable option, an upper bound on total length."""
    s, cp, place = m.space, m.cp, m.place
    slack = s.profile.service_slack
    bound = max(
        usage_int(r.slot_pitch * 2 * r.slots + r.horizontal_run + slack, "um") for r in s.racks
    )
    longest = cp.new_int_var(0, bound, "longest-um")
    cp.add(longest == 0).only_enforce_if(~m.uses_backplane)
    for j, rack in enumerate(s.racks):
        half = usage_int(rack.slot_pitch / 2, "um")
        fixed = usage_int(rack.horizontal_run + slack, "um")
        lits = [m.use_rack[j], m.uses_backplane]
        if place["switch"].starts:
            spans = (
                place["compute_high2"] - place["switch_low2"],
                place["switch_high2"] - place["compute_low2"],
            )
        else:
            spans = (place["compute_high2"] - place["compute_low2"],)
        for span in spans:
            cp.add(longest >= half * span + fixed).only_enforce_if(lits)
    m.x["longest_um"] = longest
    lengths = []  # count × (longest + bends): the weight family's bound on cable length
    for cable, count in zip(s.cables, m.n_cables, strict=True):
        product = cp.new_int_var(0, m.cable_bound * bound, f"length-um-{cable.id}")
        cp.add_multiplication_equality(product, [count, longest])
        lengths.append(product + usage_int(bend_allowance(cable), "um") * count)
    m.x["cable_length_um"] = lengths


def interrack_run(racks: int, cable, s: Space):
    """Longest run between the racks of a row: up to the overhead tray, along the row to the
    farthest rack, and down, plus service slack and bends."""
    p = s.profile
    return (
        (racks - 1) * p.rack_pitch + 2 * p.overhead_drop + p.service_slack + bend_allowance(cable)
    ).to("m")


def add(m) -> None:
    """Longest run + bend allowance ≤ effective reach of the chosen cable, in and between racks."""
    s = m.space
    for c, cable in enumerate(s.cables):
        allowance = usage_int(bend_allowance(cable), "um")
        m.limit(
            NAME,
            cable.id,
            m.x["longest_um"] + allowance <= limit_int(effective_reach(cable, s), "um"),
            m.use_cable[c],
        )
    for c, cable in enumerate(s.xcables):
        for k, use in m.use_racks.items():
            if k > 1 and interrack_run(k, cable, s) > effective_reach(cable, s):
                m.forbid([use, m.use_xcable[c]], f"{NAME}-interrack-{cable.id}-{k}", NAME)


def measure(d: Design, s: Space) -> list[Check]:
    checks = []
    if d.cable is not None:
        longest = cable_stats(d, s)["max_run"]
        checks.append(
            Check(
                NAME,
                f"longest run vs {d.cable.id} reach",
                longest,
                effective_reach(d.cable, s).to("m"),
            )
        )
    if d.xcable is not None:
        checks.append(
            Check(
                NAME,
                f"inter-rack run vs {d.xcable.id} reach",
                interrack_run(d.racks, d.xcable, s),
                effective_reach(d.xcable, s).to("m"),
            )
        )
    return checks
