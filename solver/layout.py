"""Where each item sits in the rack, and the spine runs that follow from it.

A :class:`~solver.design.Layout` lists every placed item (slot counted from 1 at the
bottom). Runs are measured connector to connector: vertical distance between the items'
middles, plus the rack's horizontal run, the profile's service slack and a bend allowance
(:func:`solver.physics.reach.run_length`). Switched designs run each compute tray to the
switch trays of its own leaf group (:func:`leaf_group`, :func:`group_chips`); a full mesh
runs every pair of trays; a torus's links are spread along the stack (mean one third of its
span, longest the whole span: an unfolded ring).

Leaf groups, bottom-up. A rack of a multi-rack switched domain has ``G`` leaf groups of
``c = links / links_per_chip`` switch chips, each serving a band of its compute trays. The
``N`` compute trays, counted from the bottom, fall in ``G`` contiguous bands: tray ``i``
serves group ``i × G // N``. The switch chips are numbered bottom-up, ``t`` to a tray (tray
``j`` holds chips ``j·t`` to ``j·t + t − 1``): first group 0's ``c`` leaf chips, then group
1's, and so on, then any spine chips the rack hosts. A compute tray's links go to the ``c``
chips of its group, ``links_per_chip`` per accelerator to each, so a switch tray holding
chips of two groups takes cables from both bands, and spine-chip trays take none (their
links are the inter-rack cables). One rack has one group: every tray to every switch tray.
"""

from __future__ import annotations

import functools
from dataclasses import fields

from solver.design import Design, Layout, Placed, Space, slots
from solver.physics.links import pairs_per_link
from solver.physics.reach import run_length
from solver.units import Quantity


def leaf_group(tray: int, trays: int, groups: int) -> int:
    """Leaf group served by compute tray ``tray`` (from 0 at the bottom) of ``trays``."""
    return tray * groups // trays


def group_chips(switch: int, chips_per_tray: int, chips_per_group: int, groups: int) -> dict:
    """{leaf group: its chips on switch tray ``switch``} (from 0 at the bottom); empty for a
    tray of spine chips only."""
    low, high = switch * chips_per_tray, (switch + 1) * chips_per_tray
    shares = {
        g: min(high, (g + 1) * chips_per_group) - max(low, g * chips_per_group)
        for g in range(groups)
    }
    return {g: n for g, n in shares.items() if n > 0}


def switch_shares(design: Design, switches: int) -> list[dict]:
    """Per switch tray from the bottom: {leaf group: its chips on that tray}."""
    per_group = design.accelerator.scale_up.links // design.links_per_chip
    return [
        group_chips(j, design.switch_tray.chips, per_group, design.leaf_groups)
        for j in range(switches)
    ]


def group_members(design: Design, computes: int, switches: int) -> list[tuple[list, list]]:
    """(compute trays, switch trays) of each leaf group, counted from 0 at the bottom."""
    shares = switch_shares(design, switches)
    return [
        (
            [i for i in range(computes) if leaf_group(i, computes, design.leaf_groups) == g],
            [j for j in range(switches) if g in shares[j]],
        )
        for g in range(design.leaf_groups)
    ]


def cabled_pairs(design: Design) -> list[tuple[Placed, Placed, float]]:
    """(item, item, cables) for every pair of items a spine cable joins: each compute tray to
    the switch trays of its leaf group, or every pair of trays of a full mesh or a dragonfly
    (its global links spread evenly over the node pairs); empty for a
    torus (its rings run along the stack) or when nothing is cabled."""
    if design.cable is None or design.layout is None:
        return []
    layout = design.layout
    scale_up = design.accelerator.scale_up
    computes = layout.of_kind("compute_tray")
    switches = layout.of_kind("switch_tray")
    out = []
    if switches:  # each compute tray to the chips of its leaf group, spread evenly
        computes = sorted(computes, key=lambda p: p.slot)
        switches = sorted(switches, key=lambda p: p.slot)
        per_group = scale_up.links // design.links_per_chip
        per_chip = (
            design.links / len(computes) / per_group * pairs_per_link(scale_up) / design.cable.pairs
        )
        chips = switch_shares(design, len(switches))
        for i, c in enumerate(computes):
            group = leaf_group(i, len(computes), design.leaf_groups)
            for s, shares in zip(switches, chips, strict=True):
                if group in shares:
                    out.append((c, s, per_chip * shares[group]))
    elif scale_up.topology in ("mesh", "dragonfly"):  # a dragonfly's global links likewise
        tray_pairs = len(computes) * (len(computes) - 1) // 2
        cables = design.cables / tray_pairs if tray_pairs else 0
        for i, a in enumerate(computes):
            for b in computes[i + 1 :]:
                out.append((a, b, cables))
    return out


