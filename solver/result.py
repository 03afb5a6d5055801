"""The answer for one accelerator: the domain, the design, every limit's use, what binds.

A :class:`Result` is plain data, built by keyword by the engine: it holds what was solved
and derives views of it (``to_dict()``, the JSON the CLI prints; ``to_frame()``, the budget
table). Its values are exact; ``repr`` is one line, ``str`` a short summary rounded for
display (:func:`~solver.units.format_quantity`). It runs nothing: the sensitivity of a
result is ``solver.sensitivity.sensitivity(result)``, called by whoever wants it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from solver.catalog import InputFile
from solver.design import Design, Space
from solver.families import FAMILIES, limit_names
from solver.families.base import Check
from solver.physics.reach import is_copper
from solver.units import format_quantity


@dataclass(frozen=True)
class SolveStats:
    """How the answer was obtained."""

    wall_time_s: float
    proven_optimal: bool
    solves: int
    workers: int
    seed: int
    time_limit_s: float
    layout_optimal: bool = False
    """The layout's longest run and then total copper distance are proven minimal."""


@dataclass(frozen=True, kw_only=True)
class Result:
    """Maximal scale-up domain of one accelerator under one profile."""

    accelerator: str
    profile: str
    status: str
    """``optimal`` (maximal and cheapest, proven); ``feasible`` (a design, but the time limit
    cut a proof short: not proven maximal or not proven cheapest); ``unknown`` (the time
    limit hit before any design or proof); ``infeasible`` (proven: no design)."""
    domain_size: int
    design: Design | None
    space: Space | None = field(repr=False)
    checks: tuple[Check, ...]
    binding: tuple[str, ...]
    """What makes the next larger domain impossible: families (alone, else together), or
    ``compatibility`` (parts that do not fit together) or ``granularity`` (no size whole
    trays make within the asked range). Each check says whether it binds itself."""
    next_size: int | None
    """Smallest larger domain the compute trays allow; proven infeasible when optimal."""
    explanation: str
    solve: SolveStats
    inputs: tuple[InputFile, ...] = ()
    totals: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        """One line: ``Result(gb200 on hyperscale-liquid: 72 accelerators, proven optimal,
        binds: topology)``."""
        return f"Result({self.headline()})"

    def __str__(self) -> str:
        """A short summary: the answer, the chosen parts, the counts, the totals rounded
        for display (:func:`~solver.units.format_quantity`) and the binding limits."""
        lines = [self.headline(), self.explanation]
        d = self.design
        if d is not None:
            parts = ", ".join(
                f"{k} {v}" for k, v in d.choices().items() if v is not None and k != "accelerator"
            )
            lines.append(f"design: {parts}; {d.topology}")
            lines.append("counts: " + ", ".join(f"{k} {v}" for k, v in d.counts().items() if v))
            totals = ", ".join(f"{k} {format_quantity(v)}" for k, v in self.totals.items())
            lines.append(f"totals: {totals}")
        for c in self.checks:
            if c.binding:
                lines.append(
                    f"binding: {c.family}: {c.limit_name}: {format_quantity(c.used)} of "
                    f"{format_quantity(c.limit.to(c.used.units))} ({c.utilization:.1%})"
                )
        return "\n".join(lines)

    def headline(self) -> str:
        """``gb200 on hyperscale-liquid: 72 accelerators, proven optimal, binds: topology``."""
        status = {
            "optimal": "proven optimal",
            "feasible": "feasible, not proven optimal (time limit)",
            "infeasible": "proven infeasible",
            "unknown": "unknown (time limit, nothing proven)",
        }.get(self.status, self.status)
        size = f"{self.domain_size} accelerator{'s' * (self.domain_size != 1)}"
        text = f"{self.accelerator} on {self.profile}: {size if self.design else 'no design'}"
        text += f", {status}"
        return text + (f", binds: {', '.join(self.binding)}" if self.binding else "")

    @property
    def ok(self) -> bool:
        """A design was found (``optimal`` or ``feasible``)."""
        return self.status in ("optimal", "feasible")

    def budgets(self) -> dict[str, dict[str, Any]]:
        """Per family: the most utilised limit as the headline, and all its checks."""
        out: dict[str, dict[str, Any]] = {}
        names = limit_names(self.space) if self.space is not None else tuple(FAMILIES)
        for name in names:
            checks = [c for c in self.checks if c.family == name]
            if not checks:
                out[name] = {
                    "applies": False,
                    "used": None,
                    "limit": None,
                    "utilization": None,
                    "checks": [],
                }
                continue
            head = max(checks, key=lambda c: c.utilization)
            out[name] = {"applies": True, **head.as_dict(), "checks": [c.as_dict() for c in checks]}
        return out

    def to_dict(self) -> dict[str, Any]:
        design = None
        if self.design is not None:
            design = {
                **self.design.choices(),
                "topology": self.design.topology,
                "counts": self.design.counts(),
                "per_rack": self.design.rack_counts(),
                "totals": {k: format_quantity(v) for k, v in self.totals.items()},
                "cables": self.cable_summary(),
                "layout": self.design.layout.rows() if self.design.layout else [],
            }
        return {
            "accelerator": self.accelerator,
            "profile": self.profile,
            "status": self.status,
            "domain_size": self.domain_size,
            "design": design,
            "budgets": self.budgets(),
            "binding": list(self.binding),
            "next_size": self.next_size,
            "explanation": self.explanation,
            "solve": {
                "wall_time_s": round(self.solve.wall_time_s, 3),
                "proven_optimal": self.solve.proven_optimal,
                "solves": self.solve.solves,
                "workers": self.solve.workers,
                "seed": self.solve.seed,
                "time_limit_s": self.solve.time_limit_s,
                "layout_optimal": self.solve.layout_optimal,
            },
            "inputs": [{"path": f.path, "sha256": f.sha256} for f in self.inputs],
        }

    def cable_summary(self) -> dict[str, Any]:
        """Cable statistics as unit strings: one compute rack's spine runs (longest, mean,
        copper length), then the whole domain's optical links (spine links on optical or CPO
        cables and inter-rack links on optical or CPO cables) and its cables per type (spine
        cables of every compute rack, inter-rack cables)."""
        d = self.design
        out: dict[str, Any] = {
            "max_run": "0 m",
            "mean_run": "0 m",
            "total_copper_length": "0 m",
            "optical_links": 0,
            "by_type": {},
        }
        if d is None:
            return out
        counts = d.counts()
        if d.cable is not None:
            copper = is_copper(d.cable)
            total = self.totals["total_cable_length"]
            out["max_run"] = format_quantity(self.totals["max_run"])
            out["mean_run"] = format_quantity(self.totals["mean_run"])
            out["total_copper_length"] = format_quantity(total if copper else 0 * total)
            out["optical_links"] += 0 if copper else counts["links"]
            out["by_type"][d.cable.id] = counts["cables"]
        if d.xcable is not None:
            out["optical_links"] += 0 if is_copper(d.xcable) else d.interrack_links
            by_type = out["by_type"]
            by_type[d.xcable.id] = by_type.get(d.xcable.id, 0) + counts["interrack_cables"]
        return out

    def to_frame(self):
        """Budget table: one row per limit (accelerator, profile, family, limit_name, used,
        limit, unit, utilization, binding), values exact; ``pd.concat`` joins the frames of
        several results."""
        import pandas as pd

        rows = [
            {
                "accelerator": self.accelerator,
                "profile": self.profile,
                "family": c.family,
                "limit_name": c.limit_name,
                "used": float(c.used.magnitude),
                "limit": float(c.limit.to(c.used.units).magnitude),
                "unit": f"{c.used.units:~P}",
                "utilization": round(c.utilization, 6),
                "binding": c.binding,
            }
            for c in self.checks
        ]
        columns = [
            "accelerator",
            "profile",
            "family",
            "limit_name",
            "used",
            "limit",
            "unit",
            "utilization",
            "binding",
        ]
        return pd.DataFrame(rows, columns=columns)

    def summary_row(self) -> dict[str, Any]:
        """One flat row for the summary table: counts for the whole domain, ``power_kW`` and
        ``mass_kg`` for one compute rack, ``domain_power_kW`` for all racks."""
        counts = self.design.counts() if self.design else {}
        choices = self.design.choices() if self.design else {}
        return {
            "accelerator": self.accelerator,
            "profile": self.profile,
            "status": self.status,
            "domain_size": self.domain_size,
            "next_size": self.next_size,
            "binding": " ".join(self.binding),
            **{
                k: choices.get(k)
                for k in ("compute_tray", "switch_tray", "cable", "rack", "power_shelf", "cooling")
            },
            **{
                k: counts.get(k)
                for k in (
                    "racks",
                    "spine_racks",
                    "compute_trays",
                    "switch_trays",
                    "power_shelves",
                    "cables",
                )
            },
            "power_kW": _mag(self.totals.get("power"), "kW"),
            "mass_kg": _mag(self.totals.get("mass"), "kg"),
            "domain_power_kW": _mag(
                self.totals.get("domain_power", self.totals.get("power")), "kW"
            ),
        }


def _mag(value, unit: str):
    return None if value is None else round(float(value.to(unit).magnitude), 3)
