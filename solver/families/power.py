"""power: the rack's draw fits its feed, its shelves deliver the peak, its busbar the current.

IT load = compute trays + switch trays + in-rack cooling + active cable ends (spine and
inter-rack) + reserved gear, steady, per rack; the feed supplies it over the shelves'
efficiency. Power shelves deliver the transient peak (steady × the platform's or the
profile's factor) after redundancy: N+k keeps k shelves spare, 2N needs two sides that
each deliver the peak alone; spare modules inside a shelf are not capacity. A DC busbar
carries the steady current at its lowest voltage within its continuous rating.
"""

from __future__ import annotations

from solver import parts
from solver.design import Design, Space
from solver.families.base import Check
from solver.integers import SCALE, per_rack
from solver.physics import power

NAME = "power"
SHELVES = {"shelf": "shelves", "pdu": "PDUs", "sidecar": "sidecar power racks"}
RACK_DRAW_BOUND_W = 10**7 + 10**6
"""Bound on one rack's draw and loss variables (11 MW, far above any rack; the domain draw
assumes it): independent of the feed, which a reusable model re-sets per what-if."""
DESCRIPTION = (
    "draw ≤ feed; peak ≤ shelves after redundancy; busbar current at its lowest voltage ≤ rating"
)


def define(m) -> None:
    """Steady IT load and feed draw of one rack (W)."""
    cp, ints = m.cp, m.ints
    m.q.it_w = (
        per_rack(m, ints.tray_w, ints.switch_w, ints.cable_w, ints.xcable_end_w)
        + sum(w * u for w, u in zip(ints.cooling_w, m.use_cooling, strict=True))
        + ints.reserved_w
    )
    draw = cp.new_int_var(0, RACK_DRAW_BOUND_W, "draw-w")
    for k, eff in enumerate(ints.shelf_efficiency):
        cp.add(draw * eff >= m.q.it_w * SCALE).only_enforce_if(m.use_shelf[k])
        cp.add(draw * eff < m.q.it_w * SCALE + eff).only_enforce_if(m.use_shelf[k])
    m.q.draw_w = draw
    # the conversion loss stays in the rack unless a sidecar power rack makes it
    loss = cp.new_int_var(0, RACK_DRAW_BOUND_W, "loss-in-rack-w")
    for k, shelf in enumerate(m.space.shelves):
        in_rack = loss == (0 if shelf.kind == "sidecar" else draw - m.q.it_w)
        cp.add(in_rack).only_enforce_if(m.use_shelf[k])
    m.q.loss_w = loss


def add(m) -> None:
    """Feed, shelves after redundancy (on the peak) and busbar limits."""
    s, cp, ints = m.space, m.cp, m.ints
    it = m.q.it_w
    m.limit(NAME, "feed", m.q.draw_w <= ints.feed_w)
    for k, shelf in enumerate(s.shelves):
        carrying = m.n_shelves[k] - ints.spare_shelves
        if ints.sides > 1:  # 2N: an even count, one side carries the peak alone
            side = cp.new_int_var(0, m.shelf_cap, f"shelf-side-{shelf.id}")
            cp.add(m.n_shelves[k] == ints.sides * side)
            carrying = side
        m.limit(
            NAME,
            f"shelves-{shelf.id}",
            carrying * ints.shelf_capacity_w[k] * SCALE >= it * ints.transient,
            m.use_shelf[k],
        )
        if shelf.output != "busbar":
            continue
        for j, rating in enumerate(ints.busbar_w):
            if rating is not None:
                m.limit(
                    NAME, f"busbar-{s.racks[j].id}", it <= rating, m.use_shelf[k], m.use_rack[j]
                )


def measure(d: Design, s: Space) -> list[Check]:
    p = s.profile
    it = parts.it_power(d, s)
    delivered = power.delivered_power(d.power_shelves, d.shelf, p.shelf_redundancy)
    factor = power.transient_factor(d.accelerator, p)
    checks = [
        Check(NAME, "feed power", power.feed_draw(it, d.shelf.efficiency), power.feed_capacity(p)),
        Check(
            NAME,
            f"peak ({factor:g} × steady) vs {SHELVES[d.shelf.kind]} after {p.shelf_redundancy}",
            power.peak_power(it, factor),
            delivered,
        ),
    ]
    if d.shelf.output == "busbar" and d.rack.busbar_voltage is not None:
        checks.append(
            Check(
                NAME,
                f"busbar current at {d.rack.busbar_min_voltage:~P}",
                power.busbar_current(it, d.rack),
                d.rack.busbar_current.to("A"),
            )
        )
    return checks
