"""The README's quoted outputs come from real runs: each sample is re-run and compared."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "readme_samples", Path(__file__).resolve().parent.parent / "docs" / "readme_samples.py"
)
samples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(samples)
FOUND = samples.samples(samples.README.read_text())


def test_the_readme_quotes_real_runs():
    assert len(FOUND) >= 3


@pytest.mark.parametrize(
    "match",
    [pytest.param(m, marks=[pytest.mark.slow] if m["slow"] else []) for m in FOUND],
    ids=[m["command"] for m in FOUND],
)
def test_readme_sample_matches_a_fresh_run(match):
    fresh = samples.block(match["command"], match["body"])
    assert not samples.differs(match["body"], fresh), (
        f"README sample is stale; run `python docs/readme_samples.py`\n{fresh}"
    )


def test_the_claims_quoted_in_the_docs_match_a_fresh_run(capsys):
    """docs/budgets.md quotes `python examples/claims.py`; its verdicts and figures must be
    today's (regenerate the block from a fresh run when a premise moves)."""
    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("claims", root / "examples" / "claims.py")
    claims = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(claims)
    here = Path.cwd()
    try:
        os.chdir(root)  # the script names profiles by repo-relative path
        claims.main()
    finally:
        os.chdir(here)
    fresh = capsys.readouterr().out
    quoted = (root / "docs" / "budgets.md").read_text()
    assert fresh in quoted, "docs/budgets.md quotes stale claims; rerun examples/claims.py"
    for verdict in ("supported", "contradicted", "depends"):
        assert f"=> {verdict}" in fresh
