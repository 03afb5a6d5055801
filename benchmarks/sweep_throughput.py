"""Count-only what-if re-solves per second, on one worker and on a local process pool,
measured in one run on the same grid (issue #11's target: >= 100 per second per core on the
GB200 space, and >= 1.8x with two workers).

Each point re-solves GB200 under one feed power (``rackscale sweep``'s path: one reusable
count-only model whose feed limit is re-set per point, two CP-SAT solves of one worker each,
no presolve). The script checks that both runs give the same table and prints re-solves per
second per core, the 2-worker speed-up, and the plain per-point solve on a few points.

    python benchmarks/sweep_throughput.py [--points 200] [--workers 2] [--accelerator gb200]
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from solver import sweep


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--accelerator", default="gb200")
    args = parser.parse_args()
    axis = sweep.parse_axis(f"profile.feed_power=60..{59 + args.points} kW step 1")
    plan = sweep.Sweep(None, ("",), (args.accelerator,), (axis,))
    points = plan.points()
    sweep.check(plan, points)  # load the catalog and profiles once, as the CLI does

    # the pool first: its workers fork from a process with no model or design cached yet,
    # so both runs start cold (the other order hands the workers warm caches)
    pool = sweep.default_executor(args.workers)
    start = time.perf_counter()
    try:
        pooled = sweep.frame_of(plan, sweep.run(plan, points, pool))
    finally:
        pool.shutdown()
    many = time.perf_counter() - start

    start = time.perf_counter()
    alone = sweep.frame_of(plan, sweep.run(plan, points))
    one = time.perf_counter() - start
    pd.testing.assert_frame_equal(alone, pooled)

    rate = len(points) / one
    print(f"{args.accelerator}: {len(points)} count-only re-solves (feed power 60..)")
    print(f"  1 worker:  {one:6.1f} s  {rate:6.2f} re-solves/s per core")
    print(
        f"  {args.workers} workers: {many:6.1f} s  {len(points) / many / args.workers:6.2f} "
        f"re-solves/s per core; speed-up {one / many:.2f}x (same table)"
    )
    few = points[:: max(1, len(points) // 4)]
    start = time.perf_counter()
    for point in few:
        sweep.solve_point(plan, point, fast=False)
    plain = len(few) / (time.perf_counter() - start)
    print(
        f"  plain per-point solve: {plain:6.2f} re-solves/s per core ({rate / plain:.1f}x slower)"
    )
    print(f"  target >= 100 re-solves/s per core: {'met' if rate >= 100 else 'not met'}")


if __name__ == "__main__":
    main()
