"""``rackscale hall``: how many proven scale-up domains fit a data hall, row by row.

The rack solve proves one domain design (:func:`solver.engine.solve`); the hall reuses it as
a unit — its positions in a row, feed draw, liquid heat, coolant flow and scale-out ports —
and a second, small CP-SAT model decides how many whole domains each row holds and where
the scale-out fabric's network racks stand:

- row space: a row's domains (compute, spine and sidecar racks, side by side), the racks of
  their optical circuit switches (OCS), network racks and CDUs fit its positions;
- row power: a row's draw (its domains, OCS included, and the scale-out switches standing in
  it, each with every cage's optic) fits one busway run (with A and B runs each carries the
  row alone);
- CDU capacity and CDU flow: the liquid heat and coolant flow of a group of rows fit its CDUs
  after their N+k spares;
- room air: the heat not taken by liquid (and every switch and optic) fits the room's air;
- hall power: everything fits the hall's IT megawatts;
- scale-out radix: the fat tree of ``max_tiers`` tiers joins every accelerator port
  (:mod:`solver.physics.fabric`); leaves stand in their endpoints' row, upper tiers anywhere;
- failure domains: no CDU group or row serves more than its share of the accelerators.

A domain whose torus blocks join through OCS (TPU pods) has its own OCS units; they stand in
racks of the domain's frame, in its row, stacked by height, each rack serving whole domains
(:func:`solver.physics.links.ocs_rack_share`), so one OCS lost takes down its domain and one
OCS rack the domains it serves. A share limit per OCS rack is not offered: that rack's blast
radius is fixed by the packing (a few domains), not by how many domains the hall holds.

The count is proven maximal (the model is solved to optimality for every tier count), and
one domain more is probed with each limit relaxed alone to name what binds.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from solver.budgets.cost import Capex, design_capex, priced
from solver.errors import InfeasibleError, UsageError
from solver.families.base import Check
from solver.physics import fabric
from solver.physics.cooling import coolant_flow, coolant_rise
from solver.physics.links import ocs_per_rack, ocs_rack_share, ocs_racks
from solver.physics.power import carrying_units
from solver.physics.reach import overhead_run
from solver.units import Quantity, format_quantity, limit_int, usage_int

FAMILIES = (
    "hall power",
    "row power",
    "row space",
    "CDU capacity",
    "CDU flow",
    "room air",
    "scale-out radix",
    "failure domains",
)
"""The hall's limits, in the order explanations list them."""


@dataclass(frozen=True)
class DomainUnit:
    """One proven domain as the hall places it."""

    accelerators: int
    compute_racks: int
    spine_racks: int
    sidecars: int
    positions: int
    """Row positions of all its racks side by side."""
    power: Quantity
    """Feed draw of all its racks plus its scale-out optics."""
    liquid_heat: Quantity
    flow: Quantity
    """Technology-loop coolant flow at the profile's supply and return temperatures."""
    ports: int
    """Scale-out switch ports (logical) of all its accelerators."""
    nic_optic: Any
    nic_optics_power: Quantity
    capex: Capex
    layout: tuple[str, ...] = ()
    """What stands at each of its positions, left to right."""
    ocs: Any = None
    """Optical circuit switch joining its torus blocks (None: none)."""
    ocs_units: int = 0
    """Its OCS units (counted in ``power``; they stand in OCS racks of its row)."""
    ocs_per_rack: int = 0
    ocs_positions: int = 0
    """Row positions of one OCS rack (a rack of the domain's frame)."""

    def ocs_racks(self, domains: int) -> int:
        """OCS racks for ``domains`` of these domains, each rack serving whole domains."""
        return ocs_racks(domains, self.ocs_units, self.ocs_per_rack)


@dataclass(frozen=True)
class Fabric:
    """The scale-out network of a plan (minimal counts for its endpoints)."""

    switch: Any
    radix: int
    tiers: int
    endpoints: int
    per_tier: tuple[int, ...]
    links: int
    leaf_optic: Any
    """Optic of a leaf's downlinks (within the row) and of the accelerators' ports."""
    trunk_optic: Any
    """Optic of the links between tiers (across the hall)."""
    leaf_length: Quantity
    trunk_length: Quantity
    modules: dict[str, int]
    """Optical modules by catalog id, both ends (accelerators' and switches')."""
    power: Quantity
    """Switches and their cage optics (the accelerators' optics count in the domains)."""

    @property
    def switches(self) -> int:
        return sum(self.per_tier)


@dataclass(frozen=True)
class Row:
    index: int
    cdu_group: int
    domains: int
    network_racks: int
    leaves: int
    upper: int
    """Scale-out switches of the tiers above the leaves standing in this row."""
    ocs_racks: int
    cdus: int
    positions: int
    """Positions taken (domains, OCS racks, network racks and CDUs)."""
    power: Quantity
    liquid_heat: Quantity


