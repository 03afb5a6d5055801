"""Text, CSV, JSON and floor plan of a hall plan (:mod:`solver.hall`)."""

from __future__ import annotations

from typing import Any

from solver.hall import HallPlan, Row, row_dict
from solver.physics import fabric
from solver.physics.links import ocs_rack_share
from solver.units import COUNT_UNITS, Quantity, format_quantity
from solver.words import plural


def summary_row(p: HallPlan) -> dict[str, Any]:
    """One flat row per plan (the multi-accelerator table and hall_summary.csv)."""
    u, f = p.unit, p.fabric
    return {
        "accelerator": p.accelerator,
        "hall": p.hall.id,
        "status": p.status,
        "domains": p.domains,
        "domain_size": u.accelerators if u else 0,
        "accelerators": p.accelerators,
        "it_power_MW": round(p.it_power.to("MW").m, 3),
        "accelerators_per_MW": round(p.accelerators / p.it_power.to("MW").m, 1)
        if p.domains
        else 0.0,
        "fabric_tiers": f.tiers if f else None,
        "scale_out_switches": f.switches if f else 0,
        "optical_modules": sum(f.modules.values()) if f else 0,
        "network_racks": p.network_racks,
        "binding": " ".join(p.binding),
    }


def row_groups(p: HallPlan) -> list[tuple[str, Row]]:
    """Rows with the same contents, as ("1-3, 7", first row) in row order."""
    seen: dict[tuple, list[int]] = {}
    first: dict[tuple, Row] = {}
    for r in p.rows:
        key = (r.domains, r.ocs_racks, r.network_racks, r.leaves, r.upper, r.cdus)
        seen.setdefault(key, []).append(r.index + 1)
        first.setdefault(key, r)
    return [(_ranges(indices), first[key]) for key, indices in seen.items()]


def _ranges(numbers: list[int]) -> str:
    out, start = [], numbers[0]
    for a, b in zip(numbers, [*numbers[1:], None], strict=True):
        if b != a + 1:
            out.append(str(start) if start == a else f"{start}-{a}")
            start = b
    return ", ".join(out)


def hall_text(p: HallPlan) -> str:
    h = p.hall
    lines = [
        f"hall {h.id}: {h.it_power.to('MW').m:g} MW IT, {h.rows} rows × {h.row_positions} "
        f"positions, racks on profile {p.profile_id}",
        f"{p.accelerator}: {p.status} — {p.explanation}",
    ]
    if p.unit is None or not p.domains:
        return "\n".join(lines)
    u, f = p.unit, p.fabric
    lines += [
        "",
        f"domain: {u.accelerators} accelerators in {u.positions} "
        f"position{'s' if u.positions != 1 else ''} "
        f"({u.compute_racks} compute, {u.spine_racks} spine, {u.sidecars} sidecar racks), "
        f"{u.power.to('kW').m:,.1f} kW with its scale-out optics, {u.liquid_heat.to('kW').m:,.1f} "
        f"kW to liquid, {u.flow.to('l/min').m:,.0f} L/min",
        *_ocs_lines(p),
        "",
        "limits at the answer (binds: relaxing it alone admits one domain more)",
        f"  {'family':<16} {'limit':<58} {'used':>13} {'of':>13} {'use':>6}",
    ]
    for c in p.checks:
        mark = "  binds" if c.binding else ""
        lines.append(
            f"  {c.family:<16} {c.limit_name[:58]:<58} {_short(c.used):>13} {_short(c.limit):>13} "
            f"{c.utilization:>6.1%}{mark}"
        )
    tiers = ", ".join(
        f"{n:,} {name}"
        for n, name in zip(f.per_tier, ("leaf", "spine", "core", "super-core"), strict=False)
    )
    modules = ", ".join(f"{n:,} {m}" for m, n in f.modules.items())
    lines += [
        "",
        f"scale-out: {f.tiers}-tier fat tree of {f.switch.id} (radix {f.radix} at "
        f"{format_quantity(fabric.logical_rate(f.switch))}): {tiers} = {f.switches:,} switches in "
        f"{p.network_racks} network racks, {f.links:,} links, {f.power.to('kW').m:,.0f} kW",
        f"  optics: {modules}",
        f"  runs: ≤ {f.leaf_length.to('m').m:.1f} m to a leaf (in the row), "
        f"≤ {f.trunk_length.to('m').m:.1f} m between tiers (across the hall)",
        "",
        "rows",
    ]
    ocs = p.unit is not None and p.unit.ocs_units > 0  # a column only where there are OCS
    widths = dict(domains=7, OCS=4, network=8, leaves=7, upper=6, CDUs=5, positions=9)
    if not ocs:
        del widths["OCS"]
    lines.append(
        f"  {'rows':<24} " + " ".join(f"{name:>{w}}" for name, w in widths.items()) + f" {'kW':>8}"
    )
    for label, r in row_groups(p):
        values = {
            "domains": r.domains,
            "OCS": r.ocs_racks,
            "network": r.network_racks,
            "leaves": r.leaves,
            "upper": r.upper,
            "CDUs": r.cdus,
            "positions": r.positions,
        }
        lines.append(
            f"  {label[:24]:<24} "
            + " ".join(f"{values[name]:>{w}}" for name, w in widths.items())
            + f" {r.power.to('kW').m:>8,.0f}"
        )
    lines += [
        "  (network: racks of the row's leaf and upper-tier switches, the last part-full; kW "
        "counts each switch with every cage's optic)",
        "",
        *_blast_lines(p),
        "",
        "bill of materials",
    ]
    for item in p.bom():
        cost = f"{item['capex_usd'] / 1e6:,.1f} M USD" if item["capex_usd"] else "unpriced"
        if item["item"] in IN_THE_DOMAIN:
            cost = "in the domain"
        lines.append(f"  {item['count']:>9,} × {item['item']:<20} {item['id']:<18} {cost:>16}")
    return "\n".join(lines)


