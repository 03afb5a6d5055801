"""--require: parsing, clean errors (exit 2), and budgets binding in the solver."""

from __future__ import annotations

import pytest
from budget_fixtures import SMALL, SYSTEMS, WORKLOADS, small_with_workloads
from conftest import SMALL_PROFILE

from solver.budgets.requirements import (
    BUDGETS,
    Requirement,
    parse_requirement,
    parse_requirements,
)
from solver.catalog import load_constraints
from solver.cli import main
from solver.engine import check_design, solve
from solver.errors import UsageError
from solver.units import Quantity

CATS = ["--no-default-catalogs", "--catalog", str(SMALL), "--catalog", str(WORKLOADS)]
CATS += ["--catalog", str(SYSTEMS)]
ARGS = [*CATS, "--constraints", str(SMALL_PROFILE), "--pin", "accelerator=xpu"]


@pytest.fixture(scope="module")
def cat():
    return small_with_workloads()


def test_parse(cat):
    r = parse_requirement("moe_all_to_all <= 200 us", cat.workloads["deepseek-v3"])
    assert (r.name, r.op, r.target) == ("moe_all_to_all", "<=", Quantity(200, "us"))
    assert parse_requirement("perf_per_watt>=2 TFLOP/s/W").target == Quantity(2, "TFLOP/s/W")
    assert parse_requirement("collective_efficiency >= 0.8").target.m == 0.8
    assert parse_requirement("collective_efficiency >= 80 %").target.to("").m == 0.8
    assert set(BUDGETS) >= {
        "moe_all_to_all",
        "decode_token_time",
        "perf_per_watt",
        "collective_efficiency",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("moe_all2all <= 200 us", "unknown budget 'moe_all2all'; did you mean 'moe_all_to_all'?"),
        ("decode_token_time <= 2 kW", "'2 kW' is not a time; decode_token_time takes a time"),
        ("perf_per_watt >= 2 TFLOP/s", "is not a compute rate per power"),
        ("collective_efficiency >= 2 us", "'2 us' is not a dimensionless"),
        ("moe_all_to_all = 200 us", "expected NAME OP VALUE [UNIT]"),
        ("decode_token_time <= 2 blorps", "unknown unit 'blorps'; expected a time"),
    ],
)
def test_bad_expressions_name_the_valid_budgets(cat, text, message):
    with pytest.raises(UsageError) as info:
        parse_requirement(text, cat.workloads["deepseek-v3"])
    assert message in str(info.value)
    if "expected" not in message:
        assert "collective_efficiency (dimensionless" in str(info.value)


def test_workload_needed(cat):
    with pytest.raises(UsageError, match="needs a workload"):
        parse_requirement("decode_token_time <= 1 ms")
    with pytest.raises(UsageError, match="dense model"):
        parse_requirement("moe_all_to_all <= 1 ms", cat.workloads["llama-3.1-8b"])
    with pytest.raises(UsageError, match="required twice"):
        parse_requirements(["perf_per_watt >= 1 TFLOP/s/W"] * 2)


def _solve(cat, exprs, workload="deepseek-v3"):
    reqs = parse_requirements(exprs, cat.workloads[workload])
    return solve(cat, load_constraints(SMALL_PROFILE), accelerator="xpu", requirements=reqs)


def test_loose_budget_does_not_bind(cat):
    r = _solve(cat, ["moe_all_to_all <= 200 us"])
    assert (r.domain_size, r.binding) == (72, ("topology",))
    check = next(c for c in r.checks if c.family == "moe_all_to_all")
    assert check.used.to("us").m == pytest.approx(66.34, abs=0.01)


def test_tight_moe_budget_binds(cat):
    # 2 x (1 us + 29,360,128 B x (N-1)/N / 900 GB/s) <= 60 us holds up to N = 8 (59.09 us)
    r = _solve(cat, ["moe_all_to_all <= 60 us"])
    assert r.domain_size == 8
    assert r.binding == ("moe_all_to_all",)
    assert "because of moe_all_to_all" in r.explanation
    assert all(c.ok for c in check_design(r.design, r.space))


def test_collective_efficiency_binds(cat):
    r = _solve(cat, ["collective_efficiency >= 0.85"])
    assert r.domain_size == 44 and r.binding == ("collective_efficiency",)
    check = next(c for c in r.checks if c.family == "collective_efficiency")
    assert check.limit.m >= 0.85


def test_decode_budget_sets_a_floor(cat):
    # 405B bf16 needs >= 5 xpu (192 GB each) just to hold its weights
    r = _solve(cat, ["decode_token_time <= 2 ms"], "llama-3.1-405b")
    assert r.domain_size == 72
    req = Requirement(
        "decode_token_time", "<=", Quantity(2, "ms"), "t", cat.workloads["llama-3.1-405b"]
    )
    assert req.value(cat.accelerators["xpu"], 4).m == float("inf")
    assert req.value(cat.accelerators["xpu"], 72).to("ms").m == pytest.approx(1.933, abs=1e-3)


def test_perf_per_watt_infeasible_names_it(cat):
    r = _solve(cat, ["perf_per_watt >= 1.9 TFLOP/s/W"])
    assert r.status == "infeasible" and r.binding == ("perf_per_watt",)
    ok = _solve(cat, ["perf_per_watt >= 1.2 TFLOP/s/W"])
    assert ok.domain_size == 72
    check = next(c for c in ok.checks if c.family == "perf_per_watt")
    assert check.ok and check.limit.to("TFLOP/s/W").m > 1.2


def test_cli_require(capsys, tmp_path):
    code = main(
        [
            "solve",
            *ARGS,
            "--workload",
            "deepseek-v3",
            "--require",
            "moe_all_to_all <= 60 us",
            "--out",
            str(tmp_path),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "8 accelerators is the largest domain" in out and "moe_all_to_all *" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--workload", "deepseek-v3", "--require", "speed <= 1 us"], "unknown budget 'speed'"),
        (["--workload", "deepseek-v4"], "--workload deepseek-v4: no such workload; did you mean"),
        (["--require", "moe_all_to_all <= 2 m"], "'2 m' is not a time"),
    ],
)
def test_cli_errors_exit_2_with_one_line(capsys, tmp_path, args, message):
    code = main(["solve", *ARGS, *args, "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_relaxing_the_switch_radix_reveals_the_physical_limit(capsys, tmp_path):
    """--relax topology: the radix no longer binds; the domain grows until a physical
    family binds, and the relaxed family's checks are still reported."""
    from conftest import SMALL_CATALOG

    from solver.catalog import load_catalog

    catalog = load_catalog(SMALL_CATALOG)
    profile = load_constraints(SMALL_PROFILE)
    built = solve(catalog, profile, accelerator="xpu", time_limit=20)
    relaxed = solve(catalog, profile, accelerator="xpu", time_limit=20, relax=("topology",))
    assert built.binding == ("topology",)
    assert relaxed.domain_size > built.domain_size
    assert "topology" not in relaxed.binding and relaxed.binding
    assert "with topology relaxed" in relaxed.explanation
    assert any(c.family == "topology" and not c.ok for c in relaxed.checks)
    code = main(["solve", "--no-default-catalogs", "--catalog", str(SMALL_CATALOG),
                 "--constraints", str(SMALL_PROFILE), "--relax", "topolgy",
                 "--out", str(tmp_path)])  # fmt: skip
    assert code == 2 and "no such constraint family" in capsys.readouterr().err
