"""The design space for one accelerator, and one design chosen from it.

:class:`Space` holds the catalog options that are compatible with an accelerator and with
each other (form factors, power input, fabric, lane rate) under a profile; :func:`misfits`
says what each rack lacks when no combination of parts fits together. :class:`Design`
is one point in that space with its counts and, once placed, its :class:`Layout`; the
constraint families measure a design in physical units, independently of the solver, so
every solver answer can be re-checked.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field, replace

from solver import schema
from solver.catalog import Catalog, canonical_id, suggestions
from solver.errors import InfeasibleError, UsageError
from solver.physics import cooling, reach
from solver.physics.links import (
    block_size,
    fabric_hops,
    ocs_units,
    pod_shape,
    torus_shape,
    torus_tiling,
)
from solver.units import Quantity

PIN_CATEGORIES: dict[str, str] = {
    "accelerator": "accelerators",
    "compute_tray": "compute_trays",
    "switch_tray": "switch_trays",
    "cable": "cables",
    "interrack_cable": "cables",
    "rack": "racks",
    "power_shelf": "power_shelves",
    "cooling": "cooling",
}


def parse_pins(items: list[str]) -> dict[str, str]:
    """``["accelerator=gb200"]`` -> ``{"accelerator": "gb200"}``; categories are checked."""
    pins: dict[str, str] = {}
    for item in items:
        category, sep, value = item.partition("=")
        category, value = category.strip(), value.strip()
        if not sep or not value:
            raise UsageError(f"--pin {item!r}: expected CATEGORY=ID, e.g. accelerator=gb200")
        if category not in PIN_CATEGORIES:
            close = difflib.get_close_matches(category, list(PIN_CATEGORIES), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise UsageError(
                f"--pin {item!r}: unknown category '{category}'{hint} "
                f"(one of {', '.join(PIN_CATEGORIES)})"
            )
        pins[category] = value
    return pins


def check_pins(catalog: Catalog, pins: dict[str, str]) -> dict[str, str]:
    """``pins`` with every id as the catalog spells it (ids match regardless of case); an id
    not in its category is a UsageError naming the closest ones."""
    checked = {}
    for category, value in pins.items():
        if category not in PIN_CATEGORIES:
            close = difflib.get_close_matches(str(category), list(PIN_CATEGORIES), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise UsageError(
                f"unknown category {category!r}{hint} (one of {', '.join(PIN_CATEGORIES)})",
                "pins",
                {category: value},
            )
        known = catalog.category(PIN_CATEGORIES[category])
        found = canonical_id(value, known)
        if found is None:
            close = suggestions(value, known)
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            raise UsageError(f"no such {category}{hint}", "pins", {category: value})
        checked[category] = found
    return checked


def slots(height: Quantity, rack: schema.Rack) -> int:
    """Slots an item of ``height`` takes in ``rack`` (a 1 RU tray takes one 48 mm OU slot)."""
    return math.ceil((height / rack.slot_pitch).to("").magnitude - 1e-6)


@dataclass(frozen=True)
class Space:
    """Options for one accelerator's domain under one profile; lists keep catalog order."""

    accelerator: schema.Accelerator
    profile: schema.Profile
    trays: list[schema.ComputeTray]
    switch_trays: list[schema.SwitchTray]
    cables: list[schema.Cable]
    racks: list[schema.Rack]
    shelves: list[schema.PowerShelf]
    coolings: list[schema.Cooling]
    catalog: Catalog = field(repr=False)
    xcables: list[schema.Cable] = field(default_factory=list)
    """Cable options for links between racks (multi-rack domains)."""
    max_racks: int = 1
    rack_counts: tuple[int, ...] = (1,)
    """Numbers of identical racks the domain may span (a switched, cabled fabric only)."""
    switch_position: str = "any"
    """Where switch trays go relative to compute trays: any, top, middle or bottom."""
    domain_cap: int | None = None
    """Largest domain asked for (``--max-domain``): a question's bound, not a limit."""
    requirements: tuple = ()
    """Extra limits imposed on the solver (workload budgets); each behaves like a family:
    ``name``, ``add(m)`` using ``m.limit(name, ...)``, and ``measure(design, space)``."""
    relaxed: tuple[str, ...] = ()
    """Families left unenforced for a what-if (``--relax topology``): their checks are still
    measured and reported, never required."""

    def chip(self, switch_tray: schema.SwitchTray) -> schema.SwitchChip:
        return self.catalog.switch_chips[switch_tray.chip]

    def outside(self, tray: schema.ComputeTray) -> schema.Accelerator | None:
        """The accelerator a tray carries outside the domain, if any."""
        extra = tray.outside_domain
        return self.catalog.accelerators[extra.accelerator] if extra is not None else None

    @property
    def ocs(self) -> schema.OpticalSwitch | None:
        """The optical circuit switch joining the fabric's torus blocks, if any."""
        ocs = self.accelerator.scale_up.ocs
        return self.catalog.optical_switches[ocs] if ocs else None

    def midplane(self, rack: schema.Rack) -> schema.Midplane | None:
        return self.catalog.midplanes[rack.midplane] if rack.midplane else None

    def coolant(self, cooling: schema.Cooling) -> schema.Coolant | None:
        return self.catalog.coolants.get(cooling.coolant) if cooling.coolant else None

    @property
    def channel(self) -> schema.Channel | None:
        """The electrical channel specification of the accelerator's lane rate."""
        return self.catalog.channel_for(self.accelerator.scale_up.lane_rate)

    def densest_coolant(self) -> Quantity:
        """Density of the densest coolant among the options (coolant in trays' cold plates)."""
        densities = [self.coolant(k).density for k in self.coolings if self.coolant(k)]
        return max(densities) if densities else Quantity(1, "kg/L")

    def usable_reach(self, cable: schema.Cable) -> Quantity:
        """Reach of ``cable`` at the accelerator's lane rate, after the profile's margin."""
        return reach.usable_reach(cable, self.channel, self.profile)

    def liquid_limits(self, k: schema.Cooling) -> list[tuple[str, Quantity]]:
        """Named limits on the liquid heat of cooling option ``k``: CDU, flow, facility."""
        p = self.profile
        coolant = self.coolant(k)
        if coolant is None:
            return [("liquid capacity", Quantity(0, "kW"))]
        limits = [
            ("CDU capacity", k.liquid_capacity.to("kW")),
            (
                "coolant flow",
                cooling.flow_heat(self.flow_limit(k), coolant, cooling.coolant_rise(p)),
            ),
        ]
        if k.needs_facility_water:
            limits.append(("facility water", p.facility_water.to("kW")))
        return limits

    def flow_limit(self, k: schema.Cooling) -> Quantity:
        """Coolant flow cooling option ``k`` delivers to a rack."""
        p = self.profile
        flow = min(k.max_flow, p.facility_flow) if k.needs_facility_water else k.max_flow
        return flow.to("L/min")

    def air_limit(self, k: schema.Cooling) -> Quantity:
        """Heat room air removes from a rack with cooling option ``k``."""
        return (self.profile.air_cooling + k.air_capacity_added).to("kW")


