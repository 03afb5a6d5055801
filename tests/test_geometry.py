"""Rack geometry: placement, real spine runs, pinned layouts, elevations."""

from __future__ import annotations

from dataclasses import replace

import pytest

from solver.design import Design, Layout, Placed, build_space
from solver.engine import solve
from solver.layout import cable_stats, group_chips, leaf_group, runs
from solver.model import DomainModel, new_solver
from solver.physics.reach import run_length
from solver.placement import decode_layout
from solver.report.elevation import render


@pytest.fixture(scope="module")
def nvl72(shipped_results):
    return shipped_results["gb200"]


def occupied(layout):
    cells = []
    for item in layout.items:
        cells += range(item.slot, item.slot + item.height)
    return cells


def test_every_item_is_placed_once_inside_the_rack(nvl72):
    layout = nvl72.design.layout
    cells = occupied(layout)
    assert len(cells) == len(set(cells))  # no overlap
    assert min(cells) >= 1 and max(cells) <= layout.slots
    counts = nvl72.design.counts()
    assert len(layout.of_kind("compute_tray")) == counts["compute_trays"] == 18
    assert len(layout.of_kind("switch_tray")) == counts["switch_trays"] == 9
    assert len(layout.of_kind("power_shelf")) == counts["power_shelves"]


def test_switch_trays_sit_mid_stack_as_in_nvl72(nvl72):
    layout = nvl72.design.layout
    switches = sorted(p.slot for p in layout.of_kind("switch_tray"))
    computes = [p.slot for p in layout.of_kind("compute_tray")]
    assert switches == list(range(switches[0], switches[0] + 9))  # one block
    above = sum(slot > switches[-1] for slot in computes)
    below = sum(slot < switches[0] for slot in computes)
    assert above + below == 18 and abs(above - below) <= 2  # published: 10 above, 8 below


def test_runs_fit_200g_passive_copper_and_match_published_length(nvl72):
    design = nvl72.design
    assert design.cable.kind == "passive-copper"
    assert nvl72.solve.layout_optimal
    stats = cable_stats(design, nvl72.space)
    reach = next(c for c in nvl72.checks if c.family == "reach")
    assert reach.ok and stats["max_run"] == reach.used
    assert 0.4 <= stats["mean_run"].to("m").magnitude <= 0.9  # published ~3.2 km / 5,184
    total_cables = sum(n for _, n in runs(design, nvl72.space))
    assert total_cables == pytest.approx(5184)
    assert 2000 <= stats["total_cable_length"].to("m").magnitude <= 4700


def test_switch_trays_at_the_top_exceed_copper_reach(shipped):
    catalog, profile = shipped
    result = solve(
        catalog,
        profile,
        accelerator="gb200",
        min_domain=72,
        pins={"cable": "twinax-200g-26awg"},
        switch_position="top",
        time_limit=20,
    )
    assert result.status == "infeasible"
    # reach alone would allow it with a single switch chip; the radix needs 9 switch trays,
    # and 9 trays stacked above 18 compute trays overrun 200G copper: they conflict
    assert result.binding == ("topology", "reach")
    assert "conflict" in result.explanation


def test_switch_trays_at_the_top_shrink_the_copper_domain(shipped):
    catalog, profile = shipped
    result = solve(
        catalog,
        profile,
        accelerator="gb200",
        pins={"cable": "twinax-200g-26awg"},
        switch_position="top",
        time_limit=20,
    )
    assert result.ok and result.domain_size < 72
    assert "reach" in result.binding


def test_elevation_svg_holds_every_item(nvl72):
    files = render(nvl72.design, nvl72.space)
    svg = next(v for k, v in files.items() if k.endswith(".svg")).decode()
    png = next(v for k, v in files.items() if k.endswith(".png"))
    assert png.startswith(b"\x89PNG")
    for item in nvl72.design.layout.items:
        assert item.name in svg
    assert "longest run" in svg
    assert render(nvl72.design, nvl72.space) == files  # reproducible bytes


def test_board_nodes_are_laid_out_too(shipped_results):
    layout = shipped_results["h100"].design.layout
    assert [p.item_id for p in layout.of_kind("compute_tray")] == ["dgx-h100"]
    assert layout.of_kind("compute_tray")[0].height == 8


def test_leaf_groups_take_contiguous_bands_bottom_up():
    assert [leaf_group(i, 18, 4) for i in range(18)] == [0] * 5 + [1] * 4 + [2] * 5 + [3] * 4
    assert [leaf_group(i, 9, 1) for i in range(9)] == [0] * 9  # one rack: one group
    # 2 groups of 9 chips on 2-chip trays: tray 4 holds one chip of each; 18, 19 are spine
    trays = [group_chips(j, 2, 9, 2) for j in range(10)]
    assert trays[:4] == [{0: 2}] * 4 and trays[4] == {0: 1, 1: 1}
    assert trays[5:9] == [{1: 2}] * 4 and trays[9] == {}


