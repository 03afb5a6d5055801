"""topology: the fabric can join every accelerator of the domain in one hop.

* switched, cabled (NVL72): each accelerator sends ``d`` links to each of ``links / d``
  switch chips, so a chip's ports bound the domain: ``domain × d ≤ ports``.
* switched or mesh on a baseboard (HGX, OAM UBB): the node's own fabric ends at the board,
  so a single-tier domain is one node, and the board switches must carry its links.
* full mesh: every accelerator needs a link to every other: ``domain − 1 ≤ links``.
* torus: no radix limit (traded for hop count); its links are counted in cable_density.
"""

from __future__ import annotations

from solver.design import Design, Space
from solver.families.base import Check
from solver.units import Quantity

NAME = "topology"
DESCRIPTION = "switch radix, board fabric and mesh degree allow an all-to-all single-tier domain"


def define(m) -> None:
    """Topology owns no shared quantities."""


def _board_capacity_ok(tray, s: Space) -> bool:
    if tray.board_switch is None:
        return True
    chip = s.catalog.switch_chips[tray.board_switch.chip]
    return tray.accelerators * s.accelerator.scale_up.links <= tray.board_switch.count * chip.ports


def add(m) -> None:
    """Radix, board and mesh-degree limits."""
    s = m.space
    scale_up = s.accelerator.scale_up
    for w, switch in enumerate(s.switch_trays):
        ports = s.chip(switch).ports
        for d, use_d in m.use_lpc.items():
            m.limit(NAME, f"radix-{switch.id}-{d}", m.domain * d <= ports, m.use_switch[w], use_d)
    for i, tray in enumerate(s.trays):
        if tray.scale_up_attach == "board":
            m.limit(NAME, f"board-{tray.id}", m.n_trays[i] <= 1, m.use_tray[i])
            if not _board_capacity_ok(tray, s):
                m.forbid([m.use_tray[i]], f"{NAME}-board-switch-{tray.id}", NAME)
    if scale_up.topology == "mesh":
        m.limit(NAME, "mesh", m.domain - 1 <= scale_up.links)


def measure(d: Design, s: Space) -> list[Check]:
    scale_up = d.accelerator.scale_up
    checks = []
    if d.tray.scale_up_attach == "board":
        checks.append(
            Check(
                NAME,
                "nodes in a board-level fabric",
                Quantity(d.compute_trays, "node"),
                Quantity(1, "node"),
            )
        )
        if d.tray.board_switch is not None:
            chip = s.catalog.switch_chips[d.tray.board_switch.chip]
            checks.append(
                Check(
                    NAME,
                    "board switch ports",
                    Quantity(d.tray.accelerators * scale_up.links, "port"),
                    Quantity(d.tray.board_switch.count * chip.ports, "port"),
                )
            )
    elif scale_up.topology == "switched" and d.switch_tray is not None:
        ports = s.chip(d.switch_tray).ports
        checks.append(
            Check(
                NAME,
                "switch chip ports (radix)",
                Quantity(d.domain_size * d.links_per_chip, "port"),
                Quantity(ports, "port"),
            )
        )
    if scale_up.topology == "mesh":
        checks.append(
            Check(
                NAME,
                "mesh links per accelerator",
                Quantity(d.domain_size - 1, "link"),
                Quantity(scale_up.links, "link"),
            )
        )
    return checks
