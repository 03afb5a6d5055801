"""bend_radius: the bundle leaving a tray plus the cable's bend radius fits the rear clearance.

The bundle's thickness is its packed cross-section spread over the tray's connector width;
behind it the cables must turn into the spine no tighter than their static bend radius.
Checked for compute trays and switch trays; thin gauges bend tighter and pack denser.
"""

from __future__ import annotations

from solver.design import Design, Space
from solver.families.base import Check
from solver.physics.links import cables_for_links, switch_tray_links, tray_links
from solver.physics.reach import bend_clearance

NAME = "bend_radius"
DESCRIPTION = "bundle thickness at the tray + minimum bend radius ≤ rear clearance"


def define(m) -> None:
    """Bend radius owns no shared quantities."""


def _needs(s: Space, cable, tray=None, switch=None):
    """Bundle depth at the tray's connectors plus the cable's bend radius."""
    scale_up = s.accelerator.scale_up
    if tray is not None:
        cables = cables_for_links(tray_links(tray, scale_up), scale_up, cable)
        width = tray.cable_exit_width
    else:
        cables = cables_for_links(switch_tray_links(switch, s.chip(switch)), scale_up, cable)
        width = switch.cable_exit_width
    return bend_clearance(cables, cable, width, s.profile.cable_fill)


def add(m) -> None:
    """Forbid tray/cable/rack combinations whose bundle and bend overrun the clearance."""
    s = m.space
    for c, cable in enumerate(s.cables):
        trays = [  # a tray's need does not depend on the rack: computed once per cable
            (i, tray, _needs(s, cable, tray=tray))
            for i, tray in enumerate(s.trays)
            if tray.scale_up_attach == "backplane"
        ]
        switches = [(w, sw, _needs(s, cable, switch=sw)) for w, sw in enumerate(s.switch_trays)]
        for j, rack in enumerate(s.racks):
            for i, tray, need in trays:
                if need > rack.rear_clearance:
                    m.forbid(
                        [m.use_tray[i], m.use_cable[c], m.use_rack[j]],
                        f"{NAME}-{tray.id}-{cable.id}-{rack.id}",
                        NAME,
                    )
            for w, switch, need in switches:
                if need > rack.rear_clearance:
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