def build_space(
    catalog: Catalog,
    profile: schema.Profile,
    accelerator_id: str,
    pins: dict[str, str] | None = None,
    max_racks: int = 1,
    requirements: tuple = (),
    switch_position: str = "any",
    rack_count: int | None = None,
) -> Space:
    """Collect the options compatible with ``accelerator_id``; ``pins`` fix categories.

    Raises :class:`InfeasibleError` naming what is missing when no compatible design exists.
    """
    pins = pins or {}
    accelerator = catalog.accelerators[accelerator_id]
    fabric = accelerator.scale_up.fabric

    def pinned(category: str, options: list) -> list:
        wanted = pins.get(category)
        return [o for o in options if o.id == wanted] if wanted else options

    def need(options: list, what: str) -> list:
        if not options:
            raise InfeasibleError(f"{accelerator_id}: no {what}", ["compatibility"])
        return options

    trays = need(
        pinned("compute_tray", catalog.trays_for(accelerator_id)),
        f"compute tray holds accelerator '{accelerator_id}'",
    )
    racks = need(
        [
            r
            for r in pinned("rack", list(catalog.racks.values()))
            if any(t.form_factor in r.accepts for t in trays)
        ],
        "rack accepts its compute trays' form factor",
    )
    inputs = {t.power_input for t in trays}
    hall = " or ".join(profile.distribution)
    shelves = need(
        [
            p
            for p in pinned("power_shelf", list(catalog.power_shelves.values()))
            if p.output in inputs
            and p.input in profile.distribution
            and any(shelf_fits_bay(p, r) for r in racks)
        ],
        f"power unit takes the hall's {hall} feed and delivers {' or '.join(sorted(inputs))} power",
    )
    coolings = need(pinned("cooling", list(catalog.cooling.values())), "cooling option")
    switch_trays: list[schema.SwitchTray] = []
    cables: list[schema.Cable] = []
    attaches = {t.scale_up_attach for t in trays} - {"board"}
    if "midplane" in attaches and accelerator.scale_up.topology != "switched":
        raise InfeasibleError(
            f"{accelerator_id}: a midplane carries switched links only "
            f"(this fabric is a {accelerator.scale_up.topology})",
            ["compatibility"],
        )
    if accelerator.scale_up.topology == "switched" and attaches:
        switch_trays = need(
            [
                s
                for s in pinned("switch_tray", catalog.switch_trays_for(fabric))
                if any(s.form_factor in r.accepts for r in racks) and s.attach in attaches
            ],
            f"switch tray carries fabric '{fabric}' ({' or '.join(sorted(attaches))})",
        )
    if any(t.scale_up_attach == "backplane" for t in trays):
        lane_rate = accelerator.scale_up.lane_rate
        cables = need(
            [
                c
                for c in pinned("cable", list(catalog.cables.values()))
                if c.lane_rate >= lane_rate and fits_fabric(c, accelerator)
            ],
            f"cable is rated for {lane_rate:~P} lanes",
        )
    multi_rack_ok = (
        accelerator.scale_up.topology == "switched" and bool(switch_trays and cables)
    ) or (accelerator.scale_up.topology == "torus" and bool(cables))
    if rack_count is not None and rack_count > 1 and not multi_rack_ok:
        raise InfeasibleError(
            f"{accelerator_id}: only a switched or torus fabric cabled out of its trays spans "
            f"racks here (this {accelerator.scale_up.topology} fabric stays in one rack or node)",
            ["topology"],
        )
    counts = (
        (rack_count,) if rack_count else tuple(range(1, (max_racks if multi_rack_ok else 1) + 1))
    )
    xcables: list[schema.Cable] = []
    if max(counts) > 1 or accelerator.scale_up.torus_block:  # block faces: always optics
        lane_rate = accelerator.scale_up.lane_rate
        optical = accelerator.scale_up.ocs is not None  # an OCS switches light only
        xcables = need(
            [
                c
                for c in pinned("interrack_cable", list(catalog.cables.values()))
                if c.lane_rate >= lane_rate
                and fits_fabric(c, accelerator)
                and not (optical and reach.is_copper(c))
            ],
            f"{'optical ' if optical else ''}inter-rack cable is rated for {lane_rate:~P} lanes",
        )
    space = Space(
        accelerator=accelerator,
        profile=profile,
        trays=trays,
        switch_trays=switch_trays,
        cables=cables,
        racks=racks,
        shelves=shelves,
        coolings=coolings,
        catalog=catalog,
        xcables=xcables,
        max_racks=max_racks,
        rack_counts=counts,
        switch_position=switch_position,
        requirements=tuple(requirements),
    )
    reasons = misfits(space)
    if reasons:
        raise InfeasibleError(reasons, ["compatibility"])
    return space


