"""Honest explanations and statuses: what rules a size out when no limit family does,
what a time limit leaves unproven, and which single limit binds."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from conftest import SMALL, SMALL_CATALOG, SMALL_PROFILE, solve_small

from solver.catalog import load_catalog, load_constraints
from solver.cli import exit_code, main
from solver.design import build_space
from solver.engine import _Session
from solver.errors import EXIT_INFEASIBLE, EXIT_OK, EXIT_UNPROVEN, InfeasibleError


def solve_json(capsys, tmp_path, *args):
    code = main(["solve", *args, "--json", "--out", str(tmp_path)])
    return code, json.loads(capsys.readouterr().out)


def test_missing_busbar_and_spine_are_named_not_every_family(capsys, tmp_path):
    code, data = solve_json(capsys, tmp_path, "--pin", "accelerator=gb200", "--pin", "rack=eia-48u")
    assert code == EXIT_INFEASIBLE
    assert data["status"] == "infeasible"
    assert data["binding"] == ["compatibility"]
    assert data["explanation"] == (
        "gb200: no design: rack eia-48u has no DC busbar for the busbar-fed trays of "
        "gb200-nvl72-tray and gb200-nvl36-tray (power_input: busbar) and no cable spine "
        "(spine_area 0) for their scale-up cables"
    )


def test_busbar_voltage_no_shelf_matches_is_named():
    catalog = load_catalog(SMALL_CATALOG, [("racks.test-rack.busbar_voltage", "400 V")])
    with pytest.raises(InfeasibleError) as error:
        build_space(catalog, load_constraints(SMALL_PROFILE).profile, "xpu")
    assert error.value.conflicts == ["compatibility"]
    assert str(error.value) == (
        "xpu: no design: rack test-rack has no power shelf matching its 400 V busbar for the "
        "busbar-fed trays of xpu-tray (power_input: busbar)"
    )


def test_size_whole_trays_cannot_make_names_the_nearest_sizes(capsys, tmp_path):
    code, data = solve_json(
        capsys,
        tmp_path,
        *SMALL,
        "--pin",
        "accelerator=xpu",
        "--min-domain",
        "70",
        "--max-domain",
        "70",
    )
    assert code == EXIT_INFEASIBLE
    assert (data["status"], data["binding"]) == ("infeasible", ["granularity"])
    assert data["explanation"] == (
        "xpu: no design: 70 cannot be made from whole 4-chip trays in identical racks; "
        "nearest makeable sizes: 68 and 72"
    )


def test_at_least_an_unmakeable_size_names_the_size_that_fails():
    r = solve_small(min_domain=73)
    assert (r.status, r.binding) == ("infeasible", ("topology",))
    assert r.explanation == (
        "xpu: 73 cannot be made from whole 4-chip trays in identical racks; nearest makeable "
        "sizes: 72 and 76; no design reaches 76 accelerators: topology rule it out"
    )


def test_next_size_beyond_the_cap_is_granularity_not_every_family():
    r = solve_small(max_domain=70)
    assert (r.status, r.domain_size, r.binding, r.next_size) == (
        "optimal",
        68,
        ("granularity",),
        72,
    )
    assert r.explanation == (
        "xpu: 68 accelerators is the largest domain up to --max-domain 70: no size from 69 to "
        "70 can be made from whole 4-chip trays in identical racks; nearest makeable sizes: "
        "68 and 72"
    )
    assert not any(c.binding for c in r.checks)


def test_time_limit_never_reports_infeasible(capsys, tmp_path):
    args = ["--pin", "accelerator=gb200", "--max-racks", "8", "--time-limit", "0.01"]
    code, data = solve_json(capsys, tmp_path, *args)
    assert code == EXIT_UNPROVEN
    assert data["status"] in ("unknown", "feasible")
    assert data["solve"]["proven_optimal"] is False
    if data["status"] == "unknown":
        assert data["binding"] == []
        assert "none proven impossible" in data["explanation"]


def test_timed_out_probes_are_undecided_not_infeasible():
    catalog, profile = load_catalog(SMALL_CATALOG), load_constraints(SMALL_PROFILE)
    session = _Session(build_space(catalog, profile.profile, "xpu"), time_limit=1e-9)
    assert session.feasible(None, 76) is None
    assert session.conflict(76) == ([], "undecided")


@pytest.mark.parametrize(
    ("statuses", "code"),
    [
        (["optimal", "optimal"], EXIT_OK),
        (["optimal", "infeasible"], EXIT_INFEASIBLE),
        (["optimal", "feasible"], EXIT_UNPROVEN),
        (["infeasible", "unknown"], EXIT_UNPROVEN),
    ],
)
def test_exit_codes(statuses, code):
    assert exit_code([SimpleNamespace(status=s) for s in statuses]) == code


def test_help_documents_exit_code_3(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "3 time limit hit before a proof" in " ".join(capsys.readouterr().out.split())
