"""Pipeline parallelism across domains: capacity grows with stages, latency does not fall.

One token passes every stage in turn. Stage ``i`` reads its share ``W / s`` of the weights
with its own bandwidth, so the stages add up to ``W / (t × B)`` whatever ``s`` is, plus
``s − 1`` hops over the scale-out network: per-token latency never improves with more
stages, while memory (and so the largest model, batch and context) grows as ``s × t × M``.
Tensor parallelism over the same accelerators would divide the weight time by ``s`` instead,
but pays per-layer collectives over the slow network.
"""

from __future__ import annotations

from solver.budgets.decode import DEFAULT_CONTEXT, decode_step, gpu_deployment
from solver.schema import Accelerator, Workload


def stage_scan(
    workload: Workload,
    accel: Accelerator,
    per_stage: int,
    max_stages: int,
    context: int = DEFAULT_CONTEXT,
    precision: str | None = None,
) -> list[dict]:
    """Per stage count: accelerators, capacity, fit, single-user token time and tokens/s."""
    precision = precision or workload.weight_precision
    rows = []
    for stages in range(1, max_stages + 1):
        dep = gpu_deployment(accel, per_stage, stages, precision)
        step = decode_step(workload, dep, 1, context, precision)
        rows.append(
            {
                "stages": stages,
                "accelerators": dep.units,
                "capacity": dep.capacity,
                "fits": step.fits,
                "token_time": step.total,
                "tokens_per_s_per_user": step.tokens_per_s_per_user,
            }
        )
    return rows


def latency_gain(rows: list[dict]) -> float:
    """Token time of one stage over that of the most stages (≤ 1: no gain)."""
    return float((rows[0]["token_time"] / rows[-1]["token_time"]).to("").magnitude)


def capacity_gain(rows: list[dict]) -> float:
    """Capacity of the most stages over that of one stage."""
    return float((rows[-1]["capacity"] / rows[0]["capacity"]).to("").magnitude)
