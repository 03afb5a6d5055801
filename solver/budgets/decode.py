"""Memory-bandwidth decode bounds, capacity fit and throughput bounds.

A deployment is ``stages`` pipeline stages of ``tensor`` units (accelerators, chips or
wafers) each. For one decoding step of ``batch`` sequences at ``context`` tokens:

- bytes read = weights touched + KV cache: dense models read all weights; an MoE layer reads
  the experts its batch touches, ``E × (1 − (1 − k/E)^batch)`` in expectation (uniform
  routing), so one sequence reads exactly the active parameters;
- memory time = bytes / (tensor × bandwidth per unit): stages run one after another for one
  token, so pipelining never divides it (see :mod:`~solver.budgets.pipeline`);
- compute time = 2 × active parameters × batch / (tensor × compute per unit);
- communication: per layer two all-reduces (attention and FFN outputs) of
  ``batch × hidden × 2 B`` over the tensor group (an MoE layer replaces the FFN all-reduce
  with dispatch + combine, :mod:`~solver.budgets.moe`); all-reduce = ``2 × L + 2(t−1)/t ×
  message / B`` (two switch hops, bandwidth-optimal); plus ``stages − 1`` pipeline hops of
  ``L_hop + batch × hidden × 2 B / B_hop``;
- time per token ≥ max(memory, compute) + communication. Interconnect tax = share of that
  time spent moving data between units (communication, and streaming weights from external
  memory when they are not resident).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pint

from solver.budgets import DEFAULT_CONTEXT
from solver.budgets.moe import (
    ACTIVATION_BYTES,
    DEFAULT_SCALE_OUT_LATENCY,
    domain_latency,
    expert_params,
)
from solver.schema import BYTES_PER_VALUE, Accelerator, System, Workload
from solver.units import Quantity

"""Tokens in the KV cache per sequence for the default decode bound."""


# --- the model's bytes and FLOPs ------------------------------------------------------


def bytes_per_param(workload: Workload, precision: str | None = None) -> float:
    return BYTES_PER_VALUE[precision or workload.weight_precision]


def weight_bytes(workload: Workload, precision: str | None = None) -> pint.Quantity:
    """Bytes of all stored weights."""
    return Quantity(workload.total_params * bytes_per_param(workload, precision) / 1e9, "GB")


def kv_bytes_per_token(workload: Workload, bytes_per_value: float = 2) -> pint.Quantity:
    """KV-cache bytes per token: GQA ``2 L n_kv d b``; MLA ``L (kv_lora + rope) b``."""
    w = workload
    if w.attention == "mla":
        values = w.layers * (w.kv_lora_rank + w.qk_rope_dim)
    else:
        values = 2 * w.layers * w.kv_heads * w.head_dim
    return Quantity(values * bytes_per_value, "B")


def experts_touched(experts: int, top_k: int, batch: float) -> float:
    """Expected distinct experts a batch visits in one layer (uniform routing)."""
    if batch <= 1:
        return top_k * batch
    return experts * (1 - (1 - top_k / experts) ** batch)


def step_weight_bytes(
    workload: Workload, batch: float = 1, precision: str | None = None
) -> pint.Quantity:
    """Weight bytes read in one decoding step of ``batch`` sequences."""
    w = workload
    bpp = bytes_per_param(w, precision)
    if w.kind == "dense":
        params = w.total_params
    else:
        per_expert = expert_params(w.hidden, w.expert_ffn)
        always = w.active_params - w.moe_layers * w.top_k * per_expert
        touched = experts_touched(w.experts, w.top_k, max(batch, 1))
        params = min(always + w.moe_layers * touched * per_expert, w.total_params)
    return Quantity(params * bpp / 1e9, "GB")


def step_flops(workload: Workload, batch: float = 1) -> pint.Quantity:
    """FLOPs of one decoding step: 2 per active parameter per sequence (attention ignored)."""
    return Quantity(2 * workload.active_params * batch, "FLOP")


# --- deployments ----------------------------------------------------------------------


@dataclass(frozen=True)
class Deployment:
    """Units serving a model: ``stages`` pipeline stages of ``tensor`` units each."""

    label: str
    tensor: int
    stages: int
    memory: pint.Quantity
    """Memory per unit."""
    memory_bandwidth: pint.Quantity
    """Memory bandwidth per unit."""
    compute: pint.Quantity | None
    """Dense compute per unit in the precision served (None: no compute bound)."""
    link_bandwidth: pint.Quantity | None
    """Bandwidth per unit inside the tensor group, per direction."""
    link_latency: pint.Quantity | None
    hop_bandwidth: pint.Quantity
    """Bandwidth of one pipeline hop between stages."""
    hop_latency: pint.Quantity
    streamed_bandwidth: pint.Quantity | None = None
    """Weights streamed from external memory at this bandwidth (not resident)."""
    accelerator: Accelerator | None = None
    """The accelerator (GPU deployments: MoE all-to-all uses its figures)."""

    @property
    def units(self) -> int:
        return self.tensor * self.stages

    @property
    def capacity(self) -> pint.Quantity:
        return (self.units * self.memory).to("GB")


def accelerator_compute(accel: Accelerator, precision: str) -> pint.Quantity:
    """Dense compute for ``precision`` weights: fp8/fp4 when the accelerator has it."""
    if precision == "fp4" and accel.dense_fp4 is not None:
        return accel.dense_fp4
    if precision in ("fp8", "fp4") and accel.dense_fp8 is not None:
        return accel.dense_fp8
    return accel.dense_bf16


def gpu_deployment(
    accel: Accelerator,
    tensor: int,
    stages: int = 1,
    precision: str = "bf16",
    scale_out_latency: pint.Quantity = DEFAULT_SCALE_OUT_LATENCY,
) -> Deployment:
    """``tensor`` accelerators per scale-up domain, ``stages`` domains joined by scale-out."""
    return Deployment(
        f"{accel.id} {stages}x{tensor}",
        tensor,
        stages,
        accel.memory,
        accel.memory_bandwidth,
        accelerator_compute(accel, precision),
        accel.scale_up.bandwidth,
        domain_latency(accel, tensor),
        accel.scale_out_bandwidth,
        scale_out_latency,
        accelerator=accel,
    )


def system_deployment(system: System, count: int) -> Deployment:
    """``count`` systems in a pipeline, each system's chips a tensor group."""
    chips = system.chips
    return Deployment(
        f"{system.id} x{count}",
        chips,
        count,
        system.memory / chips,
        system.memory_bandwidth / chips,
        system.dense_compute / chips if system.dense_compute is not None else None,
        system.chip_link_bandwidth,
        system.chip_link_latency,
        system.io_bandwidth,
        system.io_latency,
    )


