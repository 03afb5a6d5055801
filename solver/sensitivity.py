"""Sensitivity and what-if: how the maximal domain moves when one figure moves.

For a solved :class:`~solver.result.Result`, every *knob* — a profile limit or a key figure
of the chosen design's catalog entries (switch radix, cable reach, accelerator power, rack
slots, spine area ...) — is relaxed and tightened by ±10/25/50 % and the domain re-solved
(``explain=False``). Then, per knob, the smallest relaxation that reaches the next larger
domain is found by bisection (to ``tolerance`` of the base value; exactly for counts), up to
``max_factor`` times the base value (or down to its ``1/max_factor``).

Knobs are addressed like ``--set`` (``profile.feed_power``,
``switch_chips.nvswitch-nvlink5.ports``), so each answer can be replayed on the command line.
Re-solves reuse the solved :class:`~solver.design.Space` (no YAML is re-read): the changed
entry is swapped into a copy. Each re-solve is one task carrying its knob and value, and
the space as a :class:`~solver.pool.Shared` (pickled once, unpickled once per worker), so
any :class:`concurrent.futures.Executor` runs them: a local process pool by default, or a
Dask cluster. The bisections for the next size advance side by side, one wave of solves
per step. Results keep a fixed order, and every solve is single-worker with a fixed seed,
so the table is the same on every run and every executor.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import Executor
from contextlib import nullcontext
from dataclasses import dataclass, replace
from typing import Any

from solver.design import Space
from solver.errors import UsageError
from solver.pool import Shared, cpu_count, workers_of
from solver.units import Quantity

FACTORS: tuple[float, ...] = (0.5, 0.75, 0.9, 1.1, 1.25, 1.5)
"""Multipliers of the base value swept for every knob (±10/25/50 %)."""
MAX_FACTOR = 4.0
TOLERANCE = 0.01

COLUMNS = [
    "accelerator",
    "parameter",
    "label",
    "family",
    "kind",
    "direction",
    "factor",
    "change_pct",
    "base",
    "value",
    "unit",
    "domain_size",
    "domain_change",
    "target",
    "reaches_target",
    "rank",
    "set",
    "note",
]

# Space attribute holding a catalog category's options (None: only in the catalog).
_SPACE_ATTR = {
    "accelerators": "accelerator",
    "compute_trays": "trays",
    "switch_trays": "switch_trays",
    "cables": "cables",
    "racks": "racks",
    "power_shelves": "shelves",
    "cooling": "coolings",
}

# profile field, label, family it relaxes, display unit
_PROFILE_KNOBS = (
    ("feed_power", "feed power", "power", "kW"),
    ("air_cooling", "room air cooling", "cooling", "kW"),
    ("facility_water", "facility water", "cooling", "kW"),
    ("facility_flow", "facility water flow", "cooling", "L/min"),
    ("floor_load_rating", "floor load rating", "floor_load", "kg/m^2"),
)


@dataclass(frozen=True)
class Knob:
    """One figure that can be moved: where it lives, its base value and which way relaxes."""

    category: str
    """``profile`` or a catalog category (``racks``, ``switch_chips`` ...)."""
    entry: str | None
    field: str
    label: str
    family: str
    """Constraint family the figure mainly feeds."""
    base: float
    unit: str
    """Display unit of ``base`` (``""`` for counts)."""
    relax: int
    """+1 when a larger value relaxes the design, −1 when a smaller one does."""
    integer: bool = False

    @property
    def key(self) -> str:
        """The ``--set`` address: ``profile.feed_power``, ``racks.nvl72-rack.slots``."""
        return ".".join(p for p in (self.category, self.entry, self.field) if p)

    def quantity(self, value: float) -> Any:
        return round(value) if self.integer else Quantity(value, self.unit)

    def set_text(self, value: float) -> str:
        """``--set`` argument that applies ``value``."""
        shown = f"{round(value)}" if self.integer else f"{_g(value)} {self.unit}"
        return f"{self.key}={shown}"

    @property
    def name(self) -> str:
        """Label with where the figure lives: ``switch chip ports (nvswitch-nvlink5)``."""
        return f"{self.label} ({self.entry or 'profile'})"

    def show(self, value: float) -> str:
        if self.integer:
            return f"{round(value)}"
        return f"{_g(value)} {_pretty_unit(self.unit)}"


def _g(value: float) -> str:
    return f"{value:.4g}"


def _pretty_unit(unit: str) -> str:
    return unit.replace("^2", "²")


def knobs(result) -> list[Knob]:
    """The figures worth moving for ``result``'s design, in a fixed order."""
    space: Space = result.space
    d = result.design
    out: list[Knob] = []

    def add(category, entry, field, label, family, value, unit, relax, integer=False):
        if value is None:
            return
        base = float(value) if integer else float(value.to(unit).magnitude)
        if base > 0:
            out.append(Knob(category, entry, field, label, family, base, unit, relax, integer))

    p = space.profile
    for field, label, family, unit in _PROFILE_KNOBS:
        add("profile", None, field, label, family, getattr(p, field), unit, +1)
    if d.switch_tray is not None and d.accelerator.scale_up.topology == "switched":
        chip = d.switch_tray.chip
        ports = space.catalog.switch_chips[chip].ports
        add("switch_chips", chip, "ports", "switch chip ports", "topology", ports, "", +1, True)
    if d.cable is not None and d.cable.reach is not None:
        add("cables", d.cable.id, "reach", "cable reach", "reach", d.cable.reach, "m", +1)
    elif d.cable is not None and space.channel is not None:
        add(
            "channels",
            space.channel.id,
            "loss_budget",
            "channel loss budget",
            "reach",
            space.channel.loss_budget,
            "dB",
            +1,
        )
    add(
        "accelerators",
        d.accelerator.id,
        "power",
        "accelerator power",
        "power",
        d.accelerator.power,
        "W",
        -1,
    )
    add(
        "compute_trays",
        d.tray.id,
        "overhead_power",
        "tray overhead power",
        "power",
        d.tray.overhead_power,
        "W",
        -1,
    )
    r = d.rack
    add("racks", r.id, "slots", "rack slots", "space", r.slots, "", +1, True)
    if d.cable is not None:
        add(
            "racks",
            r.id,
            "spine_area",
            "spine cross-section",
            "cable_density",
            r.spine_area,
            "cm^2",
            +1,
        )
        add(
            "racks",
            r.id,
            "rear_clearance",
            "rear clearance",
            "bend_radius",
            r.rear_clearance,
            "mm",
            +1,
        )
    add("racks", r.id, "static_load", "rack static load", "weight", r.static_load, "kg", +1)
    if r.busbar_current is not None and d.shelf.output == "busbar":
        add("racks", r.id, "busbar_current", "busbar current", "power", r.busbar_current, "A", +1)
    add(
        "power_shelves",
        d.shelf.id,
        "capacity",
        "power shelf capacity",
        "power",
        d.shelf.capacity,
        "kW",
        +1,
    )
    c = d.cooling
    add("cooling", c.id, "liquid_capacity", "CDU capacity", "cooling", c.liquid_capacity, "kW", +1)
    add("cooling", c.id, "max_flow", "coolant flow", "cooling", c.max_flow, "L/min", +1)
    return out


