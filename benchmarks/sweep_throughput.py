"""Count-only what-if re-solves per second, on one worker and on a local process pool,
measured in one run on the same grid (issue #11's target: >= 100 per second per core on the
GB200 space, and >= 1.8x with two workers).

Each point re-solves GB200 under its own limits (``rackscale sweep``'s path: one reusable
count-only model whose limits are re-set per point; a point between proven points needs
neither the largest-domain solve nor the cheapest-design one, see
``solver.engine.Proofs``; on a pool, the workers share what they proved). Two grids of
1,000 points by default: feed power alone (60..1059 kW step 1), and feed power x rack
static load (the README's sweep). The script checks that the pool and one worker give the
same table and prints points per second per core (wall clock, and CPU time of the
processes), the 2-worker speed-up next to what this machine gives two processes of the
same work (the one-worker sweep run twice at once) and of pure Python work, how many solves
the proofs skipped, and the plain per-point solve on a few points.

    python benchmarks/sweep_throughput.py [--workers 2] [--grid feed|feed-static|both] [--repeats 3]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

import pandas as pd

from solver import sweep
from solver.pool import workers_of

GRIDS = {
    "feed": ("profile.feed_power=60..1059 kW step 1",),
    "feed-static": (
        "profile.feed_power=60..158 kW step 2",
        "racks.nvl72-rack.static_load=1000..1950 kg step 50",
    ),
}


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _plan(name: str, accelerator: str) -> tuple[sweep.Sweep, list]:
    plan = sweep.Sweep(None, ("",), (accelerator,), tuple(map(sweep.parse_axis, GRIDS[name])))
    points = plan.points()
    sweep.check(plan, points)  # load the catalog and profiles once, as the CLI does
    return plan, points


def _alone(args: tuple[str, str]) -> float:
    """Seconds the one-worker sweep of a grid takes in this process, from a cold model."""
    plan, points = _plan(*args)
    sweep._count_only.cache_clear()
    start = time.perf_counter()
    sweep.run(plan, points)
    return time.perf_counter() - start


def measure(name: str, workers: int, accelerator: str, repeats: int) -> None:
    plan, points = _plan(name, accelerator)
    n = len(points)
    ones, manys, one_cpus, many_cpus, ceilings = [], [], [], [], []
    for _ in range(repeats):
        # both runs start with no count-only model (the pool's parent builds the first and
        # its workers fork from it, as `rackscale sweep` does)
        sweep._count_only.cache_clear()
        children = cpu_seconds(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        with workers_of(workers) as pool:
            pooled = sweep.frame_of(plan, sweep.run(plan, points, pool, workers=workers))
        manys.append(time.perf_counter() - start)
        many_cpus.append(cpu_seconds(resource.RUSAGE_CHILDREN) - children)

        sweep._count_only.cache_clear()  # cold too (the pool's first point was solved here)
        mine = cpu_seconds(resource.RUSAGE_SELF)
        start = time.perf_counter()
        alone = sweep.frame_of(plan, sweep.run(plan, points))
        ones.append(time.perf_counter() - start)
        one_cpus.append(cpu_seconds(resource.RUSAGE_SELF) - mine)
        pd.testing.assert_frame_equal(alone, pooled)

        with workers_of(workers) as pool:  # the same one-worker sweep, `workers` at once
            start = time.perf_counter()
            list(pool.map(_alone, [(name, accelerator)] * workers))
            ceilings.append(workers * ones[-1] / (time.perf_counter() - start))
    one, many = statistics.median(ones), statistics.median(manys)
    one_cpu, many_cpu = statistics.median(one_cpus), statistics.median(many_cpus)
    counter, _ = sweep._count_only(sweep.count_only_group(plan, points[0]))

    print(f"{accelerator}, {n} points: {' x '.join(a.field for a in plan.axes)}")
    print(
        f"  1 worker:  {one:6.1f} s  {n / one:6.1f} points/s per core "
        f"({n / one_cpu:.1f} per CPU second)"
    )
    ceiling = statistics.median(ceilings)
    print(
        f"  {workers} workers: {many:6.1f} s  {n / many / workers:6.1f} points/s per core "
        f"({n / many_cpu:.1f} per CPU second); speed-up {one / many:.2f}x, same table"
    )
    print(
        f"  the one-worker sweep run {workers} times at once: {ceiling:.2f}x one "
        "(this machine's ceiling for this work)"
    )
    print(
        f"  (medians of {repeats} runs; 1 worker {', '.join(f'{t:.1f}' for t in ones)} s, "
        f"{workers} workers {', '.join(f'{t:.1f}' for t in manys)} s)"
    )
    print(
        f"  CP-SAT solves, 1 worker: {counter.session.solves} for {n} points and the base "
        f"(skipped between proven points: {counter.skipped} largest-domain solves, "
        f"{counter.skipped_cheapest} cheapest-design solves)"
    )
    few = points[:: max(1, n // 4)]
    start = time.perf_counter()
    for point in few:
        sweep.solve_point(plan, point, fast=False)
    plain = len(few) / (time.perf_counter() - start)
    print(
        f"  plain per-point solve: {plain:6.2f} points/s per core ({n / one / plain:.0f}x slower)"
    )
    verdict = "met" if n / one >= 100 and one / many >= 1.8 else "not met"
    print(f"  targets (>= 100 points/s per core, >= 1.8x on 2 workers): {verdict}")


def _spin(_: int) -> float:
    start = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - start


def machine_ceiling(workers: int, repeats: int) -> float:
    """What ``workers`` processes gain on this machine for pure CPU work (a Python loop
    alone, then one per worker at once; the best of ``repeats``): the speed-up no sweep
    here can beat."""
    alone = min(_spin(0) for _ in range(repeats))
    with workers_of(workers) as pool:
        list(pool.map(_spin, range(workers)))  # the workers started
        together = []
        for _ in range(repeats):
            start = time.perf_counter()
            list(pool.map(_spin, range(workers)))
            together.append(time.perf_counter() - start)
    return workers * alone / min(together)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--accelerator", default="gb200")
    parser.add_argument("--grid", choices=[*GRIDS, "both"], default="both")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    ceiling = machine_ceiling(args.workers, args.repeats)
    print(
        f"machine: {args.workers} processes of pure CPU work run {ceiling:.2f}x one "
        "(the ceiling for any speed-up below)"
    )
    for name in GRIDS if args.grid == "both" else [args.grid]:
        measure(name, args.workers, args.accelerator, args.repeats)


if __name__ == "__main__":
    main()
