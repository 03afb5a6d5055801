"""Jitter budget: Monte Carlo vs Gumbel, efficiency vs N, low-jitter fabric wins at scale."""

from __future__ import annotations

import math

import pytest

from solver.budgets import jitter
from solver.units import Quantity

LINK = jitter.LinkLatency(Quantity(1, "us"), 0.5)


def test_lognormal_mean_is_kept():
    assert LINK.mu == pytest.approx(math.log(1e-6) - 0.125)
    assert jitter.expected_max_gumbel(LINK, 1) == Quantity(1, "us")
    mc = jitter.expected_max_monte_carlo(LINK, 1, trials=20_000)
    assert mc.to("us").m == pytest.approx(1.0, rel=0.02)


@pytest.mark.parametrize("n", [8, 72, 576, 4096])
def test_monte_carlo_agrees_with_gumbel(n):
    mc = jitter.expected_max_monte_carlo(LINK, n, trials=2000)
    gumbel = jitter.expected_max_gumbel(LINK, n)
    assert gumbel.to("us").m == pytest.approx(mc.to("us").m, rel=jitter.GUMBEL_TOLERANCE)


def test_gumbel_hand_computed_n72():
    # z = Phi^-1(1 - 1/72) = 2.2004106; b = exp(mu + 0.5 z) = 2.6466 us; a = b 0.5 / (72 phi(z))
    b = math.exp(math.log(1e-6) - 0.125 + 0.5 * 2.2004106)
    phi = math.exp(-(2.2004106**2) / 2) / math.sqrt(2 * math.pi)
    expected = b + 0.5772156649 * b * 0.5 / (72 * phi)
    assert jitter.expected_max_gumbel(LINK, 72).to("s").m == pytest.approx(expected, rel=1e-5)
    assert jitter.expected_max_gumbel(LINK, 72).to("us").m == pytest.approx(2.9516, abs=1e-3)


def test_efficiency_falls_with_n_and_caps_it():
    fabric = jitter.Fabric("nvl", Quantity(900, "GB/s"), LINK)
    work, msg = Quantity(1, "ms"), Quantity(1, "MiB")
    assert jitter.efficiency(fabric, work, msg, 1) == 1.0
    effs = [jitter.efficiency(fabric, work, msg, n) for n in (2, 8, 72, 576)]
    assert effs == sorted(effs, reverse=True)
    # n = 72: compute 13.889 us; transfer 1,048,576 B / 900 GB/s = 1.165 us; slowest 2.952 us
    expected = (1000 / 72) / (1000 / 72 + 1048576 / 900e9 * 1e6 + 2.9516)
    assert effs[2] == pytest.approx(expected, rel=1e-4)
    n = jitter.largest_n(fabric, work, msg, 0.85, 200)
    assert (
        jitter.efficiency(fabric, work, msg, n)
        >= 0.85
        > jitter.efficiency(fabric, work, msg, n + 1)
    )


def test_low_jitter_fabric_wins_at_large_n():
    """Claim 6: half the bandwidth but a tight latency spread beats hero bandwidth at scale."""
    fast = jitter.Fabric("hero", Quantity(900, "GB/s"), jitter.LinkLatency(Quantity(2, "us"), 1.0))
    steady = jitter.Fabric(
        "steady", Quantity(400, "GB/s"), jitter.LinkLatency(Quantity(2, "us"), 0.2)
    )
    work, msg = Quantity(1, "ms"), Quantity(1, "MiB")
    assert jitter.step_time(fast, work, msg, 2) < jitter.step_time(steady, work, msg, 2)
    n = jitter.crossover(fast, steady, work, msg, [2**i for i in range(1, 14)])
    assert n is not None and 2 < n <= 64
    big = 4096
    assert jitter.step_time(steady, work, msg, big) < jitter.step_time(fast, work, msg, big)
    # and the Monte Carlo agrees on who wins at 4096
    assert jitter.collective_time(steady, msg, big, "monte-carlo") < jitter.collective_time(
        fast, msg, big, "monte-carlo"
    )
