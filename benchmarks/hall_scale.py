"""Plan a ~100,000-accelerator hall (about 1,400 GB200 NVL72 racks) and print the time and
peak memory of the whole run: rack solve, hall model for each tier count, the probes that
name what binds, and the files. Issue #11's target: <= 60 s and <= 2 GB on 2 cores.

    python benchmarks/hall_scale.py
"""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

from solver import hall
from solver.catalog import load_catalog, load_constraints
from solver.report.files import write_atomically
from solver.report.hall import hall_files

ROOT = Path(__file__).parent.parent
# hall-50mw scaled up: 180 MW over 140 rows; NDR (radix 64) needs a fourth tier past 65,536
BIG = (
    ("hall.it_power", "180 MW"),
    ("hall.rows", "140"),
    ("hall.air_cooling", "50 MW"),
    ("hall.scale_out.max_tiers", "4"),
)


def main() -> None:
    start = time.perf_counter()
    catalog = load_catalog()
    loaded = load_constraints(ROOT / "constraints" / "hall-50mw.yaml", BIG)
    plan = hall.plan(catalog, loaded, "gb200")
    planned = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as out:
        write_atomically(Path(out), hall_files(plan))
    total = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    racks = plan.domains * plan.unit.compute_racks
    print(f"hall: {plan.hall.rows} rows, {plan.hall.it_power.to('MW').m:g} MW, {plan.status}")
    print(f"  {plan.domains:,} domains = {racks:,} racks = {plan.accelerators:,} accelerators")
    print(f"  binds: {', '.join(plan.binding) or 'several together'}; {plan.solves} CP-SAT solves")
    print(f"  planned in {planned:.1f} s, with files {total:.1f} s (target <= 60 s)")
    print(f"  peak memory {peak_mb:,.0f} MB (target <= 2,048 MB)")


if __name__ == "__main__":
    main()
