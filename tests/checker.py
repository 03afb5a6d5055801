"""An independent checker: recompute a design's budgets from its JSON and the raw YAML.

It shares no code with the package: the YAML is read with ``yaml.safe_load``, quantities
are parsed with the small unit table below, and every formula is written out here in SI
units. It recomputes, for one compute rack of a solved design: IT power, feed draw,
transient peak and what the shelves deliver after redundancy, busbar current at the
lowest bus voltage, coolant flow, loaded mass, spine cable count and spine area, the
accelerators in the domain (hot spares left out) and a dragonfly's cabled links.
"""

from __future__ import annotations

import math
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

# unit -> (SI factor, SI unit); temperatures are handled apart (offsets)
UNITS = {
    "W": 1.0,
    "kW": 1e3,
    "MW": 1e6,
    "kg": 1.0,
    "g": 1e-3,
    "t": 1e3,
    "m": 1.0,
    "mm": 1e-3,
    "cm": 1e-2,
    "m^2": 1.0,
    "cm^2": 1e-4,
    "cm²": 1e-4,
    "mm^2": 1e-6,
    "L": 1e-3,
    "L/min": 1e-3 / 60,
    "l/min": 1e-3 / 60,
    "g/m": 1e-3,
    "kg/m^3": 1.0,
    "kg/L": 1e3,
    "kJ/kg/K": 1e3,
    "J/kg/K": 1.0,
    "V": 1.0,
    "A": 1.0,
    "K": 1.0,
    "kPa": 1e3 / 9.80665,  # floor ratings: kPa of load -> kg/m^2
    "kg/m^2": 1.0,
    "kg/m²": 1.0,
    "kN": 1e3,
    "lbf": 4.4482216152605,
    "RU": 0.04445,
    "OU": 0.048,
    "Gbit/s": 1e9,
}


def si(text: str) -> float:
    """``"1.2 kW"`` -> 1200.0 (SI)."""
    number, unit = text.strip().split(" ", 1)
    return float(number) * UNITS[unit.strip()]


def kelvin(text: str) -> float:
    number, unit = text.strip().split(" ", 1)
    return float(number) + (273.15 if unit.strip() == "degC" else 0.0)


def load_entries(folder: Path = ROOT / "catalogs") -> dict[str, dict[str, dict]]:
    """Every catalog entry by category and id, straight from the YAML."""
    entries: dict[str, dict[str, dict]] = {}
    for path in sorted(folder.glob("*.yaml")):
        for category, items in (yaml.safe_load(path.read_text()) or {}).items():
            for item in items or []:
                entries.setdefault(category, {})[item["id"]] = item
    return entries


def load_profile(path: Path) -> dict:
    return yaml.safe_load(path.read_text())["profile"]