@dataclass(frozen=True)
class HallPlan:
    """How many domains of one proven design fit the hall, where, and what binds."""

    hall: Any
    profile_id: str
    accelerator: str
    status: str
    """``optimal`` (proven maximal), ``feasible`` (time limit before the proof),
    ``infeasible`` (not one domain fits: see ``explanation``)."""
    unit: DomainUnit | None
    domains: int
    rows: tuple[Row, ...]
    fabric: Fabric | None
    checks: tuple[Check, ...]
    binding: tuple[str, ...]
    explanation: str
    blast_radius: dict[str, Any]
    solves: int
    wall_time_s: float
    result: Any = field(repr=False, default=None)
    """The rack solve's :class:`~solver.result.Result`."""

    @property
    def accelerators(self) -> int:
        return self.domains * (self.unit.accelerators if self.unit else 0)

    @property
    def it_power(self) -> Quantity:
        if self.unit is None:
            return Quantity(0, "MW")
        return (self.domains * self.unit.power + self.fabric.power).to("MW")

    @property
    def network_racks(self) -> int:
        """Racks of scale-out switches, row by row (each row's last part-full)."""
        return sum(r.network_racks for r in self.rows)

    def row_layout(self, row: Row) -> list[str]:
        """What stands at each position of ``row``: its domains, OCS racks, network racks,
        CDUs, free."""
        kinds = list(self.unit.layout) * row.domains if self.unit else []
        kinds += ["OCS rack"] * (row.ocs_racks * (self.unit.ocs_positions if self.unit else 0))
        kinds += ["network rack"] * row.network_racks
        kinds += ["CDU"] * (row.cdus * self.hall.cdu.positions)
        return kinds + ["free"] * (self.hall.row_positions - len(kinds))

    def bom(self) -> list[dict[str, Any]]:
        """The hall's bill of materials: domains, switches, optics, racks, CDUs, busways."""
        if self.unit is None or not self.domains:
            return []
        u, f, h = self.unit, self.fabric, self.hall
        catalog = self.result.space.catalog
        rows = [
            _bom_row("scale-up domain", self.accelerator, self.domains, u.capex),
            _bom_row("compute rack", self.result.design.rack.id, self.domains * u.compute_racks),
        ]
        if u.spine_racks:
            rows.append(_bom_row("spine rack", "", self.domains * u.spine_racks))
        if u.sidecars:
            rows.append(
                _bom_row(
                    "sidecar power rack", self.result.design.shelf.id, self.domains * u.sidecars
                )
            )
        if u.ocs_units:
            ocs = u.ocs.id
            rows.append(_bom_row("optical circuit switch", ocs, self.domains * u.ocs_units))
            rows.append(_bom_row("OCS rack", "", sum(r.ocs_racks for r in self.rows)))
        rows.append(
            _bom_row(
                "scale-out switch",
                f.switch.id,
                f.switches,
                priced(catalog, [(f.switch.id, f.switches)]),
            )
        )
        for optic, count in f.modules.items():
            rows.append(_bom_row("optical module", optic, count, priced(catalog, [(optic, count)])))
        rows.append(_bom_row("network rack", "", self.network_racks))
        groups = h.rows // h.cdu.rows
        rows.append(_bom_row("CDU", "", groups * h.cdu.units))
        rows.append(_bom_row("busway run", "", h.rows * h.busway.feeds))
        return rows

    def _ocs_dict(self) -> dict[str, Any]:
        u = self.unit
        return {
            "switch": u.ocs.id,
            "per_domain": u.ocs_units,
            "per_rack": u.ocs_per_rack,
            "domains_per_rack": ocs_rack_share(u.ocs_units, u.ocs_per_rack)[0],
            "racks": sum(r.ocs_racks for r in self.rows),
        }

    def to_dict(self) -> dict[str, Any]:
        u, f = self.unit, self.fabric
        return {
            "hall": self.hall.id,
            "profile": self.profile_id,
            "accelerator": self.accelerator,
            "status": self.status,
            "domains": self.domains,
            "accelerators": self.accelerators,
            "domain": None
            if u is None
            else {
                "accelerators": u.accelerators,
                "compute_racks": u.compute_racks,
                "spine_racks": u.spine_racks,
                "sidecars": u.sidecars,
                "positions": u.positions,
                "power": format_quantity(u.power.to("kW")),
                "liquid_heat": format_quantity(u.liquid_heat.to("kW")),
                "coolant_flow": format_quantity(u.flow.to("l/min")),
                "scale_out_ports": u.ports,
                **({"ocs": self._ocs_dict()} if u.ocs_units else {}),
            },
            "it_power": format_quantity(self.it_power),
            "scale_out": None
            if f is None
            else {
                "switch": f.switch.id,
                "radix": f.radix,
                "tiers": f.tiers,
                "endpoints": f.endpoints,
                "switches_per_tier": list(f.per_tier),
                "switches": f.switches,
                "links": f.links,
                "leaf_optic": f.leaf_optic.id if f.leaf_optic else None,
                "trunk_optic": f.trunk_optic.id if f.trunk_optic else None,
                "leaf_length": format_quantity(f.leaf_length),
                "trunk_length": format_quantity(f.trunk_length),
                "optical_modules": dict(f.modules),
                "power": format_quantity(f.power.to("kW")),
                "network_racks": self.network_racks,
            },
            "rows": [row_dict(r) for r in self.rows],
            "limits": [
                {
                    "family": c.family,
                    "limit": c.limit_name,
                    "used": format_quantity(c.used),
                    "of": format_quantity(c.limit),
                    "utilization": round(c.utilization, 4),
                    "binding": c.binding,
                }
                for c in self.checks
            ],
            "binding": list(self.binding),
            "explanation": self.explanation,
            "blast_radius": self.blast_radius,
            "solve": {"solves": self.solves, "wall_time_s": round(self.wall_time_s, 3)},
        }


