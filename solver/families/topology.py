"""topology: the fabric can join every accelerator of the domain (one hop, or a dragonfly's 3).

* switched, cabled (NVL72): each accelerator sends ``d`` links to each of ``links / d``
  switch chips, so a chip's ports bound the domain: ``domain × d ≤ ports``.
* across racks the rack's chips become leaves with as many ports up as down
  (``2 × rack domain × d ≤ ports × leaf groups``); two racks cable leaf to leaf, three or
  more through spine chips spread over the racks (a second tier). A fabric's addressable
  size (``max_domain``, NVLink 5: 576) bounds the whole domain.
* switched or mesh on a baseboard (HGX, OAM UBB): the node's own fabric ends at the board,
  so a single-tier domain is one node, and the board switches must carry its links.
* full mesh: every accelerator needs a link to every other: ``domain − 1 ≤ links``.
* torus: no radix limit (traded for hop count); its links are counted in cable_density.
* switchless dragonfly (Groq C2C): nodes of ``group_size`` chips fully meshed on the board,
  a link between every pair of wired nodes (the domain's and the hot spares):
  ``nodes − 1 ≤ group_size × global links per chip``
  (:func:`solver.physics.links.dragonfly_max_nodes`), 3 hops across nodes. A node must hold
  one whole group with its full mesh on the board.
"""

from __future__ import annotations

from solver.design import Design, Space
from solver.families.base import Check
from solver.physics.links import block_size, dragonfly_global_links, dragonfly_max_nodes
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
    """Radix (one tier, or leaf/spine across racks), fabric size, board and mesh-degree limits."""
    s = m.space
    scale_up = s.accelerator.scale_up
    for w, switch in enumerate(s.switch_trays):
        ports = s.chip(switch).ports
        for d, use_d in m.use_lpc.items():
            m.limit(
                NAME,
                f"radix-{switch.id}-{d}",
                m.rack_domain * d <= ports,
                m.use_switch[w],
                use_d,
                ~m.multi_rack,
            )
            # across racks a leaf chip gives as many ports up as down (non-blocking)
            m.limit(
                NAME,
                f"leaf-{switch.id}-{d}",
                2 * m.rack_domain * d <= ports * m.leaf_groups,
                m.use_switch[w],
                use_d,
                m.multi_rack,
            )
    if scale_up.max_domain is not None:
        m.limit(NAME, "fabric-size", m.domain <= scale_up.max_domain)
    for i, tray in enumerate(s.trays):
        if tray.scale_up_attach == "board":
            m.limit(NAME, f"board-{tray.id}", m.n_trays[i] <= 1, m.use_tray[i])
            if not _board_capacity_ok(tray, s):
                m.forbid([m.use_tray[i]], f"{NAME}-board-switch-{tray.id}", NAME)
    if scale_up.topology == "mesh":
        m.limit(NAME, "mesh", m.domain - 1 <= scale_up.links)
    if scale_up.topology == "dragonfly":
        for i, tray in enumerate(s.trays):
            if not _dragonfly_node_ok(tray, scale_up):
                m.forbid([m.use_tray[i]], f"{NAME}-dragonfly-node-{tray.id}", NAME)
        m.limit(NAME, "dragonfly", sum(m.n_trays) <= dragonfly_max_nodes(scale_up))


def _dragonfly_node_ok(tray, scale_up) -> bool:
    """A dragonfly node is one whole group, fully meshed on its own board."""
    g = scale_up.group_size
    return tray.accelerators == g and tray.board_links == g * (g - 1) // 2


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
        if d.racks == 1:
            checks.append(
                Check(
                    NAME,
                    "switch chip ports (radix)",
                    Quantity(d.domain_size * d.links_per_chip, "port"),
                    Quantity(ports, "port"),
                )
            )
        else:
            down = d.rack_domain * d.links_per_chip / d.leaf_groups
            checks.append(
                Check(
                    NAME,
                    "leaf chip ports, down + up",
                    Quantity(2 * down, "port"),
                    Quantity(ports, "port"),
                )
            )
        if d.spine_chips:
            checks.append(
                Check(
                    NAME,
                    "spine chip ports per rack",
                    Quantity(d.rack_domain * scale_up.links, "port"),
                    Quantity(d.spine_chips * ports, "port"),
                )
            )
    if scale_up.torus_block:  # the model builds whole blocks; re-checked here
        size = block_size(scale_up.torus_block)
        checks.append(
            Check(
                NAME,
                f"chips outside whole {'x'.join(map(str, scale_up.torus_block))} blocks",
                Quantity(d.rack_domain % size, "accelerator"),
                Quantity(0, "accelerator"),
            )
        )
    if scale_up.max_domain is not None:
        checks.append(
            Check(
                NAME,
                f"{scale_up.fabric} domain size",
                Quantity(d.domain_size, "accelerator"),
                Quantity(scale_up.max_domain, "accelerator"),
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
    if scale_up.topology == "dragonfly":
        g = scale_up.group_size
        checks.append(
            Check(
                NAME,
                "dragonfly: other nodes vs global ports per node",
                Quantity(d.compute_trays - 1, "node"),
                Quantity(g * dragonfly_global_links(scale_up), "node"),
            )
        )
        if not _dragonfly_node_ok(d.tray, scale_up):
            checks.append(
                Check(
                    NAME,
                    f"dragonfly group of {g} fully meshed on one node's board",
                    Quantity(g * (g - 1) // 2, "link"),
                    Quantity(d.tray.board_links if d.tray.accelerators == g else 0, "link"),
                )
            )
    return checks