def _within(a: Quantity, b: Quantity) -> bool:
    """Two nominal bus voltages that are the same bus (within 15 %)."""
    return 0.85 <= (a / b).to("").magnitude <= 1.15


def bus_fits(item, rack: schema.Rack) -> bool:
    """A busbar-fed tray's converters take the rack's bus voltage (or any, when unstated)."""
    if item.power_input != "busbar" or item.busbar_voltage is None:
        return True
    return rack.busbar_voltage is not None and _within(item.busbar_voltage, rack.busbar_voltage)


def fits_fabric(cable: schema.Cable, accelerator: schema.Accelerator) -> bool:
    """Co-packaged optics sit on a switch package: only a switched fabric has one."""
    return cable.kind != "cpo" or accelerator.scale_up.topology == "switched"


def shelf_fits_bay(shelf: schema.PowerShelf, rack: schema.Rack) -> bool:
    """The rack takes the unit's form factor, or the unit takes no bay (height 0)."""
    return shelf.height.magnitude == 0 or shelf.form_factor in rack.accepts


def shelf_fits(shelf: schema.PowerShelf, rack: schema.Rack) -> bool:
    """The shelf fits a bay of the rack (:func:`shelf_fits_bay`) and, for a busbar shelf,
    the rack has a DC busbar within 15 % of the shelf's output voltage whose taps take the
    shelf's full output current."""
    if not shelf_fits_bay(shelf, rack):
        return False
    if shelf.output != "busbar":
        return True
    if rack.busbar_voltage is None:
        return False
    if shelf.output_voltage is None:
        return True
    if rack.busbar_tap_current is not None and (
        shelf.capacity / shelf.output_voltage > rack.busbar_tap_current
    ):
        return False
    return _within(shelf.output_voltage, rack.busbar_voltage)


