"""Dedicated spine racks: the second switch tier in racks of its own.

A domain of three or more racks needs spine switch chips. They either share the compute
racks (each rack hosts its share) or live in dedicated spine racks of the same rack,
shelf and cooling types; the solver chooses. A spine rack is checked by the same per-rack
families as a compute rack (space, power, cooling, weight, floor load), seen through a
:class:`RackView` whose counts are the spine rack's: no compute trays, its spine trays,
shelves and inter-rack cable ends. Every limit it adds is gated by the "dedicated" literal.
"""

from __future__ import annotations

from solver.families import cooling, floor_load, power, space, weight
from solver.physics.links import pairs_per_link

SPINE_RACK_CAP = 8
"""Most dedicated spine racks one domain may have."""
RACK_FAMILIES = (space, power, cooling, weight, floor_load)
"""Families that check a spine rack like any rack (topology and cabling are domain-wide)."""


class RackView:
    """Another rack of the domain as the families see it: its own counts and expressions,
    everything else (choices, profile, solver) shared with the model."""

    def __init__(self, model, active, **counts):
        self._model = model
        self.active = active
        self.q = type(model.q)()
        self.top = None  # not placed slot by slot; its slot total is checked
        for name, value in counts.items():
            setattr(self, name, value)

    def __getattr__(self, name):
        return getattr(self._model, name)

    def limit(self, family: str, name: str, bound, *literals) -> None:
        self._model.limit(family, f"spine-rack-{name}", bound, *literals, self.active)


def add_spine_racks(m) -> None:
    """Spine racks, spine trays and shelves per spine rack, and their cable ends."""
    s, cp = m.space, m.cp
    scale_up = s.accelerator.scale_up
    pairs_needed = pairs_per_link(scale_up)
    m.spine_racks = cp.new_int_var(0, SPINE_RACK_CAP, "spine-racks")
    cp.add(m.spine_racks == 0).only_enforce_if(~m.dedicated)
    cp.add(m.spine_racks >= 1).only_enforce_if(m.dedicated)
    bound = m.max_domain * scale_up.links
    m.spine_total_chips = cp.new_int_var(0, bound, "spine-total-chips")
    cp.add(m.spine_total_chips == 0).only_enforce_if(~m.dedicated)
    trays, link_ends = [], []
    for w, switch in enumerate(s.switch_trays):
        ports = s.chip(switch).ports
        lits = [m.use_switch[w], m.dedicated]
        cp.add(m.spine_total_chips * ports >= m.domain * scale_up.links).only_enforce_if(lits)
        cp.add(m.spine_total_chips * ports < m.domain * scale_up.links + ports).only_enforce_if(
            lits
        )
        per_rack = cp.new_int_var(0, m.max_slots, f"spine-rack-trays-{switch.id}")
        cp.add(per_rack == 0).only_enforce_if(~m.use_switch[w])
        cp.add(per_rack == 0).only_enforce_if(~m.dedicated)
        hosted = cp.new_int_var(0, SPINE_RACK_CAP * m.max_slots, f"spine-trays-{switch.id}")
        cp.add_multiplication_equality(hosted, [m.spine_racks, per_rack])
        cp.add(hosted * switch.chips >= m.spine_total_chips).only_enforce_if(lits)
        trays.append(per_rack)
        link_ends.append(per_rack * switch.chips * ports)  # every spine port is one link end
    shelves = []
    for k, shelf in enumerate(s.shelves):
        count = cp.new_int_var(0, m.shelf_cap, f"spine-rack-shelves-{shelf.id}")
        cp.add(count == 0).only_enforce_if(~m.use_shelf[k])
        cp.add(count == 0).only_enforce_if(~m.dedicated)
        shelves.append(count)
    ends = []
    for c, cable in enumerate(s.xcables):
        count = cp.new_int_var(0, m.max_slots * 4096, f"spine-rack-xcable-ends-{cable.id}")
        cp.add(count == 0).only_enforce_if(~m.use_xcable[c])
        cp.add(count == 0).only_enforce_if(~m.dedicated)
        cp.add(count * cable.pairs >= sum(link_ends) * pairs_needed).only_enforce_if(
            [m.use_xcable[c], m.dedicated]
        )
        cp.add(count * cable.pairs < sum(link_ends) * pairs_needed + cable.pairs).only_enforce_if(
            [m.use_xcable[c], m.dedicated]
        )
        ends.append(count)
    view = RackView(
        m,
        m.dedicated,
        n_trays=[0] * len(s.trays),
        n_switch=trays,
        n_shelves=shelves,
        n_cables=[0] * len(s.cables),
        n_xcable_ends=ends,
    )
    for family in RACK_FAMILIES:
        family.define(view)
    for family in RACK_FAMILIES:
        family.add(view)
    m.spine_view = view
