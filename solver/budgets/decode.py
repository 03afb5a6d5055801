"""Decode bounds for every architecture: GPU domains, layer-pipelined wafers and SRAM chips.

A deployment is ``stages`` pipeline stages of ``tensor`` units (accelerators, chips or
wafers) each, with one of two *placements* of the weights:

- ``tensor`` (GPU domains): every unit of a stage holds a slice of each of its layers and
  reads it in parallel, so one step's weight time is ``bytes / (tensor × bandwidth)``
  (stages run one after another for one token, so pipelining never divides it; see
  :mod:`~solver.budgets.pipeline`). MoE experts are placed *whole* (expert parallelism: one
  unit reads a routed expert, the busiest unit ``⌈touched / tensor⌉`` of them per layer) or
  *sliced* (tensor-parallel experts: every unit reads a slice of each touched expert).
- ``layers`` (wafer-scale and SRAM-chip systems): the layers are laid out one after another
  across the units, each layer on a region holding its share of the weights. A token visits
  the layers in turn, and a region reads its bytes with its share of the bandwidth: each
  layer takes ``W / B_total`` (the weights over all units' bandwidth), a token ``L`` times
  that. Each layer also pays the system's ``layer_latency``: a fixed floor (fabric
  traversal, reductions and synchronisation across the layer's region or chips) that
  memory and compute do not hide, sourced or calibrated on one published speed.

For one decoding step of ``batch`` sequences at ``context`` tokens:

- bytes read = weights touched + KV cache: dense models read all weights; an MoE layer reads
  the experts its batch touches, ``E × (1 − (1 − k/E)^batch)`` in expectation (uniform
  routing). Weights may be stored in two precisions (``expert_precision``: e.g. MXFP4
  experts beside BF16 attention);
- compute = 2 × active parameters × tokens / compute;
- communication: per layer two all-reduces (attention and FFN outputs) of
  ``batch × hidden × 2 B`` over the tensor group (an MoE layer replaces the FFN all-reduce
  with dispatch + combine, :mod:`~solver.budgets.moe`); all-reduce = ``2 × L + 2(t−1)/t ×
  message / B`` (two switch hops, bandwidth-optimal); plus ``stages − 1`` hops of
  ``L_hop + batch × hidden × 2 B / B_hop`` between stages (racks, wafers, systems);
- time per token ≥ max(memory, compute) + layer floors + communication. Interconnect tax =
  share of that time spent moving data between units (communication, and streaming weights
  from external memory when they are not resident).

Speculative decoding (:class:`Speculation`) verifies ``draft_tokens + 1`` tokens in one
target step and emits ``acceptance_length`` of them on average, after ``draft_tokens``
steps of a small draft model on the same units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

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

ZERO_TIME = Quantity(0, "us")

# --- the model's bytes and FLOPs ------------------------------------------------------


@dataclass(frozen=True)
class Precision:
    """Bytes per weight value: ``dense`` for attention, embeddings and dense FFNs, ``experts``
    for routed experts (MoE). ``Precision.of(workload)`` is the released precision."""

    dense: str
    experts: str

    @classmethod
    def of(cls, workload: Workload, dense: str | None = None, experts: str | None = None):
        """The workload's precisions, ``dense`` (and ``experts``) overriding them; a dense
        override applies to the experts too unless they have their own."""
        dense = dense or workload.weight_precision
        experts = experts or (
            workload.expert_precision if dense == workload.weight_precision else None
        )
        return cls(dense, experts or dense)

    def __str__(self) -> str:
        return (
            self.dense
            if self.dense == self.experts
            else f"{self.experts} experts, {self.dense} rest"
        )


def _precision(workload: Workload, precision: str | Precision | None) -> Precision:
    if isinstance(precision, Precision):
        return precision
    return Precision.of(workload, precision)


def routed_params(workload: Workload) -> float:
    """Parameters of all routed experts (0 for a dense model)."""
    w = workload
    if w.kind == "dense":
        return 0.0
    return w.moe_layers * w.experts * expert_params(w.hidden, w.expert_ffn)


def _gb(params: float, precision: str) -> pint.Quantity:
    return Quantity(params * BYTES_PER_VALUE[precision] / 1e9, "GB")


def weight_bytes(workload: Workload, precision: str | Precision | None = None) -> pint.Quantity:
    """Bytes of all stored weights."""
    p = _precision(workload, precision)
    routed = routed_params(workload)
    return _gb(workload.total_params - routed, p.dense) + _gb(routed, p.experts)


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


@dataclass(frozen=True)
class StepBytes:
    """Weight bytes one decoding step reads: ``always`` (every unit reads its slice) and
    ``expert`` (one routed expert) × ``touched`` experts in each of ``moe_layers``."""

    always: pint.Quantity
    expert: pint.Quantity
    touched: float
    moe_layers: int

    @property
    def total(self) -> pint.Quantity:
        return (self.always + self.moe_layers * self.touched * self.expert).to("GB")


def step_bytes(
    workload: Workload, batch: float = 1, precision: str | Precision | None = None
) -> StepBytes:
    """Weight bytes read in one decoding step of ``batch`` sequences, by kind."""
    w, p = workload, _precision(workload, precision)
    if w.kind == "dense":
        return StepBytes(_gb(w.total_params, p.dense), Quantity(0, "GB"), 0.0, 0)
    per_expert = expert_params(w.hidden, w.expert_ffn)
    always = w.active_params - w.moe_layers * w.top_k * per_expert
    touched = experts_touched(w.experts, w.top_k, max(batch, 1))
    return StepBytes(_gb(always, p.dense), _gb(per_expert, p.experts), touched, w.moe_layers)


def step_weight_bytes(
    workload: Workload, batch: float = 1, precision: str | Precision | None = None
) -> pint.Quantity:
    """Weight bytes read in one decoding step of ``batch`` sequences."""
    return step_bytes(workload, batch, precision).total


def step_flops(workload: Workload, tokens: float = 1) -> pint.Quantity:
    """FLOPs of one decoding step: 2 per active parameter per token (attention ignored)."""
    return Quantity(2 * workload.active_params * tokens, "FLOP")


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
    placement: Literal["tensor", "layers"] = "tensor"
    """Weights sliced over each stage's units, or layers laid out one after another."""
    layer_latency: pint.Quantity = ZERO_TIME
    """Per-layer floor not hidden by memory or compute (kernel launches on a GPU, fabric
    traversal and reductions across a wafer's or chips' layer region)."""
    experts: Literal["whole", "sliced"] = "whole"
    """MoE experts placed whole on one unit each, or sliced over the tensor group."""

    @property
    def units(self) -> int:
        return self.tensor * self.stages

    @property
    def capacity(self) -> pint.Quantity:
        return (self.units * self.memory).to("GB")

    @property
    def bandwidth(self) -> pint.Quantity:
        """Memory bandwidth of all units together."""
        return self.units * self.memory_bandwidth


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
    experts: Literal["whole", "sliced"] = "whole",
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
        layer_latency=accel.layer_latency if accel.layer_latency is not None else ZERO_TIME,
        experts=experts,
    )


