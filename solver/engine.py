"""Solve, prove and explain: the maximal domain, the cheapest design for it, what binds.

1. Maximise the domain with every family enforced (one worker, fixed seed).
2. Fix that size and minimise the domain's feed draw, then the counts, then catalog order.
3. Lay the design out: minimise its longest spine run, then its total copper distance.
4. Re-measure the design in physical units with every family (an independent check).
5. Prove the next size the trays allow infeasible, with the families as assumption
   literals; name the families that block it alone, or else a minimal conflicting set.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import replace

from ortools.sat.python import cp_model

from solver.budgets.bandwidth import bisection_bandwidth, torus_diameter
from solver.catalog import Catalog, LoadedProfile
from solver.design import Design, Space, build_space, check_pins
from solver.errors import InfeasibleError
from solver.families import FAMILIES
from solver.integers import integers
from solver.layout import cable_stats
from solver.model import SEED, DomainModel, new_solver
from solver.parts import draw_power, it_power, liquid_heat, peak_power, total_mass
from solver.physics.cooling import coolant_flow, coolant_rise
from solver.physics.power import busbar_current
from solver.placement import decode_layout, hint, total_gap
from solver.result import Result, SolveStats
from solver.spine import RACK_FAMILIES
from solver.units import Quantity

LAYOUT_WORK = 1.0
"""Deterministic-time budget for minimising total copper distance (the longest run is always
proven minimal): large multi-rack layouts stop here, identically on every run."""


class _Session:
    """Counts solves and time for one accelerator."""

    def __init__(self, space: Space, time_limit: float):
        self.space = space
        self.time_limit = time_limit
        self.solves = 0
        self.names = space.limit_names
        self.ints = integers(space)

    def model(
        self,
        enforced: Iterable[str] | None = None,
        min_domain: int | None = None,
        assume: bool = False,
        exact: Design | None = None,
    ) -> DomainModel:
        m = DomainModel(self.space, exact, self.ints)
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
        return solver.solve(m.cp), solver

    def feasible(self, enforced: Iterable[str], min_domain: int) -> bool | None:
        status, _ = self.run(self.model(enforced, min_domain))
        if status == cp_model.INFEASIBLE:
            return False
        return True if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None

    def conflict(self, size: int) -> tuple[list[str], str]:
        """Families that make a domain of ``size`` impossible, and how to read them."""
        alone = [f for f in self.names if self.feasible([f], size) is False]
        if alone:
            return alone, "each alone"
        m = self.model(self.names, size, assume=True)
        status, solver = self.run(m)
        if status != cp_model.INFEASIBLE:
            return [], "undecided"
        by_index = {m.enforce[f].index: f for f in self.names}
        core = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility()]
        if not core:
            return [], "structure"
        for family in list(core):  # shrink the core to a minimal conflicting set
            trial = [f for f in core if f != family]
            if self.feasible(trial, size) is False:
                core = trial
        return core, "together"


def next_size(space: Space, domain: int) -> int:
    """Smallest domain larger than ``domain`` that whole trays in identical racks can make."""
    return min(
        (domain // (t.accelerators * k) + 1) * t.accelerators * k
        for t in space.trays
        for k in space.rack_counts
    )


def solve_space(
    space: Space,
    min_domain: int | None = None,
    time_limit: float = 30.0,
    inputs: tuple = (),
    explain: bool = True,
) -> Result:
    """Solve one accelerator's :class:`Space` to its maximal domain and explain it.

    With ``explain=False`` the next size is not proven infeasible and nothing is named
    binding (for sweeps that only need the domain size).
    """
    start = time.perf_counter()
    session = _Session(space, time_limit)
    accel = space.accelerator.id

    def stats(proven: bool, layout_optimal: bool = False) -> SolveStats:
        return SolveStats(
            time.perf_counter() - start, proven, session.solves, 1, SEED, time_limit, layout_optimal
        )

    first = session.model(min_domain=min_domain)
    first.cp.maximize(first.domain)
    status, solver = session.run(first)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        size = min_domain or 1
        families, how = session.conflict(size)
        text = _infeasible_text(accel, size, families, how, status)
        return Result(
            accel,
            space.profile.id,
            "infeasible",
            0,
            None,
            space,
            (),
            tuple(families),
            None,
            text,
            stats(status == cp_model.INFEASIBLE),
            inputs,
        )
    proven = status == cp_model.OPTIMAL
    domain = solver.value(first.domain)

    second = session.model()
    second.cp.add(second.domain == domain)
    second.cp.minimize(_cost(second))
    status2, solver2 = session.run(second)
    if status2 not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        second, solver2 = first, solver
    else:
        proven = proven and status2 == cp_model.OPTIMAL
    design = second.decode(solver2)
    design = replace(design, layout=decode_layout(second, solver2, design))
    layout_proven = False
    if explain:  # a feasible placement is known; now the best one
        design, layout_proven = _lay_out(session, design)

    checks = tuple(check_design(design, space))
    failed = [c for c in checks if not c.ok]
    if failed:  # the integer model and the physical check disagree: a bug, say so loudly
        raise AssertionError(f"{accel}: solver design fails its own check: {failed}")

    bigger = next_size(space, domain)
    binding: list[str] = []
    how = "undecided"
    if not explain:
        how = "not explained"
    elif space.domain_cap is not None and domain >= space.domain_cap:
        how = "capped"
    elif session.feasible(None, bigger) is False:
        binding, how = session.conflict(bigger)
    elif proven:
        proven = False  # cannot happen for a proven optimum; be honest if it does
        how = "undecided"
    text = _explanation(accel, domain, bigger, binding, how, proven)
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
    if design.racks > 1:  # power and mass above are per rack; the domain's whole draw too
        totals["domain_power"] = (design.racks * totals["power"]).to("kW")
    if design.spine_racks:
        totals["spine_rack_power"] = draw_power(design.spine_rack(), space)
        totals["domain_power"] += design.spine_racks * totals["spine_rack_power"]
    totals["bisection_bandwidth"] = bisection_bandwidth(design.accelerator, domain).to("TB/s")
    if design.accelerator.scale_up.topology == "torus":
        dims = design.accelerator.scale_up.torus_dimensions
        totals["diameter"] = Quantity(torus_diameter(domain, dims), "hop")
    return Result(
        accel,
        space.profile.id,
        "optimal" if proven else "feasible",
        domain,
        design,
        space,
        checks,
        tuple(binding),
        bigger,
        text,
        stats(proven, layout_proven),
        inputs,
        totals,
    )


def _lay_out(session: _Session, design: Design) -> tuple[Design, bool]:
    """Place the solved design: minimise the longest run, then the total copper distance.

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
    if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return replace(design, layout=decode_layout(second, solver2, design)), (
            status == status2 == cp_model.OPTIMAL
        )
    return replace(design, layout=decode_layout(first, solver, design)), False


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


