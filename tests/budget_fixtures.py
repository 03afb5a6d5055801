"""Shared test data for the budget tests: the small catalog plus the shipped workloads."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from solver.catalog import load_catalog

ROOT = Path(__file__).resolve().parent.parent
SMALL = Path(__file__).parent / "data" / "small"
WORKLOADS = ROOT / "catalogs" / "workloads.yaml"
SYSTEMS = ROOT / "catalogs" / "systems.yaml"
SPEEDS = ROOT / "catalogs" / "published_speeds.yaml"


@cache
def small_with_workloads():
    """Small hand-made hardware (xpu: 900 GB/s NVL-like, meshy) + workloads + systems."""
    return load_catalog([SMALL, WORKLOADS, SYSTEMS])
