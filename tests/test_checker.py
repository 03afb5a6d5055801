"""The independent checker agrees with every solved reference design within 0.5 %."""

from __future__ import annotations

import json

import pytest
from checker import load_entries, load_profile, recompute, reported

from solver.catalog import DEFAULT_PROFILE

TOLERANCE = 0.005


def _agree(result) -> dict[str, tuple[float, float]]:
    data = json.loads(json.dumps(result.to_dict()))
    mine = recompute(data["design"], load_entries(), load_profile(DEFAULT_PROFILE))
    theirs = reported(data)
    assert set(mine) <= set(theirs), f"not reported: {set(mine) - set(theirs)}"
    return {k: (mine[k], theirs[k]) for k in mine}


def test_checker_covers_every_figure_on_gb200(shipped_results):
    pairs = _agree(shipped_results["gb200"])
    assert {"it_power", "power", "peak_power", "shelves_deliver", "busbar_current"} <= set(pairs)
    assert {"coolant_flow", "liquid_heat", "mass", "cables", "spine_area"} <= set(pairs)


@pytest.mark.parametrize(
    "accelerator", ["gb200", "gb300", "b200", "h100", "a100", "gh200", "mi300x", "tpu-v5p"]
)
def test_checker_agrees_with_reference_designs(shipped_results, accelerator):
    for name, (mine, theirs) in _agree(shipped_results[accelerator]).items():
        assert mine == pytest.approx(theirs, rel=TOLERANCE), name


def test_checker_catches_a_wrong_figure(shipped_results):
    data = json.loads(json.dumps(shipped_results["gb200"].to_dict()))
    data["design"]["per_rack"]["power_shelves"] -= 1
    mine = recompute(data["design"], load_entries(), load_profile(DEFAULT_PROFILE))
    assert mine["shelves_deliver"] < reported(data)["shelves_deliver"] * (1 - TOLERANCE)
