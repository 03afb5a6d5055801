"""Domains across racks: leaf switches cabled rack to rack, a spine tier, inter-rack cables."""

from __future__ import annotations

import pytest

from solver.engine import solve
from solver.report.elevation import render_all


@pytest.fixture(scope="module")
def nvl36x2(shipped):
    catalog, profile = shipped
    return solve(
        catalog,
        profile,
        accelerator="gb200",
        racks=2,
        max_domain=72,
        pins={"compute_tray": "gb200-nvl36-tray"},
        time_limit=20,
    )


def test_nvl36x2_is_72_gpus_over_two_racks(nvl36x2):
    d = nvl36x2.design
    assert nvl36x2.ok and nvl36x2.domain_size == 72
    assert d.racks == 2 and d.rack_domain == 36
    assert d.compute_trays == 9 and d.switch_trays == 9  # per rack, as published
    assert d.spine_chips == 0  # leaf to leaf, no second tier
    assert d.interrack_links == 36 * 18  # each GPU's 18 links leave through its rack's leaves
    assert d.xcable.lane_rate.to("Gbit/s").magnitude >= 200


def test_interrack_optics_show_in_the_power_budget(nvl36x2):
    d = nvl36x2.design
    ends = d.x_cable_ends * d.xcable.power_per_end
    assert ends.to("W").magnitude > 0
    power = next(c for c in nvl36x2.checks if c.limit_name == "feed power")
    assert power.ok
    leaf = next(c for c in nvl36x2.checks if c.limit_name == "leaf chip ports, down + up")
    assert (leaf.used.magnitude, leaf.limit.magnitude) == (72, 72)


def test_cable_summary_counts_interrack_optics(nvl36x2):
    d = nvl36x2.design
    summary = nvl36x2.cable_summary()
    spine_optics = 0 if d.cable.kind in ("passive-copper", "active-copper") else 2 * d.links
    assert d.xcable.kind in ("optical", "cpo")
    assert summary["optical_links"] == spine_optics + 648  # 36 GPUs x 18 links leave each rack
    assert summary["by_type"][d.xcable.id] >= d.counts()["interrack_cables"] > 0
    assert sum(summary["by_type"].values()) == 2 * d.cables + d.counts()["interrack_cables"]


def test_dgx_gh200_class_256_gpus_on_two_tiers(shipped):
    catalog, profile = shipped
    r = solve(catalog, profile, accelerator="gh200", max_racks=8, time_limit=20)
    assert r.status == "optimal" and r.domain_size == 256  # NVLink 4 Switch System limit
    assert r.binding == ("topology",)
    d = r.design
    assert d.racks == 8 and "two tiers (leaf and spine" in d.topology
    assert d.counts()["spine_chips"] == 72  # 36 L2 switch trays of two chips
    assert d.spine_racks >= 1  # the solver puts the L2 tier in switch racks of its own
    spine_checks = [c for c in r.checks if c.limit_name.startswith("spine rack: ")]
    assert {c.family for c in spine_checks} == {"space", "power", "cooling", "weight", "floor_load"}
    assert all(c.ok for c in spine_checks)
    assert r.totals["domain_power"] > 8 * r.totals["power"]  # the spine racks draw too
    drawings = render_all(d, r.space)
    spine_svg = drawings["elevation_gh200_nvl72-rack-spine.svg"].decode()
    assert spine_svg.count("nvlink4-switch-tray") == d.spine_rack_trays


@pytest.mark.slow
def test_nvl576_class_domain_of_8_gb200_racks(shipped):
    """Co-packaged optics sit on the cold-plated switch package: their heat goes to liquid,
    so NVL576 fits the default hall's 30 kW of room air per rack; pluggable optics between
    the racks put their heat in the room air, which then binds."""
    catalog, profile = shipped
    nvl576 = solve(catalog, profile, accelerator="gb200", max_racks=8, time_limit=30)
    assert nvl576.domain_size == 576 and nvl576.binding == ("topology",)  # NVLink 5's limit
    assert nvl576.design.racks == 8 and nvl576.design.spine_racks >= 1
    assert nvl576.design.xcable.kind == "cpo"
    pluggable = solve(
        catalog,
        profile,
        accelerator="gb200",
        max_racks=8,
        pins={"interrack_cable": "optic-1.6t-osfp"},
        time_limit=30,
    )
    assert pluggable.domain_size < 576 and "cooling" in pluggable.binding
    air = next(c for c in pluggable.checks if c.limit_name == "air heat vs room air")
    assert air.binding and air.utilization > 0.9


@pytest.mark.slow
def test_twelve_racks_reach_576_with_the_spine_among_them(shipped):
    catalog, profile = shipped
    twelve = solve(catalog, profile, accelerator="gb200", max_racks=12, time_limit=30)
    assert twelve.domain_size == 576 and twelve.binding == ("topology",)


def test_only_switched_cabled_fabrics_span_racks(shipped):
    catalog, profile = shipped
    r = solve(catalog, profile, accelerator="mi300x", racks=2)
    assert r.status == "infeasible" and "stays in one rack or node" in r.explanation


def test_tpu_pod_of_cubes_puts_every_cube_face_on_optics(shipped):
    catalog, profile = shipped
    r = solve(catalog, profile, accelerator="tpu-v5p", racks=4, max_domain=256, time_limit=20)
    d = r.design
    assert r.ok and r.domain_size == 256 and d.rack_domain == 64
    assert "8x8x4: 4 blocks of 4x4x4" in d.topology
    # a fixed cube sends all 6 faces x 16 chips to the OCS, cut by the racks or not
    assert d.x_link_ends == 96 and d.ocs_units == 3
    assert d.xcable.kind == "optical"
    assert r.totals["diameter"].magnitude == 4 + 4 + 2  # an 8x8x4 torus
    assert r.totals["bisection_bandwidth"].magnitude > 0
    assert any(c.limit_name.startswith("inter-rack run") for c in r.checks)


def test_free_torus_over_racks_sends_only_cut_faces_out(shipped):
    # Trn2 UltraServer: 2 servers of 4x4 per rack, the Z ring of 4 servers cut between racks
    catalog, profile = shipped
    r = solve(catalog, profile, accelerator="trainium2", max_racks=4, time_limit=20)
    d = r.design
    assert r.ok and d.racks == 2 and d.rack_domain == 32
    assert "racks of 4x4x2 laid 1x1x2" in d.topology
    assert d.x_link_ends == 2 * 16  # two cut faces of 16 chips
    assert d.interrack_links == 2 * 32 // 2
    scale_up = d.accelerator.scale_up  # every link end: on a board, in the rack, or out
    board = 2 * d.tray.board_links * d.compute_trays
    assert 2 * d.links + board + d.x_link_ends == scale_up.links * d.rack_domain


def test_free_torus_in_one_rack_keeps_its_wraparound_inside(shipped_results):
    r = shipped_results["trainium2"]
    assert r.design.racks == 1 and r.design.x_link_ends == 0
    assert r.design.topology == "3-D torus 4x4x2"
