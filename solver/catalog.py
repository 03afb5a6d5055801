"""Load and validate catalogs and constraint profiles from YAML.

Errors name the file, the line, the field path and what was expected, e.g.
``catalogs/racks.yaml:14: racks[2].static_load: '5 kW' is not a mass``; all the problems
of one load are collected and raised together as one :class:`~solver.errors.InputError`.
``--set`` overrides (``racks.eia-42u.static_load=1200 kg``) are applied to the raw data
before validation, so they are unit-checked exactly like the files.

The shipped catalogs and profiles are package data (``solver/data/catalogs`` and
``solver/data/constraints`` in a wheel, built from the top-level ``catalogs/`` and
``constraints/`` of a checkout, which are read directly there). Catalogs load in layers: each
path is one layer, read in order, and an entry whose category and id an earlier layer
already defines replaces it (later wins); within one layer an id may appear once.
"""

from __future__ import annotations

import codecs
import copy
import difflib
import functools
import hashlib
import importlib.resources
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from solver import schema
from solver.errors import InputError, InputFileNotFound, Problem, UsageError
from solver.units import shown

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def shipped_dir(name: str) -> Path:
    """The shipped ``catalogs`` or ``constraints`` directory: the package data of an
    installed wheel (``solver/data/NAME``), else the checkout's top-level ``NAME``."""
    packaged = importlib.resources.files("solver") / "data" / name
    if packaged.is_dir():
        return Path(str(packaged))
    return PROJECT_ROOT / name


DEFAULT_CATALOG = shipped_dir("catalogs")
SHIPPED_PROFILES = shipped_dir("constraints")
DEFAULT_PROFILE = SHIPPED_PROFILES / "hyperscale-liquid.yaml"
SET_ORIGIN = "--set"

Path_ = tuple[str | int, ...]


# --- YAML with line numbers ------------------------------------------------------------


@dataclass
class Document:
    """Raw YAML data of one file and the line of every node, keyed by its path."""

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    origins: dict[Path_, str] = field(default_factory=dict)
    """Paths whose value came from somewhere else than the file (``--set``)."""

    def locate(self, path: Path_) -> tuple[str, int | None]:
        """File and line of ``path``, or of its nearest ancestor present in the file."""
        for end in range(len(path), -1, -1):
            prefix = tuple(path[:end])
            if prefix in self.origins:
                return self.origins[prefix], None
            if prefix in self.lines:
                return self.file, self.lines[prefix]
        return self.file, None


