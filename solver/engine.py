"""Solve, prove and explain: the maximal domain, the cheapest design for it, what binds.

1. Maximise the domain with every family enforced (one worker, fixed seed).
2. Fix that size and minimise the domain's feed draw, then the counts, then catalog order.
3. Lay the design out: minimise its longest spine run, then its total copper distance.
4. Re-measure the design in physical units with every family (an independent check).
5. Prove the next size the trays allow infeasible, with the families as assumption
   literals; name the families that block it alone, or else a minimal conflicting set.
   When the parts alone rule a size out (every family off), name why instead: parts that
   do not fit together (``compatibility``) or a size whole trays cannot make
   (``granularity``).

A solve cut short by the time limit is never read as a proof: with no design the status is
``unknown``, with one that is not proven maximal (or not proven cheapest) ``feasible``. A
model CP-SAT refuses is a bug, raised as :class:`~solver.errors.InternalError`
(:func:`solver.model.run_cp_sat`), never reported as ``unknown``.
"""

from __future__ import annotations

import difflib
import functools
import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from ortools.sat.python import cp_model

from solver import schema
from solver.budgets.bandwidth import bisection_bandwidth, torus_diameter
from solver.catalog import (
    Catalog,
    LoadedProfile,
    canonical_id,
    load_catalog,
    load_constraints,
    suggestions,
)
from solver.design import Design, Space, build_space, check_pins, misfits
from solver.errors import InfeasibleError, UsageError
from solver.families import FAMILIES, enforced_names
from solver.families.base import Check
from solver.integers import Integers, integers
from solver.layout import cable_stats, centred_layout
from solver.model import LIMITS, SEED, DomainModel, new_solver, run_cp_sat, same_but_limits
from solver.parts import draw_power, it_power, liquid_heat, peak_power, total_mass
from solver.physics.cooling import coolant_flow, coolant_rise
from solver.physics.links import block_size, fabric_hops
from solver.physics.power import busbar_current
from solver.placement import decode_layout, hint, stack_height, total_gap
from solver.result import Result, SolveStats
from solver.spine import RACK_FAMILIES
from solver.units import Quantity
from solver.words import plural

if TYPE_CHECKING:
    from solver.budgets.requirements import Requirement

LAYOUT_WORK = 1.0
"""Deterministic-time budget for minimising total copper distance (the longest run is always
proven minimal): large multi-rack layouts stop here, identically on every run."""


class _Session:
    """Counts solves and time for one accelerator."""

    def __init__(self, space: Space, time_limit: float, ints: Integers | None = None):
        self.space = space
        self.time_limit = time_limit
        self.solves = 0
        self.names = enforced_names(space)
        self.ints = ints if ints is not None else integers(space)

    def model(
        self,
        enforced: Iterable[str] | None = None,
        min_domain: int | None = None,
        assume: bool = False,
        exact: Design | None = None,
        reusable: bool = False,
    ) -> DomainModel:
        m = DomainModel(self.space, exact, self.ints, reusable=reusable)
        enforced = set(self.names if enforced is None else enforced)
        for name, literal in m.enforce.items():
            if assume and name in enforced:
                continue
            m.cp.add(literal == int(name in enforced))
        if assume:
            m.cp.add_assumptions([m.enforce[name] for name in self.names if name in enforced])
        if min_domain is not None:
            m.cp.add(m.domain >= min_domain)
        return m

    def run(self, m: DomainModel, work_limit: float | None = None) -> tuple[int, cp_model.CpSolver]:
        solver = new_solver(self.time_limit, work_limit=work_limit)
        self.solves += 1
        return run_cp_sat(solver, m.cp), solver

    def feasible(self, enforced: Iterable[str], min_domain: int) -> bool | None:
        """Whether a domain of ``min_domain`` or more exists; ``None`` if the time ran out."""
        status, _ = self.run(self.model(enforced, min_domain))
        if status == cp_model.INFEASIBLE:
            return False
        return True if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None

    def conflict(self, size: int) -> tuple[list[str], str]:
        """What makes a domain of ``size`` or more impossible, and how to read it: ``each
        alone``, ``together``, ``compatibility``, ``granularity``, ``structure`` or
        ``undecided`` (a solve ran out of time; nothing is named)."""
        if self.feasible((), size) is False:
            return self.structure(size)
        alone = [f for f in self.constraining() if self.feasible([f], size) is False]
        if alone:
            return alone, "each alone"
        m = self.model(self.names, size, assume=True)
        status, solver = self.run(m)
        if status != cp_model.INFEASIBLE:
            return [], "undecided"
        by_index = {m.enforce[f].index: f for f in self.names}
        core = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility()]
        if not core:  # the parts alone rule it out (the probe above ran out of time)
            return self.structure(size)
        for family in list(core):  # shrink the core to a minimal conflicting set
            trial = [f for f in core if f != family]
            if self.feasible(trial, size) is False:
                core = trial
        return core, "together"

    def constraining(self) -> list[str]:
        """The families and requirements that add any limit to this space's model (a family
        with none, e.g. ``midplane`` without blades, cannot rule a size out alone)."""
        m = DomainModel(self.space, ints=self.ints)
        gated = {
            literal
            for constraint in m.cp.proto.constraints
            for literal in constraint.enforcement_literal
        }
        return [name for name in self.names if m.enforce[name].index in gated]

    def structure(self, size: int) -> tuple[list[str], str]:
        """Why the parts alone, with no family enforced, allow no domain of ``size`` or more."""
        s = self.space
        if misfits(s):
            return ["compatibility"], "compatibility"
        if s.domain_cap is not None and next_size(s, size - 1) > s.domain_cap:
            return ["granularity"], "granularity"
        # more trays than the tallest rack has slots
        if size > DomainModel(s, ints=self.ints).max_domain:
            return ["space"], "each alone"
        return [], "structure"


