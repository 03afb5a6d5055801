"""midplane: blades plugged into a PCB midplane get their links through it.

A midplane replaces the cable spine (Kyber-class racks): each compute blade's connectors
carry the pairs of every link that leaves the blade, so those pairs must fit the pairs its
slots' connectors hold (pin count); the longest trace from a blade's connector to a switch
blade's must fit the lane's loss budget (:func:`solver.physics.reach.trace_reach`, the
same budget a passive cable spends); and the switch blades must fit the positions on the
midplane's rear. Racks without a midplane, and cabled or board-level trays, are untouched.
"""

from __future__ import annotations

from solver.design import Design, Space, slots
from solver.families.base import Check
from solver.physics.links import tray_pairs
from solver.physics.reach import trace_reach
from solver.units import Quantity

NAME = "midplane"
DESCRIPTION = (
    "blade link pairs ≤ connector pairs per slot; longest trace ≤ PCB reach at the lane rate; "
    "switch blades ≤ rear positions"
)


def define(m) -> None:
    """The midplane owns no shared quantities."""


def _connector_pairs(tray, rack, midplane) -> int:
    return midplane.pairs_per_slot * slots(tray.height, rack)


def add(m) -> None:
    """Connector pairs and trace reach per (blade, rack); switch blades per rack."""
    s = m.space
    scale_up = s.accelerator.scale_up
    for j, rack in enumerate(s.racks):
        midplane = s.midplane(rack)
        if midplane is None:
            continue
        for i, tray in enumerate(s.trays):
            if tray.scale_up_attach != "midplane":
                continue
            lits = [m.use_tray[i], m.use_rack[j]]
            if tray_pairs(tray, scale_up) > _connector_pairs(tray, rack, midplane):
                m.forbid(lits, f"{NAME}-pairs-{tray.id}-{rack.id}", NAME)
            if midplane.longest_trace > trace_reach(midplane, s.channel, s.profile):
                m.forbid(lits, f"{NAME}-trace-{tray.id}-{rack.id}", NAME)
        for w, switch in enumerate(s.switch_trays):
            if switch.attach == "midplane":
                m.limit(
                    NAME,
                    f"positions-{switch.id}-{rack.id}",
                    m.n_switch[w] <= midplane.switch_positions,
                    m.use_rack[j],
                )


def measure(d: Design, s: Space) -> list[Check]:
    midplane = s.midplane(d.rack)
    if d.tray.scale_up_attach != "midplane" or midplane is None:
        return []
    checks = [
        Check(
            NAME,
            "pairs per blade vs its connectors",
            Quantity(tray_pairs(d.tray, d.accelerator.scale_up), "pair"),
            Quantity(_connector_pairs(d.tray, d.rack, midplane), "pair"),
        ),
        Check(
            NAME,
            "switch blades vs rear positions",
            Quantity(d.switch_trays, "slot"),
            Quantity(midplane.switch_positions, "slot"),
        ),
    ]
    if midplane.kind == "pcb":
        checks.append(
            Check(
                NAME,
                f"longest trace vs reach at {d.accelerator.scale_up.lane_rate:~P}",
                midplane.longest_trace.to("m"),
                trace_reach(midplane, s.channel, s.profile),
            )
        )
    return checks
