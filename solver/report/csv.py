"""Every CSV rackscale writes: the solve and report set (summary, bill of materials, budgets,
sensitivity, layout, cable runs, comparison) and, through :func:`csv_bytes`, the tables of
``compare`` and ``sweep``.

Every table is a pandas DataFrame with fixed columns whose names carry their units
(``power_kW``, ``mass_kg``, ``length_m``), written by :func:`csv_bytes` (no index, a fixed
float format, ``\\n`` line ends, no timestamps), so the same result always gives the same
bytes.
"""

from __future__ import annotations

from typing import Any

from solver.result import Result

FLOAT_FORMAT = "%.6g"

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

    The rows are :func:`solver.parts.rack_parts`: a tray's power includes its accelerators
    and its mass its coolant; power shelves carry the conversion loss between the feed and
    the IT load. A multi-rack domain repeats this rack (``Result.design.racks`` times;
    spine racks are in the JSON counts).
    """
    from solver.parts import rack_parts

    d, s = result.design, result.space
    if d is None:
        return []
    chips = [(d.accelerator, d.rack_domain, "in the domain")]
    if d.tray.outside_domain is not None:
        outside = d.tray.outside_domain.count * d.compute_trays
        chips.append((s.outside(d.tray), outside, "outside the domain (no scale-up fabric)"))
    rows: list[dict[str, Any]] = [
        {
            "accelerator": result.accelerator,
            "item": "accelerator",
            "id": a.id,
            "name": a.name,
            "count": count,
            "unit_power_kW": _kw(a.power),
            "unit_mass_kg": None,
            "power_kW": None,
            "mass_kg": None,
            "note": f"{where}; power and mass counted in its compute tray",
        }
        for a, count, where in chips
    ]
    for part in rack_parts(d, s):
        rows.append(
            {
                "accelerator": result.accelerator,
                "item": part.item,
                "id": part.id,
                "name": part.name,
                "count": part.count,
                "unit_power_kW": _kw(part.unit_power),
                "unit_mass_kg": None if part.unit_mass is None else _kg(part.unit_mass),
                "power_kW": _kw(part.power),
                "mass_kg": None if part.mass is None else _kg(part.mass),
                "note": part.note,
            }
        )
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
    if d.ocs_units:  # joins every rack's cube faces: one set for the whole domain
        ocs = d.ocs
        rows.append(
            {
                "accelerator": result.accelerator,
                "item": "optical_switch",
                "id": ocs.id,
                "name": ocs.name,
                "count": d.ocs_units,
                "unit_power_kW": _kw(ocs.power),
                "unit_mass_kg": _kg(ocs.mass),
                "power_kW": _kw(result.totals["ocs_power"]),
                "mass_kg": _kg(d.ocs_units * ocs.mass),
                "note": f"for the whole domain ({d.racks * d.x_link_ends} optical link ends), "
                "in racks of their own; not in the rack total above",
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


def csv_bytes(frame) -> bytes:
    """A DataFrame as stable CSV bytes: no index, fixed float format, ``\\n`` line ends."""
    return frame.to_csv(index=False, float_format=FLOAT_FORMAT, lineterminator="\n").encode()


def summary_csv(results: list[Result]) -> bytes:
    import pandas as pd

    return csv_bytes(pd.DataFrame([r.summary_row() for r in results]))


def budgets_csv(results: list[Result]) -> bytes:
    import pandas as pd

    frames = [r.to_frame() for r in results if r.checks]
    return csv_bytes(pd.concat(frames, ignore_index=True) if frames else results[0].to_frame())


def layout_csv(results: list[Result]) -> bytes:
    """Every placed item of every solved rack, with its spine-run figures."""
    import pandas as pd

    rows = [
        {"accelerator": r.accelerator, **row}
        for r in results
        if r.design is not None and r.design.layout is not None
        for row in r.design.layout.rows()
    ]
    columns = ["accelerator", "rack", "item", "kind", "id", "slot", "height"]
    return csv_bytes(pd.DataFrame(rows, columns=columns))


def csv_set(results, sensitivity=None, comparison=None) -> dict[str, bytes]:
    """Every CSV of a report, by file name; layout and runs only where geometry exists."""
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