def _steps(space: Space) -> list[int]:
    """Domain steps: one rack's smallest increment (whole trays, whole torus blocks) times
    each rack count."""
    block = block_size(space.accelerator.scale_up.torus_block)
    return [math.lcm(t.accelerators, block) * k for t in space.trays for k in space.rack_counts]


def next_size(space: Space, domain: int) -> int:
    """Smallest domain larger than ``domain`` that whole trays (and torus blocks) in
    identical racks can make."""
    return min((domain // step + 1) * step for step in _steps(space))


def unmakeable(space: Space, low: int, high: int) -> str:
    """Why no domain from ``low`` to ``high`` exists by granularity, with the nearest sizes
    whole trays in identical racks can make."""
    chips = " or ".join(str(n) for n in sorted({t.accelerators for t in space.trays}))
    parts = f"whole {chips}-chip trays"
    block = space.accelerator.scale_up.torus_block
    if block:
        parts += f" making whole {'x'.join(map(str, block))} torus blocks"
    what = f"{low} cannot" if low == high else f"no size from {low} to {high} can"
    below = max((low - 1) // step * step for step in _steps(space))
    above = next_size(space, high)
    nearest = (
        f"nearest makeable sizes: {below} and {above}"
        if below
        else f"the smallest makeable size is {above}"
    )
    return f"{what} be made from {parts} in identical racks; {nearest}"


def solve_space(
    space: Space,
    min_domain: int | None = None,
    time_limit: float = 30.0,
    inputs: tuple = (),
    explain: bool = True,
    lay_out: bool | None = None,
) -> Result:
    """Solve one accelerator's :class:`Space` to its maximal domain and explain it.

    With ``explain=False`` the next size is not proven infeasible and nothing is named
    binding (for sweeps that only need the domain size). ``lay_out`` (default: as
    ``explain``) places the design at its shortest runs, as ``solve`` shows it; without it
    the placement is the first the search found.
    """
    start = time.perf_counter()
    session = _Session(space, time_limit)
    accel = space.accelerator.id

    def stats(proven: bool, layout_optimal: bool = False) -> SolveStats:
        return SolveStats(
            time.perf_counter() - start, proven, session.solves, 1, SEED, time_limit, layout_optimal
        )

    def no_design(status: str, binding: list[str], text: str) -> Result:
        return Result(
            accelerator=accel,
            profile=space.profile.id,
            status=status,
            domain_size=0,
            design=None,
            space=space,
            checks=(),
            binding=tuple(binding),
            next_size=None,
            explanation=text,
            solve=stats(status == "infeasible"),
            inputs=inputs,
        )

    first = session.model(min_domain=min_domain)
    first.cp.maximize(first.domain)
    status, solver = session.run(first)
    size = min_domain or 1
    if status == cp_model.INFEASIBLE:
        families, how = session.conflict(size)
        return no_design("infeasible", families, _infeasible_text(space, size, families, how))
    if status != cp_model.FEASIBLE and status != cp_model.OPTIMAL:
        return no_design("unknown", [], _unknown_text(accel, min_domain, time_limit))
    proven = status == cp_model.OPTIMAL
    domain = solver.value(first.domain)

    second = session.model()
    second.cp.add(second.domain == domain)
    second.cp.minimize(_cost(second))
    status2, solver2 = session.run(second)
    cheapest = status2 == cp_model.OPTIMAL
    if status2 not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        second, solver2 = first, solver
    design = second.decode(solver2)
    design = replace(design, layout=decode_layout(second, solver2, design))
    layout_proven = False
    if explain if lay_out is None else lay_out:  # a placement is known; now the best one
        design, layout_proven = _lay_out(session, design)

    checks = tuple(check_design(design, space))
    failed = [c for c in checks if not c.ok and c.family not in space.relaxed]
    if failed:  # the integer model and the physical check disagree: a bug, say so loudly
        raise AssertionError(f"{accel}: solver design fails its own check: {failed}")

    bigger = next_size(space, domain)
    cap = space.domain_cap
    binding: list[str] = []
    how = "undecided"
    if not explain:
        how = "not explained"
    elif cap is not None and bigger > cap:  # nothing larger within the cap: maximal
        proven = True
        binding, how = (["granularity"], "granularity") if domain < cap else ([], "capped")
    else:
        probe = session.feasible(None, bigger)
        if probe is False:  # no domain of `bigger` or more: maximal
            proven = True
            binding, how = session.conflict(bigger)
        elif probe:  # the first solve stopped short of a larger design
            proven = False
    text = _explanation(space, domain, bigger, binding, how, proven, cheapest)
    totals = {
        "power": draw_power(design, space),
        "it_power": it_power(design, space),
        "peak_power": peak_power(design, space),
        "liquid_heat": liquid_heat(design, space),
        "mass": total_mass(design, space),
        **cable_stats(design, space),
    }
    coolant = space.coolant(design.cooling)
    if coolant is not None and totals["liquid_heat"].magnitude > 0:
        rise = coolant_rise(space.profile)
        totals["coolant_flow"] = coolant_flow(totals["liquid_heat"], coolant, rise)
    if design.rack.busbar_voltage is not None and design.shelf.output == "busbar":
        totals["busbar_current"] = busbar_current(totals["it_power"], design.rack)
    totals |= domain_power(design, space, totals["power"])
    totals["bisection_bandwidth"] = bisection_bandwidth(design.accelerator, domain).to("TB/s")
    if design.accelerator.scale_up.topology == "torus":
        dims = design.accelerator.scale_up.torus_dimensions
        totals["diameter"] = Quantity(torus_diameter(domain, dims), "hop")
    if design.accelerator.scale_up.topology == "dragonfly":  # worst case, charged to budgets
        totals["diameter"] = Quantity(fabric_hops(design.accelerator.scale_up, domain), "hop")
    optimal = proven and cheapest
    return Result(
        accelerator=accel,
        profile=space.profile.id,
        status="optimal" if optimal else "feasible",
        domain_size=domain,
        design=design,
        space=space,
        checks=mark_binding(checks, binding),
        binding=tuple(binding),
        next_size=bigger,
        explanation=text,
        solve=stats(optimal, layout_proven),
        inputs=inputs,
        totals=totals,
    )


def domain_power(design: Design, space: Space, rack_power: Quantity) -> dict[str, Quantity]:
    """The whole domain's draw (``domain_power``) beside one rack's ``rack_power``, with the
    optical circuit switches' and dedicated spine racks' shares; empty for one rack alone."""
    totals: dict[str, Quantity] = {}
    if design.racks > 1 or design.ocs_units:  # per rack above; the whole domain's draw too
        totals["domain_power"] = (design.racks * rack_power).to("kW")
    if design.ocs_units:  # the optical circuit switches joining the blocks, in racks of their own
        totals["ocs_power"] = (design.ocs_units * design.ocs.power).to("kW")
        totals["domain_power"] += totals["ocs_power"]
    if design.spine_racks:
        totals["spine_rack_power"] = draw_power(design.spine_rack(), space)
        totals["domain_power"] += design.spine_racks * totals["spine_rack_power"]
    return totals


class Proofs:
    """What count-only solves of one space proved about points that differ only in their
    limits: the largest domain at some limits, and the cheapest design at that size.

    Every entry is a proof, whichever worker found it, so workers share them (:meth:`since`,
    :meth:`learn`): a point that entries of any worker bracket needs no solve, and its
    answer is the one its own solves would prove.
    """

    def __init__(self) -> None:
        self.domains: dict[tuple[float, ...], int] = {}
        """Largest domain by limits (:func:`_limit_vector`)."""
        self.cheapest: dict[tuple[float, ...], Cheapest] = {}
        """Cheapest design at the largest domain, by limits."""
        self.designs: dict[tuple[int, ...], Design] = {}
        """One design object per key, so that entries share it (and pickle it once)."""
        self.log: list[tuple[float, ...] | Cheapest] = []
        """Every entry in the order it came: limits for a domain, a :class:`Cheapest` for a
        cheapest design or for the verdict of its uniqueness check."""
        self._table: tuple | None = None
        self._cheapest_table: tuple | None = None
        self._shared: dict[tuple[int, ...], Any] = {}

    def add_domain(self, at: tuple[float, ...], domain: int) -> None:
        if at not in self.domains:
            self.domains[at] = domain
            self.log.append(at)
            self._table = None

    def add_cheapest(self, entry: Cheapest) -> None:
        held = self.cheapest.get(entry.at)
        if held is None:
            entry.design = self.designs.setdefault(entry.key, entry.design)
            self.cheapest[entry.at] = entry
            self.log.append(entry)
            self._cheapest_table = None
        elif held.unique is None and entry.unique is not None:
            held.unique = entry.unique
            self.log.append(held)

    def since(self, mark: int) -> list:
        """The entries added after the first ``mark`` (``len(self.log)`` then), to share:
        each design travels as a :class:`~solver.pool.Shared` (pickled once here, unpickled
        once per worker)."""
        from solver.pool import Shared

        out: list = []
        for entry in self.log[mark:]:
            if isinstance(entry, Cheapest):
                if entry.key not in self._shared:
                    self._shared[entry.key] = Shared(self.designs[entry.key])
                out.append(replace(entry, design=self._shared[entry.key]))
            else:
                out.append((entry, self.domains[entry]))
        return out

    def learn(self, entries: Iterable) -> None:
        """Add entries another instance shared (:meth:`since`)."""
        for entry in entries:
            if isinstance(entry, Cheapest):
                design = getattr(entry.design, "value", entry.design)  # a Shared on arrival
                self.add_cheapest(replace(entry, design=design))
            else:
                self.add_domain(*entry)

    def bracket(self, limits: tuple[float, ...]) -> int | None:
        """The largest domain under ``limits`` if proven points below and above it agree."""
        if not self.domains:
            return None
        if self._table is None:
            self._table = (
                np.array(list(self.domains), dtype=float),
                np.array(list(self.domains.values())),
            )
        at, domains = self._table
        point = np.array(limits, dtype=float)
        below = domains[(at <= point).all(axis=1)]
        above = domains[(at >= point).all(axis=1)]
        if below.size and above.size and below.max() == above.min():
            return int(below.max())
        return None

    def bracket_cheapest(
        self, limits: tuple[float, ...], domain: int, unique: Callable[[Cheapest], bool]
    ) -> Design | None:
        """The cheapest design of ``domain`` accelerators under ``limits``, if proven points
        below and above them (with that largest domain) have the same cheapest design ``D``
        and no other design is as cheap at the point above (``unique``, one solve, asked at
        most once per point and remembered).

        ``D`` then fits here (it fits below, and every limit here is looser), and nothing
        here is cheaper (nothing above is) or as cheap (nothing above is), so ``D`` is the
        answer a solve here would prove: unique, so skipping the solve changes no answer.
        """
        if not self.cheapest:
            return None
        if self._cheapest_table is None:
            rows = list(self.cheapest.values())
            keys = {key: i for i, key in enumerate(dict.fromkeys(c.key for c in rows))}
            self._cheapest_table = (
                rows,
                np.array([c.at for c in rows], dtype=float),
                np.array([c.domain for c in rows]),
                np.array([keys[c.key] for c in rows]),
            )
        rows, at, domains, keys = self._cheapest_table
        point = np.array(limits, dtype=float)
        same = domains == domain
        below = set(keys[same & (at <= point).all(axis=1)].tolist())
        for i in np.flatnonzero(same & (at >= point).all(axis=1)):
            c = rows[i]
            if keys[i] not in below or c.unique is False:
                continue
            if c.unique is None:
                c.unique = unique(c)
                self.log.append(c)
                if not c.unique:
                    return None
            return c.design
        return None


class CountOnly:
    """Count-only re-solves of one space's what-ifs that change only its limits
    (:data:`solver.model.LIMITS`: feed power, rack static load).

    The two models of a count-only solve (largest domain; cheapest design at that size) are
    built once, with those limits as fixed variables that :meth:`solve` re-sets per point.
    Each solve has one worker and a fixed seed, skips presolve and probing (a few
    milliseconds on a model this small, more than the search) and is hinted with the base
    space's own solution.

    Most points need neither solve (:class:`Proofs`). The largest domain is monotone in the
    limits (relaxing one never shrinks it), so a point whose limits lie between two proven
    points' limits (every limit at least the one's, at most the other's) with the same
    largest domain has that domain too (:meth:`Proofs.bracket`); the domain is unique, so
    skipping its solve changes no answer. The cheapest design is skipped the same way when
    it is the only design of its cost at the point above (:meth:`Proofs.bracket_cheapest`,
    checked by a third model, :class:`_Rival`). So a point's answer is the one its own
    solves prove, whatever was solved before it and on whichever worker.

    Answers are proven as in :func:`solve_space` with ``explain=False``; the design is not
    re-checked (the model proved it; ``tests/test_sweep.py`` checks the two paths agree),
    is not laid out (``layout`` None) and its ``totals`` hold only ``power`` and the
    domain's draw, measured at the centred layout and remembered per design.
    """

    def __init__(self, space: Space, time_limit: float = 30.0, ints: Integers | None = None):
        self.session = _Session(space, time_limit, ints)
        self.first = self.session.model(reusable=True)
        self.first.cp.maximize(self.first.domain)
        self.second = self.session.model(reusable=True)
        self.target = self.second.cp.new_int_var(0, self.second.max_domain, "target-domain")
        self.second.cp.add(self.second.domain == self.target)
        self.second.cp.minimize(_cost(self.second))
        self.key_terms = _varying(self.second)
        self.rival = _Rival(self.session)
        self.totals: dict[tuple, dict[str, Quantity]] = {}
        self.proofs = Proofs()
        self.skipped = 0
        """Points whose largest domain was proven without a solve."""
        self.skipped_cheapest = 0
        """Points whose cheapest design was proven without a solve."""
        self.hinted = False
        self.solve(space, self.session.ints)  # its solutions hint every later point
        self.hinted = True

    def serves(self, ints: Integers) -> bool:
        """Whether a space with these integers differs from this one only in its limits."""
        return same_but_limits(self.session.ints, ints)

    def _cheapest_at(
        self, at: tuple[float, ...], ints: Integers, domain: int, proven: bool
    ) -> tuple[Design | None, bool]:
        """The cheapest design of ``domain`` accelerators under these limits (None if the
        time ran out), and whether it is proven cheapest."""
        if proven:
            unique = functools.partial(self.rival.unique, self.session.ints, run=self._run)
            known = self.proofs.bracket_cheapest(at, domain, unique)
            if known is not None:
                self.skipped_cheapest += 1
                return known, True
        _fix(self.second.cp, self.target, domain)
        status, solver = self._run(self.second)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None, False
        design = self.second.decode(solver)
        if proven and status == cp_model.OPTIMAL:
            key = tuple(solver.value(t) for t in self.key_terms)
            cost = round(solver.objective_value)
            limits = {name: getattr(ints, name) for name in LIMITS}
            self.proofs.add_cheapest(Cheapest(at, limits, domain, key, cost, design))
        return design, status == cp_model.OPTIMAL

    def _run(self, m: DomainModel) -> tuple[int, cp_model.CpSolver]:
        self.session.solves += 1
        solver = new_solver(self.session.time_limit)
        solver.parameters.cp_model_presolve = False
        solver.parameters.cp_model_probing_level = 0
        status = run_cp_sat(solver, m.cp)
        if not self.hinted and status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            hint = m.cp.proto.solution_hint
            solution = solver.response_proto.solution
            hint.vars.extend(range(len(solution)))
            hint.values.extend(solution)
        return status, solver

    def solve(self, space: Space, ints: Integers, inputs: tuple = ()) -> Result:
        """The count-only answer for ``space`` (which :meth:`serves` must accept)."""
        start = time.perf_counter()
        self.first.set_limits(ints)
        self.second.set_limits(ints)
        at = _limit_vector(ints)
        domain = self.proofs.bracket(at)
        proven, solver = domain is not None, None
        if domain is None:
            status, solver = self._run(self.first)
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # explained as usual
                return solve_space(space, None, self.session.time_limit, inputs, explain=False)
            proven = status == cp_model.OPTIMAL
            domain = solver.value(self.first.domain)
            if proven:
                self.proofs.add_domain(at, domain)
        else:
            self.skipped += 1
        design, cheapest = self._cheapest_at(at, ints, domain, proven)
        if design is None:
            if solver is None:  # the time ran out on a bracketed point: as usual
                return solve_space(space, None, self.session.time_limit, inputs, explain=False)
            design = self.first.decode(solver)
        totals = self._totals(design, space)
        bigger = next_size(space, domain)
        optimal = proven and cheapest
        return Result(
            accelerator=space.accelerator.id,
            profile=space.profile.id,
            status="optimal" if optimal else "feasible",
            domain_size=domain,
            design=design,
            space=space,
            checks=(),
            binding=(),
            next_size=bigger,
            explanation=_explanation(space, domain, bigger, [], "not explained", proven, cheapest),
            solve=SolveStats(
                time.perf_counter() - start, optimal, 2, 1, SEED, self.session.time_limit
            ),
            inputs=inputs,
            totals=totals,
        )

    def _totals(self, design: Design, space: Space) -> dict[str, Quantity]:
        """Power of ``design`` (the limits this instance re-sets do not change it; the
        layout does not either, so it is measured at the centred one, as sweeps weigh it)."""
        key = design_key(design)
        if key not in self.totals:
            power = draw_power(replace(design, layout=centred_layout(design, space)), space)
            self.totals[key] = {"power": power, **domain_power(design, space, power)}
        return self.totals[key]


@dataclass
class Cheapest:
    """A point whose largest domain and cheapest design at it are proven."""

    at: tuple[float, ...]
    """Its limits (:func:`_limit_vector`)."""
    limits: dict[str, Any]
    """Its :data:`~solver.model.LIMITS` as :class:`~solver.integers.Integers` holds them."""
    domain: int
    key: tuple[int, ...]
    """The values of the design's :meth:`~solver.model.DomainModel.key_terms`."""
    cost: int
    design: Design
    unique: bool | None = None
    """Whether no other design is as cheap here (None: not checked yet)."""


class _Rival:
    """A reusable model that looks for a design as cheap as a proven cheapest one, under the
    same limits and at the same size, but different from it (some key term differs)."""

    KEY_BOUND = 2**40

    def __init__(self, session: _Session):
        self.model = m = session.model(reusable=True)
        cp = m.cp
        self.target = cp.new_int_var(0, m.max_domain, "target-domain")
        cp.add(m.domain == self.target)
        self.cap = cp.new_int_var(0, 2**60, "cost-cap")
        cp.add(_cost(m) <= self.cap)
        self.keys, differs = [], []
        for i, term in enumerate(_varying(m)):
            key = cp.new_int_var(-self.KEY_BOUND, self.KEY_BOUND, f"key-{i}")
            differ = cp.new_bool_var(f"differs-{i}")
            cp.add(term != key).only_enforce_if(differ)
            self.keys.append(key)
            differs.append(differ)
        cp.add_bool_or(differs)

    def unique(self, ints: Integers, c: Cheapest, run: Callable) -> bool:
        """Whether ``c``'s design is the only one of its cost at its point (``ints`` with its
        limits; proven by one solve, a time-out counts as not unique)."""
        self.model.set_limits(replace(ints, **c.limits))
        _fix(self.model.cp, self.target, c.domain)
        _fix(self.model.cp, self.cap, c.cost)
        for key, value in zip(self.keys, c.key, strict=True):
            _fix(self.model.cp, key, value)
        status, _ = run(self.model)
        return status == cp_model.INFEASIBLE


def _varying(m: DomainModel) -> list:
    """``m``'s :meth:`~solver.model.DomainModel.key_terms` that are not constants."""
    return [t for t in m.key_terms().values() if not isinstance(t, int)]


def _fix(cp: cp_model.CpModel, var: cp_model.IntVar, value: int) -> None:
    """Re-set the domain of a reusable model's variable to the single ``value``."""
    domain = cp.proto.variables[var.index].domain
    domain[0], domain[1] = value, value


def _limit_vector(ints: Integers) -> tuple[float, ...]:
    """The :data:`solver.model.LIMITS` of ``ints`` as one vector (no limit: infinite)."""
    out: list[float] = []
    for name in LIMITS:
        value = getattr(ints, name)
        for v in value if isinstance(value, list) else [value]:
            out.append(math.inf if v is None else v)
    return tuple(out)


def design_key(design: Design) -> tuple:
    """What tells designs of one space apart: option ids and counts (not the layout)."""
    return tuple(
        getattr(value, "id", value)
        for f in fields(design)
        if f.name != "layout"
        for value in [getattr(design, f.name)]
    )


def mark_binding(checks: tuple[Check, ...], binding: Iterable[str]) -> tuple[Check, ...]:
    """``checks`` with ``binding`` set on each binding family's most utilised limits."""
    top = {
        family: max(c.utilization for c in checks if c.family == family)
        for family in binding
        if any(c.family == family for c in checks)
    }
    return tuple(
        replace(c, binding=True) if c.utilization >= top.get(c.family, math.inf) - 1e-9 else c
        for c in checks
    )


def _lay_out(session: _Session, design: Design) -> tuple[Design, bool]:
    """Place the solved design: minimise the longest run, then the total copper distance,
    then (cosmetic, not part of the proof) the height of the stack.

    Keeps the layout found while solving if a solve runs out of time.
    """
    first = session.model(exact=design)
    hint(first, design.layout)
    first.cp.minimize(first.q.longest_um)
    status, solver = session.run(first)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return design, False
    longest = solver.value(first.q.longest_um)
    second = session.model(exact=design)
    second.cp.add(second.q.longest_um <= longest)
    hint(second, decode_layout(first, solver, design))
    second.cp.minimize(total_gap(second))
    status2, solver2 = session.run(second, work_limit=LAYOUT_WORK)
    if status2 not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return replace(design, layout=decode_layout(first, solver, design)), False
    layout = decode_layout(second, solver2, design)
    third = session.model(exact=design)
    third.cp.add(third.q.longest_um <= longest)
    third.cp.add(total_gap(third) <= round(solver2.objective_value))
    hint(third, layout)
    third.cp.minimize(stack_height(third))
    status3, solver3 = session.run(third, work_limit=LAYOUT_WORK)
    if status3 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        layout = decode_layout(third, solver3, design)
    return replace(design, layout=layout), status == status2 == cp_model.OPTIMAL


def _cost(m: DomainModel):
    """Second objective: the domain's feed draw first, then fewer parts, then earlier
    catalog options."""
    order = sum(
        i * u
        for uses in (m.use_tray, m.use_rack, m.use_shelf, m.use_cooling, m.use_switch, m.use_cable)
        for i, u in enumerate(uses)
    )
    parts = sum(m.n_shelves) + sum(m.n_switch) + m.switch_chips
    return m.q.domain_draw_w * 100_000 + parts * 100 + order


def _unknown_text(accel: str, min_domain: int | None, time_limit: float) -> str:
    asked = f" of {plural(min_domain, 'accelerator')} or more" if min_domain else ""
    return (
        f"{accel}: no design{asked} found within the time limit ({time_limit:g} s per solve), "
        "and none proven impossible"
    )


def _explanation(
    space: Space,
    domain: int,
    bigger: int,
    binding: list[str],
    how: str,
    proven: bool,
    cheapest: bool,
) -> str:
    accel, found = space.accelerator.id, plural(domain, "accelerator")
    if not proven:
        return f"{accel}: {found} found within the time limit; not proven maximal"
    largest = f"{accel}: {found} is the largest domain"
    if how == "each alone":
        text = (
            f"{largest}; {bigger} is impossible because of {', '.join(binding)} "
            "(each alone rules it out)"
        )
    elif how == "together":
        text = (
            f"{largest}; {bigger} is impossible because {', '.join(binding)} conflict "
            "(no single one of them does)"
        )
    elif how == "capped":
        text = (
            f"{accel}: {plural(domain, 'accelerator')}, the largest size asked for (--max-domain)"
        )
    elif how == "granularity":
        text = f"{largest} up to --max-domain {space.domain_cap}: " + unmakeable(
            space, domain + 1, space.domain_cap
        )
    elif how == "not explained":
        text = f"{largest} (proven; not explained)"
    elif how == "structure":
        text = f"{largest}; the catalog's parts allow no {bigger} or more"
    else:
        text = f"{largest}; what rules out {bigger} was not found within the time limit"
    if not cheapest:
        text += "; its design is not proven the cheapest within the time limit"
    if space.relaxed:
        text += f" (with {', '.join(space.relaxed)} relaxed)"
    return text


def _infeasible_text(space: Space, size: int, families: list[str], how: str) -> str:
    """Why no domain of ``size`` or more exists (the first solve proved it)."""
    accel = space.accelerator.id
    if how == "compatibility":
        return misfits(space)
    if how == "granularity":
        return f"{accel}: no design: {unmakeable(space, size, space.domain_cap)}"
    reach = next_size(space, size - 1)  # the smallest size at least `size` trays make
    lead = f"{accel}: no design reaches {plural(size, 'accelerator')}"
    if reach > size:
        lead = (
            f"{accel}: {unmakeable(space, size, size)}; "
            f"no design reaches {plural(reach, 'accelerator')}"
        )
    if how == "each alone":
        return f"{lead}: {', '.join(families)} rule it out"
    if how == "together":
        return f"{lead}: {', '.join(families)} conflict"
    if how == "structure":
        return f"{lead} with the catalog's parts"
    return f"{lead}; the limits that rule it out were not found within the time limit"


def solve(
    catalog: Catalog | str | Path | Iterable[str | Path] | None,
    profile: LoadedProfile | str | Path | None,
    accelerator: str | schema.Accelerator | None = None,
    pins: Mapping[str, str | Any] | None = None,
    min_domain: int | None = None,
    time_limit: float = 30.0,
    max_racks: int = 1,
    requirements: Iterable[Requirement | str] = (),
    explain: bool = True,
    switch_position: str = "any",
    racks: int | None = None,
    max_domain: int | None = None,
    relax: Iterable[str] = (),
    workload: str | schema.Workload | None = None,
    lay_out: bool | None = None,
) -> Result:
    """The maximal scale-up domain of one accelerator: always one :class:`Result` (see
    :func:`solve_all` for every accelerator of the catalog).

    ``catalog`` and ``profile`` are loaded objects or what :func:`load_catalog` and
    :func:`load_constraints` take (paths, a profile's name; ``None``: the shipped
    catalogs, the default profile). ``accelerator`` is an id or a catalog entry; pinning
    it in ``pins`` is the same. ``pins`` fix catalog choices by category
    (``{"rack": "nvl72-rack"}``), by id or entry. A domain may span up to ``max_racks``
    identical racks, or exactly ``racks``; ``max_domain`` caps the size asked for.
    ``relax`` names constraint families left unenforced (a what-if: what binds once the
    switch radix is gone?). ``requirements`` are workload budgets, parsed or as text
    (``"moe_all_to_all <= 200 us"``, for ``workload``, an id or entry). With
    ``explain=False`` the next size is not proven infeasible (faster, for sweeps), and the
    design is not laid out at its shortest runs unless ``lay_out=True``.
    Errors (:class:`UsageError`) name these keyword arguments.
    """
    catalog, profile = _load(catalog, profile)
    pins = _ids(dict(pins or {}))
    if accelerator is not None:
        pins["accelerator"] = _ids({"accelerator": accelerator})["accelerator"]
    if "accelerator" not in pins:
        known = ", ".join(catalog.domain_accelerators()) or "none in the catalog"
        raise UsageError(
            "solve() solves one accelerator: name it with {accelerator} "
            f"(one of {known}), or call solve_all() for every one",
            related={"accelerator": "ID"},
        )
    relax = (relax,) if isinstance(relax, str) else tuple(relax)
    unknown = [name for name in relax if name not in FAMILIES]
    if unknown:
        close = difflib.get_close_matches(str(unknown[0]), list(FAMILIES), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise UsageError(
            f"no such constraint family{hint} (families: {', '.join(FAMILIES)})",
            "relax",
            (unknown[0],),
        )
    if min_domain is not None and max_domain is not None and min_domain > max_domain:
        raise UsageError(
            "exceeds {max_domain}", "min_domain", min_domain, {"max_domain": max_domain}
        )
    if racks is not None and racks > max_racks:
        max_racks = racks
    accel_id = pins["accelerator"]
    found = canonical_id(accel_id, catalog.accelerators)  # ids match in any case
    if found is None:
        close = suggestions(accel_id, catalog.accelerators)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        argument = "accelerator" if accelerator is not None else "pins"
        value = accel_id if accelerator is not None else {"accelerator": accel_id}
        raise UsageError(f"no such accelerator{hint}", argument, value)
    pins["accelerator"] = found
    pins = check_pins(catalog, pins)
    accel_id = pins.pop("accelerator")
    requirements = _requirements(requirements, workload, catalog)
    inputs = (*catalog.files, profile.file)
    try:
        space = build_space(
            catalog,
            profile.profile,
            accel_id,
            pins,
            max_racks,
            requirements,
            switch_position,
            racks,
        )
    except InfeasibleError as exc:
        return Result(
            accelerator=accel_id,
            profile=profile.profile.id,
            status="infeasible",
            domain_size=0,
            design=None,
            space=None,
            checks=(),
            binding=tuple(exc.conflicts),
            next_size=None,
            explanation=str(exc),
            solve=SolveStats(0.0, True, 0, 1, SEED, time_limit),
            inputs=inputs,
        )
    if max_domain is not None:
        space = replace(space, domain_cap=max_domain)
    if relax:
        space = replace(space, relaxed=relax)
    return solve_space(space, min_domain, time_limit, inputs, explain, lay_out)


def solve_all(
    catalog: Catalog | str | Path | Iterable[str | Path] | None,
    profile: LoadedProfile | str | Path | None,
    accelerators: Iterable[str | schema.Accelerator] | None = None,
    progress: Callable[[str], None] | None = None,
    **options: Any,
) -> list[Result]:
    """:func:`solve` for each of ``accelerators`` (default: every accelerator some compute
    tray builds a domain of, in catalog order; the one pinned in ``pins``, if any):
    always a list of :class:`Result`. ``options`` are :func:`solve`'s keyword arguments;
    ``progress`` is called with each accelerator id once it is solved."""
    catalog, profile = _load(catalog, profile)
    pinned = _ids(dict(options.get("pins") or {})).get("accelerator")
    if accelerators is not None:
        ids = [_ids({"accelerator": a})["accelerator"] for a in accelerators]
    else:
        ids = [pinned] if pinned is not None else catalog.domain_accelerators()
    if not ids:
        files = ", ".join(f.path for f in catalog.files) or "no files"
        raise UsageError(f"the catalog ({files}) holds no accelerators to solve")
    if "requirements" in options:  # parsed once, not once per accelerator
        options["requirements"] = _requirements(
            options["requirements"], options.pop("workload", None), catalog
        )
    results = []
    for accel_id in ids:
        results.append(solve(catalog, profile, accel_id, **options))
        if progress is not None:
            progress(accel_id)
    return results


def _load(catalog, profile) -> tuple[Catalog, LoadedProfile]:
    """``catalog`` and ``profile`` loaded, when given as paths or names."""
    if not isinstance(catalog, Catalog):
        catalog = load_catalog(catalog)
    if not isinstance(profile, LoadedProfile):
        profile = load_constraints(profile)
    return catalog, profile


def _ids(pins: dict[str, Any]) -> dict[str, str]:
    """Pins with catalog entries replaced by their ids; anything else but an id refused."""
    out = {}
    for category, value in pins.items():
        value = getattr(value, "id", value)
        if not isinstance(value, str):
            raise UsageError("expected an id or a catalog entry", "pins", {category: value})
        out[category] = value
    return out


def _requirements(requirements, workload, catalog: Catalog) -> tuple[Requirement, ...]:
    """Workload budgets, parsed if given as text (``workload`` by id or entry)."""
    requirements = (requirements,) if isinstance(requirements, str) else tuple(requirements)
    texts = [r for r in requirements if isinstance(r, str)]
    if not texts:
        return requirements
    from solver.budgets.requirements import parse_requirements

    parsed = iter(parse_requirements(texts, workload, catalog=catalog))
    return tuple(next(parsed) if isinstance(r, str) else r for r in requirements)


def check_design(design: Design, space: Space):
    """Every family's and requirement's checks for a given design (no solver involved);
    a dedicated spine rack is checked like any rack, its limits named "spine rack: ..."."""
    checks = [check for family in FAMILIES.values() for check in family.measure(design, space)]
    if design.spine_racks:
        spine = design.spine_rack()
        checks += [
            replace(check, limit_name=f"spine rack: {check.limit_name}")
            for family in RACK_FAMILIES
            for check in family.measure(spine, space)
        ]
    return checks + [check for r in space.requirements for check in r.measure(design, space)]
