"""bend_radius: the bundle leaving a tray plus the cable's bend radius fits the rear clearance.

The bundle's thickness is its packed cross-section spread over the tray's connector width;
behind it the cables must turn into the spine no tighter than their static bend radius.
Checked for compute trays and switch trays; thin gauges bend tighter and pack denser.
"""

from __future__ import annotations

from solver.design import Design, Space
from solver.families.base import Check

NAME = "bend_radius"
DESCRIPTION = "bundle thickness at the tray + minimum bend radius ≤ rear clearance"


def define(m) -> None:
    """Bend radius owns no shared quantities."""


def tray_cables(tray, s: Space, cable) -> int:
    """Cables leaving one compute tray."""
    scale_up = s.accelerator.scale_up
    pairs = (
        (tray.accelerators * scale_up.links - 2 * tray.board_links) * 2 * scale_up.lanes_per_link
    )
    return -(-pairs // cable.pairs)


def switch_cables(switch, s: Space, cable) -> int:
    """Cables leaving one fully used switch tray."""
    pairs = switch.chips * s.chip(switch).ports * 2 * s.accelerator.scale_up.lanes_per_link
    return -(-pairs // cable.pairs)


def bundle_depth(n_cables: int, cable, exit_width, fill: float):
    return (n_cables * cable.cross_section / fill / exit_width).to("mm")


def _needs(s: Space, cable, tray=None, switch=None):
    if tray is not None:
        depth = bundle_depth(
            tray_cables(tray, s, cable), cable, tray.cable_exit_width, s.profile.cable_fill
        )
    else:
        depth = bundle_depth(
            switch_cables(switch, s, cable), cable, switch.cable_exit_width, s.profile.cable_fill
        )
    return (depth + cable.min_bend_radius).to("mm")


def add(m) -> None:
    """Forbid tray/cable/rack combinations whose bundle and bend overrun the clearance."""
    s = m.space
    for c, cable in enumerate(s.cables):
        for j, rack in enumerate(s.racks):
            for i, tray in enumerate(s.trays):
                if (
                    tray.scale_up_attach == "backplane"
                    and _needs(s, cable, tray=tray) > rack.rear_clearance
                ):
                    m.forbid(
                        [m.use_tray[i], m.use_cable[c], m.use_rack[j]],
                        f"{NAME}-{tray.id}-{cable.id}-{rack.id}",
                        NAME,
                    )
            for w, switch in enumerate(s.switch_trays):
                if _needs(s, cable, switch=switch) > rack.rear_clearance:
                    m.forbid(
                        [m.use_switch[w], m.use_cable[c], m.use_rack[j]],
                        f"{NAME}-{switch.id}-{cable.id}-{rack.id}",
                        NAME,
                    )


def measure(d: Design, s: Space) -> list[Check]:
    if d.cable is None:
        return []
    checks = [
        Check(
            NAME,
            "compute-tray bundle + bend",
            _needs(s, d.cable, tray=d.tray),
            d.rack.rear_clearance.to("mm"),
        )
    ]
    if d.switch_tray is not None:
        checks.append(
            Check(
                NAME,
                "switch-tray bundle + bend",
                _needs(s, d.cable, switch=d.switch_tray),
                d.rack.rear_clearance.to("mm"),
            )
        )
    return checks