def system_deployment(system: System, count: int) -> Deployment:
    """``count`` systems in a pipeline, each system's chips a tensor group, weights laid out
    as the system places them (``system.placement``)."""
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
        placement=system.placement,
        layer_latency=system.layer_latency if system.layer_latency is not None else ZERO_TIME,
    )


def streaming_deployment(system: System) -> Deployment:
    """One system whose weights stream in from external memory over its I/O (Cerebras
    weight streaming from MemoryX); its SRAM holds the KV cache."""
    return replace(
        system_deployment(system, 1),
        label=f"{system.id} streaming",
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
    layer_time: pint.Quantity = ZERO_TIME
    """Per-layer floors (kernel launches, fabric traversal, synchronisation) of all layers."""

    @property
    def memory_time(self) -> pint.Quantity:
        return self.weight_time + self.kv_time

    @property
    def total(self) -> pint.Quantity:
        busy = max(self.memory_time, self.compute_time)
        return (busy + self.layer_time + self.comm_time).to("us")

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
        moving = self.comm_time + (self.weight_time if self.streamed else ZERO_TIME)
        return float((moving / self.total).to("").magnitude)


def fits(
    workload: Workload,
    deployment: Deployment,
    batch: float = 1,
    context: int = DEFAULT_CONTEXT,
    precision: str | Precision | None = None,
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
    precision: str | Precision | None = None,
) -> int:
    """Most sequences of ``context`` tokens whose KV cache fits beside the weights."""
    room = deployment.capacity
    if deployment.streamed_bandwidth is None:
        room = room - weight_bytes(workload, precision)
    per_seq = context * kv_bytes_per_token(workload)
    return max(int((room / per_seq).to("").magnitude), 0)


def comm_time(
    workload: Workload, deployment: Deployment, batch: float = 1, tokens: int = 1
) -> pint.Quantity:
    """Per-step collectives inside tensor groups and hops between pipeline stages."""
    from solver.budgets.moe import all_to_all

    w, d = workload, deployment
    message = Quantity(batch * tokens * w.hidden * ACTIVATION_BYTES, "B")
    total = ZERO_TIME
    t = d.tensor
    if d.placement == "layers":  # activations hop to the next layer's chips (reductions
        # inside a layer's region are in its floor), and from system to system
        if t > 1 and d.link_bandwidth is not None:
            latency = d.link_latency if d.link_latency is not None else ZERO_TIME
            total = total + w.layers * (latency + message / d.link_bandwidth)
    elif t > 1 and d.link_bandwidth is not None:
        latency = d.link_latency if d.link_latency is not None else ZERO_TIME
        all_reduce = 2 * latency + 2 * (t - 1) / t * message / d.link_bandwidth
        dense_layers = w.layers - w.moe_layers
        total = total + 2 * dense_layers * all_reduce
        if w.moe_layers:
            if d.accelerator is not None:
                a2a = all_to_all(
                    d.accelerator, batch * tokens / t, w.hidden, w.top_k, t, t
                ).layer_time
            else:
                sent = message * w.top_k * (t - 1) / t / t
                a2a = 2 * (latency + sent / d.link_bandwidth)
            total = total + w.moe_layers * (all_reduce + a2a)
    if d.stages > 1:
        hop = d.hop_latency + message / d.hop_bandwidth
        total = total + (d.stages - 1) * hop
    return total.to("us")


def weight_read_time(
    workload: Workload,
    deployment: Deployment,
    batch: float = 1,
    precision: str | Precision | None = None,
) -> pint.Quantity:
    """Time to read one step's weights with the deployment's placement."""
    d = deployment
    read = step_bytes(workload, batch, precision)
    if d.streamed_bandwidth is not None:
        return (read.total / d.streamed_bandwidth).to("us")
    if d.placement == "layers":  # each layer's region reads with its share of the bandwidth
        return (workload.layers * weight_bytes(workload, precision) / d.bandwidth).to("us")
    sliced = read.always / (d.tensor * d.memory_bandwidth)
    if d.experts == "sliced" or not read.moe_layers:
        experts = read.moe_layers * read.touched * read.expert / (d.tensor * d.memory_bandwidth)
    else:  # the busiest unit reads its whole experts alone
        per_unit = math.ceil(read.touched / d.tensor - 1e-9)
        experts = read.moe_layers * per_unit * read.expert / d.memory_bandwidth
    return (sliced + experts).to("us")


def decode_step(
    workload: Workload,
    deployment: Deployment,
    batch: float = 1,
    context: int = DEFAULT_CONTEXT,
    precision: str | Precision | None = None,
    tokens: int = 1,
) -> DecodeStep:
    """Lower bound on one decoding step of ``batch`` sequences (``batch=1``: one user), each
    scoring ``tokens`` positions (more than one when verifying speculated tokens)."""
    d = deployment
    kv = batch * context * kv_bytes_per_token(workload)
    if d.placement == "layers":  # each layer's region holds its share of the KV cache
        kv_time = workload.layers * kv / d.bandwidth
    else:  # stages in turn, each reading its layers' KV with its units
        kv_time = kv / (d.tensor * d.memory_bandwidth)
    flops = step_flops(workload, batch * tokens)
    if d.compute is None:
        compute = ZERO_TIME
    elif d.placement == "layers":  # a layer computes on its region's share
        compute = workload.layers * flops / (d.units * d.compute)
    else:  # stages in turn, each computing its layers with its units
        compute = flops / (d.tensor * d.compute)
    layer_time = workload.layers * d.layer_latency
    return DecodeStep(
        batch,
        weight_read_time(workload, d, batch, precision),
        kv_time.to("us"),
        compute.to("us"),
        comm_time(workload, d, batch, tokens),
        fits(workload, d, batch, context, precision),
        d.streamed_bandwidth is not None,
        layer_time.to("us"),
    )


# --- speculative decoding -------------------------------------------------------------


@dataclass(frozen=True)
class Speculation:
    """Speculative decoding: ``draft_tokens`` proposed one after another by a draft model of
    ``draft_params`` parameters in ``draft_layers`` layers (read from the same units in the
    dense precision, each layer paying the per-layer floor), verified in one target step;
    ``acceptance_length`` tokens emitted per step on average (accepted + 1)."""

    draft_tokens: int
    acceptance_length: float
    draft_params: float
    draft_layers: int = 1


def published_speculation(speed) -> Speculation | None:
    """A published speed's speculative mode, when its acceptance length and draft are known."""
    if None in (speed.acceptance_length, speed.draft_tokens, speed.draft_params):
        return None
    return Speculation(
        speed.draft_tokens, speed.acceptance_length, speed.draft_params, speed.draft_layers
    )


def speculative_step(
    workload: Workload,
    deployment: Deployment,
    speculation: Speculation,
    context: int = DEFAULT_CONTEXT,
    precision: str | Precision | None = None,
) -> tuple[DecodeStep, pint.Quantity]:
    """The verify step (``draft_tokens + 1`` positions) and the draft time before it."""
    p = _precision(workload, precision)
    verify = decode_step(workload, deployment, 1, context, p, tokens=speculation.draft_tokens + 1)
    d = deployment
    read = _gb(speculation.draft_params, p.dense) / (d.tensor * d.memory_bandwidth)
    draft = read + speculation.draft_layers * d.layer_latency  # each draft layer pays the floor
    return verify, (speculation.draft_tokens * draft).to("us")


def speculative_speed(
    workload: Workload,
    deployment: Deployment,
    speculation: Speculation,
    context: int = DEFAULT_CONTEXT,
    precision: str | Precision | None = None,
) -> float:
    """Tokens per second per user with speculative decoding (an upper bound)."""
    verify, draft = speculative_step(workload, deployment, speculation, context, precision)
    return float((speculation.acceptance_length / (verify.total + draft)).to("1/s").m)


# --- serving many users ---------------------------------------------------------------


def pipeline_depth(workload: Workload, deployment: Deployment) -> int:
    """Microbatches in flight: one per layer region (layer placement), else one per stage."""
    return workload.layers if deployment.placement == "layers" else deployment.stages


@dataclass(frozen=True)
class Serving:
    """The best way to serve many users at a per-user speed target."""

    microbatch: int
    """Sequences per microbatch (0: the target cannot be met or nothing fits)."""
    depth: int
    """Microbatches in flight (pipeline depth)."""
    tokens_per_s_per_user: float
    throughput: float
    """Tokens per second of the whole deployment."""

    @property
    def users(self) -> int:
        return self.microbatch * self.depth


def serve(
    workload: Workload,
    deployment: Deployment,
    target: float | None = None,
    context: int = DEFAULT_CONTEXT,
    precision: str | Precision | None = None,
) -> Serving:
    """Largest batch whose per-user speed meets ``target`` tokens/s (None: any speed) and
    whose KV cache fits: ``depth`` microbatches of ``m`` in flight (one per stage or layer
    region, fewer when the KV cache holds fewer sequences), each taking one step of ``T(m)``,
    give ``depth × m / T(m)`` tokens/s (collectives, hops and per-layer floors counted)."""
    fit = max_batch(workload, deployment, context, precision)
    depth = min(pipeline_depth(workload, deployment), fit)  # fewer in flight if KV is short
    top = fit // depth if depth else 0

    def speed(m: int) -> float:
        return decode_step(workload, deployment, m, context, precision).tokens_per_s_per_user

    if top < 1 or (target is not None and speed(1) < target):
        return Serving(0, max(depth, 1), 0.0, 0.0)
    low, high = 1, top
    if target is not None:  # per-user speed falls as the batch grows: bisect for the edge
        while low < high:
            mid = (low + high + 1) // 2
            low, high = (mid, high) if speed(mid) >= target else (low, mid - 1)
    else:
        low = top
    per_user = speed(low)
    return Serving(low, depth, per_user, depth * low * per_user)


def prefill_throughput(workload: Workload, deployment: Deployment) -> float | None:
    """Prompt tokens per second the deployment can process at most: prefill is
    compute-bound, 2 FLOPs per active parameter per token on every unit at once (a long
    prompt keeps every stage or layer region busy; attention FLOPs ignored). None without a
    compute figure."""
    d = deployment
    if d.compute is None:
        return None
    per_token = step_flops(workload, 1)
    return float((d.units * d.compute / per_token).to("1/s").m)


# --- validation against published speeds ---------------------------------------------

VALIDATION_BAND = 5.0
"""A counted published speed must lie between 1× and this many times below its bound."""
VALIDATION_CONTEXT = 1024
"""KV tokens assumed for published single-user speeds (benchmarks use ~1K-token prompts)."""


def published_deployment(catalog, speed) -> Deployment:
    """The deployment a published speed ran on: ``speed.units`` accelerators (tensor-parallel
    in one domain) or systems, else the fewest that hold the weights and the KV cache."""
    workload = catalog.workloads[speed.workload]
    precision = Precision.of(workload, speed.precision, speed.expert_precision)
    context = speed.context or VALIDATION_CONTEXT
    need = weight_bytes(workload, precision) + context * kv_bytes_per_token(workload)

    def fewest(memory: pint.Quantity) -> int:
        return speed.units or max(1, math.ceil((need / memory).to("").m - 1e-9))

    if speed.system in catalog.accelerators:
        accel = catalog.accelerators[speed.system]
        placement = speed.expert_placement or "whole"
        return gpu_deployment(accel, fewest(accel.memory), 1, precision.experts, experts=placement)
    if speed.system in catalog.systems:
        system = catalog.systems[speed.system]
        return system_deployment(system, fewest(system.memory))
    raise KeyError(f"{speed.id}: system '{speed.system}' is no accelerator or system id")


def published_check(catalog, speed) -> dict:
    """A published speed against its single-user decode bound.

    A speculative figure is held against the speculative bound when its acceptance length
    and draft are published; without them it is reported but not ``counted``.
    """
    workload = catalog.workloads[speed.workload]
    precision = Precision.of(workload, speed.precision, speed.expert_precision)
    context = speed.context or VALIDATION_CONTEXT
    dep = published_deployment(catalog, speed)
    spec = published_speculation(speed)
    if spec is not None:
        bound = speculative_speed(workload, dep, spec, context, precision)
        mode = f"speculative: {spec.draft_tokens} drafted, {spec.acceptance_length:g} accepted"
    else:
        bound = decode_step(workload, dep, 1, context, precision).tokens_per_s_per_user
        mode = "speculative" if speed.speculative else "plain"
    counted = spec is not None or not speed.speculative
    ratio = bound / speed.tokens_per_s
    return {
        "id": speed.id,
        "system": speed.system,
        "units": dep.units if dep.placement == "tensor" else dep.stages,
        "workload": speed.workload,
        "precision": str(precision),
        "published": speed.tokens_per_s,
        "bound": bound,
        "ratio": ratio,
        "mode": mode,
        "layer_latency": dep.layer_latency,
        "counted": counted,
        "within": counted and 1 <= ratio <= VALIDATION_BAND,
        "reason": ""
        if counted
        else "speculative decoding, acceptance length and draft not published",
    }


def calibrated_layer_latency(catalog, speed) -> pint.Quantity:
    """The per-layer floor at which the bound equals ``speed``'s published figure: the
    largest floor that keeps that speed at or below its bound (the bound falls linearly
    in the floor: the floor is paid once per target layer and once per draft layer)."""
    workload = catalog.workloads[speed.workload]
    precision = Precision.of(workload, speed.precision, speed.expert_precision)
    context = speed.context or VALIDATION_CONTEXT
    dep = replace(published_deployment(catalog, speed), layer_latency=ZERO_TIME)
    spec = published_speculation(speed)
    published = Quantity(1 / speed.tokens_per_s, "s")
    if spec is None:
        step = decode_step(workload, dep, 1, context, precision)
        return ((published - step.total) / workload.layers).to("us")
    verify, draft = speculative_step(workload, dep, spec, context, precision)
    floors = workload.layers + spec.draft_tokens * spec.draft_layers
    step_time = spec.acceptance_length * published
    return ((step_time - verify.total - draft) / floors).to("us")