def display_path(path: Path | str) -> str:
    """A path as the user would type it: a shipped file as ``catalogs/NAME`` or
    ``constraints/NAME`` wherever it is installed, another relative to the working directory
    when inside it."""
    path = Path(path)
    resolved = path.resolve()
    for shipped in (DEFAULT_CATALOG, SHIPPED_PROFILES):
        if resolved.is_relative_to(shipped.resolve()):
            return str(Path(shipped.name) / resolved.relative_to(shipped.resolve()))
    try:
        return str(resolved.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


MAX_DEPTH = 64
"""Deepest nesting of lists and mappings a file may have (the catalogs need five)."""
MAX_VALUES = 200_000
"""Most values one file may hold once aliases are expanded (refuses alias bombs)."""
EXPECTED_TEXT = "expected UTF-8 text"


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, keeping dates as text (``date: 2025-03-01`` is a text field)."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def _decode(data: bytes, name: str) -> str:
    """The UTF-8 text of a file, or an error on the line of the first byte that is not."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "UTF-32"),
        (codecs.BOM_UTF32_BE, "UTF-32"),
        (codecs.BOM_UTF16_LE, "UTF-16"),
        (codecs.BOM_UTF16_BE, "UTF-16"),
    ):
        if data.startswith(bom):
            raise InputError(
                Problem(name, 1, "", f"the file is {encoding} (byte-order mark); {EXPECTED_TEXT}")
            )
    nul = data.find(b"\0")
    if nul >= 0:
        wide = max(data[0::2].count(0), data[1::2].count(0)) > len(data) // 4
        hint = " (UTF-16 without a byte-order mark?)" if wide else ""
        line = data.count(b"\n", 0, nul) + 1
        raise InputError(Problem(name, line, "", f"NUL byte{hint}; {EXPECTED_TEXT}"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = f"byte 0x{data[exc.start]:02x} is not UTF-8 (Latin-1?); {EXPECTED_TEXT}"
        raise InputError(Problem(name, line, "", message)) from None


def _yaml_problem(name: str, text: str, exc: yaml.YAMLError) -> Problem:
    """A located problem for any error PyYAML raises while reading ``text``."""
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        return Problem(name, line, "", f"character #x{exc.character:04x} is not allowed in YAML")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark else text.count("\n") + 1
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return Problem(name, line, "", f"malformed YAML: {problem}")


def _check_events(name: str, text: str) -> None:
    """Refuse explicit tags and nesting deeper than :data:`MAX_DEPTH` before composing
    (PyYAML's composer recurses once per level)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            line = event.start_mark.line + 1
            tag = getattr(event, "tag", None)
            if tag not in (None, "!"):
                short = tag.replace("tag:yaml.org,2002:", "!!")
                raise InputError(
                    Problem(name, line, "", f"YAML tag '{short}' is not accepted; write the value")
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise InputError(
                        Problem(name, line, "", f"nested deeper than {MAX_DEPTH} levels")
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        raise InputError(_yaml_problem(name, text, exc)) from None


def read_yaml(path: Path) -> Document:
    """Parse one YAML file, keeping the line of every mapping key and list item.

    Anything but UTF-8 YAML of plain values is refused with its line: other encodings, NUL
    bytes, tags (``!!int``, ``!!python/object``), keys that are lists or mappings, nesting
    deeper than :data:`MAX_DEPTH`, aliases expanding beyond :data:`MAX_VALUES` values.
    """
    name = display_path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputFileNotFound(Problem(name, None, "", "no such file")) from None
    except OSError as exc:
        raise InputError(Problem(name, None, "", f"cannot be read ({exc.strerror})")) from None
    return copy.deepcopy(_parse_yaml(name, data))


@functools.lru_cache(maxsize=64)
def _parse_yaml(name: str, data: bytes) -> Document:
    """:func:`read_yaml`'s parse of one file's bytes, kept per content (a sweep or a
    what-if reads the same file many times; callers get a copy they may change)."""
    text = _decode(data, name)
    _check_events(name, text)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise InputError(_yaml_problem(name, text, exc)) from None
    doc = Document(name, None)
    problems: list[Problem] = []
    constructor = _Loader("")
    built = 0

    def scalar(node: yaml.Node, path: Path_) -> Any:
        try:
            return constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            line = node.start_mark.line + 1
            problems.append(Problem(name, line, _fmt(path), f"malformed value: {problem}"))
            return None

    def build(node: yaml.Node, path: Path_) -> Any:
        nonlocal built
        built += 1
        line = node.start_mark.line + 1
        if built > MAX_VALUES or len(path) > MAX_DEPTH:
            what = (
                f"more than {MAX_VALUES:,} values"
                if built > MAX_VALUES
                else f"nesting deeper than {MAX_DEPTH} levels"
            )
            raise InputError(Problem(name, line, _fmt(path), f"aliases expand to {what}"))
        doc.lines[path] = line
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1
                key = scalar(key_node, path) if isinstance(key_node, yaml.ScalarNode) else None
                if not isinstance(key, str):
                    got = "a list" if isinstance(key_node, yaml.SequenceNode) else repr(key)
                    if isinstance(key_node, yaml.MappingNode):
                        got = "a mapping"
                    problems.append(
                        Problem(name, key_line, _fmt(path), f"a key must be a name, not {got}")
                    )
                    continue
                if key in out:
                    problems.append(Problem(name, key_line, _fmt((*path, key)), "duplicate key"))
                out[key] = build(value_node, (*path, key))
                doc.lines[(*path, key)] = key_line
            return out
        if isinstance(node, yaml.SequenceNode):
            return [build(item, (*path, index)) for index, item in enumerate(node.value)]
        return scalar(node, path)

    doc.data = build(root, ()) if root is not None else {}
    if problems:
        raise InputError(problems)
    if not isinstance(doc.data, dict):
        raise InputError(Problem(name, 1, "", "expected a mapping at the top of the file"))
    return doc


def _fmt(path: Path_) -> str:
    """``('racks', 2, 'static_load')`` -> ``racks[2].static_load``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# --- validation with located errors -------------------------------------------------------


def _model_at(model: type[BaseModel], path: Path_) -> type[BaseModel] | None:
    """The pydantic model class that validates the mapping at ``path``."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (tuple, list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _inner_model(arg)
            if found is not None:
                return found
    return None


def _problems(doc: Document, model: type[BaseModel], error: ValidationError) -> list[Problem]:
    problems = []
    missing: dict[Path_, list[str]] = {}
    for item in error.errors(include_url=False):
        loc = tuple(part for part in item["loc"] if isinstance(part, int) or "[" not in part)
        kind = item["type"]
        if kind == "missing":
            missing.setdefault(loc[:-1], []).append(str(loc[-1]))
            continue
        file, line = doc.locate(loc)
        if kind == "extra_forbidden":
            owner = _model_at(model, loc[:-1])
            message = "unknown key"
            if owner is not None:
                close = difflib.get_close_matches(str(loc[-1]), list(owner.model_fields), n=1)
                message += (
                    f"; did you mean '{close[0]}'?"
                    if close
                    else (f"; expected one of {', '.join(owner.model_fields)}")
                )
            problems.append(Problem(file, line, _fmt(loc), message))
            continue
        message = item["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        if (
            kind not in ("quantity",)
            and "input" in item
            and not isinstance(item["input"], dict | list)
        ):
            message += f" (got {shown(item['input'])})"
        problems.append(Problem(file, line, _fmt(loc), message))
    for parent, names in missing.items():
        file, line = doc.locate(parent)
        noun = "field" if len(names) == 1 else "fields"
        problems.append(
            Problem(file, line, _fmt(parent), f"missing required {noun}: {', '.join(names)}")
        )
    return sorted(problems, key=lambda p: (p.file, p.line or 0))


def _validate(doc: Document, model: type[BaseModel]) -> BaseModel:
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(_problems(doc, model, exc)) from None


# --- overrides --------------------------------------------------------------------------


def parse_overrides(items: Iterable[str]) -> list[tuple[str, str]]:
    """``["racks.eia-42u.static_load=1200 kg"]`` -> ``[("racks.eia-42u.static_load", ...)]``."""
    out = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise InputError(
                Problem(
                    SET_ORIGIN, None, item, "expected FIELD=VALUE, e.g. profile.feed_power=150 kW"
                )
            )
        out.append((name.strip(), value.strip()))
    return out


def _set_value(doc: Document, path: Path_, text: str, spec: str) -> None:
    """Put ``text`` (parsed as a YAML scalar or list) at ``path`` in ``doc.data``.

    Raises :class:`InputError` located at the ``--set`` when ``path`` runs through a value
    that is not a mapping or ``text`` is YAML the files could not hold (tags, deep nesting).
    """
    origin = f"{SET_ORIGIN} {spec}"
    try:
        _check_events(origin, text)
        value = yaml.load(text, Loader=_Loader)
    except InputError as exc:
        raise InputError(Problem(SET_ORIGIN, None, spec, exc.problems[0].message)) from None
    except yaml.YAMLError:
        value = text
    target = doc.data
    for depth, part in enumerate(path[:-1]):
        if isinstance(target, dict):
            target = target.setdefault(part, {})
        elif isinstance(target, list) and str(part).isdigit() and int(part) < len(target):
            target = target[int(part)]
        elif isinstance(target, list) and isinstance(part, int):
            target = target[part]
        else:
            where = _fmt(path[: depth + 1])
            raise InputError(Problem(SET_ORIGIN, None, spec, f"{where} holds no field '{part}'"))
    if not isinstance(target, dict):
        where = _fmt(path[:-1])
        raise InputError(Problem(SET_ORIGIN, None, spec, f"{where} holds no field '{path[-1]}'"))
    target[path[-1]] = value
    doc.origins[path] = origin


# --- the catalog ------------------------------------------------------------------------


@dataclass(frozen=True)
class InputFile:
    """A file that went into a result, with its content hash (for reproducibility)."""

    path: str
    sha256: str


@dataclass(frozen=True)
class Replacement:
    """An entry a later catalog layer replaced: its category and id, where the replaced entry
    was defined and where the one in use is."""

    category: str
    id: str
    replaced: tuple[str, int | None]
    by: tuple[str, int | None]

    def __str__(self) -> str:
        (file, line), (old_file, old_line) = self.by, self.replaced
        return (
            f"{file}:{line}: {self.category}.{self.id} replaces the entry of "
            f"{old_file}:{old_line} (a later catalog wins)"
        )


@dataclass(frozen=True)
class Catalog:
    """Every catalog entry by category and id, in file order, with where each came from."""

    accelerators: dict[str, schema.Accelerator]
    compute_trays: dict[str, schema.ComputeTray]
    switch_chips: dict[str, schema.SwitchChip]
    switch_trays: dict[str, schema.SwitchTray]
    cables: dict[str, schema.Cable]
    racks: dict[str, schema.Rack]
    power_shelves: dict[str, schema.PowerShelf]
    coolants: dict[str, schema.Coolant]
    cooling: dict[str, schema.Cooling]
    origins: dict[tuple[str, str], tuple[str, int | None]]
    files: tuple[InputFile, ...]
    workloads: dict[str, schema.Workload] = field(default_factory=dict)
    systems: dict[str, schema.System] = field(default_factory=dict)
    published_speeds: dict[str, schema.PublishedSpeed] = field(default_factory=dict)
    channels: dict[str, schema.Channel] = field(default_factory=dict)
    midplanes: dict[str, schema.Midplane] = field(default_factory=dict)
    optical_switches: dict[str, schema.OpticalSwitch] = field(default_factory=dict)
    network_switches: dict[str, schema.NetworkSwitch] = field(default_factory=dict)
    transceivers: dict[str, schema.Transceiver] = field(default_factory=dict)
    prices: dict[str, schema.Price] = field(default_factory=dict)
    replaced: tuple[Replacement, ...] = ()
    """Entries a later catalog layer replaced (see :func:`load_catalog`)."""

    def price_of(self, item_id: str) -> schema.Price | None:
        """The (last listed) price of catalog item ``item_id``, if any."""
        found = [p for p in self.prices.values() if p.item == item_id]
        return found[-1] if found else None

    def category(self, name: str) -> dict[str, Any]:
        return getattr(self, name)

    def domain_accelerators(self) -> list[str]:
        """Accelerators some compute tray builds a domain of (catalog order); those only
        carried outside a domain (Rubin CPX) are not solved on their own."""
        return [a for a in self.accelerators if self.trays_for(a) or not self.carried_outside(a)]

    def carried_outside(self, accelerator_id: str) -> bool:
        """Some tray carries ``accelerator_id`` outside its scale-up domain."""
        return any(
            t.outside_domain is not None and t.outside_domain.accelerator == accelerator_id
            for t in self.compute_trays.values()
        )

    def trays_for(self, accelerator_id: str) -> list[schema.ComputeTray]:
        return [t for t in self.compute_trays.values() if t.accelerator == accelerator_id]

    def switch_trays_for(self, fabric: str) -> list[schema.SwitchTray]:
        return [t for t in self.switch_trays.values() if self.switch_chips[t.chip].fabric == fabric]

    def channel_for(self, lane_rate) -> schema.Channel | None:
        """The electrical channel specification written for ``lane_rate``, if any."""
        for channel in self.channels.values():
            if abs((channel.lane_rate / lane_rate).to("").magnitude - 1) < 1e-9:
                return channel
        return None


def _catalog_files(paths: Iterable[Path | str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml"))
            if not found:
                raise InputError(Problem(display_path(path), None, "", "no *.yaml files in it"))
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise InputFileNotFound(
                Problem(display_path(path), None, "", "no such file or directory")
            )
    return files


def _digest(path: Path) -> InputFile:
    return InputFile(display_path(path), hashlib.sha256(path.read_bytes()).hexdigest())


def load_catalog(
    paths: Iterable[Path | str] | Path | str | None = None,
    overrides: Iterable[tuple[str, str]] | Mapping[str, str] = (),
    *,
    shipped: bool | None = None,
) -> Catalog:
    """Load, validate and cross-check catalog YAML files.

    ``paths`` are files or directories (every ``*.yaml`` in them), each one layer; with
    ``shipped`` (the default when no ``paths`` are given) the shipped catalogs come first, as
    one layer. A later layer's entry replaces an earlier entry of the same category and id
    (listed in ``Catalog.replaced``); a file reached twice is read once. ``overrides`` are
    ``(field, value)`` pairs such as ``("racks.eia-42u.static_load", "1200 kg")``; pairs
    starting with ``profile.`` are ignored here (see :func:`load_constraints`).
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    paths = list(paths or [])
    if shipped or (shipped is None and not paths):
        paths.insert(0, DEFAULT_CATALOG)
    seen: set[Path] = set()
    layers: list[list[Path]] = []
    for path in paths:
        files = [f for f in _catalog_files([path]) if f.resolve() not in seen]
        seen.update(f.resolve() for f in files)
        if files:
            layers.append(files)
    return _load_layers(layers, overrides)


def _load_layers(
    layers: list[list[Path]], overrides: Iterable[tuple[str, str]] | Mapping[str, str]
) -> Catalog:
    files = [path for layer in layers for path in layer]
    layer_of = [n for n, layer in enumerate(layers) for _ in layer]
    docs = [read_yaml(path) for path in files]
    overrides = list(overrides.items() if isinstance(overrides, Mapping) else overrides)
    problems = _apply_catalog_overrides(
        docs, [o for o in overrides if not o[0].startswith(("profile.", "hall."))]
    )

    parsed: list[tuple[int, Document, schema.CatalogFile]] = []
    for layer, doc in zip(layer_of, docs, strict=True):
        try:
            parsed.append((layer, doc, _validate(doc, schema.CatalogFile)))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)

    entries: dict[str, dict[str, Any]] = {name: {} for name in schema.CATEGORIES}
    origins: dict[tuple[str, str], tuple[str, int | None]] = {}
    replaced: list[Replacement] = []
    layer_of_entry: dict[tuple[str, str], int] = {}
    for layer, doc, content in parsed:
        for category in schema.CATEGORIES:
            for index, entry in enumerate(getattr(content, category)):
                where = doc.locate((category, index))
                first = origins.get((category, entry.id))
                if first is not None and layer_of_entry[(category, entry.id)] == layer:
                    problems.append(
                        Problem(
                            *where,
                            f"{category}[{index}].id",
                            f"duplicate id '{entry.id}' (first defined at {first[0]}:{first[1]})",
                        )
                    )
                    continue
                if first is not None:
                    replaced.append(Replacement(category, entry.id, first, where))
                entries[category][entry.id] = entry
                origins[(category, entry.id)] = where
                layer_of_entry[(category, entry.id)] = layer
    catalog = Catalog(
        **entries,
        origins=origins,
        files=tuple(_digest(p) for p in files),
        replaced=tuple(replaced),
    )
    problems.extend(_cross_references(catalog, docs))
    problems.extend(_spare_trays(catalog, docs))
    problems.extend(_priced_items(catalog, docs))
    if problems:
        raise InputError(problems)
    return catalog


def entry_rows(
    catalog: Catalog,
    categories: Iterable[str] = (),
    vendor: str | None = None,
    match: str | None = None,
) -> list[dict[str, Any]]:
    """One row per entry (category, id, name, vendor, file, line, estimates, source) in
    catalog order, filtered: ``categories`` by name (plural or singular, any case),
    ``vendor`` contained in the entry's vendor (or, without one, its name), ``match``
    contained in its id or name; any case."""
    wanted = []
    for name in categories:
        key = name.lower().replace("-", "_")
        found = next((c for c in schema.CATEGORIES if key in (c, c.removesuffix("s"))), None)
        if found is None:
            raise UsageError(
                f"--category {name}: no such category{_hint(key, schema.CATEGORIES)} "
                f"(one of {', '.join(schema.CATEGORIES)})"
            )
        wanted.append(found)
    rows = []
    for category in wanted or schema.CATEGORIES:
        for entry_id, entry in catalog.category(category).items():
            name = getattr(entry, "name", "") or ""
            maker = getattr(entry, "vendor", None)
            if vendor is not None and vendor.lower() not in (maker or name).lower():
                continue
            if match is not None and match.lower() not in f"{entry_id}\n{name}".lower():
                continue
            file, line = catalog.origins[(category, entry_id)]
            rows.append(
                {
                    "category": category,
                    "id": entry_id,
                    "name": name,
                    "vendor": maker,
                    "file": file,
                    "line": line,
                    "estimates": list(getattr(entry, "estimates", ()) or ()),
                    "source": getattr(entry, "source", None),
                }
            )
    return rows


REFERENCES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("compute_trays", ("accelerator",), "accelerators"),
    ("compute_trays", ("board_switch", "chip"), "switch_chips"),
    ("compute_trays", ("outside_domain", "accelerator"), "accelerators"),
    ("racks", ("midplane",), "midplanes"),
    ("accelerators", ("scale_up", "ocs"), "optical_switches"),
    ("switch_trays", ("chip",), "switch_chips"),
    ("cooling", ("coolant",), "coolants"),
    ("published_speeds", ("workload",), "workloads"),
)


def _cross_references(catalog: Catalog, docs: list[Document]) -> list[Problem]:
    """Every id an entry refers to must exist in the category it names."""
    by_file = {doc.file: doc for doc in docs}
    problems = []
    for category, attrs, target in REFERENCES:
        known = catalog.category(target)
        for entry_id, entry in catalog.category(category).items():
            value: Any = entry
            for attr in attrs:
                value = getattr(value, attr, None) if value is not None else None
            if value is None or value in known:
                continue
            file, line = catalog.origins[(category, entry_id)]
            doc = by_file.get(file)
            if doc is not None:
                index = _index_of(doc, category, entry_id)
                file, line = doc.locate((category, index, *attrs))
            close = difflib.get_close_matches(value, list(known), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append(
                Problem(
                    file,
                    line,
                    f"{category}.{entry_id}.{'.'.join(attrs)}",
                    f"unknown {target} id '{value}'{hint}",
                )
            )
    return problems


PRICED = (
    "accelerators",
    "compute_trays",
    "switch_trays",
    "cables",
    "racks",
    "power_shelves",
    "cooling",
    "optical_switches",
    "network_switches",
    "transceivers",
    "systems",
)
"""Categories whose entries a price may name."""


def _priced_items(catalog: Catalog, docs: list[Document]) -> list[Problem]:
    """A price names an item of a priced category."""
    by_file = {doc.file: doc for doc in docs}
    known = {item for category in PRICED for item in catalog.category(category)}
    problems = []
    for price_id, price in catalog.prices.items():
        if price.item in known:
            continue
        file, line = catalog.origins[("prices", price_id)]
        doc = by_file.get(file)
        if doc is not None:
            file, line = doc.locate(("prices", _index_of(doc, "prices", price_id), "item"))
        close = difflib.get_close_matches(price.item, sorted(known), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        problems.append(
            Problem(file, line, f"prices.{price_id}.item", f"unknown item '{price.item}'{hint}")
        )
    return problems


def _spare_trays(catalog: Catalog, docs: list[Document]) -> list[Problem]:
    """Hot-spare trays are wired into a dragonfly only (other fabrics leave them out)."""
    by_file = {doc.file: doc for doc in docs}
    problems = []
    for tray_id, tray in catalog.compute_trays.items():
        accel = catalog.accelerators.get(tray.accelerator)
        if not tray.spare_trays or accel is None or accel.scale_up.topology == "dragonfly":
            continue
        file, line = catalog.origins[("compute_trays", tray_id)]
        doc = by_file.get(file)
        if doc is not None:
            file, line = doc.locate(
                ("compute_trays", _index_of(doc, "compute_trays", tray_id), "spare_trays")
            )
        problems.append(
            Problem(
                file,
                line,
                f"compute_trays.{tray_id}.spare_trays",
                f"spare trays are modelled in a dragonfly fabric only; '{accel.id}' is "
                f"{accel.scale_up.topology}",
            )
        )
    return problems


def _index_of(doc: Document, category: str, entry_id: str) -> int:
    for index, item in enumerate(doc.data.get(category) or []):
        if isinstance(item, dict) and item.get("id") == entry_id:
            return index
    return 0


def _apply_catalog_overrides(
    docs: list[Document], overrides: list[tuple[str, str]]
) -> list[Problem]:
    """Put each ``CATEGORY.ID.FIELD`` value into the file whose entry is in use (the last one
    defining the id); ids match regardless of case."""
    problems = []
    for spec, value in overrides:
        category, _, rest = spec.partition(".")
        if category not in schema.CATEGORIES:
            problems.append(Problem(SET_ORIGIN, None, spec, _unknown_category(category, docs)))
            continue
        ids = [
            item.get("id")
            for doc in docs
            for item in doc.data.get(category) or []
            if isinstance(item, dict) and isinstance(item.get("id"), str)
        ]
        # ids may hold dots ("cpo-1.6t"): take the longest id the address starts with
        starts = [i for i in ids if rest.lower().startswith(f"{i.lower()}.")]
        entry_id = max(starts, key=len) if starts else rest.partition(".")[0]
        field_path = rest[len(entry_id) + 1 :]
        if not entry_id or not field_path:
            problems.append(Problem(SET_ORIGIN, None, spec, "expected CATEGORY.ID.FIELD=VALUE"))
            continue
        for doc in reversed(docs):
            index = next(
                (
                    i
                    for i, item in enumerate(doc.data.get(category) or [])
                    if isinstance(item, dict) and item.get("id") == entry_id
                ),
                None,
            )
            if index is not None:
                try:
                    _set_value(doc, (category, index, *field_path.split(".")), value, spec)
                except InputError as exc:
                    problems.extend(exc.problems)
                break
        else:
            problems.append(
                Problem(
                    SET_ORIGIN,
                    None,
                    spec,
                    f"no {category} entry '{entry_id}'{_hint(entry_id, ids)}",
                )
            )
    return problems


def _hint(name: str, known: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` (or ``'x' or 'y'``) for the known names closest to ``name``,
    ignoring case; empty when none is close."""
    close = suggestions(name, known)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def canonical_id(name: str, known: Iterable[str]) -> str | None:
    """``name`` as spelled in ``known``: itself, else the one id equal to it ignoring case."""
    known = list(known)
    if name in known:
        return name
    same = [k for k in known if k.lower() == name.lower()]
    return same[0] if len(same) == 1 else None


def suggestions(name: str, known: Iterable[str], n: int = 3) -> list[str]:
    """The known names closest to ``name`` (difflib, ignoring case), closest first."""
    by_lower: dict[str, str] = {}
    for item in known:
        by_lower.setdefault(item.lower(), item)
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=n, cutoff=0.6)
    return [by_lower[c] for c in close]


def _field_paths(model: type[BaseModel], name: str, depth: int = 3) -> list[str]:
    """Dotted paths of the fields called ``name`` in ``model`` and the models it nests."""
    found = []
    for field_name, info in model.model_fields.items():
        if field_name == name:
            found.append(field_name)
        inner = _inner_model(info.annotation)
        if inner is not None and depth > 1:
            found += [f"{field_name}.{p}" for p in _field_paths(inner, name, depth - 1)]
    return found


def _unknown_category(name: str, docs: list[Document]) -> str:
    """What to say about ``--set NAME...`` whose first part is no category: the addresses
    that hold a field of that name (``feed_power`` -> ``profile.feed_power``), else the
    nearest category."""
    field_name = name.lower()
    addresses = [f"profile.{p}" for p in _field_paths(schema.Profile, field_name)]
    for category in schema.CATEGORIES:
        model = _model_at(schema.CatalogFile, (category, 0))
        paths = _field_paths(model, field_name) if model is not None else []
        if paths:
            ids = [
                item["id"]
                for doc in docs
                for item in doc.data.get(category) or []
                if isinstance(item, dict) and isinstance(item.get("id"), str)
            ]
            addresses += [f"{category}.{ids[0] if ids else 'ID'}.{p}" for p in paths]
    if addresses:
        shown = " or ".join(f"'{a}'" for a in addresses[:4])
        more = f" (and {len(addresses) - 4} more)" if len(addresses) > 4 else ""
        return f"unknown category '{name}'; did you mean {shown}{more}?"
    return f"unknown category '{name}'{_hint(name, [*schema.CATEGORIES, 'profile'])}"


# --- profiles ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedProfile:
    """A validated profile and the file it came from."""

    profile: schema.Profile
    file: InputFile
    hall: schema.Hall | None = None
    """The file's ``hall:`` block (a data hall around the racks), if it has one."""


def load_constraints(
    path: Path | str | None = None,
    overrides: Iterable[tuple[str, str]] | Mapping[str, str] = (),
) -> LoadedProfile:
    """Load and validate one constraint profile: a file, or a shipped profile by name
    (``"enterprise-air"``; see :func:`profile_path`); default ``hyperscale-liquid``.

    ``overrides`` pairs whose field starts with ``profile.`` or ``hall.`` are applied, e.g.
    ``("profile.feed_power", "100 kW")``; the others are ignored here.
    """
    file = profile_path(path) if path is not None else DEFAULT_PROFILE
    doc = read_yaml(file)
    overrides = list(overrides.items() if isinstance(overrides, Mapping) else overrides)
    for spec, value in overrides:
        if spec.startswith(("profile.", "hall.")):
            _set_value(doc, tuple(spec.split(".")), value, spec)
    content = _validate(doc, schema.ProfileFile)
    return LoadedProfile(content.profile, _digest(file), content.hall)


def shipped_profiles() -> list[str]:
    """Names of the shipped profiles (their file names without ``.yaml``), sorted."""
    return sorted(p.stem for p in SHIPPED_PROFILES.glob("*.yaml"))


def profile_path(name: Path | str) -> Path:
    """The profile file ``name`` names: an existing file, else the shipped profile of that
    name (``enterprise-air`` or ``enterprise-air.yaml``, any case)."""
    path = Path(name)
    if path.exists():
        return path
    names = shipped_profiles()
    if path.parent == Path("."):
        stem = path.name.lower().removesuffix(".yaml")
        match = next((n for n in names if n.lower() == stem), None)
        if match is not None:
            return SHIPPED_PROFILES / f"{match}.yaml"
    raise InputFileNotFound(
        Problem(
            display_path(path),
            None,
            "",
            f"no such file, nor a shipped profile of that name{_hint(path.stem, names)} "
            f"(shipped: {', '.join(names)})",
        )
    )


def validate_paths(paths: Iterable[Path | str]) -> list[tuple[str, str]]:
    """Validate catalog files and profiles (a file with a top-level ``profile:`` key).

    Catalog files are validated together (ids and cross-references across them). Returns
    ``(path, summary)`` per file; raises :class:`InputError` with every problem found.
    """
    files = _catalog_files(paths)
    problems: list[Problem] = []
    done: list[tuple[str, str]] = []
    catalogs = []
    for path in files:
        try:
            doc = read_yaml(path)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        if "profile" in doc.data:
            try:
                loaded = load_constraints(path)
                done.append((doc.file, f"profile '{loaded.profile.id}'"))
            except InputError as exc:
                problems.extend(exc.problems)
        else:
            catalogs.append(path)
    if catalogs:
        try:
            catalog = _load_layers([catalogs], ())
            for path in catalogs:
                name = display_path(path)
                n = sum(1 for (_, _), (file, _) in catalog.origins.items() if file == name)
                done.append((name, f"{n} entries"))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return sorted(done)
