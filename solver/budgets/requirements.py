"""Budgets imposed on the solver: ``--require "NAME OP VALUE UNIT"``.

Each requirement behaves like a constraint family: ``name``, ``add(m)`` (CP-SAT limits
gated by the requirement's enforcement literal, so the explanation can name it as binding)
and ``measure(design, space)`` (recomputed with pint from the design, independently of the
solver). Budgets that depend only on the domain size N are evaluated with pint for every N
whole trays can make, once per accelerator, and imposed as the set of allowed N.
"""

from __future__ import annotations

import difflib
import math
import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pint

from solver.budgets import DEFAULT_CONTEXT
from solver.catalog import canonical_id, suggestions
from solver.errors import UsageError
from solver.families.base import Check
from solver.schema import Workload
from solver.units import Quantity, article, read_quantity

OPERATORS: dict[str, Callable] = {
    "<=": operator.le,
    "<": operator.lt,
    ">=": operator.ge,
    ">": operator.gt,
}

BUDGETS: dict[str, tuple[str, str, str]] = {
    "moe_all_to_all": ("time", "[time]", "200 us"),
    "decode_token_time": ("time", "[time]", "2 ms"),
    "perf_per_watt": ("compute rate per power", "[operation] / [time] / [power]", "2 TFLOP/s/W"),
    "collective_efficiency": ("dimensionless", "", "0.8"),
    "capex": ("price", "[currency]", "3.5e6 USD"),
    "cost_per_accelerator_hour": ("cost rate", "[currency] / [time]", "2.5 USD/hour"),
    "cost_per_million_tokens": ("price", "[currency]", "0.10 USD"),
}
"""Budget name -> (dimension name, pint dimensionality, example value)."""
COST_BUDGETS = ("capex", "cost_per_accelerator_hour", "cost_per_million_tokens")
"""Budgets over the design's bill of materials and draw (catalog prices, profile economics)."""


@dataclass(frozen=True)
class Setting:
    """Assumptions behind the budgets that no catalog holds (defaults are estimates)."""

    tokens_per_accelerator: float = 256
    """MoE: tokens each accelerator dispatches per layer (a decode batch slice)."""
    context: int = DEFAULT_CONTEXT
    """Decode: tokens of KV cache per sequence."""
    batch: int = 1
    """Decode: sequences per step (1: the single-user bound)."""
    collective_work: pint.Quantity = field(default_factory=lambda: Quantity(1, "ms"))
    """Collective efficiency: one step's compute on a single accelerator (split N ways)."""
    collective_message: pint.Quantity = field(default_factory=lambda: Quantity(1, "MiB"))
    """Collective efficiency: bytes each participant moves per step."""
    latency_sigma: float = 0.5
    """Collective efficiency: log-spread of per-link latency (estimate)."""
    target: float = 50.0
    """Cost per million tokens: per-user speed (tokens/s) the domain serves its users at."""


def _valid_names() -> str:
    return ", ".join(f"{name} ({dim}, e.g. {ex})" for name, (dim, _, ex) in BUDGETS.items())