def _explanation(
    accel: str, domain: int, bigger: int, binding: list[str], how: str, proven: bool
) -> str:
    if not proven:
        return f"{accel}: {domain} accelerators found within the time limit; not proven maximal"
    if how == "each alone":
        return (
            f"{accel}: {domain} accelerators is the largest domain; {bigger} is impossible "
            f"because of {', '.join(binding)} (each alone rules it out)"
        )
    if how == "together":
        return (
            f"{accel}: {domain} accelerators is the largest domain; {bigger} is impossible "
            f"because {', '.join(binding)} conflict (no single one of them does)"
        )
    if how == "capped":
        return f"{accel}: {domain} accelerators, the largest size asked for (--max-domain)"
    if how == "not explained":
        return f"{accel}: {domain} accelerators is the largest domain (proven; not explained)"
    return f"{accel}: {domain} accelerators is the largest domain the catalog's options allow"


def _infeasible_text(accel: str, size: int, families: list[str], how: str, status: int) -> str:
    if status != cp_model.INFEASIBLE:
        return f"{accel}: no design found for {size} accelerators within the time limit"
    if how == "each alone":
        return f"{accel}: no design reaches {size} accelerators: {', '.join(families)} rule it out"
    if how == "together":
        return f"{accel}: no design reaches {size} accelerators: {', '.join(families)} conflict"
    return f"{accel}: no design of {size} accelerators exists among the catalog's options"


def solve(
    catalog: Catalog,
    profile: LoadedProfile,
    accelerator: str | None = None,
    pins: dict[str, str] | None = None,
    min_domain: int | None = None,
    time_limit: float = 30.0,
    max_racks: int = 1,
    requirements: tuple = (),
    explain: bool = True,
    switch_position: str = "any",
    racks: int | None = None,
    max_domain: int | None = None,
) -> Result | list[Result]:
    """Maximal scale-up domain for one accelerator, or for every accelerator in the catalog.

    ``pins`` fix catalog choices by category (``{"rack": "nvl72-rack"}``); pinning
    ``accelerator`` is the same as passing ``accelerator``. A domain may span up to
    ``max_racks`` identical racks, or exactly ``racks``. Returns a list when no accelerator
    is named.
    """
    if racks is not None and racks > max_racks:
        max_racks = racks
    pins = dict(pins or {})
    if accelerator:
        pins["accelerator"] = accelerator
    check_pins(catalog, pins)
    accelerator = pins.pop("accelerator", None)
    inputs = (*catalog.files, profile.file)
    ids = [accelerator] if accelerator else list(catalog.accelerators)
    results = []
    for accel_id in ids:
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
            if max_domain is not None:
                space = replace(space, domain_cap=max_domain)
        except InfeasibleError as exc:
            results.append(
                Result(
                    accel_id,
                    profile.profile.id,
                    "infeasible",
                    0,
                    None,
                    None,
                    (),
                    tuple(exc.conflicts),
                    None,
                    str(exc),
                    SolveStats(0.0, True, 0, 1, SEED, time_limit),
                    inputs,
                )
            )
            continue
        results.append(solve_space(space, min_domain, time_limit, inputs, explain))
    return results[0] if accelerator else results


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
