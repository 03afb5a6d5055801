"""rackscale sweep: grid axes, count-only points, identical results on any executor,
the Pareto front, and resuming."""

from __future__ import annotations

from dataclasses import fields, replace
from types import SimpleNamespace

import pandas as pd
import pytest
from conftest import SMALL_CATALOG, SMALL_PROFILE

from solver import sweep
from solver.cli import main
from solver.design import Design
from solver.engine import Cheapest, Proofs
from solver.errors import UsageError
from solver.pool import workers_of


def test_axes_from_ranges_and_lists():
    axis = sweep.parse_axis("profile.feed_power=100..200 kW step 25")
    assert axis.field == "profile.feed_power"
    assert axis.values == ("100 kW", "125 kW", "150 kW", "175 kW", "200 kW")
    assert sweep.parse_axis("switch_chips.x.ports=64, 72").values == ("64", "72")
    for bad in ("feed_power=1..2 kW step 1", "profile.feed_power=5..1 kW step 1",
                "profile.feed_power=1..2 kW step 0", "profile.feed_power="):  # fmt: skip
        with pytest.raises(UsageError):
            sweep.parse_axis(bad)


def test_pareto_front_by_hand():
    frame = pd.DataFrame(
        {
            "domain_size": [72, 72, 36, 8, 0],
            "kW_per_accelerator": [1.6, 1.7, 1.5, 1.3, None],
        }
    )
    # 72@1.7 is dominated by 72@1.6; 36@1.5 and 8@1.3 trade size for efficiency
    assert sweep.pareto(frame) == [True, False, True, True, False]
    with pytest.raises(UsageError, match="expected COLUMN:max"):
        sweep.pareto(frame, "domain_size:up")


@pytest.fixture(scope="module")
def plan():
    return sweep.Sweep(
        (str(SMALL_CATALOG),),
        (str(SMALL_PROFILE),),
        ("xpu",),
        (sweep.parse_axis("profile.feed_power=40..120 kW step 40"),),
    )


def test_points_run_the_same_on_any_executor(plan):
    points = plan.points()
    assert [p.key() for p in points] == [
        ("test-hall", "xpu", "40 kW"),
        ("test-hall", "xpu", "80 kW"),
        ("test-hall", "xpu", "120 kW"),
    ]
    here = sweep.frame_of(plan, sweep.run(plan, points))
    with workers_of(2) as pool:
        pooled = sweep.frame_of(plan, sweep.run(plan, points, pool))
    pd.testing.assert_frame_equal(here, pooled)
    sizes = here["domain_size"].tolist()
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]  # more feed never shrinks it
    assert here["pareto"].any()


def test_cli_sweep_writes_the_table_and_resumes(capsys, tmp_path):
    args = ["sweep", "--no-default-catalogs", "--catalog", str(SMALL_CATALOG),
            "--constraints", str(SMALL_PROFILE),
            "--pin", "accelerator=xpu", "--grid", "profile.feed_power=40..120 kW step 40",
            "--workers", "1", "--out", str(tmp_path)]  # fmt: skip
    assert main(args) == 0
    first = capsys.readouterr()
    assert "3 points (0 already" in first.err and "Pareto front" in first.out
    table = pd.read_parquet(tmp_path / "sweep.parquet")
    assert list(table["profile.feed_power"]) == ["40 kW", "80 kW", "120 kW"]
    csv = (tmp_path / "sweep.csv").read_bytes()
    assert main(args) == 0
    assert "3 points (3 already" in capsys.readouterr().err
    assert (tmp_path / "sweep.csv").read_bytes() == csv
    assert (tmp_path / "sweep.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--grid", "profile.feed_power=40..120 kg step 40"], "is not a power"),
        (["--grid", "profile.feed_power"], "expected FIELD=A..B"),
        (["--objectives", "domain_size:up"], "expected COLUMN:max"),
    ],
)
def test_cli_sweep_refuses_bad_input(capsys, tmp_path, extra, message):
    args = ["sweep", "--no-default-catalogs", "--catalog", str(SMALL_CATALOG),
            "--constraints", str(SMALL_PROFILE),
            "--pin", "accelerator=xpu", "--workers", "1", "--out", str(tmp_path)]  # fmt: skip
    args += extra
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert not (tmp_path / "sweep.csv").exists()


def test_a_dask_local_cluster_gives_the_same_table(plan, dask_cluster):
    """Any concurrent.futures executor runs the points: a real Dask LocalCluster of two
    processes returns the same table as this process."""
    points = plan.points()
    on_dask = sweep.frame_of(plan, sweep.run(plan, points, dask_cluster))
    here = sweep.frame_of(plan, sweep.run(plan, points))
    pd.testing.assert_frame_equal(here, on_dask)


def test_count_only_reuse_gives_the_plain_solve_point_by_point():
    """The reusable count-only model (limits re-set per point, no presolve, hinted) and a
    solve from scratch of every point give the same row, on a grid of feed powers and rack
    static loads (one model for all of them) and of reserved mass (one model each)."""
    plan = sweep.Sweep(
        (str(SMALL_CATALOG),),
        (str(SMALL_PROFILE),),
        ("xpu",),
        (
            sweep.parse_axis("profile.feed_power=30..110 kW step 40"),
            sweep.parse_axis("racks.test-rack.static_load=300 kg,900 kg"),
            sweep.parse_axis("profile.reserved_mass=0 kg,200 kg"),
        ),
    )
    points = plan.points()
    sweep.check(plan, points)
    fast = [sweep.solve_point(plan, p) for p in points]
    plain = [sweep.solve_point(plan, p, fast=False) for p in points]
    assert fast == plain
    sizes = {row["domain_size"] for row in fast}
    assert len(sizes) > 2  # the limits bind: the grid is not one answer repeated


