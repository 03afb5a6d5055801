"""The command line as a user meets it: exit codes, JSON, outputs, clean errors."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SMALL_CATALOG, SMALL_PROFILE

from solver.cli import main

SMALL = ["--catalog", str(SMALL_CATALOG), "--constraints", str(SMALL_PROFILE)]


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_help_is_instant():
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "solver.cli", "--help"], capture_output=True, text=True, check=True
    )
    assert "solve" in done.stdout
    assert time.perf_counter() - start < 2.0
    heavy = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, solver.cli; "
            "print(any(m in sys.modules for m in ('ortools', 'pandas', 'pint')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert heavy.stdout.strip() == "False"


def test_solve_json_pinned(capsys, tmp_path):
    code, out, _ = run(
        capsys, "solve", *SMALL, "--pin", "accelerator=xpu", "--json", "--out", str(tmp_path)
    )
    assert code == 0
    data = json.loads(out)
    assert data["status"] == "optimal"
    assert data["domain_size"] == 72
    assert data["design"]["counts"]["cables"] == 5184
    assert data["budgets"]["power"]["used"].endswith("kW")
    assert 0 < data["budgets"]["power"]["utilization"] < 1
    assert data["binding"] == ["topology"]
    assert data["next_size"] == 76
    assert data["solve"]["proven_optimal"] is True
    assert {p.name for p in tmp_path.iterdir()} == {
        "solve_summary.csv",
        "solve_budgets.csv",
        "solve_layout.csv",
        "solve_cable_runs.csv",
        "solve_bom.csv",
        "solve.json",
    }


def test_solve_all_prints_one_row_per_accelerator(capsys, tmp_path):
    code, out, _ = run(capsys, "solve", *SMALL, "--out", str(tmp_path))
    assert code == 0
    rows = [line.split()[0] for line in out.splitlines()[3:5]]
    assert rows == ["xpu", "meshy"]


def test_min_domain_at_next_size_exits_1_naming_limits(capsys, tmp_path):
    code, out, _ = run(
        capsys,
        "solve",
        *SMALL,
        "--pin",
        "accelerator=xpu",
        "--min-domain",
        "76",
        "--json",
        "--out",
        str(tmp_path),
    )
    assert code == 1
    data = json.loads(out)
    assert data["status"] == "infeasible"
    assert data["binding"] == ["topology"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pin", "acelerator=xpu"], "unknown category 'acelerator'; did you mean 'accelerator'?"),
        (["--pin", "accelerator=xpv"], "no such accelerator; did you mean 'xpu'?"),
        (["--set", "profile.feed_power=5 kg"], "'5 kg' is not a power"),
        (["--set", "nonsense"], "expected FIELD=VALUE"),
        (["--pin", "interrack_cable=nope"], "no such interrack_cable"),
    ],
)
def test_bad_options_exit_2(capsys, tmp_path, args, message):
    code, _out, err = run(capsys, "solve", *SMALL, *args, "--out", str(tmp_path))
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert not list(tmp_path.iterdir())  # no half-written report


def test_missing_catalog_exit_2_without_traceback(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "solver.cli",
            "solve",
            "--catalog",
            str(tmp_path / "missing.yaml"),
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.strip().endswith("missing.yaml: no such file or directory")
    assert "Traceback" not in done.stderr


def test_usage_error_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["solve", "--min-domain", "zero"])
    assert info.value.code == 2


def test_validate(capsys):
    code, out, _ = run(capsys, "validate", str(SMALL_CATALOG), str(SMALL_PROFILE))
    assert code == 0
    assert "small-profile.yaml: ok (profile 'test-hall')" in out


def test_validate_reports_errors(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("profile:\n  id: x\n")
    code, _, err = run(capsys, "validate", str(bad))
    assert code == 2
    assert "bad.yaml:1: profile: missing required fields:" in err


def test_catalog_list(capsys):
    code, out, _ = run(capsys, "catalog", "list", "--catalog", str(SMALL_CATALOG))
    assert code == 0
    assert "test-switch-chip" in out


def test_outputs_are_reproducible(capsys, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        assert run(capsys, "solve", *SMALL, "--out", str(out))[0] == 0
    for name in ("solve_summary.csv", "solve_budgets.csv", "solve_layout.csv", "solve.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_a_catalog_without_accelerators_is_a_usage_error(capsys, tmp_path):
    racks = Path(__file__).resolve().parent.parent / "catalogs" / "racks.yaml"
    code = main(["solve", "--catalog", str(racks), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "holds no accelerators to solve" in err and "Traceback" not in err
    assert not any(tmp_path.iterdir())  # no half-written report