@dataclass(frozen=True)
class Requirement:
    """One budget imposed on the solver: ``name op target``."""

    name: str
    op: str
    target: pint.Quantity
    text: str
    workload: Workload | None = None
    setting: Setting = field(default_factory=Setting)
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    # --- the budget as a function of the design ------------------------------------------

    def value(self, accel, n: int) -> pint.Quantity:
        """The budget's value for a domain of ``n`` accelerators of ``accel``."""
        s = self.setting
        if self.name == "moe_all_to_all":
            from solver.budgets.moe import workload_all_to_all

            a2a = workload_all_to_all(accel, self.workload, s.tokens_per_accelerator, n, n)
            return a2a.layer_time
        if self.name == "decode_token_time":
            from solver.budgets.decode import decode_step, gpu_deployment

            precision = self.workload.weight_precision
            step = decode_step(
                self.workload, gpu_deployment(accel, n, 1, precision), s.batch, s.context
            )
            return step.total if step.fits else Quantity(math.inf, "us")
        if self.name == "collective_efficiency":
            from solver.budgets import jitter
            from solver.budgets.moe import domain_latency

            fabric = jitter.Fabric(
                accel.scale_up.fabric,
                accel.scale_up.bandwidth,
                jitter.LinkLatency(domain_latency(accel, n), s.latency_sigma),
            )
            return Quantity(
                jitter.efficiency(fabric, s.collective_work, s.collective_message, n), ""
            )
        raise KeyError(self.name)

    def domain_throughput(self, accel, n: int) -> float:
        """Tokens/s a domain of ``n`` serves at the per-user target (0: the model does not
        fit in the domain or the target cannot be met)."""
        from solver.budgets.decode import gpu_deployment, serve

        s, w = self.setting, self.workload
        dep = gpu_deployment(accel, n, 1, w.weight_precision)
        return serve(w, dep, s.target, s.context).throughput

    def meets(self, value: pint.Quantity) -> bool:
        return bool(OPERATORS[self.op](value.to(self.target.units).magnitude, self.target.m))

    def allowed_sizes(self, space, sizes: Iterable[int]) -> list[int]:
        """Domain sizes among ``sizes`` that meet the budget (cached per accelerator)."""
        key = (space.accelerator.id, tuple(sorted(set(sizes))))
        if key not in self._cache:
            self._cache[key] = [n for n in key[1] if self.meets(self.value(space.accelerator, n))]
        return self._cache[key]

    # --- the solver interface ------------------------------------------------------------

    def add(self, m) -> None:
        """Impose the budget on the CP-SAT model, gated by its enforcement literal."""
        if self.name == "perf_per_watt":
            self._add_perf_per_watt(m)
            return
        if self.name in COST_BUDGETS:
            self._add_cost(m)
            return
        from ortools.sat.python import cp_model

        sizes = _sizes(m)
        allowed = self.allowed_sizes(m.space, sizes)
        if not allowed:
            m.limit(self.name, "no-size-meets", m.domain <= 0)
            return
        lo, hi = min(allowed), max(allowed)
        if all(n in allowed for n in sizes if lo <= n <= hi):
            m.limit(self.name, "min-size", m.domain >= lo)
            m.limit(self.name, "max-size", m.domain <= hi)
            return
        constraint = m.cp.add_linear_expression_in_domain(
            m.domain, cp_model.Domain.from_values(allowed)
        )
        constraint.with_name(f"{self.name}-allowed-sizes")
        constraint.only_enforce_if(m.enforce[self.name])

    def _add_perf_per_watt(self, m) -> None:
        """N × FLOP/s ≥ target × draw per rack, in MFLOP/s and W (FLOP/s down, target up)."""
        from solver.units import limit_int, usage_int

        flops = limit_int(m.space.accelerator.dense_bf16, "MFLOP/s")
        target = usage_int(self.target, "MFLOP/s/W")
        if self.op in (">=", ">"):
            m.limit(self.name, "flops-per-watt", m.rack_domain * flops >= target * m.q.draw_w)
        else:
            m.limit(self.name, "flops-per-watt", m.rack_domain * flops <= target * m.q.draw_w)

    def _add_cost(self, m) -> None:
        """Capex and hourly cost per rack as integer expressions (USD; µUSD per hour, usage
        rounded up) over the model's counts; the budget per rack count and domain size."""
        from solver.units import limit_int, usage_int

        s = m.space
        e = s.profile.economics

        def usd(item_id: str) -> int:
            price = s.catalog.price_of(item_id)
            return usage_int(price.price, "USD") if price is not None else 0

        accel = usd(s.accelerator.id)
        capex = sum(
            n * (usd(t.id) + t.accelerators * accel)
            for t, n in zip(s.trays, m.n_trays, strict=True)
        )
        capex += sum(n * usd(w.id) for w, n in zip(s.switch_trays, m.n_switch, strict=True))
        capex += sum(n * usd(c.id) for c, n in zip(s.cables, m.n_cables, strict=True))
        ends = getattr(m, "n_xcable_ends", [])
        capex += sum(n * -(-usd(c.id) // 2) for c, n in zip(s.xcables, ends, strict=True))
        capex += sum(n * usd(p.id) for p, n in zip(s.shelves, m.n_shelves, strict=True))
        capex += sum(u * usd(r.id) for r, u in zip(s.racks, m.use_rack, strict=True))
        capex += sum(u * usd(k.id) for k, u in zip(s.coolings, m.use_cooling, strict=True))
        if self.name == "capex":
            cap = limit_int(self.target, "USD")
            for k, use in m.use_racks.items():
                m.limit(self.name, f"capex-{k}-racks", k * capex <= cap, use)
            return
        from solver.budgets.cost import affordable_hourly, hourly_rates

        per_usd, per_watt = hourly_rates(e)  # in µUSD/h per USD and per W, rounded up
        hourly = capex * usage_int(1e6 * per_usd, "1/hour") + m.q.draw_w * usage_int(
            1e6 * per_watt * Quantity(1, "W"), "USD/hour"
        )
        if self.name == "cost_per_accelerator_hour":
            cap = limit_int(self.target * 1e6, "USD/hour")
            m.limit(self.name, "per-accelerator-hour", hourly <= cap * m.rack_domain)
            return
        key = (s.accelerator.id, "throughput", tuple(_sizes(m)))
        if key not in self._cache:
            self._cache[key] = {n: self.domain_throughput(s.accelerator, n) for n in key[2]}
        table = [0] * (m.max_domain + 1)  # µUSD per hour a domain of n may cost
        for n, tokens in self._cache[key].items():
            table[n] = limit_int(1e6 * affordable_hourly(self.target, tokens, e), "USD/hour")
        allowed = m.cp.new_int_var(0, max(table), "cost-per-million-tokens-allowed")
        m.cp.add_element(m.domain, table, allowed)
        for k, use in m.use_racks.items():
            m.limit(self.name, f"cost-{k}-racks", k * hourly <= allowed, use)

    def measure(self, design, space) -> list[Check]:
        """The budget recomputed with pint from ``design``."""
        accel, n = design.accelerator, design.domain_size
        if self.name in COST_BUDGETS:
            value = self._cost_value(design, space)
        elif self.name == "perf_per_watt":
            from solver.budgets.perf_per_watt import design_perf_per_watt
            from solver.parts import draw_power

            value = design_perf_per_watt(accel, design.rack_domain, draw_power(design, space))
        else:
            value = self.value(accel, n)
        value = value.to(self.target.units)
        if self.op in ("<=", "<"):
            return [Check(self.name, self.text, value, self.target)]
        return [Check(self.name, f"{self.text} (target vs achieved)", self.target, value)]

    def _cost_value(self, design, space) -> pint.Quantity:
        from solver.budgets import cost
        from solver.parts import draw_power

        capex = cost.design_capex(design, space)
        if self.name == "capex":
            return capex.total
        e = space.profile.economics
        hourly = cost.hourly_cost(capex.total, design.racks * draw_power(design, space), e)
        if self.name == "cost_per_accelerator_hour":
            return cost.per_accelerator_hour(hourly, design.domain_size)
        tokens = self.domain_throughput(design.accelerator, design.domain_size)
        per_m = cost.per_million_tokens(hourly, tokens, e)
        return per_m if per_m is not None else Quantity(math.inf, "USD")


def _sizes(m) -> list[int]:
    """Domain sizes whole trays can make in the model's space."""
    return sorted(
        {
            t.accelerators * k
            for t in m.space.trays
            for k in range(1, m.max_domain // t.accelerators + 1)
        }
    )


def parse_requirement(
    text: str, workload: Workload | None = None, setting: Setting | None = None
) -> Requirement:
    """Parse ``"NAME OP VALUE UNIT"`` (e.g. ``"moe_all_to_all <= 200 us"``); errors name
    it as one of ``requirements``."""

    def error(message: str, **related: str) -> UsageError:
        return UsageError(message, "requirements", [text], related)

    match = re.fullmatch(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|<|>)\s*(\S.*?)\s*", text)
    if not match:
        raise error(
            "expected NAME OP VALUE [UNIT] with OP one of <=, <, >=, >, "
            f"e.g. 'moe_all_to_all <= 200 us'; budgets: {_valid_names()}"
        )
    name, op, raw = match.groups()
    if name not in BUDGETS:
        close = difflib.get_close_matches(name, list(BUDGETS), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise error(f"unknown budget '{name}'{hint}; budgets: {_valid_names()}")
    dimension, dimensionality, example = BUDGETS[name]
    try:
        target = read_quantity(raw, article(dimension))
    except ValueError as exc:
        raise error(f"{exc} (e.g. '{example}')") from None
    if not isinstance(target, pint.Quantity):
        target = Quantity(float(target), "")
    if not math.isfinite(target.magnitude) or not target.check(dimensionality or "[]"):
        raise error(
            f"'{raw}' is not {article(dimension)}; {name} takes {article(dimension)} "
            f"(e.g. '{example}'); budgets: {_valid_names()}"
        )
    if name in ("moe_all_to_all", "decode_token_time", "cost_per_million_tokens"):
        if workload is None:
            raise error(f"{name} needs a workload ({{workload}})", workload="ID")
        if name == "moe_all_to_all" and workload.kind != "moe":
            raise error(f"{workload.id} is a dense model; {name} needs an MoE one")
    text = f"{name} {op} {raw}"
    return Requirement(name, op, target, text, workload, setting or Setting())


def parse_requirements(
    requirements: Iterable[str] | str,
    workload: Workload | str | None = None,
    setting: Setting | None = None,
    catalog=None,
) -> tuple[Requirement, ...]:
    """Parse ``"NAME OP VALUE UNIT"`` expressions (one, or several); one budget name may
    appear once. ``workload`` is a :class:`~solver.schema.Workload` or its id, looked up in
    ``catalog`` (default: the shipped catalogs)."""
    if isinstance(requirements, str):
        requirements = [requirements]
    if isinstance(workload, str):
        if catalog is None:
            from solver.catalog import load_catalog

            catalog = load_catalog()
        workload = find_workload(catalog, workload)
    out: list[Requirement] = []
    for text in requirements:
        req = parse_requirement(text, workload, setting)
        if any(r.name == req.name for r in out):
            raise UsageError(f"{req.name} is required twice", "requirements", [text])
        out.append(req)
    return tuple(out)


def find_workload(catalog, workload_id: str) -> Workload:
    """The catalog's workload ``workload_id``, or a UsageError naming the close ones."""
    found = canonical_id(workload_id, catalog.workloads)  # ids match in any case
    if found is not None:
        return catalog.workloads[found]
    close = suggestions(workload_id, catalog.workloads)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    known = ", ".join(catalog.workloads) or "none in the catalogs"
    raise UsageError(f"no such workload{hint} (known: {known})", "workload", workload_id)