def runs(design: Design, space: Space) -> list[tuple[Quantity, float]]:
    """(length, cables) for each group of identical runs of a design; empty if nothing is cabled."""
    if design.cable is None or design.layout is None:
        return []

    @functools.cache  # many pairs of trays lie the same distance apart
    def run(half_slots: int) -> Quantity:
        return run_length(half_slots, design.rack, space.profile, design.cable)

    pairs = cabled_pairs(design)
    if pairs:
        return [(run(abs(a.centre2 - b.centre2)), cables) for a, b, cables in pairs]
    # a torus unfolded along the stack: mean a third of the span, longest all of it
    computes = design.layout.of_kind("compute_tray")
    span = max(c.centre2 for c in computes) - min(c.centre2 for c in computes)
    fixed = run(0)
    return [((run(span) - fixed) / 3 + fixed, design.cables - 1), (run(span), 1)]


def cable_stats(design: Design, space: Space) -> dict[str, Quantity]:
    """Longest and mean run, total cable length (remembered per design and profile: the
    power, cooling and weight checks and the bill of materials all read them)."""
    # keyed by the parts' identity, not their value: hashing and comparing the catalog's
    # models (their pint figures) would cost a third of computing the runs again
    key = (
        id(space.profile),
        *(
            value if value is None or isinstance(value, int | Layout) else id(value)
            for value in (getattr(design, f.name) for f in fields(design))
        ),
    )
    if key not in _STATS:
        if len(_STATS) >= 64:
            _STATS.clear()
        _STATS[key] = (design, space.profile, _cable_stats(design, space))  # keeps ids alive
    return _STATS[key][2]


_STATS: dict = {}


def _cable_stats(design: Design, space: Space) -> dict[str, Quantity]:
    found = runs(design, space)
    if not found:
        zero = Quantity(0, "m")
        return {"max_run": zero, "mean_run": zero, "total_cable_length": zero}
    total = sum((length * count for length, count in found), Quantity(0, "m"))
    count = sum(n for _, n in found)
    return {
        "max_run": max(length for length, n in found if n > 0).to("m"),
        "mean_run": (total / count).to("m") if count else Quantity(0, "m"),
        "total_cable_length": total.to("m"),
    }


def centred_layout(design: Design, space: Space) -> Layout:
    """A constructive layout: shelves and cooling at the bottom, reserved gear at the top,
    compute trays split evenly below and above the switch-tray block (as in NVL72)."""
    rack = design.rack
    items: list[Placed] = []
    slot = 1

    def put(kind: str, item, count: int, prefix: str) -> None:
        nonlocal slot
        height = slots(item.height, rack)
        for i in range(count):
            items.append(Placed(f"{prefix}-{i + 1:02d}", kind, item.id, slot, height))
            slot += height

    put("power_shelf", design.shelf, design.power_shelves, "shelf")
    if design.cooling.height.magnitude > 0:
        put("cooling", design.cooling, 1, "cooling")
    below = design.compute_trays // 2
    put("compute_tray", design.tray, below, "compute")
    if design.switch_tray is not None:
        put("switch_tray", design.switch_tray, design.switch_trays, "switch")
    start = len([p for p in items if p.kind == "compute_tray"])
    height = slots(design.tray.height, rack)
    for i in range(design.compute_trays - below):
        items.append(
            Placed(f"compute-{start + i + 1:02d}", "compute_tray", design.tray.id, slot, height)
        )
        slot += height
    reserved = space.profile.reserved_slots
    if reserved:
        items.append(
            Placed("reserved", "reserved", "reserved", rack.slots - reserved + 1, reserved)
        )
    return Layout(rack.id, rack.slots, tuple(items))
