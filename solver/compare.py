"""GPU racks against wafer-scale and SRAM-chip systems on one workload.

A design is named by

- an accelerator id: solved under the profile to its maximal scale-up domain; the model is
  spread tensor-parallel over each domain, and over as many domains (racks, joined by the
  scale-out network as pipeline stages) as its weights and one sequence's KV cache need;
- a system id (``catalogs/systems.yaml``): as many systems as the model needs, in a
  pipeline; when that is more than one, a second row streams the weights into a single
  system from external memory (Cerebras MemoryX) instead;
- a saved result JSON (``solve.json`` from ``rackscale solve``), used like an accelerator id
  without solving again.

Every row is a bound (:mod:`solver.budgets.decode`): real systems run slower. Besides the
single-user speed, each row serves many users at a per-user speed ``target`` (the largest
batch that still meets it, :func:`~solver.budgets.decode.serve`) and prices that throughput
in energy (tokens per joule at the facility, with the profile's PUE) and money
(:mod:`solver.budgets.cost`, with the profile's economics and the catalog's prices).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pint

from solver.budgets import cost, decode
from solver.budgets.bandwidth import ceil_div
from solver.catalog import Catalog, LoadedProfile, suggestions
from solver.errors import EXIT_UNPROVEN, InfeasibleError, InputError, Problem, UsageError
from solver.schema import Accelerator, Economics, Rack, System, Workload
from solver.units import format_quantity, parse_quantity

COLUMNS = [
    "design",
    "mode",
    "units",
    "systems",
    "racks",
    "power_kW",
    "floor_area_m2",
    "memory_GB",
    "precision",
    "fits",
    "decode_tokens_per_s_per_user",
    "token_time_us",
    "target_tokens_per_s_per_user",
    "users_at_target",
    "throughput_at_target",
    "tokens_per_joule",
    "tokens_per_s_per_MW",
    "prefill_tokens_per_s",
    "capex_USD",
    "cost_per_hour_USD",
    "cost_per_unit_hour_USD",
    "cost_per_million_tokens_USD",
    "unpriced",
    "max_throughput_tokens_per_s",
    "max_batch",
    "interconnect_tax",
    "note",
]

DEFAULT_TARGET = 50.0
"""Per-user speed (tokens/s) at which throughput, energy and cost are compared."""


def _rack_area(rack: Rack | None) -> pint.Quantity | None:
    return rack.floor_area.to("m^2") if rack is not None else None


def _row(
    design: str,
    mode: str,
    workload: Workload,
    dep: decode.Deployment,
    systems: int,
    racks: int,
    power: pint.Quantity | None,
    area: pint.Quantity | None,
    question: Question,
    capex: cost.Capex | None,
    note: str,
) -> dict[str, Any]:
    """One table row: the deployment's bounds, throughput, energy and cost for ``workload``."""
    context, economics, p = question.context, question.economics, question.precision
    step = decode.decode_step(workload, dep, 1, context, p)
    most = decode.serve(workload, dep, None, context, p)
    served = decode.serve(workload, dep, question.target, context, p)
    power_kw = float(power.to("kW").magnitude) if power is not None else None
    hourly = per_m = None
    if capex is not None and power is not None:
        hourly = cost.hourly_cost(capex.total, power, economics)
        per_m = cost.per_million_tokens(hourly, served.throughput, economics)
    joule = (
        cost.tokens_per_joule(served.throughput, power, economics) if power is not None else None
    )
    return {
        "design": design,
        "mode": mode,
        "units": dep.units,
        "systems": systems,
        "racks": racks,
        "power_kW": power_kw,
        "floor_area_m2": float(area.to("m^2").magnitude) if area is not None else None,
        "memory_GB": float(dep.capacity.to("GB").magnitude),
        "precision": str(decode.Precision.of(workload, p)),
        "fits": step.fits,
        "decode_tokens_per_s_per_user": step.tokens_per_s_per_user,
        "token_time_us": float(step.total.to("us").magnitude),
        "target_tokens_per_s_per_user": question.target,
        "users_at_target": served.users,
        "throughput_at_target": served.throughput,
        "tokens_per_joule": joule,
        "tokens_per_s_per_MW": joule * 1e6 if joule is not None else None,  # facility MW
        "prefill_tokens_per_s": decode.prefill_throughput(workload, dep),
        "capex_USD": float(capex.total.to("USD").m) if capex is not None else None,
        "cost_per_hour_USD": float(hourly.to("USD/hour").m) if hourly is not None else None,
        "cost_per_unit_hour_USD": (
            float(cost.per_accelerator_hour(hourly, dep.units).to("USD/hour").m)
            if hourly is not None
            else None
        ),
        "cost_per_million_tokens_USD": float(per_m.to("USD").m) if per_m is not None else None,
        "unpriced": " ".join(capex.unpriced) if capex is not None else "",
        "max_throughput_tokens_per_s": most.throughput,
        "max_batch": most.users,
        "interconnect_tax": step.interconnect_tax,
        "note": note,
    }