def recompute(design: dict, entries: dict, profile: dict) -> dict[str, float]:
    """One compute rack's budgets, in SI units, from a design's JSON and the raw YAML."""
    n = design["per_rack"]
    accel = entries["accelerators"][design["accelerator"]]
    tray = entries["compute_trays"][design["compute_tray"]]
    rack = entries["racks"][design["rack"]]
    shelf = entries["power_shelves"][design["power_shelf"]]
    cooling = entries["cooling"][design["cooling"]]
    switch = entries["switch_trays"].get(design["switch_tray"]) if design["switch_tray"] else None
    cable = entries["cables"][design["cable"]] if design["cable"] else None
    xcable = entries["cables"][design["interrack_cable"]] if design["interrack_cable"] else None

    # power: every part's steady watts
    tray_w = tray["accelerators"] * si(accel["power"]) + si(tray["overhead_power"])
    if tray.get("outside_domain"):  # chips off the fabric still draw power
        outside = entries["accelerators"][tray["outside_domain"]["accelerator"]]
        tray_w += tray["outside_domain"]["count"] * si(outside["power"])
    parts_w = {
        "trays": n["compute_trays"] * tray_w,
        "switches": n["switch_trays"] * si(switch["power"]) if switch else 0.0,
        "cables": n["cables"] * 2 * si(cable["power_per_end"]) if cable else 0.0,
        "xends": n["interrack_cable_ends"] * si(xcable["power_per_end"]) if xcable else 0.0,
        "cooling": si(cooling["power"]),
        "reserved": si(profile["reserved_power"]),
    }
    it = sum(parts_w.values())
    draw = it / shelf["efficiency"]
    factor = profile.get("transient_factor") or accel.get("transient_factor", 1.0)
    peak = it * factor
    modules = shelf.get("modules", 1)
    per_shelf = si(shelf["capacity"]) * (modules - shelf.get("spare_modules", 0)) / modules
    policy = profile["shelf_redundancy"]
    if policy == "2N":
        carrying = n["power_shelves"] // 2
    else:
        carrying = n["power_shelves"] - (int(policy[2:]) if policy.startswith("N+") else 0)
    out = {
        "it_power": it,
        "power": draw,
        "peak_power": peak,
        "shelves_deliver": carrying * per_shelf,
    }
    if "busbar_min_voltage" in rack and shelf["output"] == "busbar":
        out["busbar_current"] = it / si(rack["busbar_min_voltage"])

    # heat: the liquid share of each part
    liquid = n["compute_trays"] * tray_w * tray["liquid_fraction"]
    if switch:
        liquid += parts_w["switches"] * switch["liquid_fraction"]
    if cable:
        liquid += parts_w["cables"] * cable.get("liquid_fraction", 0.0)
    if xcable:
        liquid += parts_w["xends"] * xcable.get("liquid_fraction", 0.0)
    out["liquid_heat"] = liquid
    coolant = entries["coolants"].get(cooling.get("coolant")) if cooling.get("coolant") else None
    if coolant and liquid > 0:
        rise = kelvin(profile["return_temperature"]) - kelvin(profile["supply_temperature"])
        out["coolant_flow"] = liquid / (
            si(coolant["density"]) * si(coolant["specific_heat"]) * rise
        )

    # mass: trays with their coolant, the rest, cables at their laid-out length, the rack
    densest = max(
        (
            si(c["density"])
            for k in entries["cooling"].values()
            if (c := entries["coolants"].get(k.get("coolant")))
        ),
        default=1000.0,
    )
    mass = n["compute_trays"] * (si(tray["mass"]) + si(tray.get("coolant_volume", "0 L")) * densest)
    if switch:
        mass += n["switch_trays"] * si(switch["mass"])
    if shelf["kind"] != "sidecar":  # a sidecar power rack stands on its own floor
        mass += n["power_shelves"] * si(shelf["mass"])
    mass += si(cooling["mass"])
    if coolant:
        mass += si(cooling.get("coolant_volume", "0 L")) * si(coolant["density"])
    mass += si(profile.get("reserved_mass", "0 kg"))
    if cable:
        mass += si(design["totals"]["total_cable_length"]) * si(cable["mass_per_length"])
    mass += si(rack["empty_mass"])
    out["mass"] = mass

    # domain: hot-spare trays draw power and weigh, but their accelerators are not in it
    out["accelerators"] = (n["compute_trays"] - tray.get("spare_trays", 0)) * tray["accelerators"]
    fabric = accel["scale_up"]
    if fabric["topology"] == "dragonfly":  # every global port of every wired node cabled
        group = fabric["group_size"]
        ports = fabric.get("global_links", fabric["links"] - (group - 1))
        trays = n["compute_trays"]
        out["links"] = math.ceil(trays * group * ports / 2) if trays > 1 else 0

    # cables: links x lanes x directions per pair / pairs; their cross-section over the fill
    if cable:
        lanes = accel["scale_up"]["lanes_per_link"]
        directions = 1 if accel["scale_up"].get("simultaneous_bidirectional") else 2
        links = design["counts"]["links"] // design["counts"]["racks"]
        out["cables"] = math.ceil(links * lanes * directions / cable["pairs"])
        major = si(cable["outer_diameter"])
        minor = si(cable["minor_diameter"]) if "minor_diameter" in cable else major
        out["spine_area"] = n["cables"] * math.pi / 4 * major * minor / profile["cable_fill"]
    return out


def reported(result: dict) -> dict[str, float]:
    """The same figures as the package reports them (JSON totals and budgets), in SI."""
    design = result["design"]
    totals = {k: si(v) for k, v in design["totals"].items() if k in _TOTALS}
    totals["accelerators"] = design["per_rack"]["accelerators"]
    totals["links"] = design["counts"]["links"] // design["counts"]["racks"]
    checks = {c["limit_name"]: c for b in result["budgets"].values() for c in b["checks"]}
    if "spine cross-section" in checks:
        totals["spine_area"] = si(checks["spine cross-section"]["used"])
        totals["cables"] = design["per_rack"]["cables"]
    shelves = [c for name, c in checks.items() if name.startswith("peak (")]
    if shelves:
        totals["shelves_deliver"] = si(shelves[0]["limit"])
    return totals


_TOTALS = (
    "power",
    "it_power",
    "peak_power",
    "liquid_heat",
    "mass",
    "coolant_flow",
    "busbar_current",
)