def row_dict(r: Row) -> dict[str, Any]:
    return {
        "row": r.index + 1,
        "cdu_group": r.cdu_group + 1,
        "domains": r.domains,
        "network_racks": r.network_racks,
        "leaf_switches": r.leaves,
        "upper_switches": r.upper,
        "ocs_racks": r.ocs_racks,
        "cdus": r.cdus,
        "positions_used": r.positions,
        "power_kW": round(r.power.to("kW").magnitude, 1),
        "liquid_heat_kW": round(r.liquid_heat.to("kW").magnitude, 1),
    }


def _bom_row(item: str, item_id: str, count: int, capex: Capex | None = None) -> dict[str, Any]:
    total = None if capex is None or capex.unpriced else round(capex.total.to("USD").m)
    if item == "scale-up domain" and capex is not None and not capex.unpriced:
        total = round(count * capex.total.to("USD").m)
    return {"item": item, "id": item_id, "count": count, "capex_usd": total}


# --- the unit and the fabric ---------------------------------------------------------------


def _positions(width: Quantity, hall) -> int:
    return math.ceil((width / hall.position_width).to("").magnitude - 1e-9)


def domain_unit(result, hall, switch, optics) -> DomainUnit:
    """The proven domain of ``result`` as the hall sees it."""
    d, s = result.design, result.space
    from solver.parts import draw_power, liquid_heat

    side = d.shelf.kind == "sidecar"
    rack_w = _positions(d.rack.width, hall)
    side_w = _positions(d.shelf.width, hall) if side else 0
    layout: list[str] = []
    for _ in range(d.racks):
        layout += ["compute rack"] * rack_w + ["sidecar power rack"] * side_w * d.power_shelves
    if d.spine_racks:
        spine = d.spine_rack()
        for _ in range(d.spine_racks):
            shelves = spine.power_shelves if side else 0
            layout += ["spine rack"] * rack_w + ["sidecar power rack"] * side_w * shelves
    sidecars = layout.count("sidecar power rack") // side_w if side else 0
    positions = len(layout)
    heat = d.racks * liquid_heat(d, s)
    power = d.racks * draw_power(d, s)
    if d.spine_racks:
        heat = heat + d.spine_racks * liquid_heat(spine, s)
        power = power + d.spine_racks * draw_power(spine, s)
    ocs = {}
    if d.ocs_units:
        power = power + d.ocs_units * d.ocs.power
        per_rack = ocs_per_rack(d.rack, d.ocs, s.profile.reserved_slots)
        if not per_rack:
            raise InfeasibleError(
                f"{d.ocs.id} ({d.ocs.height:~P}) does not fit a {d.rack.id} frame (its OCS rack)",
                ["row space"],
            )
        ocs = dict(ocs=d.ocs, ocs_units=d.ocs_units, ocs_per_rack=per_rack, ocs_positions=rack_w)
    ports = result.domain_size * fabric.ports_per_accelerator(d.accelerator, switch)
    rate = min(fabric.logical_rate(switch), d.accelerator.scale_out_bandwidth.to("Gbit/s"))
    in_row = leaf_length(hall, s.profile)
    nic = fabric.pick_optic(optics, rate, in_row, shared=False)
    if nic is None:
        raise InfeasibleError(
            f"no optical module in the catalog carries {rate:~P} over {in_row:~P} "
            "(an accelerator's port to its leaf switch)",
            ["scale-out radix"],
        )
    nic_power = ports * nic.power
    coolant = s.coolant(d.cooling)
    flow = (
        coolant_flow(heat, coolant, coolant_rise(s.profile))
        if coolant is not None and heat.magnitude > 0
        else Quantity(0, "l/min")
    )
    return DomainUnit(
        accelerators=result.domain_size,
        compute_racks=d.racks,
        spine_racks=d.spine_racks,
        sidecars=sidecars,
        positions=positions,
        power=(power + nic_power).to("kW"),
        liquid_heat=heat.to("kW"),
        flow=flow.to("l/min"),
        ports=ports,
        nic_optic=nic,
        nic_optics_power=nic_power.to("kW"),
        capex=design_capex(d, s),
        layout=tuple(layout),
        **ocs,
    )


def leaf_length(hall, profile) -> Quantity:
    """Longest accelerator-to-leaf run: along the row, up to and down from the cable tray."""
    return overhead_run(hall.row_positions * hall.position_width, profile)


