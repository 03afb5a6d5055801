"""Placement: every item of a rack in its slots, as CP-SAT optional intervals with no overlap.

Compute trays, switch trays, power shelves and an in-rack cooling unit are intervals whose
size (in slots) depends on the rack chosen; identical items are ordered bottom-up to break
symmetry. The profile's reserved slots (management/ToR switches) are fixed at the top of
the rack. A connector sits at the middle of its item, so positions are tracked in
half-slots: ``centre2 = 2 × start + size``. The extreme centres of compute and switch trays
give the longest spine run (family ``reach``); containment in the rack belongs to ``space``.

Where a rack may hold several leaf groups (a space that spans racks), a compute tray runs
only to the switch trays of its own group (bands bottom-up, :mod:`solver.layout`), so the
extremes are taken per group: compute tray ``i`` is in group ``g`` exactly when
``g·N ≤ i·G < (g+1)·N`` (linear in the tray count ``N`` and the group count ``G``), and
which switch trays hold a group's chips is fixed by the chips per group (``links / d``)
and per tray, both decided by catalog choices. The bound is exact, not conservative.

``switch_position`` pins where the switch trays go relative to the compute trays
(``top``, ``bottom``, ``middle`` = at least one compute tray above and below, or ``any``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver.design import Layout, Placed, slots
from solver.layout import group_chips, group_members

SWITCH_POSITIONS = ("any", "top", "middle", "bottom")


@dataclass
class Group:
    """Identical items: start slots, presence literals, and their shared size in slots."""

    name: str
    starts: list = field(default_factory=list)
    present: list = field(default_factory=list)
    size: object = 0


def _group(m, name: str, cap: int, count, options, uses) -> Group:
    """``cap`` optional intervals, the first ``count`` present, sized by the chosen option."""
    cp, s = m.cp, m.space
    horizon = 2 * m.max_slots
    biggest = max((slots(o.height, r) for o in options for r in s.racks), default=0)
    size = cp.new_int_var(0, biggest, f"{name}-size")
    for option, use in zip(options, uses, strict=True):
        for j, rack in enumerate(s.racks):
            cp.add(size == slots(option.height, rack)).only_enforce_if([use, m.use_rack[j]])
    group = Group(name, size=size)
    for i in range(cap):
        start = cp.new_int_var(0, horizon, f"{name}-{i}-start")
        present = cp.new_bool_var(f"{name}-{i}-present")
        cp.add(count >= i + 1).only_enforce_if(present)
        cp.add(count <= i).only_enforce_if(~present)
        end = cp.new_int_var(0, horizon + biggest, f"{name}-{i}-end")
        m.intervals.append(cp.new_optional_interval_var(start, size, end, present, f"{name}-{i}"))
        cp.add(m.top >= end).only_enforce_if(present)
        if group.starts:  # identical items go bottom-up in order
            cp.add(group.starts[-1] + size <= start).only_enforce_if(present)
            cp.add_implication(present, group.present[-1])
        group.starts.append(start)
        group.present.append(present)
    return group


def _extremes(m, group: Group, name: str) -> tuple:
    """Lowest and highest connector centre (half-slots) of the present items of ``group``."""
    cp = m.cp
    horizon2 = 4 * m.max_slots + 2 * m.max_slots
    low = cp.new_int_var(0, horizon2, f"{name}-low2")
    high = cp.new_int_var(0, horizon2, f"{name}-high2")
    for start, present in zip(group.starts, group.present, strict=True):
        cp.add(low <= 2 * start + group.size).only_enforce_if(present)
        cp.add(high >= 2 * start + group.size).only_enforce_if(present)
    return low, high


def add_placement(m, switch_position: str = "any") -> None:
    """Intervals for every item of the design; attaches ``m.place`` and ``m.top``."""
    s, cp = m.space, m.cp
    m.intervals = []
    m.top = cp.new_int_var(0, 4 * m.max_slots, "top")
    min_tray = min(slots(t.height, r) for t in s.trays for r in s.racks)
    caps = {
        "compute": m.max_slots // max(1, min_tray),
        "switch": len(m.switch_cap_range),
        "shelf": m.shelf_cap,
    }
    front = [  # switch trays in front slots; switch blades sit behind a midplane
        (w, use, n)
        for w, use, n in zip(s.switch_trays, m.use_switch, m.n_switch, strict=True)
        if w.attach == "backplane"
    ]
    if not front:
        caps["switch"] = 0
    if m.exact is not None:  # counts already known (laying out a solved design)
        d = m.exact
        in_front = d.switch_tray is not None and d.switch_tray.attach == "backplane"
        caps = {
            "compute": d.compute_trays,
            "switch": d.switch_trays if in_front else 0,
            "shelf": d.power_shelves,
        }
    compute = _group(m, "compute", caps["compute"], sum(m.n_trays), s.trays, m.use_tray)
    switch = _group(
        m,
        "switch",
        caps["switch"],
        sum(n for *_, n in front),
        [w for w, *_ in front],
        [use for _, use, _ in front],
    )
    shelves = _group(m, "shelf", caps["shelf"], sum(m.n_shelves), s.shelves, m.use_shelf)
    in_rack = [k for k in s.coolings if k.height.magnitude > 0]
    uses = [u for k, u in zip(s.coolings, m.use_cooling, strict=True) if k.height.magnitude > 0]
    cooling = _group(m, "cooling", 1 if in_rack else 0, sum(uses) if uses else 0, in_rack, uses)

    reserved = s.profile.reserved_slots
    if reserved:
        start = cp.new_int_var(0, m.max_slots, "reserved-start")
        for j, rack in enumerate(s.racks):
            cp.add(start == rack.slots - reserved).only_enforce_if(m.use_rack[j])
        m.intervals.append(cp.new_fixed_size_interval_var(start, reserved, "reserved"))
        cp.add(m.top >= start + reserved)
    cp.add_no_overlap(m.intervals)

    c_low, c_high = _extremes(m, compute, "compute")
    s_low, s_high = _extremes(m, switch, "switch")
    if switch.starts and switch_position != "any":
        both = [m.uses_backplane]
        if switch_position == "top":
            cp.add(s_low > c_high).only_enforce_if(both)
        elif switch_position == "bottom":
            cp.add(s_high < c_low).only_enforce_if(both)
        else:
            cp.add(s_low > c_low).only_enforce_if(both)
            cp.add(s_high < c_high).only_enforce_if(both)
    m.place = {
        "compute": compute,
        "switch": switch,
        "shelf": shelves,
        "cooling": cooling,
        "compute_low2": c_low,
        "compute_high2": c_high,
        "switch_low2": s_low,
        "switch_high2": s_high,
        "leaf_groups": _leaf_groups(m, compute, switch),
    }


@dataclass
class LeafGroup:
    """Extreme connector centres (half-slots) of one leaf group's compute and switch trays,
    and the literals under which the rack has this group."""

    when: list
    compute_low2: object
    compute_high2: object
    switch_low2: object
    switch_high2: object


def _leaf_groups(m, compute: Group, switch: Group) -> list[LeafGroup]:
    """Per possible leaf group, the extremes of its members; empty when a rack has one group
    (then every compute tray runs to every switch tray: the overall extremes)."""
    s, cp = m.space, m.cp
    if m.max_leaf_groups == 1 or not switch.starts:
        return []
    horizon2 = 6 * m.max_slots

    def bounds(g: int, when: list) -> LeafGroup:
        names = ("compute-low2", "compute-high2", "switch-low2", "switch-high2")
        return LeafGroup(when, *(cp.new_int_var(0, horizon2, f"group-{g}-{e}") for e in names))

    def member(tray: Group, i: int, low, high, *when) -> None:
        """``low ≤ centre of item i ≤ high`` when it is present and in the group."""
        centre = 2 * tray.starts[i] + tray.size
        cp.add(low <= centre).only_enforce_if([tray.present[i], *when])
        cp.add(high >= centre).only_enforce_if([tray.present[i], *when])

    if m.exact is not None:  # a laid-out design: its groups' members are known
        groups = [bounds(g, []) for g in range(m.exact.leaf_groups)]
        members = group_members(m.exact, len(compute.starts), len(switch.starts))
        for group, (computes, switches) in zip(groups, members, strict=True):
            for i in computes:
                member(compute, i, group.compute_low2, group.compute_high2)
            for j in switches:
                member(switch, j, group.switch_low2, group.switch_high2)
        return groups

    groups = []
    for g in range(m.max_leaf_groups):
        active = cp.new_bool_var(f"leaf-group-{g}")
        cp.add(m.leaf_groups >= g + 1).only_enforce_if(active)
        cp.add(m.leaf_groups <= g).only_enforce_if(~active)
        groups.append(bounds(g, [active]))
    trays = sum(m.n_trays)
    for i, present in enumerate(compute.present):
        lits = [cp.new_bool_var(f"compute-{i}-group-{g}") for g in range(len(groups))]
        cp.add(sum(lits) == present)  # exactly one group: i·G // N (layout.leaf_group)
        for g, lit in enumerate(lits):
            cp.add(g * trays <= i * m.leaf_groups).only_enforce_if(lit)
            cp.add(i * m.leaf_groups < (g + 1) * trays).only_enforce_if(lit)
            member(compute, i, groups[g].compute_low2, groups[g].compute_high2, lit)
    for j in range(len(switch.starts)):
        for d, use_d in m.use_lpc.items():
            per_group = s.accelerator.scale_up.links // d
            for w, tray in enumerate(s.switch_trays):
                for g in group_chips(j, tray.chips, per_group, len(groups)):
                    low, high = groups[g].switch_low2, groups[g].switch_high2
                    member(switch, j, low, high, use_d, m.use_switch[w])
    return groups


def total_gap(m):
    """Sum of the distances in half-slots between each compute tray and the switch trays of
    its leaf group (the total copper proxy); without switch trays, the height of the stack
    (keep it low and compact)."""
    place, cp = m.place, m.cp
    compute, switch = place["compute"], place["switch"]
    served = _served(m, len(compute.starts), len(switch.starts))
    gaps = []
    for ci, (cs, cpres) in enumerate(zip(compute.starts, compute.present, strict=True)):
        for si, (ss, spres) in enumerate(zip(switch.starts, switch.present, strict=True)):
            if (ci, si) not in served:
                continue
            gap = cp.new_int_var(0, 8 * m.max_slots, f"gap-{ci}-{si}")
            diff = (2 * cs + compute.size) - (2 * ss + switch.size)
            cp.add(gap >= diff).only_enforce_if([cpres, spres])
            cp.add(gap >= -diff).only_enforce_if([cpres, spres])
            gaps.append(gap)
    return sum(gaps) if gaps else m.top


def stack_height(m):
    """Sum of every item's lowest slot: among equally cabled layouts, the one whose stack
    stands lowest, with no hole a planner would wonder about."""
    groups = ("compute", "switch", "shelf", "cooling")
    return sum(start for name in groups for start in m.place[name].starts)


def _served(m, computes: int, switches: int) -> set[tuple[int, int]]:
    """(compute, switch) tray pairs cabled together: within a leaf group of a laid-out
    design, else every pair."""
    d = m.exact
    if d is None or d.switch_tray is None or not d.links_per_chip:
        return {(i, j) for i in range(computes) for j in range(switches)}
    return {
        (i, j)
        for group_computes, group_switches in group_members(d, computes, switches)
        for i in group_computes
        for j in group_switches
    }


def hint(m, layout) -> None:
    """Start the search from a known layout (e.g. the centred one)."""
    for kind, name in (
        ("compute_tray", "compute"),
        ("switch_tray", "switch"),
        ("power_shelf", "shelf"),
        ("cooling", "cooling"),
    ):
        placed = sorted(layout.of_kind(kind), key=lambda p: p.slot)
        for start, item in zip(m.place[name].starts, placed, strict=False):
            m.cp.add_hint(start, item.slot - 1)


def decode_layout(m, solver: cp_model.CpSolver, design):
    """The solved positions as a :class:`~solver.design.Layout` (zero-height PDUs omitted)."""
    items = []
    groups = (
        ("compute_tray", "compute", design.tray),
        ("switch_tray", "switch", design.switch_tray),
        ("power_shelf", "shelf", design.shelf),
        ("cooling", "cooling", design.cooling),
    )
    for kind, name, item in groups:
        group = m.place[name]
        size = solver.value(group.size) if group.starts else 0
        count = 0
        for start, present in zip(group.starts, group.present, strict=True):
            if size and solver.boolean_value(present):
                count += 1
                items.append(
                    Placed(f"{name}-{count:02d}", kind, item.id, solver.value(start) + 1, size)
                )
    reserved = m.space.profile.reserved_slots
    if reserved:
        items.append(
            Placed("reserved", "reserved", "reserved", design.rack.slots - reserved + 1, reserved)
        )
    items.sort(key=lambda p: p.slot)
    return Layout(design.rack.id, design.rack.slots, tuple(items))