IN_THE_DOMAIN = ("compute rack", "spine rack", "sidecar power rack", "optical circuit switch")
"""BOM items whose price (if any) the scale-up domain's capex already holds."""


def _ocs_lines(p: HallPlan) -> list[str]:
    u = p.unit
    if not u.ocs_units:
        return []
    served = ocs_rack_share(u.ocs_units, u.ocs_per_rack)[0]
    shared = (
        f"each OCS rack serves the {served} neighbouring domains of its row"
        if served > 1
        else "each domain has OCS racks of its own"
    )
    return [
        f"  OCS: {u.ocs_units} {u.ocs.id} per domain (its torus blocks' face links), "
        f"{u.ocs_per_rack} to a rack in the domain's row; {shared}"
    ]


def _blast_lines(p: HallPlan) -> list[str]:
    h, b = p.hall, p.blast_radius

    def lost(key: str) -> str:
        x = b[key]
        share = f"{x['accelerators']:,} accelerators, {x['share']:.1%}"
        return f"{plural(x['domains'], 'domain')} ({share})"

    lines = [
        f"blast radius: one CDU lost takes down {lost('one_cdu')} with {h.cdu.units} CDUs per "
        f"{h.cdu.rows} row(s) at {h.cdu.redundancy}; one row feed lost takes down "
        f"{b['one_row_feed']['domains']} "
        f"({'A and B busways' if h.busway.feeds == 2 else 'one busway per row'})",
    ]
    if "one_ocs" in b:
        lines.append(
            f"  one OCS lost takes down {lost('one_ocs')} (its torus runs through each of its "
            f"OCS); one OCS rack lost takes down {lost('one_ocs_rack')}"
        )
    return lines


def _short(q: Quantity) -> str:
    """A limit's use or size for the table: whole counts with separators, shares in %."""
    unit = f"{q.units:~P}"
    if not unit:
        return f"{q.magnitude:.1%}"
    if unit in COUNT_UNITS:
        count = int(q.magnitude)
        return f"{count:,} {plural(count, unit).split(' ', 1)[1]}"
    number, unit = format_quantity(q).split(" ", 1)
    if number.lstrip("-").isdigit():  # thousands separators where there is no fraction
        number = f"{int(number):,}"
    return f"{number} {unit}"


def hall_files(p: HallPlan) -> dict[str, bytes]:
    """hall.json, hall_rows.csv, hall_bom.csv and the floor plan (hall.png, hall.svg)."""
    import json

    import pandas as pd

    from solver.report import figures
    from solver.report.csv import csv_bytes

    data = p.to_dict()
    data["solve"].pop("wall_time_s")
    files = {
        "hall.json": (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode(),
        "hall_rows.csv": csv_bytes(pd.DataFrame([row_dict(r) for r in p.rows])),
        "hall_bom.csv": csv_bytes(
            pd.DataFrame(p.bom(), columns=["item", "id", "count", "capex_usd"])
        ),
    }
    if p.domains:
        fig = figures.floor_plan_chart(p)
        files["hall.png"] = figures.to_png(fig)
        files["hall.svg"] = figures.to_svg(fig)
    return files


def summary_text(plans: list[HallPlan]) -> str:
    """One line per accelerator: domains, accelerators, megawatts, fabric, what binds."""
    h = plans[0].hall
    lines = [
        f"hall {h.id}: {h.it_power.to('MW').m:g} MW IT, {h.rows} rows × {h.row_positions} "
        f"positions",
        f"  {'accelerator':<14} {'domains':>7} {'size':>5} {'accelerators':>12} {'MW':>6} "
        f"{'per MW':>7} {'tiers':>5} {'switches':>8}  binds",
    ]
    for p in plans:
        r = summary_row(p)
        tiers = r["fabric_tiers"] or "-"
        binds = r["binding"] or ("-" if p.domains else p.explanation[:60])
        lines.append(
            f"  {r['accelerator']:<14} {r['domains']:>7} {r['domain_size']:>5} "
            f"{r['accelerators']:>12,} {r['it_power_MW']:>6.2f} {r['accelerators_per_MW']:>7,.0f} "
            f"{tiers:>5} {r['scale_out_switches']:>8,}  {binds}"
        )
    return "\n".join(lines)