def trunk_length(hall, profile) -> Quantity:
    """Longest switch-to-switch run: along a row, across every row, up and down."""
    across = (hall.rows - 1) * hall.row_pitch
    return overhead_run(hall.row_positions * hall.position_width + across, profile)


def build_fabric(
    endpoints_per_row: list[int], tiers: int, switch, optics, hall, profile, nic_optic
) -> Fabric:
    """Minimal fat tree of ``tiers`` ≥ 2 for the endpoints of each row: leaves in their row."""
    k = fabric.radix(switch)
    rate = fabric.logical_rate(switch)
    n = sum(endpoints_per_row)
    leaf_len, trunk_len = leaf_length(hall, profile), trunk_length(hall, profile)
    leaf_optic = fabric.pick_optic(optics, rate, leaf_len, True)
    trunk_optic = fabric.pick_optic(optics, rate, trunk_len, True)
    leaves = sum(fabric.leaf_switches(e, k) for e in endpoints_per_row)
    per_tier = (leaves, *fabric.switches_per_tier(n, k, tiers)[1:])
    modules: dict[str, int] = {}

    def add(optic, count):
        if count:
            modules[optic.id] = modules.get(optic.id, 0) + count

    add(nic_optic, n)
    down = fabric.modules_for_ends(n, rate, leaf_optic, True) if n else 0
    add(leaf_optic, down)
    trunk_ends = 2 * n * (tiers - 1)
    up = fabric.modules_for_ends(trunk_ends, rate, trunk_optic, True) if trunk_ends else 0
    if up:
        add(trunk_optic, up)
    power = sum(per_tier) * switch.power + down * leaf_optic.power
    if up:
        power = power + up * trunk_optic.power
    return Fabric(
        switch=switch,
        radix=k,
        tiers=tiers,
        endpoints=n,
        per_tier=per_tier,
        links=fabric.fabric_links(n, tiers),
        leaf_optic=leaf_optic,
        trunk_optic=trunk_optic,
        leaf_length=leaf_len,
        trunk_length=trunk_len,
        modules=modules,
        power=power.to("kW"),
    )


# --- the CP-SAT model ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Ints:
    """The hall's figures as integers: W, mL/min, positions."""

    dom_w: int
    dom_heat_w: int
    dom_air_w: int
    dom_flow: int
    dom_pos: int
    dom_ports: int
    switch_w: int
    """A switch's own draw."""
    full_switch_w: int
    """A switch with every cage's optic (what a row's busway carries for it)."""
    leaf_mod_w: int
    trunk_mod_w: int
    leaf_epm: int
    trunk_epm: int
    k: int
    hall_w: int
    busway_w: int
    cdu_w: int
    cdu_flow: int
    air_w: int | None
    positions: int
    cdu_positions: int
    spr: int
    ocs_served: int
    """Domains one OCS rack serves (0: no OCS)."""
    ocs_taken: int
    """OCS racks one domain takes."""
    ocs_pos: int


def _ints(unit: DomainUnit, hall, switch, leaf_optic, trunk_optic) -> _Ints:
    def w(q):  # usage rounds up
        return usage_int(q, "W")

    def lim(q):  # limits round down
        return limit_int(q, "W")

    rate = fabric.logical_rate(switch)
    k = fabric.radix(switch)
    leaf_epm = fabric.ends_per_module(leaf_optic, rate, True)
    trunk_epm = fabric.ends_per_module(trunk_optic, rate, True)
    worst = max(leaf_optic.power / leaf_epm, trunk_optic.power / trunk_epm)
    carrying = carrying_units(hall.cdu.units, hall.cdu.redundancy)
    served, taken = ocs_rack_share(unit.ocs_units, unit.ocs_per_rack)
    return _Ints(
        dom_w=w(unit.power),
        dom_heat_w=w(unit.liquid_heat),
        dom_air_w=w(unit.power - unit.liquid_heat),
        dom_flow=usage_int(unit.flow, "ml/min"),
        dom_pos=unit.positions,
        dom_ports=unit.ports,
        switch_w=w(switch.power),
        full_switch_w=w(switch.power + k * worst),
        leaf_mod_w=w(leaf_optic.power),
        trunk_mod_w=w(trunk_optic.power),
        leaf_epm=leaf_epm,
        trunk_epm=trunk_epm,
        k=k,
        hall_w=lim(hall.it_power),
        busway_w=lim(hall.busway.capacity),
        cdu_w=carrying * lim(hall.cdu.capacity),
        cdu_flow=carrying * limit_int(hall.cdu.flow, "ml/min"),
        air_w=None if hall.air_cooling is None else lim(hall.air_cooling),
        positions=hall.row_positions,
        cdu_positions=hall.cdu.units * hall.cdu.positions,
        spr=hall.scale_out.switches_per_rack,
        ocs_served=served,
        ocs_taken=taken,
        ocs_pos=unit.ocs_positions,
    )


