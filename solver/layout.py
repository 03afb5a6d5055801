"""Where each item sits in the rack, and the spine runs that follow from it.

A :class:`Layout` lists every placed item (slot counted from 1 at the bottom). Runs are
measured connector to connector: vertical distance between the items' middles, plus the
rack's horizontal run, the profile's service slack and a bend allowance
(:func:`solver.physics.reach.run_length`). Switched designs run every compute tray to every
switch tray; a full mesh runs every pair of trays; a torus's links are spread along the
stack (mean one third of its span, longest the whole span: an unfolded ring).
"""

from __future__ import annotations

from dataclasses import dataclass

from solver.design import Design, Space, slots
from solver.physics.links import pairs_per_link
from solver.physics.reach import run_length
from solver.units import Quantity


@dataclass(frozen=True)
class Placed:
    """One item in one rack."""

    name: str
    kind: str
    """compute_tray, switch_tray, power_shelf, cooling or reserved."""
    item_id: str
    slot: int
    """Lowest slot it occupies, counted from 1 at the bottom."""
    height: int
    """Slots it occupies."""

    @property
    def centre2(self) -> int:
        """Connector height in half-slots above the rack floor."""
        return 2 * (self.slot - 1) + self.height


@dataclass(frozen=True)
class Layout:
    """Every item of one rack, bottom to top."""

    rack_id: str
    slots: int
    items: tuple[Placed, ...]

    def of_kind(self, kind: str) -> list[Placed]:
        return [item for item in self.items if item.kind == kind]

    def rows(self) -> list[dict]:
        return [
            {
                "rack": self.rack_id,
                "item": p.name,
                "kind": p.kind,
                "id": p.item_id,
                "slot": p.slot,
                "height": p.height,
            }
            for p in sorted(self.items, key=lambda p: (p.slot, p.name))
        ]


def runs(design: Design, space: Space) -> list[tuple[Quantity, float]]:
    """(length, cables) for each group of identical runs of a design; empty if nothing is cabled."""
    if design.cable is None or design.layout is None:
        return []
    layout = design.layout

    def run(half_slots: int) -> Quantity:
        return run_length(half_slots, design.rack, space.profile, design.cable)

    scale_up = design.accelerator.scale_up
    computes = layout.of_kind("compute_tray")
    switches = layout.of_kind("switch_tray")
    out = []
    if switches:
        per_pair_links = design.links / (len(computes) * len(switches))
        cables = per_pair_links * pairs_per_link(scale_up) / design.cable.pairs
        for c in computes:
            for s in switches:
                out.append((run(abs(c.centre2 - s.centre2)), cables))
    elif scale_up.topology == "mesh":
        tray_pairs = len(computes) * (len(computes) - 1) // 2
        cables = design.cables / tray_pairs if tray_pairs else 0
        for i, a in enumerate(computes):
            for b in computes[i + 1 :]:
                out.append((run(abs(a.centre2 - b.centre2)), cables))
    else:  # a torus unfolded along the stack: mean a third of the span, longest all of it
        span = max(c.centre2 for c in computes) - min(c.centre2 for c in computes)
        fixed = run(0)
        out.append(((run(span) - fixed) / 3 + fixed, design.cables - 1))
        out.append((run(span), 1))
    return out


def cable_stats(design: Design, space: Space) -> dict[str, Quantity]:
    """Longest and mean run, total cable length (remembered per design and profile: the
    power, cooling and weight checks and the bill of materials all read them)."""
    key = (design, space.profile)
    if key not in _STATS:
        if len(_STATS) >= 64:
            _STATS.clear()
        _STATS[key] = _cable_stats(design, space)
    return _STATS[key]


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
