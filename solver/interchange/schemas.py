"""JSON Schemas of the catalog and profile YAML, generated from :mod:`solver.schema`.

One schema per catalog kind (``racks.schema.json``: a file holding only ``racks:``), one
for any catalog file (``catalog.schema.json``: several kinds, as ``helios.yaml``) and one
for constraint profiles (``profile.schema.json``). Unknown keys are refused
(``additionalProperties: false``, from the models' ``extra="forbid"``). A unit field is a
string matching a number then a unit, and its description names its dimension first
("a mass, greater than zero, e.g. '1360 kg'. Mass of ..."); whether the unit really is a
mass is left to pint when the file is loaded. Field docstrings are the descriptions.

Shipped YAML files name their schema on their first line
(``# yaml-language-server: $schema=../schemas/racks.schema.json``) so that editors with a
YAML language server complete and check them; ``schemas/`` holds the generated files and a
test regenerates them to keep them from drifting.
"""

from __future__ import annotations

import json
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, create_model

from solver import schema

DIALECT = "https://json-schema.org/draft/2020-12/schema"
CATALOG_SCHEMA = "catalog.schema.json"
PROFILE_SCHEMA = "profile.schema.json"
MODELINE = "# yaml-language-server: $schema=../schemas/{name}"
"""First line of a shipped YAML file (its directory is a sibling of ``schemas/``)."""


def kind_model(category: str) -> type[BaseModel]:
    """A model of a catalog file holding only ``category`` (e.g. ``racks``)."""
    annotation = schema.CatalogFile.model_fields[category].annotation  # tuple[Entry, ...]
    entry = typing.get_args(annotation)[0]
    title = "".join(part.title() for part in category.split("_")) + "File"
    model = create_model(title, __base__=schema.Strict, **{category: (tuple[entry, ...], ...)})
    model.__doc__ = f"A catalog file of {category.replace('_', ' ')} only."
    return model


def schema_of(model: type[BaseModel], title: str) -> dict[str, Any]:
    """The JSON Schema of ``model``, unit fields described by their dimension."""
    body = model.model_json_schema()
    _describe_quantities(body)
    return {"$schema": DIALECT, "title": title, **{k: v for k, v in body.items() if k != "title"}}


def all_schemas() -> dict[str, dict[str, Any]]:
    """Every schema by file name: one per catalog kind, any catalog file, profiles."""
    out = {
        f"{category}.schema.json": schema_of(kind_model(category), f"rackscale {category}")
        for category in schema.CATEGORIES
    }
    out[CATALOG_SCHEMA] = schema_of(schema.CatalogFile, "rackscale catalog file")
    out[PROFILE_SCHEMA] = schema_of(schema.ProfileFile, "rackscale constraint profile")
    return out


def render(document: dict[str, Any]) -> bytes:
    """A schema as stable JSON text (two-space indent, ending with a newline)."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()


def schema_files() -> dict[str, bytes]:
    """Every schema file's content by name."""
    return {name: render(document) for name, document in all_schemas().items()}


def schema_name(data: Any) -> str:
    """The schema a YAML document's top-level keys call for: the kind's own when it holds
    one catalog kind, the catalog schema for several, the profile schema for a profile."""
    keys = list(data) if isinstance(data, dict) else []
    if "profile" in keys:  # a profile, perhaps with its hall
        return PROFILE_SCHEMA
    if len(keys) == 1 and keys[0] in schema.CATEGORIES:
        return f"{keys[0]}.schema.json"
    return CATALOG_SCHEMA


def modeline(path: Path | str) -> str | None:
    """The schema file named on the first line of a YAML file, or None."""
    first = Path(path).read_text(encoding="utf-8").partition("\n")[0]
    prefix = MODELINE.format(name="")
    return first[len(prefix) :] if first.startswith(prefix) else None


def _describe_quantities(node: Any) -> None:
    """Put each unit field's dimension first in its description (a field docstring would
    otherwise replace it) and drop the ``x-quantity`` marker."""
    if isinstance(node, list):
        for item in node:
            _describe_quantities(item)
        return
    if not isinstance(node, dict):
        return
    phrase = node.pop("x-quantity", None)
    if phrase is None:  # an optional unit field: the quantity is one branch of anyOf
        branches = [b for b in node.get("anyOf", ()) if isinstance(b, dict) and "x-quantity" in b]
        if branches and "description" in node:
            phrase = branches[0]["x-quantity"] + ", or null"
    if phrase is not None:
        doc = node.get("description")
        node["description"] = phrase if doc in (None, phrase) else f"{phrase}. {doc}"
    for value in node.values():
        _describe_quantities(value)
