"""rackscale compare: GPU domains vs wafer-scale and SRAM-chip systems on one workload."""

from __future__ import annotations

import csv
import json

import pytest
from budget_fixtures import SMALL, SYSTEMS, WORKLOADS, small_with_workloads
from conftest import SMALL_PROFILE

from solver.catalog import load_constraints
from solver.cli import main
from solver.compare import compare
from solver.errors import UsageError

CATS = ["--no-default-catalogs", "--catalog", str(SMALL), "--catalog", str(WORKLOADS)]
CATS += ["--catalog", str(SYSTEMS)]


@pytest.fixture(scope="module")
def rows():
    cat = small_with_workloads()
    return compare(cat, load_constraints(SMALL_PROFILE), "llama-3.1-405b", ["xpu", "cs-3"])


def test_gpu_domain_row(rows):
    gpu = rows[0]
    assert (gpu["design"], gpu["units"], gpu["racks"], gpu["fits"]) == ("xpu", 72, 1, True)
    assert gpu["decode_tokens_per_s_per_user"] == pytest.approx(1e6 / 1933.3, rel=1e-3)
    assert gpu["interconnect_tax"] == pytest.approx(522.1 / 1933.3, rel=1e-3)
    facility_mw = gpu["power_kW"] / 1000 * 1.15  # the default PUE
    assert gpu["tokens_per_s_per_MW"] == pytest.approx(gpu["throughput_at_target"] / facility_mw)


def test_wafer_rows_cover_a_model_larger_than_one_wafer(rows):
    pipe, stream = rows[1], rows[2]
    # 811.8 GB weights + 2048 x 516,096 B KV = 812.9 GB over 44 GB wafers -> 19
    assert (pipe["mode"], pipe["systems"], pipe["racks"]) == ("SRAM pipeline", 19, 7)
    assert pipe["power_kW"] == pytest.approx(19 * 23)
    assert pipe["floor_area_m2"] == pytest.approx(7 * 0.72)
    # layers pipelined over 19 wafers: each of 126 layers reads with its share of
    # 19 x 21 PB/s and pays the 5.8 us floor; 18 hops of 2 us + 32 KiB / 187.5 GB/s
    hops = 18 * (2 + 32768 / 187.5e9 * 1e6)
    read = 126 * (811.8e9 + 2048 * 516_096) / (19 * 21e15) * 1e6
    total = read + 126 * 5.8 + hops
    assert pipe["token_time_us"] == pytest.approx(total)
    assert pipe["interconnect_tax"] == pytest.approx(hops / total)
    # weight streaming from MemoryX: every token pulls 811.8 GB through 1.5 Tbit/s
    assert stream["mode"] == "weight streaming"
    assert stream["token_time_us"] == pytest.approx(811.8e9 / 187.5e9 * 1e6, rel=1e-3)
    assert stream["interconnect_tax"] > 0.99


def test_small_model_fits_one_wafer():
    cat = small_with_workloads()
    rows = compare(cat, load_constraints(SMALL_PROFILE), "llama-3.1-8b", ["cs-3"])
    assert len(rows) == 1 and rows[0]["mode"] == "in SRAM" and rows[0]["interconnect_tax"] == 0


def test_unknown_design():
    cat = small_with_workloads()
    with pytest.raises(UsageError, match="not an accelerator id, system id or result JSON"):
        compare(cat, load_constraints(SMALL_PROFILE), "llama-3.1-8b", ["cs-9"])


def test_cli_compare_with_saved_json(capsys, tmp_path):
    solved = tmp_path / "solved"
    assert (
        main(
            [
                "solve",
                *CATS,
                "--constraints",
                str(SMALL_PROFILE),
                "--pin",
                "accelerator=xpu",
                "--out",
                str(solved),
            ]
        )
        == 0
    )
    capsys.readouterr()
    code = main(
        [
            "compare",
            *CATS,
            "--constraints",
            str(SMALL_PROFILE),
            "--workload",
            "llama-3.1-405b",
            "--designs",
            str(solved / "solve.json"),
            "cs-3",
            "--out",
            str(tmp_path),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "interconnect" in out and "tok/s@target" in out and "weight streaming" in out
    assert (tmp_path / "compare.png").read_bytes()[:4] == b"\x89PNG"
    with open(tmp_path / "compare.csv", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert table[0]["design"] == "solve.json:xpu" and table[0]["units"] == "72"
    assert "interconnect_tax" in table[0]
    assert float(table[0]["power_kW"]) == pytest.approx(
        float(
            json.loads((solved / "solve.json").read_text())["design"]["totals"]["power"].split()[0]
        ),
        rel=1e-3,
    )


def test_compare_prices_throughput_at_the_target(rows):
    """Throughput at the per-user target meets it; tokens/J and $/M tokens follow from the
    throughput, the power and the profile's economics."""
    for r in rows:
        if r["users_at_target"]:
            assert r["target_tokens_per_s_per_user"] == 50.0
            assert r["throughput_at_target"] >= 50.0 * r["users_at_target"] * 0.999
            joule = r["throughput_at_target"] / (r["power_kW"] * 1000 * 1.15)
            assert r["tokens_per_joule"] == pytest.approx(joule)
    from solver.catalog import load_catalog

    shipped = compare(load_catalog(), load_constraints(), "llama-3.1-70b", ["cs-3"])
    wafer = shipped[0]
    assert wafer["users_at_target"] > 0
    assert wafer["capex_USD"] == pytest.approx(1.56e6 * wafer["systems"])
    hourly = wafer["cost_per_hour_USD"]
    per_m = hourly / (wafer["throughput_at_target"] * 0.8 * 3600) * 1e6
    assert wafer["cost_per_million_tokens_USD"] == pytest.approx(per_m)


def test_cli_validate_speeds(capsys, tmp_path):
    code = main(["validate-speeds", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    assert "cerebras-llama-3.1-405b" in out and "not counted" in out
    rows = list(csv.DictReader((tmp_path / "validate_speeds.csv").open()))
    assert {r["id"] for r in rows} >= {"cerebras-llama-3.1-8b", "dgx-b200-llama-4-maverick"}


def test_precision_served_sets_the_systems_needed():
    """fp8 weights halve Llama 3.1 70B: 2 wafers instead of 4, and the rows say so."""
    from solver.catalog import load_catalog

    cat, profile = load_catalog(), load_constraints()
    bf16 = compare(cat, profile, "llama-3.1-70b", ["cs-3"])[0]
    fp8 = compare(cat, profile, "llama-3.1-70b", ["cs-3"], precision="fp8")[0]
    assert (bf16["systems"], bf16["precision"]) == (4, "bf16")
    assert (fp8["systems"], fp8["precision"]) == (2, "fp8")
