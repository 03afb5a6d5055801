"""MoE dispatch + combine all-to-all per layer, inside one domain and across several.

Model (expert parallelism over ``p`` accelerators, ``n`` per domain, each holding ``T``
tokens; every token visits ``top_k`` experts spread uniformly over the ``p`` accelerators):

- bytes one accelerator sends per phase: ``T × top_k × hidden × b`` (``b`` bytes per
  activation value), of which the share ``(n-1)/p`` stays in its domain (scale-up fabric)
  and ``(p-n)/p`` crosses the scale-out network; the share ``1/p`` is local;
- one phase takes ``max(L_up + bytes_up / B_up, L_out + bytes_out / B_out)`` (the two
  networks run in parallel; the slower sets the pace); ``L_up`` is the fabric's worst-case
  hop count over the ``n`` accelerators × its one-hop latency (3 hops across the nodes of a
  dragonfly, one elsewhere);
- a layer needs two phases: dispatch and combine.

An MoE layer's experts must fit in the memory of the ``p`` accelerators:
``experts ≤ p × memory × fraction / (moe_layers × expert_bytes)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pint

from solver.physics.links import fabric_hops
from solver.schema import Accelerator, Workload
from solver.units import Quantity

DEFAULT_SCALE_UP_LATENCY = Quantity(1, "us")
"""Estimate used when an accelerator publishes no scale-up latency (NVLink: 0.1–2 µs)."""
DEFAULT_SCALE_OUT_LATENCY = Quantity(3, "us")
"""Estimate of one scale-out (InfiniBand/RoCE RDMA) message latency: 1–5 µs / 2–10 µs."""
ACTIVATION_BYTES = 2
"""Bytes per dispatched activation value (bf16)."""


def expert_params(hidden: int, expert_ffn: int) -> int:
    """Parameters of one SwiGLU expert: gate, up and down projections."""
    return 3 * hidden * expert_ffn


def scale_up_latency(accel: Accelerator) -> pint.Quantity:
    """Published scale-up latency, else :data:`DEFAULT_SCALE_UP_LATENCY`."""
    return (
        accel.scale_up.latency if accel.scale_up.latency is not None else DEFAULT_SCALE_UP_LATENCY
    )


def domain_latency(accel: Accelerator, domain_size: int) -> pint.Quantity:
    """Latency between the two farthest accelerators of a domain of ``domain_size``: the
    fabric's worst-case hops (:func:`solver.physics.links.fabric_hops`; 3 across the nodes
    of a dragonfly, else 1) × the one-hop :func:`scale_up_latency`."""
    return fabric_hops(accel.scale_up, domain_size) * scale_up_latency(accel)


@dataclass(frozen=True)
class AllToAll:
    """Time of one MoE layer's dispatch + combine, and how its traffic splits."""

    participants: int
    domains: int
    bytes_per_phase: pint.Quantity
    """Bytes one accelerator sends to other accelerators in one phase."""
    scale_up_time: pint.Quantity
    """One phase over the scale-up fabric (latency + bytes / bandwidth)."""
    scale_out_time: pint.Quantity
    """One phase over the scale-out network (0 inside one domain)."""
    cross_share: float
    """Share of an accelerator's traffic that leaves its domain."""

    @property
    def layer_time(self) -> pint.Quantity:
        """Dispatch + combine: two phases, each paced by the slower network."""
        return (2 * max(self.scale_up_time, self.scale_out_time)).to("us")


def all_to_all(
    accel: Accelerator,
    tokens_per_accelerator: float,
    hidden: int,
    top_k: int,
    participants: int,
    domain_size: int,
    activation_bytes: float = ACTIVATION_BYTES,
    scale_out_latency: pint.Quantity = DEFAULT_SCALE_OUT_LATENCY,
) -> AllToAll:
    """Dispatch + combine of one MoE layer with expert parallelism over ``participants``."""
    p = participants
    n = min(domain_size, p)
    sent = Quantity(tokens_per_accelerator * top_k * hidden * activation_bytes, "B")
    inside, outside = (n - 1) / p, (p - n) / p
    up = domain_latency(accel, n) + sent * inside / accel.scale_up.bandwidth if inside else 0
    out = scale_out_latency + sent * outside / accel.scale_out_bandwidth if outside else 0
    zero = Quantity(0, "us")
    return AllToAll(
        p,
        math.ceil(p / domain_size),
        (sent * (p - 1) / p).to("MB"),
        (up or zero).to("us"),
        (out or zero).to("us"),
        outside / (inside + outside) if p > 1 else 0.0,
    )


def workload_all_to_all(
    accel: Accelerator,
    workload: Workload,
    tokens_per_accelerator: float,
    participants: int,
    domain_size: int,
    **kwargs,
) -> AllToAll:
    """:func:`all_to_all` with the hidden size and top-k of an MoE ``workload``."""
    if workload.kind != "moe":
        raise ValueError(f"{workload.id} is not an MoE model")
    return all_to_all(
        accel,
        tokens_per_accelerator,
        workload.hidden,
        workload.top_k,
        participants,
        domain_size,
        **kwargs,
    )


def max_experts(
    accel: Accelerator,
    participants: int,
    expert_bytes: pint.Quantity,
    moe_layers: int,
    memory_fraction: float = 0.8,
) -> int:
    """Experts per layer whose weights fit in ``memory_fraction`` of ``participants``' memory."""
    room = participants * accel.memory * memory_fraction / (moe_layers * expert_bytes)
    return math.floor(room.to("").magnitude + 1e-9)


def layer_frontier(
    accel: Accelerator,
    workload: Workload,
    domain_size: int,
    tokens_per_accelerator: float,
    budget: pint.Quantity,
    max_domains: int = 4,
    memory_fraction: float = 0.8,
    **kwargs,
) -> list[dict]:
    """Per expert-parallel group size: all-to-all time, largest layer that fits, within budget.

    Group sizes are powers of two up to the domain, the domain, then 2..``max_domains``
    whole domains. The largest layer within ``budget`` stops growing at the domain boundary
    when crossing it breaks the budget: the knee.
    """
    from solver.schema import BYTES_PER_VALUE

    sizes = sorted(
        {2**i for i in range(int(math.log2(domain_size)) + 1)}
        | {domain_size * k for k in range(1, max_domains + 1)}
    )
    per_expert = expert_params(workload.hidden, workload.expert_ffn)
    expert_bytes = Quantity(per_expert * BYTES_PER_VALUE[workload.weight_precision], "B")
    rows = []
    for p in sizes:
        a2a = workload_all_to_all(accel, workload, tokens_per_accelerator, p, domain_size, **kwargs)
        experts = max_experts(accel, p, expert_bytes, workload.moe_layers, memory_fraction)
        rows.append(
            {
                "participants": p,
                "domains": a2a.domains,
                "layer_time": a2a.layer_time,
                "max_experts": experts,
                "max_layer_params": experts * per_expert,
                "meets_budget": bool(a2a.layer_time <= budget),
            }
        )
    return rows


def largest_layer(rows: list[dict]) -> dict | None:
    """The frontier row with the most experts among those within budget."""
    ok = [r for r in rows if r["meets_budget"]]
    return max(ok, key=lambda r: r["max_experts"]) if ok else None
