"""Sensitivity and what-if: sweeps, the smallest relaxation that grows the domain, replay."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import solve_small

from solver.catalog import load_catalog, load_constraints, parse_overrides
from solver.engine import solve
from solver.errors import UsageError
from solver.sensitivity import COLUMNS, headline, knobs, sensitivity


def _thresholds(frame):
    return frame[frame["kind"] == "threshold"].set_index("parameter")


def test_gb200_switch_ports_move_first_and_replaying_them_grows_the_domain(shipped):
    catalog, profile = shipped
    result = solve(catalog, profile, accelerator="gb200")
    assert (result.domain_size, result.binding, result.next_size) == (72, ("topology",), 76)
    frame = sensitivity(
        result, (0.9, 1.1), only=["topology", "profile.feed_power"], workers=1, time_limit=20
    )
    rows = _thresholds(frame)
    ports = rows.loc["switch_chips.nvswitch-nvlink5.ports"]
    assert (ports["value"], ports["rank"], ports["domain_size"]) == (76, 1, 76)
    assert ports["set"] == "switch_chips.nvswitch-nvlink5.ports=76"
    feed = rows.loc["profile.feed_power"]
    assert not feed["reaches_target"]
    assert feed["note"] == "no relaxation of feed power alone reaches 76 (tried ×4)"
    assert headline(frame, result.binding) == (
        "To reach 76 accelerators, move switch chip ports (nvswitch-nvlink5) 72 → 76 (+4) "
        "first; no other single figure reaches 76."
    )
    # Replay the answer through --set, as a user would: 76 ports grow it, 75 do not.
    for ports_, expected in (("76", 76), ("75", 72)):
        overrides = parse_overrides([f"switch_chips.nvswitch-nvlink5.ports={ports_}"])
        replay = solve(load_catalog(None, overrides), profile, accelerator="gb200", explain=False)
        assert replay.domain_size == expected


def test_continuous_threshold_is_tight_and_replays():
    result = solve_small(overrides=[("profile.feed_power", "100 kW")])
    assert (result.domain_size, result.next_size) == (68, 72)
    frame = sensitivity(result, only=["profile.feed_power"], workers=1)
    row = _thresholds(frame).loc["profile.feed_power"]
    assert row["reaches_target"] and row["rank"] == 1
    needed = row["value"]
    assert 100 < needed <= 110
    assert row["note"].startswith("feed power (profile) 100 kW → ")
    for value, grows in ((needed, True), (needed * 0.97, False)):
        replay = solve_small(overrides=[("profile.feed_power", f"{value} kW")], explain=False)
        assert (replay.domain_size >= 72) is grows


def test_sweep_table_shape_and_monotone_in_relaxation():
    result = solve_small()
    solves = []  # the progress callback: once per what-if solve
    frame = sensitivity(
        result,
        (0.5, 1.5),
        only=["power", "space", "topology"],
        workers=1,
        done=lambda: solves.append(1),
    )
    assert list(frame.columns) == COLUMNS
    assert len(solves) >= 2 * len(frame[frame["kind"] == "sweep"]["parameter"].unique())
    chosen = [k for k in knobs(result) if {k.family} & {"power", "space", "topology"}]
    sweep = frame[frame["kind"] == "sweep"]
    assert len(sweep) == 2 * len(chosen) and len(frame) == 3 * len(chosen)
    for _, group in sweep.groupby("parameter"):
        tight = group[group["direction"] == "tighten"]["domain_size"].max()
        relax = group[group["direction"] == "relax"]["domain_size"].min()
        assert tight <= result.domain_size <= relax  # relaxing never shrinks the domain
    assert sweep.set_index("parameter").loc["profile.feed_power"]["value"].tolist() == [75, 225]


def test_the_table_is_the_same_on_any_executor(monkeypatch, dask_cluster):
    """Every solve carries what it needs, so any executor runs it: in this process, on a
    two-process pool and on a real Dask LocalCluster the table is the same, and the progress
    ticks once per solve on each."""
    import solver.engine

    result = solve_small()
    solves = []
    solve_space = solver.engine.solve_space
    monkeypatch.setattr(
        solver.engine, "solve_space", lambda *a, **k: solves.append(1) or solve_space(*a, **k)
    )
    args = dict(factors=(1.1,), only=["switch chip ports"])
    ticks = {"here": [], "pool": [], "dask": []}
    here = sensitivity(result, **args, workers=1, done=lambda: ticks["here"].append(1))
    assert len(ticks["here"]) == len(solves) > 2  # the sweep point, the bound, the bisection
    pooled = sensitivity(result, **args, workers=2, done=lambda: ticks["pool"].append(1))
    on_dask = sensitivity(
        result, **args, executor=dask_cluster, done=lambda: ticks["dask"].append(1)
    )
    pd.testing.assert_frame_equal(here, pooled)
    pd.testing.assert_frame_equal(here, on_dask)
    assert len(ticks["pool"]) == len(ticks["dask"]) == len(ticks["here"])
    assert _thresholds(here).loc["switch_chips.test-switch-chip.ports", "value"] == 76


def test_sensitivity_needs_a_design():
    result = solve_small(overrides=[("profile.feed_power", "1 kW")])
    assert not result.ok
    with pytest.raises(UsageError, match="sensitivity needs a solved design"):
        sensitivity(result)


def test_knobs_with_zero_base_are_skipped():
    result = solve_small(overrides=[("compute_trays.xpu-tray.overhead_power", "0 W")])
    assert "compute_trays.xpu-tray.overhead_power" not in {k.key for k in knobs(result)}


@pytest.mark.slow
def test_gb200_full_sensitivity(shipped):
    catalog, profile = shipped
    result = solve(catalog, profile, accelerator="gb200")
    frame = sensitivity(result)
    rows = _thresholds(frame)
    reaching = rows[rows["reaches_target"]]
    assert list(reaching.index) == ["switch_chips.nvswitch-nvlink5.ports"]
    assert len(frame[frame["kind"] == "sweep"]) == 6 * len(rows)


def test_load_constraints_is_unaffected(shipped):
    """Sensitivity copies the profile; the loaded one keeps its figures."""
    _, profile = shipped
    assert load_constraints().profile.feed_power == profile.profile.feed_power