def _group_rows(hall) -> list[list[int]]:
    size = hall.cdu.rows
    return [list(range(g * size, (g + 1) * size)) for g in range(hall.rows // size)]


_PLACED = ("d", "n", "up", "o")
"""Per-row decisions of the hall model: domains, network racks, upper-tier switches, OCS racks."""


def _values(solver, x: dict[str, list]) -> dict[str, list[int]]:
    return {key: [solver.value(v) for v in x[key]] for key in _PLACED}


ARRANGE_WORK = 2.0
"""Deterministic-time budget of each arrangement step: it stops at the same point on every
run and machine (a wall-clock cap would make the rows depend on the machine's load)."""


def _arrange(hall, ints: _Ints, tiers: int, best: dict[str, list[int]], time_limit: float):
    """The proven count with few network racks, filling the front rows first: a search from
    the proven plan, in two short steps that never make it worse (the arrangement is not
    part of the proof)."""
    rows = range(hall.rows)
    for step in ("fewest network racks", "front rows first"):
        cp, x = _model(hall, ints, tiers, frozenset(), sum(best["d"]))
        d, n = x["d"], x["n"]
        if step == "fewest network racks":
            cp.minimize(sum(n) + sum(x["o"]))
        else:
            cp.add(sum(n) == sum(best["n"]))
            cp.maximize(sum((hall.rows - r) * (2 * d[r] + n[r]) for r in rows))
        for key in _PLACED:
            for var, value in zip(x[key], best[key], strict=True):
                cp.add_hint(var, value)
        solver, status = _solve(cp, time_limit, ARRANGE_WORK)
        if status in ("optimal", "feasible"):
            best = _values(solver, x)
    return best


def _model(hall, ints: _Ints, tiers: int, relaxed: frozenset[str], domains: int | None):
    """The hall model for ``tiers`` tiers: maximise domains, or decide whether exactly
    ``domains`` fit. Maximising on t > 2 tiers looks only above what t − 1 tiers can join:
    below it, one tier fewer fits the same domains with fewer switches. Switch counts are
    exact (⌈·⌉ of :mod:`solver.physics.fabric`): a row's busway carries the switches standing
    in it, its leaves and any upper-tier switches placed there, not its racks' capacity."""
    from ortools.sat.python import cp_model

    cp = cp_model.CpModel()
    rows = range(hall.rows)
    groups = _group_rows(hall)
    first_rows = {g[0] for g in groups}
    cap_d = ints.positions // ints.dom_pos if ints.dom_pos else 0
    if "row space" in relaxed:
        cap_d = max(cap_d, ints.hall_w // max(ints.dom_w, 1) + 1)
    d = [cp.new_int_var(0, cap_d, f"d{r}") for r in rows]
    n = [cp.new_int_var(0, 10 * ints.positions, f"n{r}") for r in rows]
    total = cp.new_int_var(0, cap_d * hall.rows, "domains")
    cp.add(total == sum(d))
    if domains is not None:
        cp.add(total == domains)
    # symmetry: groups of rows are interchangeable, and so are a group's rows after its first
    for a, b in itertools.pairwise(groups):
        cp.add(d[a[0]] >= d[b[0]])
    for g in groups:
        for a, b in itertools.pairwise(g[1:]):
            cp.add(d[a] >= d[b])
    endpoints = total * ints.dom_ports
    k = ints.k

    def exact_ceil(name: str, ends, bound: int):  # the var is ⌈ends / k⌉
        var = cp.new_int_var(0, bound, name)
        cp.add(var * k >= ends)
        cp.add(var * k < ends + k)
        return var

    # the fabric (two tiers or more): leaves in their row, upper tiers in any row
    per_row = 10 * ints.positions * ints.spr
    leaves = [exact_ceil(f"l{r}", 2 * d[r] * ints.dom_ports, per_row) for r in rows]
    middle = exact_ceil("middle", 2 * endpoints, 10**7)
    top = exact_ceil("top", endpoints, 10**7)
    up = [cp.new_int_var(0, per_row, f"u{r}") for r in rows]
    cp.add(sum(up) == (tiers - 2) * middle + top)
    for r in rows:
        cp.add(leaves[r] + up[r] <= n[r] * ints.spr)
    switches = sum(leaves) + (tiers - 2) * middle + top
    leaf_mods = cp.new_int_var(0, 10**9, "leaf-modules")
    trunk_mods = cp.new_int_var(0, 10**9, "trunk-modules")
    cp.add(leaf_mods * ints.leaf_epm >= endpoints)
    cp.add(trunk_mods * ints.trunk_epm >= 2 * (tiers - 1) * endpoints)
    mods_w = leaf_mods * ints.leaf_mod_w + trunk_mods * ints.trunk_mod_w
    fabric_w = switches * ints.switch_w + mods_w
    # OCS racks in their domains' row, each serving whole domains
    if ints.ocs_served:
        o = [cp.new_int_var(0, ints.positions, f"o{r}") for r in rows]
        for r in rows:
            cp.add(o[r] * ints.ocs_served >= d[r] * ints.ocs_taken)
    else:
        o = [cp.new_int_var(0, 0, f"o{r}") for r in rows]
    if "scale-out radix" not in relaxed:
        cp.add(endpoints <= fabric.tier_capacity(k, tiers))
    if "row space" not in relaxed:
        for r in rows:
            cdus = ints.cdu_positions if r in first_rows else 0
            cp.add(d[r] * ints.dom_pos + o[r] * ints.ocs_pos + n[r] + cdus <= ints.positions)
    if "row power" not in relaxed:
        for r in rows:
            cp.add(d[r] * ints.dom_w + (leaves[r] + up[r]) * ints.full_switch_w <= ints.busway_w)
    if "CDU capacity" not in relaxed:
        for g in groups:
            cp.add(sum(d[r] for r in g) * ints.dom_heat_w <= ints.cdu_w)
    if "CDU flow" not in relaxed:
        for g in groups:
            cp.add(sum(d[r] for r in g) * ints.dom_flow <= ints.cdu_flow)
    if "hall power" not in relaxed:
        cp.add(total * ints.dom_w + fabric_w <= ints.hall_w)
    if "room air" not in relaxed and ints.air_w is not None:
        cp.add(total * ints.dom_air_w + fabric_w <= ints.air_w)
    shares = hall.failure_domains
    if "failure domains" not in relaxed:
        if shares.max_share_per_cdu is not None:
            permille = math.floor(shares.max_share_per_cdu * 1000 + 1e-9)
            for g in groups:
                cp.add(sum(d[r] for r in g) * 1000 <= permille * total)
        if shares.max_share_per_row is not None:
            permille = math.floor(shares.max_share_per_row * 1000 + 1e-9)
            for r in rows:
                cp.add(d[r] * 1000 <= permille * total)
    if domains is None:
        if tiers > 2 and "scale-out radix" not in relaxed:  # else fewer tiers do as well
            cp.add(endpoints > fabric.tier_capacity(k, tiers - 1))
        cp.maximize(total)
    return cp, {"d": d, "n": n, "up": up, "o": o}


def _solve(cp, time_limit: float, work_limit: float | None = None):
    from ortools.sat.python import cp_model

    from solver.model import new_solver, run_cp_sat

    solver = new_solver(time_limit, work_limit=work_limit)
    status = run_cp_sat(solver, cp)
    names = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible"}
    names |= {cp_model.INFEASIBLE: "infeasible", cp_model.UNKNOWN: "unknown"}
    return solver, names[status]


def plan(
    catalog,
    loaded,
    accelerator: str,
    pins: dict[str, str] | None = None,
    max_racks: int = 1,
    time_limit: float = 30.0,
    progress: Callable[[str], None] | None = None,
    result=None,
) -> HallPlan:
    """Most domains of ``accelerator``'s proven design that fit the hall of ``loaded`` (a
    profile file with a ``hall:`` block), row by row, with its scale-out fabric. ``result``
    reuses a rack solve of the same accelerator and profile (what-ifs of the hall alone)."""
    from solver import engine

    hall = loaded.hall
    if hall is None:
        raise UsageError(f"{loaded.file.path} has no hall: block (see constraints/hall-50mw.yaml)")
    switch = catalog.network_switches.get(hall.scale_out.switch)
    if switch is None:
        known = ", ".join(catalog.network_switches) or "none"
        raise UsageError(
            f"{loaded.file.path}: hall.scale_out.switch: unknown network_switches id "
            f"'{hall.scale_out.switch}' (known: {known})"
        )
    start = time.perf_counter()
    if progress:
        progress("rack design")
    if result is None:
        result = engine.solve(
            catalog,
            loaded,
            accelerator=accelerator,
            pins=pins,
            max_racks=max_racks,
            time_limit=time_limit,
        )
    profile = loaded.profile
    empty = dict(
        hall=hall,
        profile_id=profile.id,
        accelerator=accelerator,
        unit=None,
        domains=0,
        rows=(),
        fabric=None,
        checks=(),
        blast_radius={},
        result=result,
    )
    if not result.ok:
        return HallPlan(
            **empty,
            status="infeasible",
            binding=tuple(result.binding),
            explanation=f"no rack design for {accelerator}: {result.explanation}",
            solves=result.solve.solves,
            wall_time_s=time.perf_counter() - start,
        )
    optics = list(catalog.transceivers.values())
    rate = fabric.logical_rate(switch)
    try:
        unit = domain_unit(result, hall, switch, optics)
        for length in (leaf_length(hall, profile), trunk_length(hall, profile)):
            if fabric.pick_optic(optics, rate, length, True) is None:
                raise InfeasibleError(
                    f"no optical module in the catalog carries {rate:~P} over {length:~P} "
                    "(the longest scale-out run)",
                    ["scale-out radix"],
                )
    except InfeasibleError as exc:
        return HallPlan(
            **empty,
            status="infeasible",
            binding=tuple(exc.conflicts),
            explanation=str(exc),
            solves=result.solve.solves,
            wall_time_s=time.perf_counter() - start,
        )
    leaf_optic = fabric.pick_optic(optics, rate, leaf_length(hall, profile), True)
    trunk_optic = fabric.pick_optic(optics, rate, trunk_length(hall, profile), True)
    ints = _ints(unit, hall, switch, leaf_optic, trunk_optic)
    tiers_range = range(2, hall.scale_out.max_tiers + 1)
    solves = 0
    best = None  # (domains, -tiers), tiers, per-row values
    proven = True  # every tier count solved to optimality (or proven empty)
    if progress:
        progress("hall")
    for tiers in tiers_range:
        cp, x = _model(hall, ints, tiers, frozenset(), None)
        solver, status = _solve(cp, time_limit)
        solves += 1
        proven &= status in ("optimal", "infeasible")
        if status not in ("optimal", "feasible"):
            continue
        values = _values(solver, x)
        key = (sum(values["d"]), -tiers)
        if best is None or key > best[0]:
            best = (key, tiers, values)
    domains = best[0][0] if best else 0

    def fits(count: int, relaxed: frozenset[str]) -> bool:
        nonlocal solves
        top = hall.scale_out.max_tiers + (1 if "scale-out radix" in relaxed else 0)
        for tiers in range(2, top + 1):
            cp, _ = _model(hall, ints, tiers, relaxed, count)
            solves += 1
            if _solve(cp, time_limit)[1] in ("optimal", "feasible"):
                return True
        return False

    if progress:
        progress("what binds")
    probe = domains + 1
    binding = tuple(f for f in FAMILIES if _applies(f, hall) and fits(probe, frozenset({f})))
    if not domains:
        text = f"not one {unit.accelerators}-accelerator {accelerator} domain fits the hall: " + (
            f"{_join(binding)} rule it out" if binding else "several limits rule it out together"
        )
        return HallPlan(
            **{**empty, "unit": unit},
            status="infeasible",
            binding=binding,
            explanation=text,
            solves=solves + result.solve.solves,
            wall_time_s=time.perf_counter() - start,
        )
    _, tiers, values = best
    values = _arrange(hall, ints, tiers, values, time_limit)
    solves += 2
    dv, upper = values["d"], values["up"]
    groups = _group_rows(hall)
    group_of = {r: g for g, rows in enumerate(groups) for r in rows}
    first_rows = {rows[0] for rows in groups}
    k = fabric.radix(switch)
    endpoints = [x * unit.ports for x in dv]
    fab = build_fabric(endpoints, tiers, switch, optics, hall, profile, unit.nic_optic)
    full_switch = Quantity(ints.full_switch_w, "W")

    def row(r: int) -> Row:
        leaves = fabric.leaf_switches(endpoints[r], k)
        switches = leaves + upper[r]
        network = math.ceil(switches / hall.scale_out.switches_per_rack)  # the last part-full
        ocs = unit.ocs_racks(dv[r])
        cdus = hall.cdu.units if r in first_rows else 0
        return Row(
            index=r,
            cdu_group=group_of[r],
            domains=dv[r],
            network_racks=network,
            leaves=leaves,
            upper=upper[r],
            ocs_racks=ocs,
            cdus=cdus,
            positions=dv[r] * unit.positions
            + ocs * unit.ocs_positions
            + network
            + cdus * hall.cdu.positions,
            power=(dv[r] * unit.power + switches * full_switch).to("kW"),
            liquid_heat=(dv[r] * unit.liquid_heat).to("kW"),
        )

    rows = tuple(row(r) for r in range(hall.rows))
    checks = _checks(hall, unit, rows, fab, domains, groups, binding)
    plan_ = HallPlan(
        hall=hall,
        profile_id=profile.id,
        accelerator=accelerator,
        status="optimal" if proven else "feasible",
        unit=unit,
        domains=domains,
        rows=rows,
        fabric=fab,
        checks=checks,
        binding=binding,
        explanation="",
        blast_radius=blast_radius(hall, unit, rows, groups),
        solves=solves + result.solve.solves,
        wall_time_s=time.perf_counter() - start,
        result=result,
    )
    return replace(plan_, explanation=_explanation(plan_, proven))


def _applies(family: str, hall) -> bool:
    if family == "room air":
        return hall.air_cooling is not None
    if family == "failure domains":
        f = hall.failure_domains
        return f.max_share_per_cdu is not None or f.max_share_per_row is not None
    return True


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def _join(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _checks(hall, unit, rows, fab, domains, groups, binding) -> tuple[Check, ...]:
    carrying = carrying_units(hall.cdu.units, hall.cdu.redundancy)
    group_heat = [sum((rows[r].liquid_heat for r in g), Quantity(0, "kW")) for g in groups]
    group_domains = [sum(rows[r].domains for r in g) for g in groups]
    it = (domains * unit.power + fab.power).to("MW")
    checks = [
        Check("hall power", "hall IT power", it, hall.it_power.to("MW")),
        Check(
            "row power",
            f"busiest row vs one busway run ({hall.busway.feeds} per row)",
            max(r.power for r in rows).to("kW"),
            hall.busway.capacity.to("kW"),
        ),
        Check(
            "row space",
            "fullest row's positions",
            Quantity(max(r.positions for r in rows), "position"),
            Quantity(hall.row_positions, "position"),
        ),
        Check(
            "CDU capacity",
            f"busiest CDU group's liquid heat vs {carrying} of {hall.cdu.units} CDUs "
            f"({hall.cdu.redundancy})",
            max(group_heat).to("kW"),
            (carrying * hall.cdu.capacity).to("kW"),
        ),
        Check(
            "CDU flow",
            "busiest CDU group's coolant flow",
            (max(group_domains) * unit.flow).to("l/min"),
            (carrying * hall.cdu.flow).to("l/min"),
        ),
    ]
    if hall.air_cooling is not None:
        air = domains * (unit.power - unit.liquid_heat) + fab.power
        checks.append(
            Check("room air", "heat to room air", air.to("MW"), hall.air_cooling.to("MW"))
        )
    cap = fabric.tier_capacity(fab.radix, hall.scale_out.max_tiers)
    checks.append(
        Check(
            "scale-out radix",
            f"ports vs a {hall.scale_out.max_tiers}-tier fat tree of radix {fab.radix}",
            Quantity(fab.endpoints, "port"),
            Quantity(cap, "port"),
        )
    )
    f = hall.failure_domains
    if f.max_share_per_cdu is not None:
        checks.append(
            Check(
                "failure domains",
                "largest share of accelerators behind one CDU group",
                Quantity(max(group_domains) / domains, ""),
                Quantity(f.max_share_per_cdu, ""),
            )
        )
    if f.max_share_per_row is not None:
        checks.append(
            Check(
                "failure domains",
                "largest share of accelerators in one row",
                Quantity(max(r.domains for r in rows) / domains, ""),
                Quantity(f.max_share_per_row, ""),
            )
        )
    return tuple(replace(c, binding=c.family in binding) for c in checks)


def blast_radius(hall, unit, rows, groups) -> dict[str, Any]:
    """Domains lost to one CDU failure, one row feed failure and, where domains join their
    torus blocks through OCS, one OCS or one OCS rack failure (worst case). Every OCS of a
    domain takes a face link of each of its blocks (as Google wires a pod's 48 OCS to all
    64 cubes), so losing one breaks the domain's torus."""
    total = sum(r.domains for r in rows)
    left = (hall.cdu.units - 1) * hall.cdu.capacity  # with N+k (k >= 1) no load is over it
    left_flow = (hall.cdu.units - 1) * hall.cdu.flow
    worst_cdu = 0
    for g in groups:
        heat = sum((rows[r].liquid_heat for r in g), Quantity(0, "kW"))
        flow = sum(rows[r].domains for r in g) * unit.flow
        over = max(
            (heat - left) / unit.liquid_heat if unit.liquid_heat.magnitude else 0,
            (flow - left_flow) / unit.flow if unit.flow.magnitude else 0,
            0,
        )
        worst_cdu = max(worst_cdu, math.ceil(float(Quantity(over).to("").magnitude) - 1e-9))
    worst_row = 0 if hall.busway.feeds == 2 else max(r.domains for r in rows)
    worst = {"one_cdu": worst_cdu, "one_row_feed": worst_row}
    if unit.ocs_units:
        served = ocs_rack_share(unit.ocs_units, unit.ocs_per_rack)[0]
        worst["one_ocs"] = 1
        worst["one_ocs_rack"] = max(min(served, r.domains) for r in rows)
    out = {}
    for name, lost in worst.items():
        out[name] = {
            "domains": lost,
            "accelerators": lost * unit.accelerators,
            "share": round(lost / total, 4) if total else 0.0,
        }
    return out


def _explanation(p: HallPlan, proven: bool) -> str:
    u, f = p.unit, p.fabric
    used = sum(1 for r in p.rows if r.domains)
    text = (
        f"{p.domains} domains of {u.accelerators} {p.accelerator} ({p.accelerators:,} "
        f"accelerators) fit {used} of {p.hall.rows} rows, {p.it_power.to('MW').m:.2f} MW of "
        f"{p.hall.it_power.to('MW').m:g} MW; scale-out: {f.tiers}-tier fat tree of "
        f"{f.switches:,} {f.switch.id} in {p.network_racks} network racks."
    )
    if not proven:
        return text + " The time limit cut the proof short: the count is not proven maximal."
    if p.binding:
        text += f" One domain more is ruled out by {_join(p.binding)}."
        radix = next((c for c in p.checks if c.family == "scale-out radix"), None)
        if "scale-out radix" in p.binding and radix is not None and radix.utilization < 1:
            fewer = f.tiers - 1
            text += (
                f" (Radix {f.radix} joins only {fabric.tier_capacity(f.radix, fewer):,} ports on "
                f"{fewer} tiers: the {_ordinal(f.tiers)} tier's switches and optics take the "
                "power of one more domain.)"
            )
        return text
    return text + " One domain more is ruled out by several limits together (no one alone)."