def perturbed_space(space: Space, knob: Knob, value: float) -> Space:
    """A copy of ``space`` with the knob's figure set to ``value`` (in ``knob.unit``)."""
    new = knob.quantity(value)
    if knob.category == "profile":
        return replace(space, profile=space.profile.model_copy(update={knob.field: new}))
    catalog = space.catalog
    entries = dict(catalog.category(knob.category))
    entry = entries[knob.entry].model_copy(update={knob.field: new})
    entries[knob.entry] = entry
    changes: dict[str, Any] = {"catalog": replace(catalog, **{knob.category: entries})}
    attr = _SPACE_ATTR.get(knob.category)
    if attr == "accelerator":
        changes["accelerator"] = entry
    elif attr is not None:
        changes[attr] = [entry if o.id == knob.entry else o for o in getattr(space, attr)]
    return replace(space, **changes)


# --- re-solving, in this process or on an executor --------------------------------------

Solve = Callable[[list[tuple[Knob, float]]], list[int]]
"""Domains of ``(knob, value)`` points, in order."""
Search = Generator[float, int, tuple[float, int]]
"""A bisection: yields values to solve, is sent their domains, returns its answer."""


def _domain(space: Shared, knob: Knob, value: float, time_limit: float) -> int:
    """Maximal domain of ``space.value`` with ``knob`` at ``value`` (0 when nothing fits)."""
    from solver.engine import solve_space

    perturbed = perturbed_space(space.value, knob, value)
    return solve_space(perturbed, None, time_limit, (), explain=False).domain_size


def _search(knob: Knob, target: int, lo: float, hi: float, tolerance: float) -> Search:
    """Smallest relaxation of ``knob`` reaching ``target``, by bisection, rounded outwards.

    ``lo`` (nearer the base) is known not to reach ``target`` and ``hi`` to reach it. Yields
    each value to solve and is sent its domain; returns the value and the domain it gives.
    """
    step = 1 if knob.integer else tolerance * knob.base
    while abs(hi - lo) > step:
        mid = (lo + hi) // 2 if knob.integer else (lo + hi) / 2
        lo, hi = (lo, mid) if (yield mid) >= target else (mid, hi)
    value = hi if knob.integer else _round_out(hi, knob.relax)
    return value, (yield value)