@dataclass(frozen=True)
class Question:
    """What a comparison asks: KV context, per-user speed target, the site's economics and
    the weight precision served (None: each workload's released precision)."""

    context: int = decode.DEFAULT_CONTEXT
    target: float = DEFAULT_TARGET
    economics: Economics = field(default_factory=Economics)
    precision: str | None = None


def _need(workload: Workload, question: Question) -> pint.Quantity:
    """Memory one sequence needs: all weights plus its KV cache."""
    weights = decode.weight_bytes(workload, question.precision)
    return weights + question.context * decode.kv_bytes_per_token(workload)


def gpu_rows(
    design: str,
    accel: Accelerator,
    domain: int,
    domain_power: pint.Quantity | None,
    rack: Rack | None,
    workload: Workload,
    question: Question,
    capex: cost.Capex | None = None,
) -> list[dict[str, Any]]:
    """A solved domain of ``domain`` accelerators, repeated until the model fits."""
    per_domain = domain * accel.memory
    need = _need(workload, question)
    domains = max(1, ceil_div(need.to("GB").m, per_domain.to("GB").m))
    precision = decode.Precision.of(workload, question.precision)
    dep = decode.gpu_deployment(accel, domain, domains, precision.experts)
    area = _rack_area(rack)
    note = f"{domain} per domain, tensor-parallel, experts whole" + (
        f"; {domains} domains pipelined over scale-out" if domains > 1 else ""
    )
    if accel.layer_latency is None:
        note += "; no per-layer floor calibrated for it: its speed bound is looser"
    else:
        note += f"; {accel.layer_latency:~P} per-layer floor"
    return [
        _row(
            design,
            "scale-up domain" if domains == 1 else "domains pipelined",
            workload,
            dep,
            domains,
            domains,
            domains * domain_power if domain_power is not None else None,
            domains * area if area is not None else None,
            question,
            cost.Capex(domains * capex.total, capex.unpriced) if capex is not None else None,
            note,
        )
    ]


def result_rows(name: str, result, workload: Workload, question: Question) -> list[dict[str, Any]]:
    """:func:`gpu_rows` for a solved :class:`~solver.result.Result` (priced when its
    accelerator has a price)."""
    d, catalog = result.design, result.space.catalog
    capex = None
    if catalog.price_of(d.accelerator.id) is not None:
        capex = cost.design_capex(d, result.space)
    power = result.totals.get("domain_power") or result.totals.get("power")
    return gpu_rows(
        name, d.accelerator, result.domain_size, power, d.rack, workload, question, capex
    )


def system_rows(
    catalog: Catalog, system: System, workload: Workload, question: Question
) -> list[dict[str, Any]]:
    """As many systems as hold the model in SRAM; and weight streaming if it overflows one."""
    need = _need(workload, question)
    count = max(1, ceil_div(need.to("GB").m, system.memory.to("GB").m))
    racks = math.ceil(count / system.systems_per_rack)
    priced = catalog.price_of(system.id) is not None  # no cost without the system's price
    layers = (
        f", layers pipelined at {system.layer_latency:~P} per layer"
        if system.layer_latency
        else ", no per-layer floor calibrated for it: its speed bound is looser"
    )
    rows = [
        _row(
            system.id,
            "in SRAM" if count == 1 else "SRAM pipeline",
            workload,
            decode.system_deployment(system, count),
            count,
            racks,
            count * system.power,
            racks * system.rack_footprint,
            question,
            cost.system_capex(catalog, system, count) if priced else None,
            f"{count} x {system.memory:~P} SRAM"
            + (f", {system.chips} chips each" if system.chips > 1 else "")
            + layers,
        )
    ]
    if count > 1 and system.external_memory is not None:
        fits = decode.weight_bytes(workload, question.precision) <= system.external_memory
        rows.append(
            _row(
                system.id,
                "weight streaming",
                workload,
                decode.streaming_deployment(system),
                1,
                1,
                system.power,
                system.rack_footprint,
                question,
                cost.system_capex(catalog, system, 1) if priced else None,
                f"weights streamed from {system.external_memory:~P} external memory over "
                f"{system.io_bandwidth:~P}"
                + ("" if fits else " (do not fit in it)")
                + "; its power and price not counted",
            )
        )
    return rows


