"""Rack geometry: placement, real spine runs, pinned layouts, elevations."""

from __future__ import annotations

import pytest

from solver.elevation import render
from solver.engine import solve
from solver.layout import cable_stats, runs


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