def spine_fits(space: Space, tray: schema.ComputeTray, rack: schema.Rack) -> bool:
    """A cabled tray's fabric is one the rack's spine cartridges are built for."""
    fabrics = rack.spine_fabrics
    return (
        tray.scale_up_attach != "backplane"
        or not fabrics
        or (space.accelerator.scale_up.fabric in fabrics)
    )


def tray_fits(space: Space, tray: schema.ComputeTray, rack: schema.Rack) -> bool:
    """The rack takes the compute tray: its width, the bus voltage it takes, a spine built
    for its fabric (cabled trays), a midplane for its lane rate (blades)."""
    return (
        tray.form_factor in rack.accepts
        and bus_fits(tray, rack)
        and spine_fits(space, tray, rack)
        and (tray.scale_up_attach != "midplane" or midplane_fits(space, rack))
    )


def switch_fits(space: Space, switch: schema.SwitchTray, rack: schema.Rack) -> bool:
    """The rack takes the switch tray: its width, its bus voltage, a midplane for a blade."""
    return (
        switch.form_factor in rack.accepts
        and bus_fits(switch, rack)
        and (switch.attach != "midplane" or midplane_fits(space, rack))
    )


def midplane_fits(space: Space, rack: schema.Rack) -> bool:
    """The rack carries a midplane rated for the accelerator's lane rate."""
    midplane = space.midplane(rack)
    return midplane is not None and midplane.lane_rate >= space.accelerator.scale_up.lane_rate


def misfits(space: Space) -> str | None:
    """Why no compute tray, rack, power shelf and switch tray of ``space`` fit together:
    one sentence naming what each rack lacks, or ``None`` when some combination fits.

    Pairs are judged as the model's structure judges them (form factor, power input,
    busbar, switch tray); a missing cable spine is named beside them, not alone, since
    it is the cable_density family that rules it out.
    """
    clauses = []
    for rack in space.racks:
        lacks: dict[tuple[str, str, str], list[str]] = {}  # what the rack lacks -> trays
        for tray in space.trays:
            found = _lacks(space, tray, rack)
            if not found:
                return None
            for lack in found:
                lacks.setdefault(lack, []).append(tray.id)
        phrases, before = [], None
        for (what, noun, note), trays in lacks.items():
            whose = (
                f"{'its' if len(trays) == 1 else 'their'} {noun}"
                if trays == before
                else f"the {noun} of {_and(trays)}"
            )
            phrases.append(f"no {what} for {whose}{note}")
            before = trays
        clauses.append(f"rack {rack.id} has {' and '.join(phrases)}")
    return f"{space.accelerator.id}: no design: {'; '.join(clauses)}"


def _lacks(space: Space, tray: schema.ComputeTray, rack: schema.Rack) -> list[tuple[str, str, str]]:
    """What ``rack`` lacks to hold ``tray``: (missing part, what needs it, note) triples."""
    if tray.form_factor not in rack.accepts:
        return [(f"{tray.form_factor} slots", "trays", f" (form_factor: {tray.form_factor})")]
    lacks = []
    if not spine_fits(space, tray, rack):
        fabric = space.accelerator.scale_up.fabric
        return [
            (
                f"cable spine built for {fabric}",
                "trays",
                f" (spine_fabrics: {list(rack.spine_fabrics)})",
            )
        ]
    if rack.busbar_voltage is not None and not bus_fits(tray, rack):
        volts = f"{tray.busbar_voltage:~P}"
        return [(f"{volts} bus", "trays", f" (busbar_voltage: {volts})")]
    feed = tray.power_input
    shelves = [p for p in space.shelves if p.output == feed]
    if not any(shelf_fits(p, rack) for p in shelves):
        note = f" (power_input: {feed})"
        if feed == "busbar" and rack.busbar_voltage is None:
            lacks.append(("DC busbar", "busbar-fed trays", note))
        elif feed == "busbar" and any(shelf_fits_bay(p, rack) for p in shelves):
            what = f"power shelf matching its {rack.busbar_voltage:~P} busbar"
            lacks.append((what, "busbar-fed trays", note))
        else:
            lacks.append(("power shelf or PDU it takes", f"{feed}-fed trays", note))
    backplane = tray.scale_up_attach == "backplane"
    if tray.scale_up_attach == "midplane" and not midplane_fits(space, rack):
        rate = f"{space.accelerator.scale_up.lane_rate:~P}"
        lacks.append((f"midplane rated for {rate}", "blades", " (scale_up_attach: midplane)"))
    partners = [w for w in space.switch_trays if w.attach == tray.scale_up_attach]
    if (
        tray.scale_up_attach != "board"
        and space.switch_trays
        and not any(w.form_factor in rack.accepts for w in partners)
    ):
        lacks.append(("switch tray it takes", f"{space.accelerator.scale_up.fabric} fabric", ""))
    if lacks and backplane and rack.spine_area.magnitude == 0:
        lacks.append(("cable spine (spine_area 0)", "scale-up cables", ""))
    return lacks


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


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