def streaming_deployment(system: System) -> Deployment:
    """One system whose weights stream in from external memory over its I/O (Cerebras
    weight streaming from MemoryX); its SRAM holds the KV cache."""
    base = system_deployment(system, 1)
    return Deployment(
        f"{system.id} streaming",
        base.tensor,
        1,
        base.memory,
        base.memory_bandwidth,
        base.compute,
        base.link_bandwidth,
        base.link_latency,
        base.hop_bandwidth,
        base.hop_latency,
        streamed_bandwidth=system.io_bandwidth,
    )


# --- the bound ------------------------------------------------------------------------


@dataclass(frozen=True)
class DecodeStep:
    """Lower bound on the time of one decoding step, by component."""

    batch: float
    weight_time: pint.Quantity
    kv_time: pint.Quantity
    compute_time: pint.Quantity
    comm_time: pint.Quantity
    """Collectives inside tensor groups and pipeline hops between stages."""
    fits: bool
    """Weights and KV cache fit in the deployment's memory."""
    streamed: bool = False

    @property
    def memory_time(self) -> pint.Quantity:
        return self.weight_time + self.kv_time

    @property
    def total(self) -> pint.Quantity:
        return (max(self.memory_time, self.compute_time) + self.comm_time).to("us")

    @property
    def tokens_per_s_per_user(self) -> float:
        return float((1 / self.total).to("1/s").magnitude)

    @property
    def throughput(self) -> float:
        """Tokens per second of the whole batch (no pipelining across stages)."""
        return self.batch * self.tokens_per_s_per_user

    @property
    def interconnect_tax(self) -> float:
        """Share of the step spent moving data between chips, wafers or racks."""
        moving = self.comm_time + (self.weight_time if self.streamed else 0 * self.comm_time)
        return float((moving / self.total).to("").magnitude)


def fits(
    workload: Workload,
    deployment: Deployment,
    batch: float = 1,
    context: int = DEFAULT_CONTEXT,
    precision: str | None = None,
) -> bool:
    """Weights (unless streamed) and ``batch`` sequences of KV cache fit in memory."""
    need = batch * context * kv_bytes_per_token(workload)
    if deployment.streamed_bandwidth is None:
        need = need + weight_bytes(workload, precision)
    return bool(need <= deployment.capacity)


def max_batch(
    workload: Workload,
    deployment: Deployment,
    context: int = DEFAULT_CONTEXT,
    precision: str | None = None,
) -> int:
    """Most sequences of ``context`` tokens whose KV cache fits beside the weights."""
    room = deployment.capacity
    if deployment.streamed_bandwidth is None:
        room = room - weight_bytes(workload, precision)
    per_seq = context * kv_bytes_per_token(workload)
    return max(int((room / per_seq).to("").magnitude), 0)


