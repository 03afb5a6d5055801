"""The command line as a user meets it: exit codes, JSON, outputs, clean errors."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SMALL, SMALL_CATALOG, SMALL_PROFILE

from solver.cli import main


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


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("nonsense", "missing port number in address 'nonsense'"),
        ("tcp://127.0.0.1:1", "Timed out trying to connect to tcp://127.0.0.1:1 after 1 s"),
    ],
)
def test_a_bad_scheduler_is_one_line_before_any_solve(capsys, tmp_path, address, why):
    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    args = ["report", *SMALL, "--pin", "accelerator=xpu", "--out", str(tmp_path)]
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        code, out, err = run(capsys, *args, "--scheduler", address)
    assert code == 2
    assert err == f"rackscale: --scheduler {address}: cannot connect ({why})\n"
    assert not out and not list(tmp_path.iterdir())


def test_executor_options_need_a_report(capsys, tmp_path):
    code, _, err = run(capsys, "solve", *SMALL, "--workers", "2", "--out", str(tmp_path))
    assert code == 2
    assert "--workers, --dask and --scheduler run the report's sensitivity: add --report" in err


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
    code = main(["solve", "--no-default-catalogs", "--catalog", str(racks), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "holds no accelerators to solve" in err and "Traceback" not in err
    assert not any(tmp_path.iterdir())  # no half-written report


def test_version_and_python_dash_m(capsys):
    import solver

    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"rackscale {solver.__version__}"
    done = subprocess.run(
        [sys.executable, "-m", "solver", "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == f"rackscale {solver.__version__}"


@pytest.mark.parametrize(
    "argv",
    [
        ["--debug", "solve", *SMALL, "--pin", "accelerator=nope"],
        ["solve", *SMALL, "--pin", "accelerator=nope", "--debug"],
        ["--debug", "catalog", "list", "--category", "nope"],
        ["catalog", "list", "--category", "nope", "--debug"],
    ],
)
def test_debug_is_accepted_before_and_after_the_command(argv):
    from solver.errors import UsageError

    with pytest.raises(UsageError):  # with --debug the error propagates, traceback and all
        main(argv)


def test_quiet_and_verbose_are_accepted_after_the_command(capsys, tmp_path):
    code, _, err = run(
        capsys, "catalog", "list", "-v", "--no-default-catalogs", "--catalog", str(SMALL_CATALOG)
    )
    assert code == 0
    assert "rackscale: read tests/data/small/catalog.yaml (sha256 " in err
    assert "rackscale: catalog took " in err


def test_help_lists_what_each_option_does(capsys, tmp_path):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    report_help = capsys.readouterr().out
    assert not any(line.strip().startswith("--report") for line in report_help.splitlines())
    assert "--pin CATEGORY=ID" in report_help and "--debug" in report_help
    with pytest.raises(SystemExit):
        main(["solve", "--help"])
    solve_help = " ".join(capsys.readouterr().out.split())
    assert "interrack_cable" in solve_help
    code, _, _ = run(capsys, "solve", *SMALL, "--pin", "accelerator=xpu", "--out", str(tmp_path))
    assert code == 0
    for written in tmp_path.iterdir():  # --out names every file a solve writes
        assert written.name in solve_help


def test_ids_match_in_any_case(capsys, tmp_path):
    code, out, _ = run(
        capsys, "solve", *SMALL, "--pin", "accelerator=XPU", "--json", "--out", str(tmp_path)
    )
    assert code == 0
    assert json.loads(out)["design"]["accelerator"] == "xpu"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "feed_power=100 kW"], "did you mean 'profile.feed_power'?"),
        (["--set", "static_load=1500 kg"], "did you mean 'racks.test-rack.static_load'?"),
        (["--set", "rack.test-rack.slots=40"], "unknown category 'rack'; did you mean 'racks'?"),
        (
            ["--set", "racks.TEST-RAK.slots=40"],
            "no racks entry 'TEST-RAK'; did you mean 'test-rack'?",
        ),
        (["--constraints", "enterprise-ai"], "did you mean 'enterprise-air'"),
    ],
)
def test_suggestions(capsys, tmp_path, args, message):
    code, _, err = run(capsys, "solve", *SMALL, *args, "--out", str(tmp_path))
    assert code == 2
    assert message in err and "Traceback" not in err


def test_catalog_list_filters_and_json(capsys):
    code, out, _ = run(
        capsys, "catalog", "list", "--category", "Rack", "--vendor", "nvidia", "--json"
    )
    assert code == 0
    rows = json.loads(out)
    assert {r["category"] for r in rows} == {"racks"}
    assert "nvl72-rack" in {r["id"] for r in rows} and "eia-42u" not in {r["id"] for r in rows}
    assert all("nvidia" in r["name"].lower() for r in rows)
    nvl72 = next(r for r in rows if r["id"] == "nvl72-rack")
    assert nvl72["file"] == "catalogs/racks.yaml" and nvl72["line"] > 1
    assert "static_load" in nvl72["estimates"]
    code, out, _ = run(capsys, "catalog", "list", "--vendor", "AMD", "--match", "MI3", "--json")
    assert code == 0
    rows = json.loads(out)
    assert {"mi300x", "mi355x"} <= {r["id"] for r in rows}
    for r in rows:  # vendor, else name, holds AMD; id or name holds mi3
        assert "amd" in (r["vendor"] or r["name"]).lower()
        assert "mi3" in (r["id"] + r["name"]).lower()
    code, out, _ = run(capsys, "catalog", "list", "--vendor", "AMD", "--match", "MI3")
    assert [line.split()[1] for line in out.splitlines()[2:]] == [r["id"] for r in rows]
    code, _, err = run(capsys, "catalog", "list", "--category", "rak")
    assert code == 2 and "did you mean 'racks'?" in err


def test_a_later_catalog_replaces_an_entry_by_id(capsys, tmp_path):
    shipped = Path(__file__).resolve().parent.parent / "catalogs" / "racks.yaml"
    text = shipped.read_text()
    start = text.index("  - id: eia-42u")
    entry = text[start : text.index("  - id:", start + 1)]
    mine = tmp_path / "mine.yaml"
    mine.write_text("racks:\n" + entry.replace("static_load:", "static_load: '1500 kg' #"))
    listing = ["catalog", "list", "--category", "racks", "--match", "eia-42u", "--json"]
    code, out, err = run(capsys, *listing, "--catalog", str(mine))
    assert code == 0
    (row,) = json.loads(out)
    assert row["file"] == str(mine) and row["line"] == 2
    assert f"{mine}:2: racks.eia-42u replaces the entry of catalogs/racks.yaml:" in err
    code, out, err = run(capsys, *listing, "--catalog", str(mine), "-q")
    assert code == 0 and err == ""
    code, out, _ = run(capsys, "catalog", "list", "--no-default-catalogs", "--catalog", str(mine))
    assert [line.split()[1] for line in out.splitlines()[2:]] == ["eia-42u"]


def test_a_shipped_file_given_again_adds_nothing(capsys, tmp_path):
    """`solve --catalog catalogs/racks.yaml` once ended in an IndexError."""
    racks = Path(__file__).resolve().parent.parent / "catalogs" / "racks.yaml"
    code, out, err = run(
        capsys,
        "solve",
        "--catalog",
        str(racks),
        "--pin",
        "accelerator=h100",
        "--out",
        str(tmp_path),
    )
    assert code == 0, err
    assert "h100: 8 accelerators is the largest domain" in out
    assert err == ""


def test_no_default_catalogs_needs_a_catalog(capsys):
    code, _, err = run(capsys, "catalog", "list", "--no-default-catalogs")
    assert code == 2 and "needs at least one --catalog" in err


def test_ctrl_c_stops_workers_and_writes_nothing(tmp_path):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) during the
    report's sensitivity: exit 130, one line, no worker left, no file written."""
    import os
    import signal

    out = tmp_path / "out"
    command = [sys.executable, "-m", "solver", "report", *SMALL, "--pin", "accelerator=xpu"]
    proc = subprocess.Popen(
        [*command, "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )

    def children() -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            try:
                status = (entry / "status").read_text()
            except (OSError, ValueError):
                continue
            if f"\nPPid:\t{proc.pid}\n" in status:
                found.append(int(entry.name))
        return found

    deadline = time.monotonic() + 120
    while not children() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = children()
    assert workers, "the sensitivity workers never started"
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert err == "rackscale: interrupted\n"
    running = []
    for pid in workers:
        try:
            state = Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0]
        except (OSError, IndexError):
            continue  # gone
        if state != "Z":
            running.append(pid)
    assert not running
    assert not out.exists() or not list(out.iterdir())


def test_counts_agree_with_their_noun():
    from solver.words import plural

    assert plural(1, "accelerator") == "1 accelerator"
    assert plural(72, "accelerator") == "72 accelerators"
    assert plural(0, "switch", "switches") == "0 switches"


def test_a_long_single_step_shows_its_elapsed_time_on_a_terminal_only(tmp_path):
    """`working` (a pinned solve) draws 'solving …: 00:01' on a terminal, nothing in a pipe."""
    import fcntl
    import os
    import pty
    import struct
    import termios

    script = tmp_path / "step.py"
    script.write_text(
        "import time\nfrom solver.report.text import working\n"
        "with working('solving gb200'):\n    time.sleep(1.2)\nprint('done')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    piped = subprocess.run([sys.executable, script], capture_output=True, env=env, check=True)
    assert piped.stderr == b"" and piped.stdout == b"done\n"
    main_fd, child_fd = pty.openpty()
    fcntl.ioctl(child_fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    child = subprocess.Popen([sys.executable, script], stdout=child_fd, stderr=child_fd, env=env)
    os.close(child_fd)
    seen = b""
    while True:
        try:
            chunk = os.read(main_fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    assert child.wait() == 0
    assert b"solving gb200: 00:01" in seen and seen.endswith(b"done\r\n")


def test_a_model_cp_sat_refuses_is_an_internal_error_not_a_time_out(capsys, monkeypatch, tmp_path):
    """A limit whose range overflows CP-SAT's integers: exit 4 naming the constraint and
    CP-SAT's reason, one line, not 'unknown' (exit 3)."""
    from solver.families import weight

    def overflowing(m):
        m.limit(weight.NAME, "overflow", m.q.payload_hg * 2**62 <= 1)

    monkeypatch.setattr(weight, "add", overflowing)
    code, _, err = run(capsys, "solve", *SMALL, "--pin", "accelerator=xpu", "--out", str(tmp_path))
    assert code == 4
    assert err == (
        "rackscale: internal error (a bug in rackscale; --debug shows where): CP-SAT refused "
        'the model: Possible integer overflow in constraint: name: "weight-overflow"\n'
    )
