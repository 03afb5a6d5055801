"""Shared fixtures: the small hand-made test catalog and the shipped catalogs."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver.catalog import load_catalog, load_constraints
from solver.engine import solve, solve_all

DATA = Path(__file__).parent / "data"
SMALL_CATALOG = DATA / "small"
SMALL_PROFILE = DATA / "small-profile.yaml"
TIME_LIMIT = 20.0
SMALL = [
    "--no-default-catalogs",
    "--catalog",
    str(SMALL_CATALOG),
    "--constraints",
    str(SMALL_PROFILE),
]
"""CLI arguments that read the small catalog and profile alone."""


def solve_small(accelerator: str = "xpu", overrides=(), **kwargs):
    """Solve the small catalog with ``--set``-style overrides ``[("field", "value")]``."""
    catalog = load_catalog(SMALL_CATALOG, overrides)
    profile = load_constraints(SMALL_PROFILE, overrides)
    return solve(catalog, profile, accelerator=accelerator, time_limit=TIME_LIMIT, **kwargs)


@pytest.fixture(scope="session")
def shipped():
    """The shipped catalogs and the default profile."""
    return load_catalog(), load_constraints()


@pytest.fixture(scope="session")
def shipped_results(shipped):
    """Every shipped accelerator solved under the default profile (solved once)."""
    catalog, profile = shipped
    return {r.accelerator: r for r in solve_all(catalog, profile, time_limit=TIME_LIMIT)}


@pytest.fixture(scope="session")
def dask_cluster():
    """An executor on a real Dask LocalCluster of two single-threaded worker processes."""
    pytest.importorskip("distributed")
    from solver.pool import dask_executor

    executor, close = dask_executor(None, 2)
    yield executor
    close()


@pytest.fixture(scope="session")
def gb200():
    """GB200 on the shipped catalogs, solved without the explanation (the exporters' input)."""
    result = solve(
        load_catalog(), load_constraints(), accelerator="gb200", time_limit=TIME_LIMIT,
        explain=False,
    )  # fmt: skip
    assert result.ok
    return result
