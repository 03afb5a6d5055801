"""The CSV set of a report: summary, bill of materials, budgets, sensitivity, layout, cable
runs and comparison.

Every table is a pandas DataFrame with fixed columns whose names carry their units
(``power_kW``, ``mass_kg``, ``length_m``), written by :func:`solver.output.csv_bytes`, so
the same result always gives the same bytes.
"""

from __future__ import annotations

from typing import Any

BOM_COLUMNS = [
    "accelerator",
    "item",
    "id",
    "name",
    "count",
    "unit_power_kW",
    "unit_mass_kg",
    "power_kW",
    "mass_kg",
    "note",
]
RUNS_COLUMNS = ["accelerator", "length_m", "cables"]


def _kw(q) -> float:
    return float(q.to("kW").magnitude)


def _kg(q) -> float:
    return float(q.to("kg").magnitude)


def bom_rows(result) -> list[dict[str, Any]]:
    """Bill of materials of one (compute) rack; the ``total`` row is its feed draw and mass.

    Accelerator mass is inside its compute tray; a tray's mass includes its coolant; power
    shelves carry the conversion loss between the feed and the IT load. A multi-rack domain
    repeats this rack (``Result.design.racks`` times; spine racks are in the JSON counts).
    """
    from solver.families import power, weight
    from solver.units import Quantity

    d, s = result.design, result.space
    if d is None:
        return []
    rows: list[dict[str, Any]] = []

    def add(item, entry_id, name, count, unit_power=None, unit_mass=None, note=""):
        rows.append(
            {
                "accelerator": result.accelerator,
                "item": item,
                "id": entry_id,
                "name": name,
                "count": count,
                "unit_power_kW": None if unit_power is None else _kw(unit_power),
                "unit_mass_kg": None if unit_mass is None else _kg(unit_mass),
                "power_kW": None if unit_power is None else _kw(unit_power) * count,
                "mass_kg": None if unit_mass is None else _kg(unit_mass) * count,
                "note": note,
            }
        )

    a = d.accelerator
    add("accelerator", a.id, a.name, d.rack_domain, a.power, None, "mass in its compute tray")
    tray_mass = d.tray.mass + d.tray.coolant_volume * weight.densest_coolant(s)
    add(
        "compute_tray",
        d.tray.id,
        d.tray.name,
        d.compute_trays,
        d.tray.overhead_power,
        tray_mass,
        "power without accelerators; mass with coolant",
    )
    if d.switch_tray is not None and d.switch_trays:
        w = d.switch_tray
        add("switch_tray", w.id, w.name, d.switch_trays, w.power, w.mass)
    if d.cable is not None and d.cables:
        c = d.cable
        mass = weight.cable_mass(d, s) / d.cables
        add("cable", c.id, c.name, d.cables, 2 * c.power_per_end, mass, "mass at the mean run")
    if d.xcable is not None and d.x_cable_ends:
        c = d.xcable
        add(
            "interrack_cable_end",
            c.id,
            c.name,
            d.x_cable_ends,
            c.power_per_end,
            None,
            "cables run in overhead trays; their mass is not on the rack",
        )
    loss = power.draw_power(d, s) - power.it_power(d, s)
    add(
        "power_shelf",
        d.shelf.id,
        d.shelf.name,
        d.power_shelves,
        loss / d.power_shelves,
        d.shelf.mass,
        f"conversion loss at {d.shelf.efficiency:.1%} efficiency",
    )
    k = d.cooling
    add("cooling", k.id, k.name, 1, k.power, weight.cooling_mass(k, s), "hardware and loop coolant")
    p = s.profile
    add(
        "reserved",
        p.id,
        "reserved gear (profile)",
        1,
        p.reserved_power,
        p.reserved_mass,
        f"{p.reserved_slots} slots",
    )
    add("rack", d.rack.id, d.rack.name, 1, Quantity(0, "kW"), d.rack.empty_mass, "empty")
    total_power, total_mass = result.totals.get("power"), result.totals.get("mass")
    rows.append(
        {
            "accelerator": result.accelerator,
            "item": "total",
            "id": "",
            "name": "feed draw and loaded rack mass",
            "count": None,
            "unit_power_kW": None,
            "unit_mass_kg": None,
            "power_kW": None if total_power is None else _kw(total_power),
            "mass_kg": None if total_mass is None else _kg(total_mass),
            "note": "",
        }
    )
    return rows


def bom_frame(results):
    import pandas as pd

    rows = [row for r in results for row in bom_rows(r)]
    frame = pd.DataFrame(rows, columns=BOM_COLUMNS)
    frame["count"] = frame["count"].astype("Int64")
    return frame


def layout_of(result):
    """The design's rack layout, or None when nothing was solved."""
    return result.design.layout if result.design is not None else None


def runs_of(result) -> list[tuple[float, float]]:
    """(length in m, cables) per group of identical spine runs."""
    from solver.layout import runs

    if layout_of(result) is None:
        return []
    return [(float(q.to("m").magnitude), float(n)) for q, n in runs(result.design, result.space)]


def runs_frame(results):
    """Cable runs grouped by length (rounded to 0.1 mm), longest first."""
    import pandas as pd

    rows = []
    for r in results:
        grouped: dict[float, float] = {}
        for length, n in runs_of(r):
            key = round(length, 4)
            grouped[key] = grouped.get(key, 0.0) + n
        for length in sorted(grouped, reverse=True):
            rows.append(
                {"accelerator": r.accelerator, "length_m": length, "cables": grouped[length]}
            )
    return pd.DataFrame(rows, columns=RUNS_COLUMNS)


def csv_set(results, sensitivity=None, comparison=None) -> dict[str, bytes]:
    """Every CSV of a report, by file name; layout and runs only where geometry exists."""
    from solver.output import budgets_csv, csv_bytes, layout_csv, summary_csv

    files = {
        "solve_summary.csv": summary_csv(results),
        "solve_bom.csv": csv_bytes(bom_frame(results)),
        "solve_budgets.csv": budgets_csv(results),
    }
    if sensitivity is not None:
        files["solve_sensitivity.csv"] = csv_bytes(sensitivity)
    if any(layout_of(r) is not None for r in results):
        files["solve_layout.csv"] = layout_csv(results)
        runs = runs_frame(results)
        if not runs.empty:
            files["solve_cable_runs.csv"] = csv_bytes(runs)
    if comparison is not None:
        files["solve_comparison.csv"] = csv_bytes(comparison)
    return files
