"""NetBox device types in and out: import devicetype-library YAML as catalog entries, export
catalog entries and a solved rack as device types and a rack elevation for NetBox's bulk
import.

Import takes what NetBox records and rackscale uses: ``u_height`` (NetBox's default 1) as
the height in RU, ``weight`` and ``weight_unit`` as the mass, ``manufacturer`` and ``model``
as the name, ``slug`` as the id; the rest of the NetBox identity (manufacturer, model, slug,
part number, ``is_full_depth``, ``airflow``, the power ports with ``maximum_draw`` and
``allocated_draw``) is kept in the entry's ``netbox:`` block so that export writes it back
unchanged. ``power_input: ac`` is taken when every power port is an AC inlet (IEC 60320,
IEC 60309, NEMA, CS or ITA connectors). Everything else rackscale needs and NetBox does not
record (the accelerator and how many, overhead or tray power, liquid fraction, how the
links leave the tray, the tray's form factor ...) is asked for, never guessed: it is written
as ``null`` with a ``TO FILL IN`` comment saying what is expected, and listed, unless given
with ``--set FIELD=VALUE``. NetBox's per-port draws are shown as hints, not used: whether
ports share a load or each carry all of it (redundant supplies) is not recorded.

Export writes a device type per catalog entry: its ``netbox:`` identity, or manufacturer
``Generic`` (the library's folder for unbranded items), the entry's name as the model and
``generic-<id>`` as the slug; ``u_height`` in RU (a multiple of 0.5, else the slots it takes
in the rack); the mass as ``weight`` in the entry's ``weight_unit`` (kg by default); and the
stored power ports. A solved design becomes one device type per item kind, ``racks.csv`` and
``devices.csv`` (status ``planned``, front face, position = lowest slot) for NetBox's CSV
bulk import; roles are named by item kind (``compute-tray`` ...) and must exist in NetBox.
Zero-U PDUs are devices without a position; a sidecar power rack, standing beside the IT
rack, is not exported.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from solver import schema
from solver.catalog import display_path, read_yaml
from solver.design import Placed
from solver.errors import InputError, Problem, UsageError
from solver.interchange.cabling import rack_name
from solver.interchange.schemas import MODELINE, kind_model, schema_of
from solver.units import Quantity

KINDS: dict[str, type[schema.Sourced]] = {
    "compute_trays": schema.ComputeTray,
    "switch_trays": schema.SwitchTray,
    "power_shelves": schema.PowerShelf,
}
"""Catalog kinds a NetBox device type can become."""
AC_INLETS = ("iec-60320-", "iec-60309-", "nema-", "cs", "ita-")
GENERIC = "Generic"
DRAWS = ("maximum_draw", "allocated_draw")
ROLES = {
    "compute_tray": "compute-tray",
    "switch_tray": "switch-tray",
    "power_shelf": "power-shelf",
    "cooling": "cooling",
}
DEVICE_COLUMNS = ("name", "role", "manufacturer", "device_type", "status", "site", "rack")
DEVICE_COLUMNS += ("position", "face")
RACK_COLUMNS = ("name", "site", "status", "width", "u_height", "description")
RACK_WIDTHS = {"eia-19": 19, "ocp-21": 21}
"""NetBox rail widths (inches) of rackscale form factors."""


@dataclass
class Imported:
    """One device type as a catalog entry: the entry (unit strings, ``None`` where the user
    must fill in) and what is still to fill in."""

    source: str
    category: str
    entry: dict[str, Any]
    to_fill: list[str] = field(default_factory=list)
    hints: dict[str, str] = field(default_factory=dict)


# --- import ---------------------------------------------------------------------------------


def parse_settings(items: list[str], category: str) -> dict[str, Any]:
    """``--set FIELD=VALUE`` pairs for an imported entry, values read as YAML scalars
    (``2``, ``0.85``, ``"1.2 kW"``); unknown fields are refused with the nearest name."""
    known = list(KINDS[category].model_fields)
    out: dict[str, Any] = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"--set {item!r}: expected FIELD=VALUE, e.g. 'accelerators=4'")
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise UsageError(f"--set {name}: {category} have no field '{name}'{hint}")
        try:
            out[name] = yaml.safe_load(text)
        except yaml.YAMLError:
            out[name] = text
    return out


def _slug_id(slug: str) -> str:
    """A NetBox slug (``[-a-z0-9_]``) as a rackscale id (``[a-z0-9.+-]``, starting alnum)."""
    return re.sub(r"[^a-z0-9.+-]", "-", slug.lower()).lstrip(".+-")


def _number(value: Any) -> str:
    return f"{float(value):g}"


def _identity(data: dict[str, Any]) -> dict[str, Any]:
    """The ``netbox:`` block of an imported entry."""
    block: dict[str, Any] = {
        "manufacturer": data["manufacturer"],
        "model": data["model"],
        "slug": data["slug"],
    }
    for key in ("part_number", "is_full_depth", "airflow"):
        if data.get(key) is not None:
            block[key] = data[key]
    if data.get("weight_unit") not in (None, "kg"):  # kg: the export's default
        block["weight_unit"] = data["weight_unit"]
    ports = []
    for port in data.get("power-ports") or ():
        entry = {"name": port["name"]}
        if port.get("type"):
            entry["type"] = port["type"]
        for key in ("maximum_draw", "allocated_draw"):
            if port.get(key) is not None:
                entry[key] = f"{_number(port[key])} W"
        ports.append(entry)
    if ports:
        block["power_ports"] = ports
    return block


def _hints(category: str) -> dict[str, str]:
    """What each field of ``category`` expects, from its JSON Schema: the dimension of a unit
    field, the allowed values, the bounds of a number, and the first sentence of its
    docstring."""
    document = schema_of(kind_model(category), category)
    out = {}
    for name, prop in document["$defs"][KINDS[category].__name__]["properties"].items():
        branch = next((b for b in prop.get("anyOf", ()) if b.get("type") != "null"), prop)
        words = " ".join(prop.get("description", "").split()).replace("``", "'")
        phrase = branch.get("description", "") if "pattern" in branch else ""
        words = words.removeprefix(phrase).removeprefix(", or null").removeprefix(". ")
        sentence = re.match(r"(.+?\.)(?=\s+[A-Z]|$)", words)
        text = sentence.group(1) if sentence else words
        text = f"{phrase}. {text}" if phrase and text else phrase or text
        if "enum" in branch:
            text = f"one of {', '.join(map(str, branch['enum']))}" + (f". {text}" if text else "")
        elif branch.get("type") in ("integer", "number"):
            kind = "a whole number" if branch["type"] == "integer" else "a number"
            low = branch.get("minimum", branch.get("exclusiveMinimum"))
            high = branch.get("maximum")
            bounds = f" from {low} to {high}" if high is not None else ""
            bounds = bounds or (f" of at least {low}" if low is not None else "")
            text = f"{kind}{bounds}" + (f". {text}" if text else "")
        out[name] = text or ("an id" if name in ("chip", "accelerator", "coolant") else "text")
    return out


def import_device_type(path: Path | str, category: str, settings: dict[str, Any]) -> Imported:
    """A NetBox device-type file as an entry of ``category`` (see the module text)."""
    if category not in KINDS:
        raise UsageError(f"--kind {category}: expected one of {', '.join(KINDS)}")
    doc = read_yaml(Path(path))
    data = doc.data
    missing = [k for k in ("manufacturer", "model", "slug") if not data.get(k)]
    if missing:
        raise InputError(
            Problem(doc.file, 1, "", f"not a NetBox device type: no {', '.join(missing)}")
        )
    _check_device_type(doc)
    model_class = KINDS[category]
    manufacturer, model = str(data["manufacturer"]), str(data["model"])
    name = model if model.lower().startswith(manufacturer.lower()) else f"{manufacturer} {model}"
    entry: dict[str, Any] = {
        "id": _slug_id(str(data["slug"])),
        "name": name,
        "source": f"NetBox device type {manufacturer}/{model} ({Path(path).name})",
    }
    height = data.get("u_height", 1)  # NetBox's default
    entry["height"] = f"{_number(height)} RU"
    if data.get("weight") is not None:
        entry["mass"] = f"{_number(data['weight'])} {data.get('weight_unit') or 'kg'}"
    ports = data.get("power-ports") or []
    if ports and all(str(p.get("type", "")).startswith(AC_INLETS) for p in ports):
        entry["power_input"] = "ac"
    entry.update(settings)
    entry["netbox"] = _identity(data)
    required = [
        name
        for name, info in model_class.model_fields.items()
        if info.is_required() and name not in entry
    ]
    for name in required:
        entry[name] = None
    ordered = {k: entry[k] for k in model_class.model_fields if k in entry}
    hints = _hints(category)
    draws = "; ".join(
        f"{p['name']}: " + ", ".join(f"{k} {p[k]} W" for k in DRAWS if p.get(k) is not None)
        for p in ports
        if any(p.get(k) is not None for k in DRAWS)
    )
    if draws:
        for power in ("overhead_power", "power", "capacity"):
            if power in hints:
                hints[power] += f" (NetBox lists {draws})"
    result = Imported(doc.file, category, ordered, hints=hints)
    result.to_fill = [k for k in ordered if ordered[k] is None]
    problems = [p for p in _check(result) if p.field.split(".")[0] not in result.to_fill]
    if problems:
        raise InputError(problems)
    return result


def _check_device_type(doc) -> None:
    """Refuse, located, the NetBox fields the import reads when they have the wrong type."""
    data, problems = doc.data, []

    def bad(path: tuple, expected: str) -> None:
        file, line = doc.locate(path)
        where = ".".join(str(p) for p in path)
        problems.append(Problem(file, line, where, f"expected {expected}, got {_get(path)!r}"))

    def _get(path: tuple) -> Any:
        value = data
        for part in path:
            value = value[part]
        return value

    def number(value: Any) -> bool:
        return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0

    for key in ("u_height", "weight"):
        if key in data and not number(data[key]):
            bad((key,), "a number (NetBox: rack units, or the weight in weight_unit)")
    if data.get("weight_unit") not in (None, "kg", "g", "lb", "oz"):
        bad(("weight_unit",), "one of kg, g, lb, oz")
    ports = data.get("power-ports")
    if ports is not None and not isinstance(ports, list):
        bad(("power-ports",), "a list of power ports")
    for n, port in enumerate(ports if isinstance(ports, list) else ()):
        if not isinstance(port, dict) or not isinstance(port.get("name"), str):
            bad(("power-ports", n), "a power port with a name")
            continue
        for key in DRAWS:
            if port.get(key) is not None and not number(port[key]):
                bad(("power-ports", n, key), "a number of watts")
    if problems:
        raise InputError(problems)


def _check(imported: Imported) -> list[Problem]:
    """Problems of an imported entry (fields to fill in included)."""
    try:
        KINDS[imported.category].model_validate(imported.entry)
    except ValidationError as exc:
        out = []
        for error in exc.errors(include_url=False):
            where = ".".join(str(part) for part in error["loc"]) or imported.entry["id"]
            message = error["msg"].removeprefix("Value error, ")
            out.append(Problem(imported.source, None, where, message))
        return out
    return []


def entry_yaml(imported: list[Imported]) -> str:
    """A catalog file of the imported entries, fields to fill in marked ``TO FILL IN``."""
    category = imported[0].category
    lines = [
        MODELINE.format(name=f"{category}.schema.json"),
        "# Imported from NetBox device types by `rackscale netbox import`. Fields marked",
        "# TO FILL IN are not in NetBox: rackscale needs them and does not guess them.",
        f"{category}:",
    ]
    for item in imported:
        text = yaml.safe_dump(
            [item.entry], sort_keys=False, allow_unicode=True, width=88, default_flow_style=False
        )
        for line in text.splitlines():
            key = line[2:].split(":")[0]
            if line[2:] == f"{key}: null" and key in item.to_fill:
                line += f"  # TO FILL IN: {item.hints.get(key) or key}"
            lines.append("  " + line)
    return "\n".join(lines) + "\n"


def fill_in_message(imported: list[Imported], written: str) -> str:
    """What is left to fill in, entry by entry."""
    lines = [f"rackscale: {written}: fields to fill in (not in NetBox; rackscale does not guess):"]
    for n, item in enumerate(imported):
        if item.to_fill:
            lines.append(
                f"  {item.category}[{n}] {item.entry['id']} ({item.source}): "
                + ", ".join(item.to_fill)
            )
    lines.append("fill them in the file, or pass --set FIELD=VALUE")
    return "\n".join(lines)


# --- export ---------------------------------------------------------------------------------


def _slugify(text: str) -> str:
    return re.sub(r"[^-a-z0-9_]+", "-", text.lower()).strip("-")


def _u_height(height: Quantity, rack: schema.Rack | None) -> float | int:
    value = float(height.to("RU").magnitude)
    halves = round(value * 2)
    if abs(value * 2 - halves) < 1e-6:
        return halves // 2 if halves % 2 == 0 else halves / 2
    if rack is None:
        raise UsageError(f"height {height} is not a multiple of 0.5 RU: give the rack")
    from solver.design import slots

    return slots(height, rack)


def _plain(value: float) -> float | int:
    value = round(value, 2)  # NetBox keeps weights to 0.01
    return int(value) if value == int(value) else value


def device_type(entry: Any, rack: schema.Rack | None = None) -> dict[str, Any]:
    """A NetBox device type (devicetype-library YAML, as a dict) of a catalog entry."""
    identity = getattr(entry, "netbox", None)
    out: dict[str, Any] = {}
    if identity is not None:
        out.update(manufacturer=identity.manufacturer, model=identity.model, slug=identity.slug)
        if identity.part_number is not None:
            out["part_number"] = identity.part_number
    else:
        out.update(manufacturer=GENERIC, model=entry.name, slug=_slugify(f"generic-{entry.id}"))
    out["u_height"] = _u_height(entry.height, rack)
    out["is_full_depth"] = identity.is_full_depth if identity is not None else True
    if identity is not None and identity.airflow is not None:
        out["airflow"] = identity.airflow
    mass = getattr(entry, "mass", None)
    if mass is not None and mass.magnitude > 0:
        unit = (identity.weight_unit if identity is not None else None) or "kg"
        out["weight"] = _plain(float(mass.to(unit).magnitude))
        out["weight_unit"] = unit
    ports = []
    for port in identity.power_ports if identity is not None else ():
        item: dict[str, Any] = {"name": port.name}
        if port.type is not None:
            item["type"] = port.type
        for key in ("maximum_draw", "allocated_draw"):
            draw = getattr(port, key)
            if draw is not None:
                item[key] = round(float(draw.to("W").magnitude))
        ports.append(item)
    if ports:
        out["power-ports"] = ports
    return out


def device_type_yaml(entry: Any, rack: schema.Rack | None = None) -> str:
    return "---\n" + yaml.safe_dump(
        device_type(entry, rack), sort_keys=False, allow_unicode=True, width=88
    )


def _entries(design) -> dict[str, Any]:
    """Catalog entry of each item kind a layout places."""
    return {
        "compute_tray": design.tray,
        "switch_tray": design.switch_tray,
        "power_shelf": design.shelf,
        "cooling": design.cooling,
    }


def elevation_files(design, site: str) -> dict[str, bytes]:
    """Device types, ``racks.csv`` and ``devices.csv`` of a solved design, by relative path."""
    if design is None or design.layout is None:
        raise UsageError("no solved rack to export: the design has no layout")
    rack = design.rack
    if rack.slot_orientation != "horizontal":
        raise UsageError(f"{rack.id}: vertical blade slots have no NetBox rack position")
    if design.spine_racks:
        raise UsageError("dedicated spine racks are not exported yet (their layout is not solved)")
    entries = _entries(design)
    files: dict[str, bytes] = {}
    types: dict[str, dict[str, Any]] = {}
    items = list(design.layout.items)
    if design.shelf.height.magnitude == 0 and design.shelf.kind != "sidecar":
        items += [  # zero-U PDUs: devices in the rack without a position
            Placed(f"shelf-{n + 1:02d}", "power_shelf", design.shelf.id, 0, 0)
            for n in range(design.power_shelves)
        ]
    for item in items:
        if item.kind in entries and item.kind not in types:
            entry = entries[item.kind]
            types[item.kind] = device_type(entry, rack)
            manufacturer = types[item.kind]["manufacturer"]
            name = f"device-types/{manufacturer}/{types[item.kind]['slug']}.yaml"
            files[name] = device_type_yaml(entry, rack).encode()
    racks = io.StringIO()
    writer = csv.DictWriter(racks, fieldnames=RACK_COLUMNS, lineterminator="\n")
    writer.writeheader()
    width = next((RACK_WIDTHS[f] for f in rack.accepts if f in RACK_WIDTHS), "")
    for r in range(design.racks):
        writer.writerow(
            {
                "name": rack_name(r),
                "site": site,
                "status": "planned",
                "width": width,
                "u_height": rack.slots,
                "description": f"{rack.name} ({rack.id}), {rack.slot_pitch:~P} slots",
            }
        )
    devices = io.StringIO()
    writer = csv.DictWriter(devices, fieldnames=DEVICE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in range(design.racks):
        for item in sorted(items, key=lambda p: (p.height == 0, p.slot, p.name)):
            if item.kind not in types:
                continue  # reserved slots hold no device rackscale chose
            kind = types[item.kind]
            writer.writerow(
                {
                    "name": f"{rack_name(r)}-{item.name}",
                    "role": ROLES[item.kind],
                    "manufacturer": kind["manufacturer"],
                    "device_type": kind["model"],
                    "status": "planned",
                    "site": site,
                    "rack": rack_name(r),
                    "position": item.slot if item.height else "",
                    "face": "front" if item.height else "",
                }
            )
    files["racks.csv"] = racks.getvalue().encode()
    files["devices.csv"] = devices.getvalue().encode()
    return files


def display(path: Path | str) -> str:
    return display_path(path)
