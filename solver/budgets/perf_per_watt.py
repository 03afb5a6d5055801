"""Performance per watt: per accelerator, per design, and its trend across generations.

Per accelerator: dense FLOP/s over the accelerator's own power. Per design: N × dense
FLOP/s over the rack's feed draw (accelerators, tray overhead, switches, cable ends and
optics, in-rack cooling, shelf losses), times an optional facility overhead (PUE).
"""

from __future__ import annotations

import pint

from solver.catalog import Catalog
from solver.physics.power import facility_draw
from solver.schema import Accelerator


def dense_compute(accel: Accelerator, precision: str = "bf16") -> pint.Quantity | None:
    """Dense compute in ``precision`` (bf16, fp8 or fp4), None if not published."""
    return {"bf16": accel.dense_bf16, "fp8": accel.dense_fp8, "fp4": accel.dense_fp4}[precision]


def accelerator_perf_per_watt(accel: Accelerator, precision: str = "bf16") -> pint.Quantity:
    """Dense FLOP/s per watt of the accelerator alone."""
    flops = dense_compute(accel, precision)
    if flops is None:
        raise ValueError(f"{accel.id} publishes no dense {precision} figure")
    return (flops / accel.power).to("TFLOP/s/W")


def design_perf_per_watt(
    accel: Accelerator,
    n: int,
    draw: pint.Quantity,
    precision: str = "bf16",
    facility_overhead: float = 1.0,
) -> pint.Quantity:
    """Dense FLOP/s of ``n`` accelerators over the design's draw × ``facility_overhead``."""
    flops = dense_compute(accel, precision)
    if flops is None:
        raise ValueError(f"{accel.id} publishes no dense {precision} figure")
    return (n * flops / facility_draw(draw, facility_overhead)).to("TFLOP/s/W")


def trend(
    catalog: Catalog,
    precision: str = "bf16",
    vendor: str | None = None,
    ids: tuple[str, ...] | None = None,
) -> list[dict]:
    """Accelerators (of ``vendor``, or ``ids``) by year: perf/W and ratio to the previous row."""
    accels = [
        a
        for a in catalog.accelerators.values()
        if dense_compute(a, precision) is not None
        and (vendor is None or a.vendor == vendor)
        and (ids is None or a.id in ids)
    ]
    accels.sort(key=lambda a: (a.year, accelerator_perf_per_watt(a, precision).magnitude))
    rows, previous = [], None
    for a in accels:
        value = accelerator_perf_per_watt(a, precision)
        ratio = None if previous is None else float((value / previous).to("").magnitude)
        rows.append({"accelerator": a.id, "year": a.year, "perf_per_watt": value, "ratio": ratio})
        previous = value
    return rows