def comm_time(workload: Workload, deployment: Deployment, batch: float = 1) -> pint.Quantity:
    """Per-step collectives inside tensor groups and hops between pipeline stages."""
    from solver.budgets.moe import all_to_all

    w, d = workload, deployment
    message = Quantity(batch * w.hidden * ACTIVATION_BYTES, "B")
    total = Quantity(0, "us")
    t = d.tensor
    if t > 1 and d.link_bandwidth is not None:
        latency = d.link_latency if d.link_latency is not None else Quantity(0, "us")
        all_reduce = 2 * latency + 2 * (t - 1) / t * message / d.link_bandwidth
        dense_layers = w.layers - w.moe_layers
        total = total + 2 * dense_layers * all_reduce
        if w.moe_layers:
            if d.accelerator is not None:
                a2a = all_to_all(d.accelerator, batch / t, w.hidden, w.top_k, t, t).layer_time
            else:
                sent = message * w.top_k * (t - 1) / t / t
                a2a = 2 * (latency + sent / d.link_bandwidth)
            total = total + w.moe_layers * (all_reduce + a2a)
    if d.stages > 1:
        hop = d.hop_latency + message / d.hop_bandwidth
        total = total + (d.stages - 1) * hop
    return total.to("us")


def decode_step(
    workload: Workload,
    deployment: Deployment,
    batch: float = 1,
    context: int = DEFAULT_CONTEXT,
    precision: str | None = None,
) -> DecodeStep:
    """Lower bound on one decoding step of ``batch`` sequences (``batch=1``: one user)."""
    d = deployment
    weights = step_weight_bytes(workload, batch, precision)
    kv = batch * context * kv_bytes_per_token(workload)
    if d.streamed_bandwidth is not None:
        weight_time = weights / d.streamed_bandwidth
    else:
        weight_time = weights / (d.tensor * d.memory_bandwidth)
    kv_time = kv / (d.tensor * d.memory_bandwidth)
    if d.compute is not None:
        compute = step_flops(workload, batch) / (d.tensor * d.compute)
    else:
        compute = Quantity(0, "us")
    return DecodeStep(
        batch,
        weight_time.to("us"),
        kv_time.to("us"),
        compute.to("us"),
        comm_time(workload, d, batch),
        fits(workload, d, batch, context, precision),
        d.streamed_bandwidth is not None,
    )


def throughput_bound(
    workload: Workload,
    deployment: Deployment,
    context: int = DEFAULT_CONTEXT,
    precision: str | None = None,
) -> tuple[int, float]:
    """(batch, tokens/s) at the largest batch that fits, stages kept busy by microbatches.

    With ``s`` stages, ``s`` microbatches of ``batch / s`` are in flight; each stage spends
    ``max(memory, compute) / s`` per microbatch, so tokens/s ≤ ``batch / max(memory,
    compute)`` evaluated at the microbatch. Communication is left out (an upper bound).
    """
    batch = max_batch(workload, deployment, context, precision)
    if batch < 1:
        return 0, 0.0
    micro = batch / deployment.stages
    step = decode_step(workload, deployment, micro, context, precision)
    busy = max(step.memory_time, step.compute_time)
    return batch, float((micro * deployment.stages / busy).to("1/s").magnitude)


# --- validation against published speeds ---------------------------------------------

VALIDATION_CONTEXT = 1024
"""KV tokens assumed for published single-user speeds (benchmarks use ~1K-token prompts)."""


def published_check(catalog, speed, context: int = VALIDATION_CONTEXT) -> dict:
    """A published speed against its single-user decode bound.

    The bound uses ``speed.units`` accelerators (tensor-parallel in one domain) or the fewest
    systems holding the model in SRAM. A speculative figure is divided by its acceptance
    length; without one it is reported but not ``counted`` in the bound test.
    """
    workload = catalog.workloads[speed.workload]
    if speed.system in catalog.accelerators:
        accel = catalog.accelerators[speed.system]
        units = speed.units or max(
            1,
            math.ceil((weight_bytes(workload, speed.precision) / accel.memory).to("").m - 1e-9),
        )
        dep = gpu_deployment(accel, units, 1, speed.precision)
    elif speed.system in catalog.systems:
        system = catalog.systems[speed.system]
        need = weight_bytes(workload, speed.precision) + context * kv_bytes_per_token(workload)
        units = speed.units or max(1, math.ceil((need / system.memory).to("").m - 1e-9))
        dep = system_deployment(system, units)
    else:
        raise KeyError(f"{speed.id}: system '{speed.system}' is no accelerator or system id")
    step = decode_step(workload, dep, 1, context, speed.precision)
    bound = step.tokens_per_s_per_user
    per_read = speed.tokens_per_s / (speed.acceptance_length or 1)
    counted = not speed.speculative or speed.acceptance_length is not None
    return {
        "id": speed.id,
        "system": speed.system,
        "units": units,
        "workload": speed.workload,
        "published": speed.tokens_per_s,
        "per_weight_read": per_read,
        "bound": bound,
        "efficiency": per_read / bound,
        "counted": counted,
        "reason": "" if counted else "speculative decoding, acceptance length not published",
    }