def _two_group_rack(catalog) -> Design:
    """8 compute trays, 2 leaf groups of 9 chips (d = 2) on 2-chip trays, one spine tray:
    slots 1-4 group 0's trays, 5-9 its switch trays (9 shared), 10-13 group 1's, 14 spine,
    15-18 group 1's compute trays."""
    tray, switch = (
        catalog.compute_trays["gb200-nvl72-tray"],
        catalog.switch_trays["nvlink5-switch-tray"],
    )
    items = [Placed(f"compute-{s:02d}", "compute_tray", tray.id, s, 1) for s in (1, 2, 3, 4)]
    items += [Placed(f"switch-{s:02d}", "switch_tray", switch.id, s, 1) for s in range(5, 15)]
    items += [Placed(f"compute-{s:02d}", "compute_tray", tray.id, s, 1) for s in range(15, 19)]
    links = 8 * 4 * 18
    return Design(
        accelerator=catalog.accelerators["gb200"],
        tray=tray,
        rack=catalog.racks["nvl72-rack"],
        shelf=catalog.power_shelves["nvl72-33kw-shelf"],
        cooling=catalog.cooling["liquid-facility"],
        switch_tray=switch,
        cable=catalog.cables["twinax-200g-26awg"],
        compute_trays=8,
        switch_trays=10,
        switch_chips=18,
        links_per_chip=2,
        power_shelves=2,
        links=links,
        cables=links * 4,  # 2 lanes x 2 directions, one pair a cable
        racks=3,
        leaf_groups=2,
        spine_chips=2,
        layout=Layout("nvl72-rack", 48, tuple(items)),
    )


def test_each_compute_tray_runs_to_its_own_leaf_group_only(shipped):
    catalog, profile = shipped
    design = _two_group_rack(catalog)
    space = build_space(catalog, profile.profile, "gb200")
    per_chip = 4 * 18 / 9 * 4  # a tray's 72 links over its group's 9 chips, 4 cables a link
    group0 = {5: 2, 6: 2, 7: 2, 8: 2, 9: 1}  # switch slot: chips of the group on it
    group1 = {9: 1, 10: 2, 11: 2, 12: 2, 13: 2}  # slot 14 (spine chips) takes no cable
    expected = [
        (2 * abs(c - s), per_chip * chips)
        for computes, switches in (((1, 2, 3, 4), group0), ((15, 16, 17, 18), group1))
        for c in computes
        for s, chips in switches.items()
    ]

    def run(half_slots):
        return run_length(half_slots, design.rack, space.profile, design.cable)

    found = runs(design, space)
    measured = sorted((round(r.to("mm").magnitude, 6), n) for r, n in found)
    assert measured == sorted((round(run(h).to("mm").magnitude, 6), n) for h, n in expected)
    assert sum(n for _, n in found) == pytest.approx(design.cables)
    # longest: compute slot 18 to switch slot 9 (group 1), not 18 to 5 across groups
    assert cable_stats(design, space)["max_run"] == run(2 * (18 - 9))


@pytest.mark.parametrize(
    ("racks", "rack_domain", "groups", "links_per_chip"),
    [(2, 72, 2, 1), (2, 72, 2, 2), (2, 72, 4, 2), (3, 48, 3, 3), (3, 48, 2, 2)],
)
def test_the_model_bounds_the_longest_run_of_each_leaf_group(
    shipped, racks, rack_domain, groups, links_per_chip
):
    """The placement's longest run is exactly what the layout measures (spine chips hosted
    in a compute rack, 3 racks, take no spine cables), and shorter than every-tray runs."""
    catalog, profile = shipped
    space = build_space(catalog, profile.profile, "gb200", max_racks=racks, rack_count=racks)
    m = DomainModel(space)
    for name, literal in m.enforce.items():
        m.cp.add(literal == int(name in ("reach", "space")))
    m.cp.add(m.rack_domain == rack_domain)
    m.cp.add(m.dedicated == 0)
    m.cp.add(m.leaf_groups == groups)
    m.cp.add(m.use_lpc[links_per_chip] == 1)
    m.cp.minimize(m.q.longest_um)
    solver = new_solver(20)
    assert solver.status_name(solver.solve(m.cp)) == "OPTIMAL"
    design = m.decode(solver)
    design = replace(design, layout=decode_layout(m, solver, design))
    assert design.spine_chips == (rack_domain * 18 // 72 if racks > 2 else 0)
    bend = m.ints.cable_bend_um[space.cables.index(design.cable)]
    model_um = solver.value(m.q.longest_um) + bend
    measured_um = cable_stats(design, space)["max_run"].to("um").magnitude
    assert 0 <= model_um - measured_um < 5  # exact up to rounding up to whole µm
    computes = [p.centre2 for p in design.layout.of_kind("compute_tray")]
    switches = [p.centre2 for p in design.layout.of_kind("switch_tray")]
    every = max(abs(c - s) for c in computes for s in switches)
    every_um = run_length(every, design.rack, space.profile, design.cable).to("um").magnitude
    assert measured_um < every_um
