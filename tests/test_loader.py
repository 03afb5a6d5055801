"""Bad input is refused with file:line, field and what was expected — never a traceback."""

from __future__ import annotations

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
