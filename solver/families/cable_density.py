"""cable_density: the spine cables' cross-section, over the packing fraction, fits the spine."""

from __future__ import annotations

from solver.design import Design, Space
from solver.families.base import Check
from solver.units import limit_int, usage_int

NAME = "cable_density"
DESCRIPTION = "cables × cross-section / packing fraction ≤ the rack's spine cross-section"


def define(m) -> None:
    """Spine area used, µm², per cable option."""
    fill = m.space.profile.cable_fill
    m.x["spine_um2"] = sum(
        usage_int(c.cross_section / fill, "um^2") * n
        for c, n in zip(m.space.cables, m.n_cables, strict=True)
    )


def add(m) -> None:
    """Spine area used ≤ the chosen rack's spine area."""
    if not m.space.cables:
        return
    for j, rack in enumerate(m.space.racks):
        m.limit(
            NAME, rack.id, m.x["spine_um2"] <= limit_int(rack.spine_area, "um^2"), m.use_rack[j]
        )


def measure(d: Design, s: Space) -> list[Check]:
    if d.cable is None:
        return []
    used = (d.cables * d.cable.cross_section / s.profile.cable_fill).to("cm^2")
    return [Check(NAME, "spine cross-section", used, d.rack.spine_area.to("cm^2"))]
