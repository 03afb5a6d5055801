"""JSON Schemas of the YAML formats: generated from the pydantic models, shipped in schemas/,
named by every shipped file, and strict enough that wrong files fail them."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from solver.cli import main
from solver.interchange import schemas
from solver.schema import CATEGORIES
from solver.units import DIMENSIONS, EXAMPLES, parse_quantity

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "catalogs").glob("*.yaml")) + sorted((ROOT / "constraints").glob("*.yaml"))


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML reads ``8.030e9`` as a string (YAML 1.1 wants ``8.030e+9``) and the loader's
    pydantic models accept it; an editor's YAML 1.2 language server reads a number, and that
    is what the schemas are checked against."""


Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)


def load(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)


@functools.cache
def validator(name: str) -> jsonschema.Draft202012Validator:
    document = json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(document)
    return jsonschema.Draft202012Validator(document)


def messages(name: str, data) -> list[str]:
    return [error.message for error in validator(name).iter_errors(data)]


def test_shipped_schemas_are_what_the_models_generate():
    generated = schemas.schema_files()
    shipped = {p.name: p.read_bytes() for p in (ROOT / "schemas").glob("*.json")}
    assert sorted(shipped) == sorted(generated)
    drifted = [name for name in generated if generated[name] != shipped[name]]
    assert drifted == [], "run `rackscale schema --out schemas` and commit the result"


def test_cli_writes_the_same_schemas(tmp_path, capsys):
    assert main(["schema", "--out", str(tmp_path)]) == 0
    kinds = len(CATEGORIES) + 2  # one per catalog kind, the whole catalog and the profile
    assert f"wrote {kinds} schemas" in capsys.readouterr().out
    for path in tmp_path.iterdir():
        assert path.read_bytes() == (ROOT / "schemas" / path.name).read_bytes()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_file_names_and_passes_its_schema(path):
    data = load(path)
    name = schemas.modeline(path)
    assert name == schemas.schema_name(data)
    assert messages(name, data) == []
    if name != schemas.PROFILE_SCHEMA:  # any catalog file also passes the catalog schema
        assert messages(schemas.CATALOG_SCHEMA, data) == []


def test_kind_schemas_cover_every_category():
    assert len(SHIPPED) >= 20
    kinds = {schemas.schema_name(load(p)) for p in SHIPPED}
    assert {"racks.schema.json", "catalog.schema.json", "profile.schema.json"} <= kinds


def test_unit_fields_are_strings_whose_description_names_the_dimension():
    rack = json.loads((ROOT / "schemas" / "racks.schema.json").read_text())["$defs"]["Rack"]
    empty_mass = rack["properties"]["empty_mass"]
    assert empty_mass["type"] == "string"
    assert empty_mass["description"].startswith("a mass, greater than zero, e.g. '1360 kg'. ")
    assert "Mass of the rack itself" in empty_mass["description"]
    footprint = rack["properties"]["footprint"]  # optional: a string with a unit, or null
    assert [b["type"] for b in footprint["anyOf"]] == ["string", "null"]
    assert footprint["description"].startswith("an area, greater than zero, e.g. '900 cm^2'")
    text = json.dumps(rack)
    assert "x-quantity" not in text


def test_every_example_is_a_quantity_of_its_dimension():
    assert set(EXAMPLES) == set(DIMENSIONS)
    for dimension, example in EXAMPLES.items():
        parse_quantity(example, dimension)


@pytest.fixture
def rack():
    data = load(ROOT / "catalogs" / "racks.yaml")
    return {"racks": [data["racks"][0]]}


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("empty_mass", 150, "150 is not of type 'string'"),  # a number where a unit is due
        ("empty_mass", "150", "does not match"),  # a string without a unit
        ("slots", "forty-two", "'forty-two' is not of type 'integer'"),
        ("slots", 0, "0 is less than the minimum of 1"),
        ("accepts", ["eia-23"], "'eia-23' is not one of"),
        ("statc_load", "1000 kg", "Additional properties are not allowed ('statc_load'"),
    ],
)
def test_wrong_files_fail(rack, field, value, expected):
    rack["racks"][0][field] = value
    for name in ("racks.schema.json", schemas.CATALOG_SCHEMA):
        found = messages(name, rack)
        assert len(found) == 1 and expected in found[0], found


def test_missing_field_and_wrong_kind_fail(rack):
    del rack["racks"][0]["empty_mass"]
    assert messages("racks.schema.json", rack) == ["'empty_mass' is a required property"]
    assert messages("cables.schema.json", rack) == [
        "Additional properties are not allowed ('racks' was unexpected)",
        "'cables' is a required property",
    ]


def test_wrong_profile_fails():
    data = load(ROOT / "constraints" / "enterprise-air.yaml")
    data["profile"]["reserved_slots"] = "4 RU"
    data["profile"]["supply_temperature"] = 35
    found = sorted(messages(schemas.PROFILE_SCHEMA, data))
    assert found == ["'4 RU' is not of type 'integer'", "35 is not of type 'string'"]
