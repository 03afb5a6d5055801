"""The CP-SAT model of one accelerator's scale-up domain.

Variables are the choices the catalog offers (one boolean per compatible option) and the
counts (trays, switch trays, shelves, cables). Each constraint family
(:mod:`solver.families`) first *defines* the integer quantities it owns (power, heat, mass,
run lengths, slots) and then *adds* its limits, every limit gated by the family's
enforcement literal so that infeasibility can be traced back to families with
assumptions.

Fixed integer units inside the model (names carry the unit as a suffix):

=========  ======================================
``_w``     watts (power and heat)
``_hg``    hectograms, 0.1 kg (mass)
``_um``    micrometres (lengths and cable runs)
``_um2``   square micrometres (cable cross-sections)
``_mm``    millimetres (total cable length)
=========  ======================================

Usage figures are rounded up and limits down (:func:`solver.units.usage_int`), so an
integer-feasible design is also feasible in exact arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ortools.sat.python import cp_model

from solver.design import Design, Space, shelf_fits, slots, switch_fits, tray_fits
from solver.errors import InternalError
from solver.families import FAMILIES, limit_names
from solver.integers import Integers, integers
from solver.physics.links import (
    block_face_ends,
    block_size,
    dragonfly_cabled_links,
    dragonfly_global_links,
    pairs_per_link,
    torus_rack_link_ends,
)
from solver.placement import add_placement
from solver.spine import SPINE_RACK_CAP, add_spine_racks

SEED = 20261126
LIMITS = ("feed_w", "rack_static_hg")
"""Integer limits a reusable model holds as fixed variables (:meth:`DomainModel.set_limits`
re-sets them per what-if): what a site or rack allows, read by one ``limit`` each and by
nothing else that shapes the model."""
SHELF_CAP = 16
"""Most power shelves or PDUs one rack may hold."""
LEAF_GROUPS = 4
"""Most groups of leaf switch chips one rack may hold in a multi-rack domain."""


@dataclass
class Shared:
    """Integer expressions a family defines for the families after it, in definition order:
    space, cable density, reach (run lengths, before weight), power (before cooling: all
    power becomes heat), cooling, weight (before floor load)."""

    slots_compute: list = field(default_factory=list)
    """Slots of compute trays, per rack option."""
    slots_switch: list = field(default_factory=list)
    slots_total: list = field(default_factory=list)
    spine_um2: Any = 0
    longest_um: Any = 0
    """Longest spine run without its bends."""
    it_w: Any = 0
    """Steady IT load of one rack."""
    draw_w: Any = 0
    """Feed draw of one rack (IT load over the shelves' efficiency)."""
    liquid_w: Any = 0
    air_w: Any = 0
    payload_hg: Any = 0
    mass_hg: Any = 0
    """Payload and the rack itself: what bears on the floor."""
    loss_w: Any = 0
    """Conversion loss released inside the rack (none when a sidecar converts)."""
    domain_draw_w: Any = 0
    """Feed draw of the whole domain (every compute rack and spine rack)."""


@dataclass
class DomainModel:
    """A CP-SAT model over a :class:`Space`; families attach their expressions to it."""

    space: Space
    exact: Design | None = None
    """A solved design to lay out: its choices and counts are fixed."""
    ints: Integers | None = None
    """The space's integer coefficients (computed once per space and shared by its models);
    in a reusable model its :data:`LIMITS` are fixed variables."""
    reusable: bool = False
    """Hold the :data:`LIMITS` as fixed variables, so that :meth:`set_limits` can re-set
    them for a space that differs only there."""
    cp: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    enforce: dict[str, cp_model.IntVar] = field(default_factory=dict)
    q: Shared = field(default_factory=Shared)

    def __post_init__(self) -> None:
        s, cp = self.space, self.cp
        if self.ints is None:
            self.ints = integers(s)
        if self.reusable:
            held = {name: self._fixed(name, getattr(self.ints, name)) for name in LIMITS}
            self.ints = replace(self.ints, **held)
        self.max_slots = max(r.slots for r in s.racks)
        self.use_tray = [cp.new_bool_var(f"use-tray-{t.id}") for t in s.trays]
        self.use_rack = [cp.new_bool_var(f"use-rack-{r.id}") for r in s.racks]
        self.use_shelf = [cp.new_bool_var(f"use-shelf-{p.id}") for p in s.shelves]
        self.use_cooling = [cp.new_bool_var(f"use-cooling-{k.id}") for k in s.coolings]
        self.use_switch = [cp.new_bool_var(f"use-switch-{w.id}") for w in s.switch_trays]
        self.use_cable = [cp.new_bool_var(f"use-cable-{c.id}") for c in s.cables]
        for name, options in (
            ("tray", self.use_tray),
            ("rack", self.use_rack),
            ("shelf", self.use_shelf),
            ("cooling", self.use_cooling),
        ):
            cp.add_exactly_one(options).with_name(f"one-{name}")

        # as many trays as the tallest rack holds: the space family, not a domain, is the limit
        self.tray_bound = [
            self.max_slots // max(1, min(slots(t.height, r) for r in s.racks)) for t in s.trays
        ]
        self.n_trays = [
            cp.new_int_var(0, bound, f"trays-{t.id}")
            for t, bound in zip(s.trays, self.tray_bound, strict=True)
        ]
        for use, count, tray in zip(self.use_tray, self.n_trays, s.trays, strict=True):
            cp.add(count == 0).only_enforce_if(~use)
            cp.add(count >= 1 + tray.spare_trays).only_enforce_if(use)
        self.max_rack_domain = max(
            t.accelerators * bound for t, bound in zip(s.trays, self.tray_bound, strict=True)
        )
        # hot-spare trays take slots, power and mass but add nothing to the domain
        self.rack_domain = cp.new_int_var(1, self.max_rack_domain, "rack-domain")
        cp.add(
            self.rack_domain
            == sum(t.accelerators * n for t, n in zip(s.trays, self.n_trays, strict=True))
            - sum(
                t.accelerators * t.spare_trays * use
                for t, use in zip(s.trays, self.use_tray, strict=True)
            )
        )
        block = s.accelerator.scale_up.torus_block
        if block:  # a rack holds whole torus blocks
            size = block_size(block)
            self.blocks = cp.new_int_var(0, self.max_rack_domain // size, "blocks-per-rack")
            cp.add(self.rack_domain == size * self.blocks)
        # identical racks: the domain is racks × one rack's accelerators
        self.use_racks = {k: cp.new_bool_var(f"racks-{k}") for k in s.rack_counts}
        cp.add_exactly_one(self.use_racks.values())
        self.max_domain = self.max_rack_domain * max(s.rack_counts)
        self.domain = cp.new_int_var(1, self.max_domain, "domain")
        for k, use in self.use_racks.items():
            cp.add(self.domain == k * self.rack_domain).only_enforce_if(use)
        if s.domain_cap is not None:
            cp.add(self.domain <= s.domain_cap)
        self.multi_rack = cp.new_bool_var("multi-rack")
        cp.add(self.multi_rack == sum(u for k, u in self.use_racks.items() if k > 1))
        self.spine_tier = cp.new_bool_var("spine-tier")
        cp.add(self.spine_tier == sum(u for k, u in self.use_racks.items() if k > 2))
        self.dedicated = cp.new_bool_var("dedicated-spine-racks")
        cp.add(self.dedicated == 0).only_enforce_if(~self.spine_tier)
        if not s.switch_trays:
            cp.add(self.dedicated == 0)
        links = s.accelerator.scale_up.links
        leaf_cap = links * (LEAF_GROUPS if max(s.rack_counts) > 1 else 1)
        spine_cap = -(-self.max_rack_domain * links // 2) if max(s.rack_counts) > 2 else 0
        self.switch_cap_range = range(
            max((-(-(leaf_cap + spine_cap) // w.chips) for w in s.switch_trays), default=0)
        )
        self.n_switch = [
            cp.new_int_var(0, len(self.switch_cap_range), f"switch-trays-{w.id}")
            for w in s.switch_trays
        ]
        self.shelf_cap = SHELF_CAP
        self.n_shelves = [cp.new_int_var(0, SHELF_CAP, f"shelves-{p.id}") for p in s.shelves]
        for use, count in zip(self.use_shelf, self.n_shelves, strict=True):
            cp.add(count == 0).only_enforce_if(~use)
        self._compatibility()
        self._links_and_cables()
        add_placement(self, s.switch_position)
        for name in limit_names(s):
            self.enforce[name] = cp.new_bool_var(f"enforce-{name}")
        for family in FAMILIES.values():
            family.define(self)
        for family in FAMILIES.values():
            family.add(self)
        self._spine_racks_and_domain_draw()
        for requirement in s.requirements:
            requirement.add(self)
        if self.exact is not None:
            self.fix(self.exact)

    def _fixed(self, name: str, value):
        """A variable fixed to ``value`` (each item of a list; None stays None)."""
        if isinstance(value, list):
            return [self._fixed(f"{name}-{i}", v) if v is not None else None
                    for i, v in enumerate(value)]  # fmt: skip
        return self.cp.new_int_var(value, value, f"limit-{name}")

    def set_limits(self, ints: Integers) -> None:
        """Re-set a reusable model's :data:`LIMITS` to those of ``ints`` (a space that
        differs from this model's only in them; see :func:`same_but_limits`)."""
        variables = self.cp.proto.variables
        for name in LIMITS:
            held, value = getattr(self.ints, name), getattr(ints, name)
            pairs = zip(held, value, strict=True) if isinstance(held, list) else [(held, value)]
            for var, v in pairs:
                if var is not None:
                    domain = variables[var.index].domain
                    domain[0], domain[1] = v, v

    def _spine_racks_and_domain_draw(self) -> None:
        """Dedicated spine racks where the domain may need them; the whole domain's draw."""
        cp = self.cp
        draw = self.q.draw_w
        if max(self.space.rack_counts) > 2 and self.space.switch_trays:
            add_spine_racks(self)
            spine = self.spine_view.q.draw_w
            spine_total = cp.new_int_var(0, SPINE_RACK_CAP * (10**7 + 10**6), "spine-draw-w")
            cp.add_multiplication_equality(spine_total, [self.spine_racks, spine])
        else:
            self.spine_racks, self.spine_view, spine_total = 0, None, 0
        bound = (10**7 + 10**6) * (max(self.space.rack_counts) + SPINE_RACK_CAP)
        domain_draw = cp.new_int_var(0, bound, "domain-draw-w")
        for k, use in self.use_racks.items():
            cp.add(domain_draw == k * draw + spine_total).only_enforce_if(use)
        self.q.domain_draw_w = domain_draw

    def limit(self, family: str, name: str, bound, *literals) -> None:
        """Add the linear ``bound`` of ``family``, enforced when the family and ``literals`` are."""
        constraint = self.cp.add(bound)
        constraint.with_name(f"{family}-{name}")
        constraint.only_enforce_if([*literals, self.enforce[family]])

    # --- structure: always on ------------------------------------------------------------

    def forbid(self, literals: list, reason: str, family: str | None = None) -> None:
        """Forbid choosing all of ``literals`` together (optionally only under ``family``)."""
        clause = self.cp.add_bool_or([~lit for lit in literals])
        clause.with_name(reason)
        if family is not None:
            clause.only_enforce_if(self.enforce[family])

    def _compatibility(self) -> None:
        s = self.space
        for i, tray in enumerate(s.trays):
            for j, rack in enumerate(s.racks):
                if not tray_fits(s, tray, rack):
                    self.forbid([self.use_tray[i], self.use_rack[j]], f"form-{tray.id}-{rack.id}")
            for k, shelf in enumerate(s.shelves):
                if shelf.output != tray.power_input:
                    self.forbid(
                        [self.use_tray[i], self.use_shelf[k]], f"input-{tray.id}-{shelf.id}"
                    )
            if tray.scale_up_attach == "board":
                for use in self.use_cable + self.use_switch:
                    self.forbid([self.use_tray[i], use], f"board-{tray.id}")
            for w, switch in enumerate(s.switch_trays):  # cabled trays to cabled switch trays
                if (switch.attach == "midplane") != (tray.scale_up_attach == "midplane"):
                    self.forbid([self.use_tray[i], self.use_switch[w]], f"attach-{switch.id}")
        for k, shelf in enumerate(s.shelves):
            for j, rack in enumerate(s.racks):
                if not shelf_fits(shelf, rack):
                    self.forbid(
                        [self.use_shelf[k], self.use_rack[j]], f"shelf-{shelf.id}-{rack.id}"
                    )
        for w, switch in enumerate(s.switch_trays):
            for j, rack in enumerate(s.racks):
                if not switch_fits(s, switch, rack):
                    self.forbid(
                        [self.use_switch[w], self.use_rack[j]], f"form-{switch.id}-{rack.id}"
                    )

    def _links_and_cables(self) -> None:
        """Cabled links and cable counts: links × lanes × 2 directions / pairs per cable."""
        s, cp = self.space, self.cp
        scale_up = s.accelerator.scale_up
        max_links = self.max_rack_domain * scale_up.links
        if scale_up.topology == "mesh":
            max_links = self.max_rack_domain * self.max_rack_domain
        if scale_up.topology == "dragonfly":
            max_links = self.max_rack_domain * dragonfly_global_links(scale_up)
        self.links = cp.new_int_var(0, max_links, "links")
        backplane = [
            self.use_tray[i] for i, t in enumerate(s.trays) if t.scale_up_attach == "backplane"
        ]
        cp.add(self.links == 0).only_enforce_if(
            [~self.use_tray[i] for i, t in enumerate(s.trays) if t.scale_up_attach != "board"]
        )
        self.uses_backplane = cp.new_bool_var("backplane")
        cp.add(self.uses_backplane == sum(backplane))
        midplane = [
            self.use_tray[i] for i, t in enumerate(s.trays) if t.scale_up_attach == "midplane"
        ]
        self.switched_links = cp.new_bool_var("switched-links")  # cabled or through a midplane
        cp.add(self.switched_links == self.uses_backplane + sum(midplane))
        for i, tray in enumerate(s.trays):
            if tray.scale_up_attach == "midplane":  # links through the midplane, no cables
                cp.add(self.links == scale_up.links * self.rack_domain).only_enforce_if(
                    self.use_tray[i]
                )
        self._interrack()
        for i, tray in enumerate(s.trays):
            if tray.scale_up_attach != "backplane":
                continue
            use = self.use_tray[i]
            if scale_up.topology == "switched":
                cp.add(self.links == scale_up.links * self.rack_domain).only_enforce_if(use)
            elif scale_up.topology == "torus":  # links leaving the rack are not in its spine
                cp.add(
                    2 * self.links
                    == scale_up.links * self.rack_domain
                    - 2 * tray.board_links * self.n_trays[i]
                    - self.x_link_ends
                ).only_enforce_if(use)
            elif scale_up.topology == "mesh":
                square = cp.new_int_var(0, self.max_rack_domain**2, "domain-squared")
                cp.add_multiplication_equality(square, [self.rack_domain, self.rack_domain])
                cp.add(
                    2 * self.links
                    == square - self.rack_domain - 2 * tray.board_links * self.n_trays[i]
                ).only_enforce_if(use)
            elif scale_up.topology == "dragonfly":  # every node's global ports, spares too
                cabled = [
                    dragonfly_cabled_links(n, scale_up) for n in range(self.tray_bound[i] + 1)
                ]
                wired = cp.new_int_var(0, max(cabled), f"dragonfly-links-{tray.id}")
                cp.add_element(self.n_trays[i], cabled, wired)
                cp.add(self.links == wired).only_enforce_if(use)

        # a switch tray and a cable are chosen exactly when links are cabled to them
        if self.use_switch:
            cp.add(sum(self.use_switch) == self.switched_links)
        if self.use_cable:
            cp.add(sum(self.use_cable) == self.uses_backplane)
        pairs_needed = pairs_per_link(scale_up)
        self.n_cables = []
        self.cable_bound = max_links * pairs_needed
        for use, cable in zip(self.use_cable, s.cables, strict=True):
            count = cp.new_int_var(0, self.cable_bound, f"cables-{cable.id}")
            cp.add(count == 0).only_enforce_if(~use)
            cp.add(count * cable.pairs >= self.links * pairs_needed).only_enforce_if(use)
            cp.add(count * cable.pairs < self.links * pairs_needed + cable.pairs).only_enforce_if(
                use
            )
            self.n_cables.append(count)
        self.cables = sum(self.n_cables) if self.n_cables else 0

        # leaf switch chips: every accelerator sends links_per_chip (d) links to each of
        # links / d chips; a multi-rack domain may use several such groups per rack, each
        # serving a band of its compute trays (solver.layout.leaf_group)
        self.max_leaf_groups = LEAF_GROUPS if max(s.rack_counts) > 1 else 1
        self.switch_chips = cp.new_int_var(0, scale_up.links * LEAF_GROUPS, "switch-chips")
        self.leaf_groups = cp.new_int_var(1, LEAF_GROUPS, "leaf-groups")
        cp.add(self.leaf_groups == 1).only_enforce_if(~self.multi_rack)
        self.spine_chips = cp.new_int_var(
            0, max(0, self.max_rack_domain * scale_up.links), "spine-chips"
        )
        self.use_lpc: dict[int, cp_model.IntVar] = {}
        if not self.use_switch:
            cp.add(self.switch_chips == 0)
            cp.add(self.spine_chips == 0)
            return
        divisors = [d for d in range(1, scale_up.links + 1) if scale_up.links % d == 0]
        for d in divisors:
            self.use_lpc[d] = cp.new_bool_var(f"links-per-chip-{d}")
            cp.add(self.switch_chips == scale_up.links // d * self.leaf_groups).only_enforce_if(
                self.use_lpc[d]
            )
        cp.add(sum(self.use_lpc.values()) == self.switched_links)
        cp.add(self.switch_chips == 0).only_enforce_if(~self.switched_links)
        cp.add(self.spine_chips == 0).only_enforce_if(~self.spine_tier)
        cp.add(self.spine_chips == 0).only_enforce_if(self.dedicated)  # in their own racks
        for w, switch in enumerate(s.switch_trays):
            count, use = self.n_switch[w], self.use_switch[w]
            ports = s.chip(switch).ports
            chips = self.switch_chips + self.spine_chips
            cp.add(count == 0).only_enforce_if(~use)
            cp.add(count * switch.chips >= chips).only_enforce_if(use)
            cp.add(count * switch.chips < chips + switch.chips).only_enforce_if(use)
            # spine chips hosted in each rack: the rack's share of all up-links
            shared = [use, self.spine_tier, ~self.dedicated]
            cp.add(self.spine_chips * ports >= self.rack_domain * scale_up.links).only_enforce_if(
                shared
            )
            cp.add(
                self.spine_chips * ports < self.rack_domain * scale_up.links + ports
            ).only_enforce_if(shared)

    def _interrack(self) -> None:
        """Links between racks and the cable ends they put in each rack.

        Two racks cable their leaf switches to each other (each up-link leaves the rack);
        three or more go through spine switches spread over the racks, so every up-link
        has one end at a leaf and one at a spine: two ends per link per rack on average.
        A torus spread over racks sends to optics the faces of each rack's block that the
        racks cut (as TPU pods do through optical circuit switches); a ring that closes inside
        the rack stays on its boards and in-rack cables
        (:func:`solver.physics.links.torus_rack_link_ends`).
        """
        s, cp = self.space, self.cp
        scale_up = s.accelerator.scale_up
        pairs_needed = pairs_per_link(scale_up)
        self.use_xcable = [cp.new_bool_var(f"use-xcable-{c.id}") for c in s.xcables]
        bound = 2 * self.max_rack_domain * scale_up.links
        self.x_link_ends = cp.new_int_var(0, bound, "interrack-link-ends")
        if scale_up.torus_block:  # every block's faces leave on optics, one rack or many
            cp.add(sum(self.use_xcable) == 1)
            cp.add(self.x_link_ends == block_face_ends(scale_up.torus_block) * self.blocks)
        else:
            if self.use_xcable:
                cp.add(sum(self.use_xcable) == self.multi_rack)
            cp.add(self.x_link_ends == 0).only_enforce_if(~self.multi_rack)
            self._ends_between_racks()
        self.n_xcable_ends = []
        for use, cable in zip(self.use_xcable, s.xcables, strict=True):
            count = cp.new_int_var(0, bound * pairs_needed, f"xcable-ends-{cable.id}")
            cp.add(count == 0).only_enforce_if(~use)
            cp.add(count * cable.pairs >= self.x_link_ends * pairs_needed).only_enforce_if(use)
            cp.add(
                count * cable.pairs < self.x_link_ends * pairs_needed + cable.pairs
            ).only_enforce_if(use)
            self.n_xcable_ends.append(count)

    def _ends_between_racks(self) -> None:
        """Link ends leaving one rack for each rack count: the torus faces the racks cut, or
        a switched fabric's up-links (leaf to leaf, or leaf and spine ends)."""
        cp, scale_up = self.cp, self.space.accelerator.scale_up
        for k, use in self.use_racks.items():
            if k > 1 and scale_up.topology == "torus":  # the faces the racks cut, per block
                faces = [
                    torus_rack_link_ends(n, k, scale_up.torus_dimensions)
                    for n in range(self.max_rack_domain + 1)
                ]
                ends = cp.new_int_var(0, max(faces), f"torus-cut-faces-{k}")
                cp.add_element(self.rack_domain, faces, ends)
                cp.add(self.x_link_ends == ends).only_enforce_if(use)
            if k > 1 and scale_up.topology == "switched":
                up_links = scale_up.links * self.rack_domain
                if k == 2:
                    cp.add(self.x_link_ends == up_links).only_enforce_if(use)
                else:  # a leaf end here; the spine end here too unless spine racks hold it
                    cp.add(self.x_link_ends == 2 * up_links).only_enforce_if([use, ~self.dedicated])
                    cp.add(self.x_link_ends == up_links).only_enforce_if([use, self.dedicated])

    # --- decoding ----------------------------------------------------------------------

    def decode(self, solver: cp_model.CpSolver) -> Design:
        """Read the chosen design from a solved model."""
        s = self.space

        def pick(options, uses):
            chosen = [o for o, u in zip(options, uses, strict=True) if solver.boolean_value(u)]
            return chosen[0] if chosen else None

        def total(counts):
            return sum(solver.value(c) for c in counts)

        lpc = [d for d, b in self.use_lpc.items() if solver.boolean_value(b)]
        racks = [k for k, b in self.use_racks.items() if solver.boolean_value(b)]
        return Design(
            accelerator=s.accelerator,
            tray=pick(s.trays, self.use_tray),
            rack=pick(s.racks, self.use_rack),
            shelf=pick(s.shelves, self.use_shelf),
            cooling=pick(s.coolings, self.use_cooling),
            switch_tray=pick(s.switch_trays, self.use_switch),
            cable=pick(s.cables, self.use_cable),
            compute_trays=total(self.n_trays),
            switch_trays=total(self.n_switch),
            switch_chips=solver.value(self.switch_chips),
            links_per_chip=lpc[0] if lpc else 0,
            power_shelves=total(self.n_shelves),
            links=solver.value(self.links),
            cables=total(self.n_cables),
            racks=racks[0],
            leaf_groups=solver.value(self.leaf_groups),
            spine_chips=solver.value(self.spine_chips),
            xcable=pick(s.xcables, self.use_xcable),
            x_cable_ends=total(self.n_xcable_ends),
            x_link_ends=solver.value(self.x_link_ends),
            ocs=s.ocs,
            **self._decode_spine_racks(solver),
        )

    def key_terms(self) -> dict[str, Any]:
        """For each :class:`~solver.design.Design` field :meth:`decode` reads from the
        solution, an integer expression that tells its values apart (an option list: the
        1-based index of the chosen option, 0 for none): two solutions decode to designs
        with the same :func:`solver.engine.design_key` exactly when every term has the same
        value. A constant term is a plain int. Keep in step with :meth:`decode`."""

        def chosen(uses) -> Any:
            return sum((i + 1) * u for i, u in enumerate(uses))

        view = self.spine_view
        return {
            "tray": chosen(self.use_tray),
            "rack": chosen(self.use_rack),
            "shelf": chosen(self.use_shelf),
            "cooling": chosen(self.use_cooling),
            "switch_tray": chosen(self.use_switch),
            "cable": chosen(self.use_cable),
            "xcable": chosen(self.use_xcable),
            "compute_trays": sum(self.n_trays),
            "switch_trays": sum(self.n_switch),
            "switch_chips": self.switch_chips,
            "links_per_chip": sum(d * u for d, u in self.use_lpc.items()),
            "power_shelves": sum(self.n_shelves),
            "links": self.links,
            "cables": sum(self.n_cables),
            "racks": sum(k * u for k, u in self.use_racks.items()),
            "leaf_groups": self.leaf_groups,
            "spine_chips": self.spine_chips,
            "x_cable_ends": sum(self.n_xcable_ends),
            "x_link_ends": self.x_link_ends,
            "spine_racks": self.spine_racks,
            "spine_rack_trays": sum(view.n_switch) if view else 0,
            "spine_rack_shelves": sum(view.n_shelves) if view else 0,
            "spine_x_cable_ends": sum(view.n_xcable_ends) if view else 0,
        }

    def _decode_spine_racks(self, solver: cp_model.CpSolver) -> dict[str, int]:
        if self.spine_view is None:
            return {}
        view = self.spine_view
        return {
            "spine_racks": solver.value(self.spine_racks),
            "spine_rack_trays": sum(solver.value(n) for n in view.n_switch),
            "spine_rack_shelves": sum(solver.value(n) for n in view.n_shelves),
            "spine_x_cable_ends": sum(solver.value(n) for n in view.n_xcable_ends),
        }

    def fix(self, design: Design) -> None:
        """Constrain the model to exactly ``design`` (used to re-check a given design)."""
        s, cp = self.space, self.cp
        for options, uses, chosen in (
            (s.trays, self.use_tray, design.tray),
            (s.racks, self.use_rack, design.rack),
            (s.shelves, self.use_shelf, design.shelf),
            (s.coolings, self.use_cooling, design.cooling),
            (s.switch_trays, self.use_switch, design.switch_tray),
            (s.cables, self.use_cable, design.cable),
            (s.xcables, self.use_xcable, design.xcable),
        ):
            for option, use in zip(options, uses, strict=True):
                cp.add(use == int(chosen is not None and option.id == chosen.id))
        cp.add(self.domain == design.domain_size)
        cp.add(self.use_racks[design.racks] == 1)
        cp.add(self.dedicated == int(design.spine_racks > 0))
        cp.add(self.leaf_groups == design.leaf_groups)
        for d, use in self.use_lpc.items():
            cp.add(use == int(d == design.links_per_chip))
        cp.add(sum(self.n_switch) == design.switch_trays)
        cp.add(sum(self.n_shelves) == design.power_shelves)


def same_but_limits(a: Integers, b: Integers) -> bool:
    """Whether two spaces' integers differ at most in the values of :data:`LIMITS` (a
    reusable model of one serves the other)."""
    for name in LIMITS:
        x, y = getattr(a, name), getattr(b, name)
        if isinstance(x, list) and [v is None for v in x] != [v is None for v in y]:
            return False
    held = {name: None for name in LIMITS}
    return replace(a, **held) == replace(b, **held)


def new_solver(
    time_limit: float, workers: int = 1, work_limit: float | None = None
) -> cp_model.CpSolver:
    """A CP-SAT solver with fixed seed; one worker unless asked (deterministic answers).

    ``work_limit`` bounds CP-SAT's deterministic time, so a search cut short stops at the
    same point on every run and machine (unlike the wall-clock ``time_limit``).
    """
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    if work_limit is not None:
        solver.parameters.max_deterministic_time = float(work_limit)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = SEED
    # CP-SAT's own Ctrl-C handler would end a search as if its time limit ran out (a
    # 'feasible' answer) and leave Ctrl-C killing the process outright afterwards; Python's
    # KeyboardInterrupt stops the run instead (exit 130).
    solver.parameters.catch_sigint_signal = False
    return solver


def run_cp_sat(solver: cp_model.CpSolver, cp: cp_model.CpModel) -> cp_model.CpSolverStatus:
    """``solver.solve(cp)``; a model CP-SAT refuses is a bug, raised as an
    :class:`~solver.errors.InternalError` with the first line of CP-SAT's reason (``Possible
    integer overflow in constraint: name: "weight-x"``), never read as a time-out."""
    status = solver.solve(cp)
    if status == cp_model.MODEL_INVALID:
        reason = cp.validate().splitlines()[0].removesuffix(" {")
        raise InternalError(f"CP-SAT refused the model: {reason}")
    return status
