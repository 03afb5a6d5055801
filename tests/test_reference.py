"""The shipped catalogs reproduce the published reference systems under the default profile."""

from __future__ import annotations

import json

import pytest

from solver.cli import main


def test_gb200_nvl72(shipped_results):
    r = shipped_results["gb200"]
    assert r.status == "optimal" and r.solve.proven_optimal
    assert r.domain_size == 72
    counts = r.design.counts()
    assert counts["compute_trays"] == 18
    assert counts["switch_trays"] == 9
    assert counts["switch_chips"] == 18
    assert counts["cables"] == 5184  # 72 GPUs x 18 links x 2 lanes x 2 directions
    assert 110 <= r.totals["power"].to("kW").magnitude <= 145  # published ~120-132 kW
    assert 1200 <= r.totals["mass"].to("kg").magnitude <= 1700  # published ~1,360 kg
    assert 0.4 <= r.totals["mean_run"].to("m").magnitude <= 0.9  # published 3.2 km / 5,184
    assert "topology" in r.binding
    assert r.next_size == 76


def test_gb200_radix_binds_not_the_nvlink_domain_size(shipped_results):
    r = shipped_results["gb200"]
    binding = {c.limit_name: c.binding for c in r.checks if c.family == "topology"}
    assert binding == {"switch chip ports (radix)": True, "nvlink5 domain size": False}
    assert [c.limit_name for c in r.checks if c.binding] == ["switch chip ports (radix)"]
    frame = r.to_frame().set_index("limit_name")["binding"]
    assert bool(frame["switch chip ports (radix)"]) and not frame["nvlink5 domain size"]


def test_gb200_next_size_is_infeasible_from_the_cli(capsys, tmp_path):
    code = main(
        [
            "solve",
            "--pin",
            "accelerator=gb200",
            "--min-domain",
            "76",
            "--json",
            "--out",
            str(tmp_path),
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data["status"] == "infeasible"
    assert "topology" in data["binding"]


@pytest.mark.parametrize(
    ("accelerator", "tray", "chips"),
    [
        ("h100", "dgx-h100", ("nvswitch-nvlink4", 4)),
        ("b200", "dgx-b200", ("nvswitch-nvlink5", 2)),
        ("a100", "dgx-a100", ("nvswitch-nvlink3", 6)),
    ],
)
def test_hgx_boards_are_8_gpu_domains(shipped_results, shipped, accelerator, tray, chips):
    catalog, _ = shipped
    r = shipped_results[accelerator]
    assert r.status == "optimal"
    assert r.domain_size == 8
    assert r.design.tray.id == tray
    board = catalog.compute_trays[tray].board_switch
    assert (board.chip, board.count) == chips
    assert r.design.counts()["cables"] == 0  # NVLink stays on the baseboard
    assert r.binding == ("topology",)
    assert r.next_size == 16


def test_mi300x_is_an_8_gpu_full_mesh(shipped_results):
    r = shipped_results["mi300x"]
    assert r.domain_size == 8
    assert r.design.topology == "full mesh"
    mesh = next(c for c in r.checks if c.limit_name == "mesh links per accelerator")
    assert (mesh.used.magnitude, mesh.limit.magnitude) == (7, 7)  # N - 1 = 7 Infinity Fabric links
    assert "topology" in r.binding


def test_every_shipped_design_passes_its_independent_check(shipped_results):
    for r in shipped_results.values():
        assert r.ok, r.explanation
        assert r.checks and all(c.ok for c in r.checks), r.accelerator
        assert r.binding, f"{r.accelerator}: nothing named binding"


def test_next_size_is_proven_infeasible_for_every_accelerator(shipped, shipped_results):
    from solver.engine import solve

    catalog, profile = shipped
    for accel, r in shipped_results.items():
        bigger = solve(
            catalog,
            profile,
            accelerator=accel,
            min_domain=r.next_size,
            time_limit=20,
            explain=False,
        )
        assert bigger.status == "infeasible", accel