def _saved(path: Path, catalog: Catalog) -> list[tuple[str, Accelerator, int, Any, Rack | None]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(Problem(str(path), None, "", f"not a result JSON ({exc})")) from None
    out = []
    for item in data if isinstance(data, list) else [data]:
        if not isinstance(item, dict) or "accelerator" not in item:
            raise InputError(Problem(str(path), None, "", "not a rackscale solve result"))
        if not item.get("domain_size"):
            continue
        accel = catalog.accelerators.get(item["accelerator"])
        if accel is None:
            raise InputError(
                Problem(str(path), None, "accelerator", f"unknown id '{item['accelerator']}'")
            )
        design = item.get("design") or {}
        totals = design.get("totals") or {}
        power_text = totals.get("domain_power") or totals.get("power")
        power = parse_quantity(power_text, "power") if power_text else None
        rack = catalog.racks.get(design.get("rack"))
        out.append((f"{path.name}:{accel.id}", accel, int(item["domain_size"]), power, rack))
    return out


def compare(
    catalog: Catalog,
    profile: LoadedProfile,
    workload_id: str,
    designs: list[str],
    context: int = decode.DEFAULT_CONTEXT,
    time_limit: float = 30.0,
    target: float = DEFAULT_TARGET,
    precision: str | None = None,
) -> list[dict[str, Any]]:
    """One or two rows per design (see the module docstring)."""
    from solver.budgets.requirements import find_workload

    workload = find_workload(catalog, workload_id)
    question = Question(context, target, profile.profile.economics, precision)
    rows: list[dict[str, Any]] = []
    for name in designs:
        if name in catalog.accelerators:
            from solver.engine import solve

            result = solve(catalog, profile, accelerator=name, time_limit=time_limit)
            if result.design is None:  # proven impossible (exit 1) or not found in time (3)
                error = InfeasibleError(f"--designs {name}: {result.explanation}", [])
                if result.status == "unknown":
                    error.exit_code = EXIT_UNPROVEN
                raise error
            rows += result_rows(name, result, workload, question)
        elif name in catalog.systems:
            rows += system_rows(catalog, catalog.systems[name], workload, question)
        elif name.endswith(".json") or Path(name).is_file():
            for label, accel, domain, power, rack in _saved(Path(name), catalog):
                rows += gpu_rows(label, accel, domain, power, rack, workload, question)
        else:
            ids = [*catalog.accelerators, *catalog.systems]
            close = suggestions(name, ids)
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            raise UsageError(
                f"--designs {name}: not an accelerator id, system id or result JSON{hint} "
                f"(known ids: {', '.join(ids)})"
            )
    return rows


def compare_frame(rows: list[dict[str, Any]]):
    """The comparison as a pandas DataFrame with fixed columns."""
    import pandas as pd

    return pd.DataFrame(rows, columns=COLUMNS)


def write_compare(out_dir: Path, rows: list[dict[str, Any]], workload: str = "") -> list[Path]:
    """compare.csv and the charts (compare.svg, compare.png) in ``out_dir``, written
    atomically."""
    from solver.report import figures
    from solver.report.csv import csv_bytes
    from solver.report.files import write_atomically

    frame = compare_frame(rows)
    chart = figures.comparison_chart(frame, workload)
    files = {
        "compare.csv": csv_bytes(frame),
        "compare.svg": figures.to_svg(chart),
        "compare.png": figures.to_png(chart),
    }
    return write_atomically(out_dir, files)


def _fmt(value: Any, spec: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if spec == "n":  # counts and rates: thousands separators, three figures below 100
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return format(value, spec)


def compare_text(
    rows: list[dict[str, Any]], workload: Workload, precision: str | None = None
) -> str:
    """A fixed-width table for the terminal, with the workload's size on top."""
    from solver.report.text import text_table

    served = decode.Precision.of(workload, precision)
    weights = decode.weight_bytes(workload, served)
    target = rows[0]["target_tokens_per_s_per_user"] if rows else DEFAULT_TARGET
    head = (
        f"workload: {workload.id} ({workload.name}), {format_quantity(weights)} of "
        f"{served} weights, "
        f"{format_quantity(decode.kv_bytes_per_token(workload).to('KiB'))} KV per token; "
        f"throughput, energy and cost at {target:g} tokens/s per user"
    )
    table = text_table(
        [
            [
                r["design"],
                r["mode"],
                r["units"],
                r["racks"],
                _fmt(r["power_kW"], ".0f"),
                _fmt(r["decode_tokens_per_s_per_user"], "n"),
                _fmt(r["users_at_target"], "n"),
                _fmt(r["throughput_at_target"], "n"),
                _fmt(r["tokens_per_joule"], ".3g"),
                _fmt(r["cost_per_million_tokens_USD"], ".3g"),
                _fmt(r["capex_USD"] and r["capex_USD"] / 1e6, ".2f"),
                _fmt(r["interconnect_tax"], ".1%"),
            ]
            for r in rows
        ],
        [
            "design",
            "mode",
            "units",
            "racks",
            "kW",
            "tok/s/user",
            "users",
            "tok/s@target",
            "tok/J",
            "USD/Mtok",
            "capex_MUSD",
            "interconnect",
        ],
    )
    notes = [f"  {r['design']} ({r['mode']}): {r['note']}" for r in rows]
    unpriced = sorted({i for r in rows for i in r["unpriced"].split()})
    if unpriced:
        notes.append(f"  no price in the catalog (counted as 0): {', '.join(unpriced)}")
    footer = (
        "bounds: memory/compute roofline + per-layer floors + collectives and hops; real "
        "systems are slower. users = sequences served at the target speed; tok/J at the "
        "facility (PUE); USD/Mtok = (capex over its life + facility + energy) per hour / "
        "tokens per hour at the profile's utilisation. interconnect = share of a token's time "
        "spent moving data between chips, wafers or racks."
    )
    return "\n".join([head, table, "", *notes, footer])