@dataclass(frozen=True)
class Design:
    """One concrete domain design: the chosen options and their counts."""

    accelerator: schema.Accelerator
    tray: schema.ComputeTray
    rack: schema.Rack
    shelf: schema.PowerShelf
    cooling: schema.Cooling
    switch_tray: schema.SwitchTray | None
    cable: schema.Cable | None
    compute_trays: int
    switch_trays: int
    switch_chips: int
    links_per_chip: int
    """Links each accelerator sends to each switch chip it uses (switched designs)."""
    power_shelves: int
    links: int
    """Scale-up links realised with cables (0 when they stay on a board)."""
    cables: int
    """Spine cables in one rack."""
    racks: int = 1
    leaf_groups: int = 1
    """Groups of leaf switch chips per rack (each group serves a share of the rack's GPUs)."""
    spine_chips: int = 0
    """Second-tier switch chips hosted in each rack (domains of three racks or more)."""
    xcable: schema.Cable | None = None
    """Cable type of the links between racks."""
    x_cable_ends: int = 0
    """Ends of inter-rack cables terminating in one rack."""
    x_link_ends: int = 0
    """Ends of links between racks (or to spine chips) terminating in one rack."""
    spine_racks: int = 0
    """Dedicated spine racks (0: any spine chips share the compute racks)."""
    spine_rack_trays: int = 0
    spine_rack_shelves: int = 0
    spine_x_cable_ends: int = 0
    ocs: schema.OpticalSwitch | None = None
    """Optical circuit switch joining the torus blocks' faces (block tori)."""
    layout: Layout | None = None
    """Where every item sits (set once the layout is solved)."""

    @property
    def ocs_units(self) -> int:
        """Optical circuit switches for every optical link end of the domain."""
        if self.ocs is None:
            return 0
        return ocs_units(self.racks * self.x_link_ends, self.ocs)

    @property
    def spare_trays(self) -> int:
        """Hot-spare compute trays in one rack (counted in ``compute_trays``, not the domain)."""
        return min(self.tray.spare_trays, self.compute_trays)

    @property
    def rack_domain(self) -> int:
        return (self.compute_trays - self.spare_trays) * self.tray.accelerators

    @property
    def domain_size(self) -> int:
        return self.racks * self.rack_domain

    def spine_rack(self) -> Design:
        """One dedicated spine rack as a design of its own (to measure its limits)."""
        return replace(
            self,
            compute_trays=0,
            switch_trays=self.spine_rack_trays,
            switch_chips=self.spine_rack_trays * self.switch_tray.chips,
            power_shelves=self.spine_rack_shelves,
            cable=None,
            links=0,
            cables=0,
            x_cable_ends=self.spine_x_cable_ends,
            spine_racks=0,
            layout=None,
        )

    @property
    def interrack_links(self) -> int:
        """Links carried by inter-rack cables, domain-wide (leaf-spine links included)."""
        if self.spine_racks:  # each compute-rack end has its partner in a spine rack
            return self.racks * self.x_link_ends
        return self.racks * self.x_link_ends // 2

    @property
    def topology(self) -> str:
        kind = self.accelerator.scale_up.topology
        if kind == "switched" and self.tray.scale_up_attach == "board":
            return "switched (on-board switch chips, single tier)"
        block = self.accelerator.scale_up.torus_block
        if kind == "torus" and block:
            blocks = self.domain_size // block_size(block)
            via = f"{self.ocs_units} OCS" if self.ocs is not None else "direct optics"
            return (
                f"{len(block)}-D torus {_sides(pod_shape(block, blocks))}: {blocks} "
                f"block{'s' if blocks > 1 else ''} of {_sides(block)}, "
                f"{self.racks * self.x_link_ends} face link ends on optics through {via}"
            )
        if kind == "torus" and self.racks > 1:
            dims = self.accelerator.scale_up.torus_dimensions
            block, grid = torus_tiling(self.rack_domain, self.racks, dims)
            shape = "x".join(str(b * g) for b, g in zip(block, grid, strict=True))
            return (
                f"{dims}-D torus {shape}: {self.racks} racks of {_sides(block)} laid "
                f"{_sides(grid)}, the faces the racks cut cabled rack to rack"
            )
        if kind == "switched" and self.racks == 2:
            return "switched, 2 racks, leaf switches cabled rack to rack"
        if kind == "switched" and self.racks > 2 and self.spine_racks:
            return (
                f"switched, {self.racks} racks, two tiers (leaf and spine, "
                f"spine in {self.spine_racks} rack{'s' if self.spine_racks > 1 else ''} of its own)"
            )
        if kind == "switched" and self.racks > 2:
            return f"switched, {self.racks} racks, two tiers (leaf and spine)"
        if kind == "switched" and self.tray.scale_up_attach == "midplane":
            return "switched (single tier, blades through a midplane, no cables)"
        if kind == "switched":
            return "switched (single tier, cabled spine)"
        if kind == "torus":
            dims = self.accelerator.scale_up.torus_dimensions
            return f"{dims}-D torus {_sides(torus_shape(self.domain_size, dims))}"
        if kind == "dragonfly":
            nodes = self.compute_trays - self.spare_trays
            spares = f" + {self.spare_trays} spare" if self.spare_trays else ""
            if nodes <= 1:
                return (
                    f"dragonfly: one node of {self.tray.accelerators}{spares}, full mesh on board"
                )
            return (
                f"dragonfly: {nodes} nodes of {self.tray.accelerators}{spares}, switchless, "
                f"{fabric_hops(self.accelerator.scale_up, self.domain_size)} hops across nodes"
            )
        return "full mesh" if kind == "mesh" else kind

    def choices(self) -> dict[str, str | None]:
        return {
            "accelerator": self.accelerator.id,
            "compute_tray": self.tray.id,
            "switch_tray": self.switch_tray.id if self.switch_tray else None,
            "cable": self.cable.id if self.cable else None,
            "interrack_cable": self.xcable.id if self.xcable else None,
            "rack": self.rack.id,
            "power_shelf": self.shelf.id,
            "cooling": self.cooling.id,
            **({"optical_switch": self.ocs.id} if self.ocs is not None else {}),
        }

    def rack_counts(self) -> dict[str, int]:
        """Counts in one compute rack (a multi-rack domain repeats it)."""
        return {
            "accelerators": self.rack_domain,
            "compute_trays": self.compute_trays,
            **({"spare_trays": self.spare_trays} if self.spare_trays else {}),
            "switch_trays": self.switch_trays,
            "power_shelves": self.power_shelves,
            "cables": self.cables,
            "interrack_cable_ends": self.x_cable_ends,
        }

    def counts(self) -> dict[str, int]:
        k, spine = self.racks, self.spine_racks
        spine_chips = spine * self.spine_rack_trays * (self.switch_tray.chips if spine else 0)
        return {
            "racks": k,
            "spine_racks": spine,
            "accelerators": self.domain_size,
            "compute_trays": k * self.compute_trays,
            **({"spare_trays": k * self.spare_trays} if self.spare_trays else {}),
            "switch_trays": k * self.switch_trays + spine * self.spine_rack_trays,
            "switch_chips": k * (self.switch_chips + self.spine_chips) + spine_chips,
            "spine_chips": k * self.spine_chips + spine_chips,
            "power_shelves": k * self.power_shelves + spine * self.spine_rack_shelves,
            "links": k * self.links,
            "cables": k * self.cables,
            "interrack_links": self.interrack_links,
            "interrack_cables": (k * self.x_cable_ends + spine * self.spine_x_cable_ends) // 2,
            **({"ocs_units": self.ocs_units} if self.ocs is not None else {}),
        }


def _sides(sides: tuple[int, ...]) -> str:
    return "x".join(str(side) for side in sides)
