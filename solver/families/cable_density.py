"""cable_density: the spine cables' cross-section, over the packing fraction, fits the spine."""

from __future__ import annotations

from solver.design import Design, Space
from solver.families.base import Check
from solver.physics.reach import spine_area

NAME = "cable_density"
DESCRIPTION = "cables × cross-section / packing fraction ≤ the rack's spine cross-section"


def define(m) -> None:
    """Spine area used, µm²."""
    m.q.spine_um2 = sum(a * n for a, n in zip(m.ints.cable_um2, m.n_cables, strict=True))


def add(m) -> None:
    """Spine area used ≤ the chosen rack's spine area."""
    if not m.space.cables:
        return
    for j, limit in enumerate(m.ints.rack_spine_um2):
        m.limit(NAME, m.space.racks[j].id, m.q.spine_um2 <= limit, m.use_rack[j])


def measure(d: Design, s: Space) -> list[Check]:
    if d.cable is None:
        return []
    used = spine_area(d.cables, d.cable, s.profile.cable_fill)
    return [Check(NAME, "spine cross-section", used, d.rack.spine_area.to("cm^2"))]