def _run_cold(axis: str):
    """The small catalog's sweep over one axis, from no cached model: (plan, points, rows,
    the count-only model that solved them)."""
    plan = sweep.Sweep(
        (str(SMALL_CATALOG),), (str(SMALL_PROFILE),), ("xpu",), (sweep.parse_axis(axis),)
    )
    points = plan.points()
    sweep.check(plan, points)
    sweep._count_only.cache_clear()
    rows = sweep.run(plan, points)
    counter, _ = sweep._count_only(sweep.count_only_group(plan, points[0]))
    return plan, points, rows, counter


def test_points_between_two_proven_ones_skip_both_solves_and_keep_their_rows():
    """The largest domain is monotone in the limits: a point between two proven points of
    the same largest domain takes it without the first solve, and their cheapest design too
    when it is the same below and above and the only one of its cost above. Solved coarse
    to fine, most points of a plateau are such (here 72 from 105 kW up), and every row still
    equals the plain solve of that point, in this process and on two workers that share
    what they proved."""
    plan, points, rows, counter = _run_cold("profile.feed_power=30..330 kW step 10")
    assert counter.skipped >= len(points) // 2
    assert counter.skipped_cheapest >= len(points) // 2
    assert counter.session.solves < len(points)  # the plain path solves each twice or more
    assert rows == [sweep.solve_point(plan, p, fast=False) for p in points]
    assert len({row["domain_size"] for row in rows}) > 2
    with workers_of(2) as pool:
        assert sweep.run(plan, points, pool) == rows


def _design(name: str):
    return SimpleNamespace(name=name)


def test_proofs_bracket_a_cheapest_design_only_between_agreeing_unique_points():
    """Proofs.bracket_cheapest: the design proven below and above, asked unique once."""
    proofs = Proofs()
    d, other = _design("d"), _design("other")
    for at, key, design in (((10.0,), (1,), d), ((30.0,), (1,), d), ((50.0,), (2,), other)):
        proofs.add_domain(at, 8)
        proofs.add_cheapest(Cheapest(at, {}, 8, key, 100, design))
    asked = []

    def unique(c):
        asked.append(c.at)
        return c.at != (50.0,)

    assert proofs.bracket((20.0,)) == 8
    assert proofs.bracket_cheapest((20.0,), 8, unique) is d
    assert proofs.bracket_cheapest((25.0,), 8, unique) is d
    assert asked == [(30.0,)]  # remembered
    assert proofs.bracket_cheapest((40.0,), 8, unique) is None  # d below, other above
    assert proofs.bracket_cheapest((20.0,), 16, unique) is None  # another domain
    assert proofs.bracket_cheapest((5.0,), 8, unique) is None  # nothing below
    # shared: another instance learns the entries and the verdict, asks nothing again
    other_proofs = Proofs()
    other_proofs.learn(proofs.since(0))
    assert other_proofs.domains == proofs.domains
    assert other_proofs.cheapest[(30.0,)].unique is True
    assert other_proofs.bracket_cheapest((20.0,), 8, lambda c: pytest.fail("asked")).name == "d"
    # another design as cheap above: no skip, and the verdict is kept
    tied = Proofs()
    for at in ((10.0,), (30.0,)):
        tied.add_domain(at, 8)
        tied.add_cheapest(Cheapest(at, {}, 8, (1,), 100, d))
    assert tied.bracket_cheapest((20.0,), 8, lambda c: False) is None
    assert tied.cheapest[(30.0,)].unique is False
    assert tied.bracket_cheapest((20.0,), 8, lambda c: pytest.fail("asked")) is None


def test_the_rival_model_finds_another_design_only_when_one_is_as_cheap():
    """_Rival: at a proven point, no other design costs as little as the cheapest (INFEASIBLE,
    proven); allowed to cost more, another design exists."""
    *_, counter = _run_cold("profile.feed_power=200 kW,300 kW")
    solved = {f.name for f in fields(Design)} - {"accelerator", "ocs", "layout"}
    assert set(counter.second.key_terms()) == solved  # every field decode reads tells apart
    entry = next(iter(counter.proofs.cheapest.values()))
    ints = counter.session.ints
    assert counter.rival.unique(ints, entry, run=counter._run) is True
    dearer = replace(entry, cost=entry.cost + 10**9)
    assert counter.rival.unique(ints, dearer, run=counter._run) is False


def test_coarse_to_fine_visits_each_point_once_group_by_group_corners_first():
    """Feed power is a limit (one model for all its values); reserved mass is not (one model
    per value): each reserved mass's points come together, its feed corners first."""
    plan = sweep.Sweep(
        None,
        ("",),
        ("gb200",),
        (
            sweep.parse_axis("profile.feed_power=100..190 kW step 10"),
            sweep.parse_axis("profile.reserved_mass=0 kg,100 kg,200 kg"),
        ),
    )
    points = plan.points()
    order = sweep.coarse_to_fine(plan, points)
    assert sorted(order) == list(range(len(points)))
    visits = [dict(points[i].sets) for i in order]
    masses = [v["profile.reserved_mass"] for v in visits]
    assert masses == sorted(masses, key=["0 kg", "100 kg", "200 kg"].index)  # group by group
    for k in range(0, len(visits), 10):
        feeds = [v["profile.feed_power"] for v in visits[k : k + 10]]
        assert feeds[:3] == ["100 kW", "190 kW", "140 kW"]  # the ends, then the middle
