"""Fixed torus blocks joined into pods: TPU cubes through optical circuit switches, and the
Trn2 UltraServer's ring across servers."""

from __future__ import annotations

import pytest
from conftest import TIME_LIMIT

from solver.catalog import load_catalog, load_constraints
from solver.engine import solve
from solver.physics.links import block_face_ends, ocs_units, pod_shape


@pytest.fixture(scope="module")
def shipped():
    return load_catalog(), load_constraints()


def run(shipped, accelerator: str, **kwargs):
    catalog, profile = shipped
    return solve(catalog, profile, accelerator=accelerator, time_limit=TIME_LIMIT, **kwargs)


def test_cube_arithmetic():
    assert block_face_ends((4, 4, 4)) == 96  # 6 faces x 16 links: 1.5 optics per chip
    assert pod_shape((4, 4, 4), 64) == (16, 16, 16)
    assert pod_shape((4, 4, 4), 144) == (24, 24, 16)  # Ironwood 9,216
    palomar = load_catalog().optical_switches["palomar-ocs"]
    assert ocs_units(64 * 96, palomar) == 48  # TPU v4: 6,144 ends on 128 ports each


@pytest.mark.parametrize("accelerator", ["tpu-v4", "tpu-v5p", "ironwood"])
def test_a_rack_holds_one_whole_cube_and_its_faces_go_to_optics(shipped, accelerator):
    r = run(shipped, accelerator)
    d = r.design
    assert r.status == "optimal" and r.domain_size == 64  # never 65-127 in a rack
    assert d.x_link_ends == 96 and d.xcable.kind in ("optical", "cpo")
    assert d.ocs_units == 1
    assert r.next_size == 128 and "space" in r.binding, r.explanation


def test_no_rack_holds_a_part_cube(shipped):
    r = run(shipped, "tpu-v4", min_domain=65, max_domain=127)
    assert r.status == "infeasible" and r.binding == ("granularity",), r.explanation
    assert "4x4x4 torus blocks" in r.explanation


def test_tpu_v4_pod(shipped):
    r = run(shipped, "tpu-v4", max_racks=70)
    d = r.design
    assert r.domain_size == 4096 and d.racks == 64
    assert d.ocs_units == 48 and d.racks * d.x_link_ends == 6144
    assert "16x16x16" in d.topology
    assert r.binding == ("topology",)  # the pod's 4,096
    ocs = r.totals["ocs_power"].to("kW").magnitude
    assert r.totals["domain_power"].to("kW").magnitude == pytest.approx(
        64 * r.totals["power"].to("kW").magnitude + ocs
    )


def test_ironwood_superpod(shipped):
    r = run(shipped, "ironwood", max_racks=150)
    d = r.design
    assert r.domain_size == 9216 and d.racks == 144
    assert d.ocs_units == 108 and "24x24x16" in d.topology
    assert 9 <= r.totals["domain_power"].to("MW").magnitude <= 12  # reported ~10 MW


def test_trn2_ultraserver_spans_two_racks(shipped):
    one = run(shipped, "trainium2")
    assert one.domain_size == 32  # two servers a rack, their ring closing in it
    r = run(shipped, "trainium2", max_racks=4)
    assert r.domain_size == 64 and r.design.racks == 2
    assert r.binding == ("topology",)  # the UltraServer's 64
    assert "4x4x4" in r.design.topology
