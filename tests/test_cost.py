"""Cost budgets: capex from the bill of materials, cost per accelerator-hour and per million
tokens, imposed on the solver with --require; each recomputed here by hand."""

from __future__ import annotations

import pytest
from budget_fixtures import SMALL, SYSTEMS, WORKLOADS
from conftest import DATA, SMALL_PROFILE

from solver.budgets import cost, decode
from solver.budgets.requirements import parse_requirements
from solver.catalog import load_catalog, load_constraints
from solver.cli import main
from solver.engine import check_design, solve
from solver.parts import draw_power
from solver.units import Quantity

PRICES = DATA / "small-prices.yaml"


@pytest.fixture(scope="module")
def cat():
    return load_catalog([SMALL, WORKLOADS, SYSTEMS, PRICES])


def _solve(cat, texts, workload="llama-3.1-8b"):
    profile = load_constraints(SMALL_PROFILE)
    reqs = parse_requirements(texts, cat.workloads[workload])
    return solve(cat, profile, accelerator="xpu", requirements=reqs, time_limit=20)


def _hand_capex(d) -> float:
    """The small catalog's round prices over the design's counts, by hand."""
    prices = {"xpu-tray": 20_000, "test-switch-tray": 30_000, "pair-26awg": 10}
    prices |= {"pair-32awg": 10, "test-shelf": 5_000, "test-rack": 50_000}
    total = 10_000 * d.rack_domain + prices[d.tray.id] * d.compute_trays
    total += prices[d.switch_tray.id] * d.switch_trays if d.switch_tray else 0
    total += prices[d.cable.id] * d.cables if d.cable else 0
    total += prices.get(d.shelf.id, 0) * d.power_shelves + prices[d.rack.id]
    return d.racks * total


def test_capex_and_hourly_cost_by_hand(cat):
    r = _solve(cat, [])
    capex = cost.design_capex(r.design, r.space)
    assert capex.total.to("USD").m == pytest.approx(_hand_capex(r.design))
    assert "dlc" in capex.unpriced or "air" in capex.unpriced  # cooling has no price here
    e = r.space.profile.economics  # defaults: 0.08 USD/kWh, PUE 1.15, 11.7 M USD/MW
    kw = draw_power(r.design, r.space).to("kW").m
    hand = _hand_capex(r.design) / (4 * 8766) + 11.7e6 * kw / 1000 / (15 * 8766)
    hand += 0.08 * kw * 1.15
    hourly = cost.hourly_cost(capex.total, Quantity(kw, "kW"), e)
    assert hourly.to("USD/hour").m == pytest.approx(hand, rel=1e-6)
    per_m = cost.per_million_tokens(hourly, 1000.0, e)
    assert per_m.to("USD").m == pytest.approx(hand / (1000 * 0.8 * 3600) * 1e6, rel=1e-6)


def test_gb200_capex_reproduces_the_published_rack_price(shipped_results):
    """The catalog's item prices add up to the published ~3.1 M USD NVL72 (less the ~2 %
    of scale-out NICs and optics outside the rack's bill of materials)."""
    r = shipped_results["gb200"]
    capex = cost.design_capex(r.design, r.space)
    assert 2.9e6 <= capex.total.to("USD").m <= 3.1e6
    assert capex.unpriced == ()


def test_capex_budget_binds_and_relaxing_never_shrinks(cat):
    free = _solve(cat, ["capex <= 1e9 USD"])
    bound = _solve(cat, ["capex <= 1.2e6 USD"])
    assert "capex" not in free.binding
    assert 0 < bound.domain_size < free.domain_size
    assert "capex" in bound.binding
    assert _hand_capex(bound.design) <= 1.2e6
    assert all(c.ok for c in check_design(bound.design, bound.space))


def test_cost_per_accelerator_hour_measured_by_hand(cat):
    """Fixed costs (rack, switches) spread over more accelerators: the budget is a floor on
    the domain; the check equals the hand figure."""
    r = _solve(cat, ["cost_per_accelerator_hour <= 5 USD/hour"])
    d = r.design
    kw = d.racks * draw_power(d, r.space).to("kW").m
    hand = _hand_capex(d) / (4 * 8766) + 11.7e6 * kw / 1000 / (15 * 8766) + 0.08 * kw * 1.15
    check = next(c for c in r.checks if c.family == "cost_per_accelerator_hour")
    assert check.used.to("USD/hour").m == pytest.approx(hand / d.domain_size, rel=1e-6)
    too_tight = _solve(cat, ["cost_per_accelerator_hour <= 0.05 USD/hour"])
    assert too_tight.domain_size == 0 and "cost_per_accelerator_hour" in too_tight.binding


def test_cost_per_million_tokens_binds_by_hand(cat):
    r = _solve(cat, ["cost_per_million_tokens <= 0.05 USD"])
    d, e = r.design, r.space.profile.economics
    workload = cat.workloads["llama-3.1-8b"]
    served = decode.serve(workload, decode.gpu_deployment(d.accelerator, d.domain_size), 50.0)
    hourly = cost.hourly_cost(
        cost.design_capex(d, r.space).total, d.racks * draw_power(d, r.space), e
    )
    per_m = hourly.to("USD/hour").m / (served.throughput * 0.8 * 3600) * 1e6
    assert per_m <= 0.05
    check = next(c for c in r.checks if c.family == "cost_per_million_tokens")
    assert check.used.to("USD").m == pytest.approx(per_m, rel=1e-6)


def test_cli_cost_budget_refuses_a_wrong_dimension(capsys):
    code = main(
        [
            "solve", "--no-default-catalogs",
            "--catalog", str(SMALL), "--catalog", str(WORKLOADS), "--catalog", str(PRICES),
            "--constraints", str(SMALL_PROFILE), "--pin", "accelerator=xpu",
            "--workload", "llama-3.1-8b",
            "--require", "cost_per_million_tokens <= 0.10 kW",
        ]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert "'0.10 kW' is not a price" in err and len(err.strip().splitlines()) == 1