class _Curve:
    """A knob's sweep points in relaxing order (base and bound included) and their domains."""

    def __init__(self, knob: Knob, factors: Sequence[float], max_factor: float, base: int):
        points = [(_factor_value(knob, f), f) for f in factors]
        points += [(knob.base, None), (_bound(knob, max_factor), None)]
        points.sort(key=lambda p: ((p[0] - knob.base) * knob.relax, p[1] is None))
        self.knob = knob
        self.values = [v for v, _ in points]
        self.factors = [f for _, f in points]
        self.domains: list[int | None] = [None] * len(points)
        self.domains[self.factors.index(None)] = base  # the first None is the base

    def missing(self) -> list[int]:
        """Points to solve next; points between two equal known domains are filled in
        (relaxing never shrinks the domain)."""
        known = [i for i, d in enumerate(self.domains) if d is not None]
        todo = [i for i in (0, len(self.domains) - 1) if self.domains[i] is None]
        for a, b in itertools.pairwise(known):
            if b - a < 2:
                continue
            if self.domains[a] == self.domains[b]:
                self.domains[a + 1 : b] = [self.domains[a]] * (b - a - 1)
            else:
                todo.append((a + b) // 2)
        return todo

    def bracket(self, target: int) -> tuple[float, float]:
        """Values around the first point that reaches ``target``."""
        first = next(i for i, d in enumerate(self.domains) if d >= target)
        return self.values[first - 1], self.values[first]


def _fill(solve: Solve, curves: list[_Curve]) -> None:
    """Solve every curve's points, in parallel waves, skipping what monotonicity implies."""
    while True:
        tasks = [(c, i) for c in curves for i in c.missing()]
        if not tasks:
            return
        found = solve([(c.knob, c.values[i]) for c, i in tasks])
        for (c, i), domain in zip(tasks, found, strict=True):
            c.domains[i] = domain


def _searched(solve: Solve, searches: dict[Knob, Search]) -> dict[Knob, tuple[float, int]]:
    """Run the searches side by side, one wave of solves per bisection step; their results."""
    asks = {knob: next(search) for knob, search in searches.items()}
    found = {}
    while asks:
        domains = solve(list(asks.items()))
        for knob, domain in zip(list(asks), domains, strict=True):
            try:
                asks[knob] = searches[knob].send(domain)
            except StopIteration as stop:
                found[knob] = stop.value
                del asks[knob]
    return found


def _solver(
    executor: Executor | None, space: Space, time_limit: float, done: Callable[[], None] | None
) -> Solve:
    """Domains of ``(knob, value)`` tasks, in order, on ``executor`` (None: here); ``done``
    is called after each solve."""
    shared = Shared(space)

    def solve(tasks: list[tuple[Knob, float]]) -> list[int]:
        calls = [(shared, knob, value, time_limit) for knob, value in tasks]
        if executor is None or len(calls) < 2:
            found = itertools.starmap(_domain, calls)
        else:
            found = executor.map(_domain, *zip(*calls, strict=True))
        domains = []
        for domain in found:
            domains.append(domain)
            if done is not None:
                done()
        return domains

    return solve


def _bound(knob: Knob, factor: float) -> float:
    value = knob.base * factor if knob.relax > 0 else knob.base / factor
    if knob.integer:
        return float(math.ceil(value) if knob.relax > 0 else max(1, math.floor(value)))
    return float(value)


def _round_out(value: float, relax: int) -> float:
    """Round to 3 significant figures, away from the base (so it still reaches)."""
    step = 10 ** (math.floor(math.log10(abs(value))) - 2)
    units = value / step
    units = math.ceil(units - 1e-9) if relax > 0 else math.floor(units + 1e-9)
    return round(units * step, 12)


def sensitivity(
    result,
    factors: Sequence[float] = FACTORS,
    max_factor: float = MAX_FACTOR,
    tolerance: float = TOLERANCE,
    workers: int | None = None,
    time_limit: float | None = None,
    only: Sequence[str] | None = None,
    done: Callable[[], None] | None = None,
    executor: Executor | None = None,
):
    """Domain size for every knob at every factor, and what it takes to reach the next size.

    Returns a pandas DataFrame with :data:`COLUMNS`: ``kind == "sweep"`` rows (one per knob
    and factor) and ``kind == "threshold"`` rows (one per knob: the smallest relaxation that
    reaches ``target``, ``rank`` 1 for the smallest relative change, or a note that no
    relaxation of that figure alone up to ``max_factor`` reaches it). ``only`` keeps the
    knobs whose key, family or label it names. The solves run on ``executor`` (any
    :class:`concurrent.futures.Executor`, e.g. a Dask client's), else on a local pool of
    ``workers`` processes (default: one per core; 1 runs them in this process); the table
    is the same on any. ``done`` is called after each solve (a progress bar).
    """
    import pandas as pd

    if not result.ok or result.design is None or result.space is None:
        raise UsageError(f"{result.accelerator}: sensitivity needs a solved design")
    from solver.engine import next_size

    base_domain = result.domain_size
    target = result.next_size or next_size(result.space, base_domain)
    items = knobs(result)
    if only is not None:
        items = [k for k in items if {k.key, k.family, k.label} & set(only)]
    factors = sorted(float(f) for f in factors)
    curves = [_Curve(k, factors, max_factor, base_domain) for k in items]
    pool = workers_of(workers or cpu_count()) if executor is None else nullcontext(executor)
    with pool as executor:
        solve = _solver(executor, result.space, time_limit or result.solve.time_limit_s, done)
        _fill(solve, curves)
        searches = {
            c.knob: _search(c.knob, target, *c.bracket(target), tolerance)
            for c in curves
            if c.domains[-1] >= target
        }
        found = _searched(solve, searches)

    common = {"accelerator": result.accelerator, "target": target}
    rows = []
    for c in curves:
        k = c.knob
        points = sorted(
            (f, v, d) for f, v, d in zip(c.factors, c.values, c.domains, strict=True) if f
        )
        for factor, value, domain in points:
            rows.append(
                {
                    **common,
                    **_knob_cols(k),
                    "kind": "sweep",
                    "direction": "relax" if (factor - 1) * k.relax > 0 else "tighten",
                    "factor": factor,
                    "change_pct": round((value / k.base - 1) * 100, 3),
                    "value": value,
                    "domain_size": domain,
                    "domain_change": domain - base_domain,
                    "reaches_target": domain >= target,
                    "set": k.set_text(value),
                    "note": "",
                }
            )
    ranked = sorted(found, key=lambda k: (abs(found[k][0] / k.base - 1), items.index(k)))
    for i, k in enumerate(items):
        if k in found:
            value, domain = found[k]
            value = float(value)
            row = {
                "direction": "relax",
                "factor": value / k.base,
                "change_pct": round((value / k.base - 1) * 100, 3),
                "value": value,
                "domain_size": domain,
                "reaches_target": domain >= target,
                "rank": ranked.index(k) + 1,
                "set": k.set_text(value),
                "note": f"{k.name} {k.show(k.base)} → {k.show(value)} ({_delta(k, value)})",
            }
        else:
            limit = "×" + _g(max_factor) if k.relax > 0 else "÷" + _g(max_factor)
            row = {
                "direction": "relax",
                "factor": None,
                "change_pct": None,
                "value": None,
                "domain_size": curves[i].domains[-1],
                "reaches_target": False,
                "rank": None,
                "set": "",
                "note": f"no relaxation of {k.label} alone reaches {target} (tried {limit})",
            }
        row["domain_change"] = row["domain_size"] - base_domain
        rows.append({**common, **_knob_cols(k), "kind": "threshold", **row})
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["rank"] = frame["rank"].astype("Int64")
    return frame


def _factor_value(knob: Knob, factor: float) -> float:
    value = knob.base * factor
    return float(max(1, round(value))) if knob.integer else value


def _knob_cols(k: Knob) -> dict[str, Any]:
    return {
        "parameter": k.key,
        "label": k.label,
        "family": k.family,
        "base": k.base,
        "unit": k.unit,
    }


def _delta(k: Knob, value: float) -> str:
    diff = value - k.base
    if k.integer:
        return f"{diff:+.0f}"
    return f"{diff:+.3g} {_pretty_unit(k.unit)}, {diff / k.base:+.1%}"


def headline(frame, binding: Sequence[str] = ()) -> str:
    """One sentence: which figure must move first, and by how much, to grow the domain."""
    rows = frame[frame["kind"] == "threshold"]
    if rows.empty:
        return "No figure of this design can be moved."
    target = int(rows["target"].iloc[0])
    reach = rows[rows["reaches_target"]].sort_values("rank")
    if reach.empty:
        families = ", ".join(binding) or "the binding limits"
        return (
            f"No single figure alone reaches {target} accelerators; {families} must be "
            "relaxed together."
        )
    first = reach.iloc[0]
    text = f"To reach {target} accelerators, move {first['note']} first"
    others = [r["note"] for _, r in reach.iloc[1:].iterrows()]
    if others:
        return text + "; or " + "; or ".join(others) + "."
    return text + f"; no other single figure reaches {target}."
