"""Bad input is refused with file:line, field and what was expected — never a traceback."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import SMALL_CATALOG, SMALL_PROFILE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.catalog import load_catalog, load_constraints, parse_overrides
from solver.errors import InputError
from solver.units import parse_quantity

RACK = """\
racks:
  - id: r1
    name: Test rack
    source: test fixture
    standard: eia-310
    slots: 42
    slot_pitch: "1 RU"
    width: "600 mm"
    depth: "1200 mm"
    height: "2000 mm"
    accepts: [eia-19]
    empty_mass: "150 kg"
    static_load: "1000 kg"
    rear_clearance: "100 mm"
    spine_area: "0 m^2"
    horizontal_run: "0.2 m"
"""


def load_text(tmp_path: Path, text: str):
    path = tmp_path / "racks.yaml"
    path.write_text(text)
    return load_catalog(path)


def errors(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        load_text(tmp_path, text)
    name = str(tmp_path / "racks.yaml")
    return [str(p).replace(name, "racks.yaml") for p in info.value.problems]


def test_valid_rack_loads(tmp_path):
    catalog = load_text(tmp_path, RACK)
    assert catalog.racks["r1"].static_load.to("kg").magnitude == 1000
    assert catalog.racks["r1"].floor_area.to("m^2").magnitude == pytest.approx(0.72)


def test_wrong_dimension_names_file_line_field(tmp_path):
    text = RACK.replace('static_load: "1000 kg"', 'static_load: "5 kW"')
    assert errors(tmp_path, text) == ["racks.yaml:13: racks[0].static_load: '5 kW' is not a mass"]


def test_missing_field(tmp_path):
    text = RACK.replace('    empty_mass: "150 kg"\n', "")
    assert errors(tmp_path, text) == ["racks.yaml:2: racks[0]: missing required field: empty_mass"]


def test_unknown_key_suggests_nearest(tmp_path):
    text = RACK + "    statc_load: 3\n"
    assert errors(tmp_path, text) == [
        "racks.yaml:17: racks[0].statc_load: unknown key; did you mean 'static_load'?"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"-150 kg"', "'-150 kg' must be greater than zero"),
        ('"0 kg"', "'0 kg' must be greater than zero"),
        ("150", "expected a mass as a string with a unit, got 150"),
        ('"150"', "'150' has no unit; expected a mass"),
        ('"150 blorbs"', "'150 blorbs': unknown unit 'blorbs'; expected a mass"),
        ('"150 kg kg +"', "'150 kg kg +' is not a quantity; expected a mass"),
    ],
)
def test_bad_values(tmp_path, value, message):
    text = RACK.replace('empty_mass: "150 kg"', f"empty_mass: {value}")
    assert errors(tmp_path, text) == [f"racks.yaml:12: racks[0].empty_mass: {message}"]


def test_all_errors_of_a_file_reported_together(tmp_path):
    text = (
        RACK.replace('static_load: "1000 kg"', 'static_load: "5 kW"').replace(
            "slots: 42", "slots: 0"
        )
        + "    colour: red\n"
    )
    found = errors(tmp_path, text)
    assert len(found) == 3
    assert [f.split(":")[1] for f in found] == ["6", "13", "17"]


def test_malformed_yaml(tmp_path):
    found = errors(tmp_path, "racks:\n  - id: [r1\n")
    assert len(found) == 1 and found[0].startswith("racks.yaml:3: malformed YAML:")


def test_duplicate_key(tmp_path):
    found = errors(tmp_path, RACK + '    width: "700 mm"\n')
    assert found == ["racks.yaml:17: racks[0].width: duplicate key"]


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file or directory"):
        load_catalog(tmp_path / "nope.yaml")


def test_duplicate_id_across_files(tmp_path):
    (tmp_path / "a.yaml").write_text(RACK)
    (tmp_path / "b.yaml").write_text(RACK)
    with pytest.raises(InputError) as info:
        load_catalog(tmp_path)
    assert "duplicate id 'r1'" in str(info.value)
    assert "b.yaml:2" in str(info.value)


def test_unknown_reference_is_located(tmp_path):
    shutil.copytree(SMALL_CATALOG, tmp_path / "cat")
    path = tmp_path / "cat" / "catalog.yaml"
    path.write_text(path.read_text().replace("accelerator: xpu\n", "accelerator: xpuu\n"))
    with pytest.raises(InputError) as info:
        load_catalog(tmp_path / "cat")
    assert str(info.value).endswith(
        "compute_trays.xpu-tray.accelerator: unknown accelerators id 'xpuu'; did you mean 'xpu'?"
    )


def test_override_is_unit_checked():
    with pytest.raises(InputError) as info:
        load_constraints(SMALL_PROFILE, parse_overrides(["profile.feed_power=5 kg"]))
    assert str(info.value) == "--set profile.feed_power: profile.feed_power: '5 kg' is not a power"


def test_override_unknown_entry():
    with pytest.raises(InputError, match="no racks entry 'test-rak'; did you mean 'test-rack'"):
        load_catalog(SMALL_CATALOG, parse_overrides(["racks.test-rak.slots=40"]))


def test_override_applies():
    catalog = load_catalog(SMALL_CATALOG, parse_overrides(["racks.test-rack.slots=40"]))
    assert catalog.racks["test-rack"].slots == 40


def test_floor_rating_accepts_pressure():
    value = parse_quantity("25 kPa", "areal load")
    assert value.to("kg/m^2").magnitude == pytest.approx(2549.29, rel=1e-4)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=40), st.sampled_from(["static_load", "width", "slots", "accepts", "id"]))
def test_loader_never_crashes_on_garbage(tmp_path, garbage, field):
    """Whatever a field holds, loading either succeeds or raises InputError."""
    lines = [line for line in RACK.splitlines() if not line.strip().startswith(f"{field}:")]
    text = "\n".join(lines) + f"\n    {field}: {garbage!r}\n"
    try:
        load_text(tmp_path, text)
    except InputError as exc:
        assert str(exc)


def test_set_reaches_ids_with_dots():
    from solver.catalog import load_catalog

    catalog = load_catalog(overrides=[("cables.cpo-1.6t.liquid_fraction", "0")])
    assert catalog.cables["cpo-1.6t"].liquid_fraction == 0


def test_later_layer_replaces_an_entry_in_place(tmp_path):
    from solver.catalog import DEFAULT_CATALOG

    (tmp_path / "mine.yaml").write_text(RACK.replace("id: r1", "id: eia-42u"))
    shipped = load_catalog()
    mine = load_catalog([DEFAULT_CATALOG, tmp_path / "mine.yaml"])
    assert mine.racks["eia-42u"].static_load.to("kg").magnitude == 1000
    assert list(mine.racks) == list(shipped.racks)  # replaced where it stood
    (replaced,) = mine.replaced
    assert (replaced.category, replaced.id) == ("racks", "eia-42u")
    assert replaced.replaced == shipped.origins[("racks", "eia-42u")]
    assert replaced.by == (str(tmp_path / "mine.yaml"), 2)
    assert mine.origins[("racks", "eia-42u")] == replaced.by
    assert load_catalog(tmp_path / "mine.yaml", shipped=True).racks == mine.racks


def test_set_reaches_the_entry_in_use(tmp_path):
    from solver.catalog import DEFAULT_CATALOG

    (tmp_path / "mine.yaml").write_text(RACK.replace("id: r1", "id: eia-42u"))
    catalog = load_catalog(
        [DEFAULT_CATALOG, tmp_path / "mine.yaml"], [("racks.EIA-42U.static_load", "1234 kg")]
    )
    assert catalog.racks["eia-42u"].static_load.to("kg").magnitude == 1234
    assert catalog.racks["eia-42u"].slots == 42


def test_one_layer_may_not_repeat_an_id(tmp_path):
    (tmp_path / "mine.yaml").write_text(RACK + RACK.removeprefix("racks:\n"))
    with pytest.raises(InputError, match="duplicate id 'r1'"):
        load_catalog([tmp_path / "mine.yaml"], shipped=True)


def test_profiles_by_name_or_path():
    from solver.catalog import SHIPPED_PROFILES

    by_name = load_constraints("enterprise-air")
    assert by_name.profile.id == "enterprise-air"
    assert by_name.file.path == "constraints/enterprise-air.yaml"
    assert load_constraints("Enterprise-Air.yaml").profile == by_name.profile
    assert load_constraints(SHIPPED_PROFILES / "enterprise-air.yaml").profile == by_name.profile
    with pytest.raises(InputError) as info:
        load_constraints("enterprise-ai")
    assert str(info.value).startswith(
        "enterprise-ai: no such file, nor a shipped profile of that name; "
        "did you mean 'enterprise-air'"
    )
    with pytest.raises(InputError, match="no such file"):
        load_constraints("somewhere/enterprise-air")  # a path is never taken for a name


def test_bare_field_names_get_their_address():
    with pytest.raises(InputError) as info:
        load_catalog(SMALL_CATALOG, parse_overrides(["slots=40"]))
    assert str(info.value) == (
        "--set: slots: unknown category 'slots'; did you mean 'racks.test-rack.slots'?"
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (RACK.encode("utf-16"), "racks.yaml:1: the file is UTF-16 (byte-order mark); expected "),
        (RACK.encode("utf-16-le"), "racks.yaml:1: NUL byte (UTF-16 without a byte-order mark?)"),
        (RACK.replace("Test", "Tést").encode("latin-1"), "racks.yaml:3: byte 0xe9 is not UTF-8"),
        (RACK.replace("Test", "Te\x00st").encode(), "racks.yaml:3: NUL byte; expected UTF-8"),
        (RACK.replace("Test", "Te\x01st").encode(), "racks.yaml:3: character #x0001 is not"),
        (RACK.encode()[:150], "racks.yaml:9: malformed YAML: could not find expected ':'"),
        (
            RACK.replace("name: Test rack", "notes: " + "[" * 500 + "]" * 500).encode(),
            "racks.yaml:3: nested deeper than 64 levels",
        ),
        (
            RACK.replace("name: Test rack", "name: !!int 3").encode(),
            "racks.yaml:3: YAML tag '!!int' is not accepted",
        ),
        (
            RACK.replace("name: Test rack", "name: !!python/object:os.system x").encode(),
            "racks.yaml:3: YAML tag '!!python/object:os.system' is not accepted",
        ),
        (
            RACK.replace("    width:", "    [a, b]: 1\n    width:").encode(),
            "racks.yaml:8: racks[0]: a key must be a name, not a list",
        ),
        (
            RACK.replace("    width:", "    {a: 1}: 1\n    width:").encode(),
            "racks.yaml:8: racks[0]: a key must be a name, not a mapping",
        ),
        (
            b"".join(
                b"l%d: &l%d [%s]\n" % (i, i, b",".join([b"*l%d" % (i - 1)] * 9) if i else b"x")
                for i in range(9)
            )
            + RACK.encode(),
            "aliases expand to more than 200,000 values",
        ),
    ],
)
def test_malformed_files_are_located(tmp_path, data, expected):
    path = tmp_path / "racks.yaml"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        load_catalog(path)
    assert len(info.value.problems) == 1
    assert expected in str(info.value).replace(str(path), "racks.yaml")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("empty_mass", '"10**400 kg"', "'10**400 kg' is not a finite number within float range"),
        ("empty_mass", '"1e400 kg"', "'1e400 kg' is not a finite number within float range"),
        ("empty_mass", '"inf kg"', "'inf kg' is not a finite number within float range"),
        ("empty_mass", '"nan kg"', "'nan kg' is not a finite number within float range"),
        ("empty_mass", '"10**10**10 kg"', "exponents must be plain numbers of at most 3 digits"),
        ("empty_mass", '"-1 kg"', "'-1 kg' must be greater than zero"),
        ("horizontal_run", '"1e9 m"', "'1e9 m' exceeds the bound of 10 km for a length"),
        ("horizontal_run", '"1 km"', "'1 km' exceeds the bound of 100 m"),
        ("slots", "2147483648", "less than or equal to 256 (got 2147483648)"),
        ("slots", "9" * 500, "less than or equal to 256 (got a 500-digit integer)"),
    ],
)
def test_values_beyond_the_model_are_refused_with_the_field(tmp_path, field, value, message):
    lines = [line for line in RACK.splitlines() if not line.strip().startswith(f"{field}:")]
    found = errors(tmp_path, "\n".join(lines) + f"\n    {field}: {value}\n")
    assert len(found) == 1 and found[0].startswith(f"racks.yaml:16: racks[0].{field}: ")
    assert message in found[0]


def test_set_through_a_value_is_refused():
    with pytest.raises(InputError) as info:
        load_catalog(SMALL_CATALOG, parse_overrides(["racks.test-rack.slots.x=3"]))
    assert str(info.value) == ("--set: racks.test-rack.slots.x: racks[0].slots holds no field 'x'")


def test_set_refuses_tags():
    with pytest.raises(InputError, match="YAML tag '!!binary' is not accepted"):
        load_catalog(SMALL_CATALOG, parse_overrides(["racks.test-rack.name=!!binary aGk="]))


def test_model_units_are_those_of_the_integer_model():
    """The bounds are stated in the units solver.integers converts to."""
    from solver import integers
    from solver.units import MAXIMA, MODEL_UNITS

    source = Path(integers.__file__).read_text()
    used = set(re.findall(r'(?:usage|limit)_int\([^()]*(?:\([^()]*\))?[^()]*, "([^"]+)"\)', source))
    assert used - {""} <= set(MODEL_UNITS.values())
    assert set(MODEL_UNITS) <= set(MAXIMA)
