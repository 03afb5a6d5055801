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

Every row is a bound (:mod:`solver.budgets.decode`): real systems run slower.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pint

from solver.budgets import decode
from solver.budgets.bandwidth import ceil_div
from solver.catalog import Catalog, LoadedProfile
from solver.errors import EXIT_UNPROVEN, InfeasibleError, InputError, Problem, UsageError
from solver.schema import Accelerator, Rack, System, Workload
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
    "fits",
    "decode_tokens_per_s_per_user",
    "token_time_us",
    "throughput_tokens_per_s",
    "max_batch",
    "tokens_per_s_per_kW",
    "interconnect_tax",
    "note",
]


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
    context: int,
    note: str,
) -> dict[str, Any]:
    """One table row: the deployment's bounds for ``workload``."""
    step = decode.decode_step(workload, dep, 1, context)
    batch, throughput = decode.throughput_bound(workload, dep, context)
    power_kw = float(power.to("kW").magnitude) if power is not None else None
    return {
        "design": design,
        "mode": mode,
        "units": dep.units,
        "systems": systems,
        "racks": racks,
        "power_kW": power_kw,
        "floor_area_m2": float(area.to("m^2").magnitude) if area is not None else None,
        "memory_GB": float(dep.capacity.to("GB").magnitude),
        "fits": step.fits,
        "decode_tokens_per_s_per_user": step.tokens_per_s_per_user,
        "token_time_us": float(step.total.to("us").magnitude),
        "throughput_tokens_per_s": throughput,
        "max_batch": batch,
        "tokens_per_s_per_kW": throughput / power_kw if power_kw else None,
        "interconnect_tax": step.interconnect_tax,
        "note": note,
    }


def _need(workload: Workload, context: int) -> pint.Quantity:
    """Memory one sequence needs: all weights plus its KV cache."""
    return decode.weight_bytes(workload) + context * decode.kv_bytes_per_token(workload)


def gpu_rows(
    design: str,
    accel: Accelerator,
    domain: int,
    rack_power: pint.Quantity | None,
    rack: Rack | None,
    workload: Workload,
    context: int,
) -> list[dict[str, Any]]:
    """A solved domain of ``domain`` accelerators per rack, repeated until the model fits."""
    per_domain = domain * accel.memory
    domains = max(1, ceil_div(_need(workload, context).to("GB").m, per_domain.to("GB").m))
    dep = decode.gpu_deployment(accel, domain, domains, workload.weight_precision)
    area = _rack_area(rack)
    note = f"{domain} per domain, tensor-parallel" + (
        f"; {domains} domains pipelined over scale-out" if domains > 1 else ""
    )
    return [
        _row(
            design,
            "scale-up domain" if domains == 1 else "domains pipelined",
            workload,
            dep,
            domains,
            domains,
            domains * rack_power if rack_power is not None else None,
            domains * area if area is not None else None,
            context,
            note,
        )
    ]


def system_rows(system: System, workload: Workload, context: int) -> list[dict[str, Any]]:
    """As many systems as hold the model in SRAM; and weight streaming if it overflows one."""
    count = max(1, ceil_div(_need(workload, context).to("GB").m, system.memory.to("GB").m))
    racks = math.ceil(count / system.systems_per_rack)
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
            context,
            f"{count} x {system.memory:~P} SRAM"
            + (f", {system.chips} chips each" if system.chips > 1 else ""),
        )
    ]
    if count > 1 and system.external_memory is not None:
        fits = decode.weight_bytes(workload) <= system.external_memory
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
                context,
                f"weights streamed from {system.external_memory:~P} external memory over "
                f"{system.io_bandwidth:~P}"
                + ("" if fits else " (do not fit in it)")
                + "; its power not counted",
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
        power_text = (design.get("totals") or {}).get("power")
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
) -> list[dict[str, Any]]:
    """One or two rows per design (see the module docstring)."""
    from solver.budgets.requirements import find_workload

    workload = find_workload(catalog, workload_id)
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
            rows += gpu_rows(
                name,
                catalog.accelerators[name],
                result.domain_size,
                result.totals.get("power"),
                result.design.rack,
                workload,
                context,
            )
        elif name in catalog.systems:
            rows += system_rows(catalog.systems[name], workload, context)
        elif name.endswith(".json") or Path(name).is_file():
            for label, accel, domain, power, rack in _saved(Path(name), catalog):
                rows += gpu_rows(label, accel, domain, power, rack, workload, context)
        else:
            known = ", ".join([*catalog.accelerators, *catalog.systems])
            raise UsageError(
                f"--designs {name}: not an accelerator id, system id or result JSON "
                f"(known ids: {known})"
            )
    return rows


def compare_frame(rows: list[dict[str, Any]]):
    """The comparison as a pandas DataFrame with fixed columns."""
    import pandas as pd

    return pd.DataFrame(rows, columns=COLUMNS)


def write_compare(out_dir: Path, rows: list[dict[str, Any]]) -> list[Path]:
    """compare.csv in ``out_dir``, written atomically."""
    from solver.output import csv_bytes, write_atomically

    return write_atomically(out_dir, {"compare.csv": csv_bytes(compare_frame(rows))})


def _fmt(value: Any, spec: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if spec == "n":  # counts and rates: thousands separators, three figures below 100
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return format(value, spec)


def compare_text(rows: list[dict[str, Any]], workload: Workload) -> str:
    """A fixed-width table for the terminal, with the workload's size on top."""
    from solver.output import text_table

    weights = decode.weight_bytes(workload)
    head = (
        f"workload: {workload.id} ({workload.name}), {format_quantity(weights)} of "
        f"{workload.weight_precision} weights, "
        f"{format_quantity(decode.kv_bytes_per_token(workload).to('KiB'))} KV per token"
    )
    table = text_table(
        [
            [
                r["design"],
                r["mode"],
                r["units"],
                r["systems"],
                r["racks"],
                _fmt(r["power_kW"], ".0f"),
                _fmt(r["floor_area_m2"], ".2f"),
                _fmt(r["decode_tokens_per_s_per_user"], "n"),
                _fmt(r["throughput_tokens_per_s"], "n"),
                _fmt(r["tokens_per_s_per_kW"], "n"),
                _fmt(r["interconnect_tax"], ".1%"),
            ]
            for r in rows
        ],
        [
            "design",
            "mode",
            "units",
            "systems",
            "racks",
            "power_kW",
            "floor_m2",
            "tok/s/user",
            "throughput",
            "tok/s/kW",
            "interconnect_tax",
        ],
    )
    notes = [f"  {r['design']} ({r['mode']}): {r['note']}" for r in rows]
    footer = (
        "bounds: memory/compute roofline + collectives and hops; real systems are slower. "
        "interconnect_tax = share of the per-user token time spent moving data between "
        "chips, wafers or racks."
    )
    return "\n".join([head, table, "", *notes, footer])
