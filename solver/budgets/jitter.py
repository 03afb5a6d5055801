"""Jitter: the slowest of N links sets the pace of a collective.

Each participant's message latency is log-normal with mean ``m`` and log-spread ``σ``
(``μ = ln m − σ²/2``). A collective over N participants completes at the maximum of N
draws. Its expectation is computed two ways that must agree:

- Monte Carlo with numpy, fixed seed;
- extreme-value (Gumbel) approximation: the max of N draws from CDF ``F`` is about Gumbel
  with location ``b_N = F⁻¹(1 − 1/N)`` and scale ``a_N = 1 / (N f(b_N))``, so
  ``E[max] ≈ b_N + γ a_N`` (γ = Euler–Mascheroni). For a log-normal,
  ``b_N = exp(μ + σ z)`` with ``z = Φ⁻¹(1 − 1/N)`` and ``a_N = b_N σ / (N φ(z))``.

Efficiency of a step that splits fixed ``work`` (the time one participant would take) over
N participants and then runs one collective: ``(work/N) / (work/N + transfer + E[max_N])``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import pint

from solver.units import Quantity

EULER_GAMMA = 0.5772156649015329
SEED = 20261126
GUMBEL_TOLERANCE = 0.05
"""Relative agreement of Monte Carlo and Gumbel expected max for 8 ≤ N ≤ 4096 and σ ≤ 0.5
(measured: within 2.3 %). Heavier tails converge more slowly: σ = 1 is within 10 % only
from N ≈ 72 (the approximation is low)."""


@dataclass(frozen=True)
class LinkLatency:
    """Log-normal per-link latency: mean and log-spread ``sigma`` (σ of ln latency)."""

    mean: pint.Quantity
    sigma: float

    @property
    def mu(self) -> float:
        """μ of ln latency in seconds."""
        return math.log(self.mean.to("s").magnitude) - self.sigma**2 / 2


@dataclass(frozen=True)
class Fabric:
    """A network for collectives: per-participant bandwidth and its latency distribution."""

    name: str
    bandwidth: pint.Quantity
    latency: LinkLatency


def expected_max_monte_carlo(
    latency: LinkLatency, n: int, trials: int = 2000, seed: int = SEED
) -> pint.Quantity:
    """Mean over ``trials`` of the max of ``n`` log-normal draws (numpy, fixed seed)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    chunk = max(1, 2_000_000 // n)
    maxima = []
    for start in range(0, trials, chunk):
        size = min(chunk, trials - start)
        draws = rng.lognormal(latency.mu, latency.sigma, size=(size, n))
        maxima.append(draws.max(axis=1))
    return Quantity(float(np.concatenate(maxima).mean()), "s").to("us")


def expected_max_gumbel(latency: LinkLatency, n: int) -> pint.Quantity:
    """Extreme-value approximation of the expected max of ``n`` draws (exact mean for 1)."""
    if n <= 1:
        return latency.mean.to("us")
    normal = NormalDist()
    z = normal.inv_cdf(1 - 1 / n)
    location = math.exp(latency.mu + latency.sigma * z)
    scale = location * latency.sigma / (n * normal.pdf(z))
    return Quantity(location + EULER_GAMMA * scale, "s").to("us")


def collective_time(
    fabric: Fabric, message: pint.Quantity, n: int, method: str = "gumbel"
) -> pint.Quantity:
    """Transfer of ``message`` plus the expected slowest of ``n`` latencies (0 for n = 1)."""
    if n <= 1:
        return Quantity(0, "us")
    slowest = (
        expected_max_gumbel(fabric.latency, n)
        if method == "gumbel"
        else expected_max_monte_carlo(fabric.latency, n)
    )
    return (message / fabric.bandwidth + slowest).to("us")


def step_time(
    fabric: Fabric, work: pint.Quantity, message: pint.Quantity, n: int, method: str = "gumbel"
) -> pint.Quantity:
    """``work / n`` of compute, then one collective over ``n`` participants."""
    return (work / n + collective_time(fabric, message, n, method)).to("us")


def efficiency(
    fabric: Fabric, work: pint.Quantity, message: pint.Quantity, n: int, method: str = "gumbel"
) -> float:
    """Share of a step spent computing: ``(work/n) / step_time``."""
    return float((work / n / step_time(fabric, work, message, n, method)).to("").magnitude)


def largest_n(
    fabric: Fabric, work: pint.Quantity, message: pint.Quantity, target: float, n_max: int
) -> int:
    """Largest N ≤ ``n_max`` whose efficiency meets ``target`` (0 if none)."""
    best = 0
    for n in range(1, n_max + 1):
        if efficiency(fabric, work, message, n) >= target:
            best = n
    return best


def crossover(
    fast: Fabric, steady: Fabric, work: pint.Quantity, message: pint.Quantity, ns: list[int]
) -> int | None:
    """First N in ``ns`` from which ``steady`` (less bandwidth, less jitter) gives the
    shorter step than ``fast``; None if it never does."""
    for n in ns:
        if step_time(steady, work, message, n) < step_time(fast, work, message, n):
            return n
    return None
