"""Load and validate catalogs and constraint profiles from YAML.

Errors name the file, the line, the field path and what was expected, e.g.
``catalogs/racks.yaml:14: racks[2].static_load: '5 kW' is not a mass``; all the problems
of one load are collected and raised together as one :class:`~solver.errors.InputError`.
``--set`` overrides (``racks.eia-42u.static_load=1200 kg``) are applied to the raw data
before validation, so they are unit-checked exactly like the files.
"""

from __future__ import annotations

import codecs
import difflib
import hashlib
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from solver import schema
from solver.errors import InputError, InputFileNotFound, Problem
from solver.units import shown

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CATALOG = PROJECT_ROOT / "catalogs"
DEFAULT_PROFILE = PROJECT_ROOT / "constraints" / "hyperscale-liquid.yaml"
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
    """A path as the user would type it: relative to the working directory when inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
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
    prices: dict[str, schema.Price] = field(default_factory=dict)

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
) -> Catalog:
    """Load, validate and cross-check catalog YAML files (default: the shipped ``catalogs/``).

    ``paths`` are files or directories (every ``*.yaml`` in them). ``overrides`` are
    ``(field, value)`` pairs such as ``("racks.eia-42u.static_load", "1200 kg")``; pairs
    starting with ``profile.`` are ignored here (see :func:`load_constraints`).
    """
    if paths is None:
        paths = [DEFAULT_CATALOG]
    elif isinstance(paths, str | Path):
        paths = [paths]
    files = _catalog_files(paths)
    docs = [read_yaml(path) for path in files]
    overrides = list(overrides.items() if isinstance(overrides, Mapping) else overrides)
    problems = _apply_catalog_overrides(
        docs, [o for o in overrides if not o[0].startswith("profile.")]
    )

    parsed: list[tuple[Document, schema.CatalogFile]] = []
    for doc in docs:
        try:
            parsed.append((doc, _validate(doc, schema.CatalogFile)))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)

    entries: dict[str, dict[str, Any]] = {name: {} for name in schema.CATEGORIES}
    origins: dict[tuple[str, str], tuple[str, int | None]] = {}
    for doc, content in parsed:
        for category in schema.CATEGORIES:
            for index, entry in enumerate(getattr(content, category)):
                where = doc.locate((category, index))
                if entry.id in entries[category]:
                    first = origins[(category, entry.id)]
                    problems.append(
                        Problem(
                            *where,
                            f"{category}[{index}].id",
                            f"duplicate id '{entry.id}' (first defined at {first[0]}:{first[1]})",
                        )
                    )
                    continue
                entries[category][entry.id] = entry
                origins[(category, entry.id)] = where
    catalog = Catalog(**entries, origins=origins, files=tuple(_digest(p) for p in files))
    problems.extend(_cross_references(catalog, docs))
    problems.extend(_spare_trays(catalog, docs))
    problems.extend(_priced_items(catalog, docs))
    if problems:
        raise InputError(problems)
    return catalog


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
    problems = []
    for spec, value in overrides:
        category, _, rest = spec.partition(".")
        entry_id, _, field_path = rest.partition(".")
        ids = [
            item.get("id")
            for doc in docs
            for item in doc.data.get(category) or []
            if isinstance(item, dict) and isinstance(item.get("id"), str)
        ]
        # ids may hold dots ("cpo-1.6t"): take the longest id the address starts with
        dotted = [i for i in ids if rest.startswith(f"{i}.")]
        if dotted:
            entry_id = max(dotted, key=len)
            field_path = rest[len(entry_id) + 1 :]
        if category not in schema.CATEGORIES:
            close = difflib.get_close_matches(category, [*schema.CATEGORIES, "profile"], n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append(Problem(SET_ORIGIN, None, spec, f"unknown category '{category}'{hint}"))
            continue
        if not entry_id or not field_path:
            problems.append(Problem(SET_ORIGIN, None, spec, "expected CATEGORY.ID.FIELD=VALUE"))
            continue
        for doc in docs:
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
            close = difflib.get_close_matches(entry_id, ids, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append(
                Problem(SET_ORIGIN, None, spec, f"no {category} entry '{entry_id}'{hint}")
            )
    return problems


# --- profiles ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedProfile:
    """A validated profile and the file it came from."""

    profile: schema.Profile
    file: InputFile


def load_constraints(
    path: Path | str | None = None,
    overrides: Iterable[tuple[str, str]] | Mapping[str, str] = (),
) -> LoadedProfile:
    """Load and validate one constraint profile (default: ``constraints/hyperscale-liquid.yaml``).

    ``overrides`` pairs whose field starts with ``profile.`` are applied, e.g.
    ``("profile.feed_power", "100 kW")``; the others are ignored here.
    """
    file = Path(path) if path is not None else DEFAULT_PROFILE
    doc = read_yaml(file)
    overrides = list(overrides.items() if isinstance(overrides, Mapping) else overrides)
    for spec, value in overrides:
        if spec.startswith("profile."):
            _set_value(doc, ("profile", *spec.split(".")[1:]), value, spec)
    content = _validate(doc, schema.ProfileFile)
    return LoadedProfile(content.profile, _digest(file))


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
            catalog = load_catalog(catalogs)
            for path in catalogs:
                name = display_path(path)
                n = sum(1 for (_, _), (file, _) in catalog.origins.items() if file == name)
                done.append((name, f"{n} entries"))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return sorted(done)
