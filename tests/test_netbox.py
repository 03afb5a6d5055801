"""NetBox device types: real devicetype-library files imported as catalog entries (what NetBox
lacks is asked for, not guessed), exported back unchanged, and a solved rack exported as
device types and a rack elevation for NetBox's bulk import."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from solver.catalog import load_catalog, load_constraints
from solver.cli import main
from solver.engine import solve
from solver.errors import InputError, UsageError
from solver.interchange import netbox

ROOT = Path(__file__).resolve().parent.parent
NETBOX = Path(__file__).parent / "data" / "netbox"
MAPPED = ("manufacturer", "model", "slug", "part_number", "u_height", "is_full_depth")
MAPPED += ("airflow", "weight", "weight_unit", "power-ports")

# What each real file lacks, and values for it (for the round trip; not claims about them).
CASES = {
    "DGC-A100.yaml": (
        "compute_trays",
        [
            "accelerator",
            "accelerators",
            "overhead_power",
            "mass",
            "liquid_fraction",
            "scale_up_attach",
            "form_factor",
        ],
        [
            "accelerator=a100",
            "accelerators=8",
            "overhead_power=3.3 kW",
            "mass=271.5 lb",
            "liquid_fraction=0",
            "scale_up_attach=board",
            "form_factor=eia-19",
        ],
    ),
    "NVLink-5-Switch.yaml": (
        "switch_trays",
        [
            "chip",
            "chips",
            "power",
            "mass",
            "liquid_fraction",
            "cable_exit_width",
            "power_input",
            "form_factor",
        ],
        [
            "chip=nvswitch5",
            "chips=2",
            "power=1.2 kW",
            "mass=20 kg",
            "liquid_fraction=0.8",
            "cable_exit_width=400 mm",
            "power_input=busbar",
            "form_factor=eia-19",
        ],
    ),
    "AP7900B.yaml": (
        "power_shelves",
        ["kind", "output", "capacity", "efficiency", "form_factor"],
        ["kind=pdu", "output=ac", "capacity=1.44 kW", "efficiency=1", "form_factor=eia-19"],
    ),
}


def original(name: str) -> dict:
    return yaml.safe_load((NETBOX / name).read_text(encoding="utf-8"))


def imported(name: str, settings: list[str] | None = None) -> netbox.Imported:
    category, _, given = CASES[name]
    values = netbox.parse_settings(given if settings is None else settings, category)
    return netbox.import_device_type(NETBOX / name, category, values)


def test_fixtures_are_the_named_real_files():
    readme = (NETBOX / "README.md").read_text()
    for name in CASES:
        assert name in readme
    assert "netbox-community/devicetype-library" in readme
    assert len(re.findall(r"\b[0-9a-f]{40}\b", readme)) == len(CASES)


@pytest.mark.parametrize("name", CASES)
def test_import_asks_for_what_netbox_lacks(name):
    category, to_fill, _ = CASES[name]
    item = imported(name, [])
    assert item.category == category and item.to_fill == to_fill
    assert all(item.entry[field] is None for field in to_fill)
    data = original(name)
    assert item.entry["id"] == data["slug"]
    assert item.entry["height"] == f"{data['u_height']:g} RU"
    assert item.entry["netbox"]["manufacturer"] == data["manufacturer"]
    assert item.entry["netbox"]["model"] == data["model"]


def test_import_reads_netbox_figures():
    dgx = imported("DGC-A100.yaml", []).entry
    assert dgx["name"] == "NVIDIA DGX A100 640GB"  # the model already names the maker
    assert dgx["power_input"] == "ac"  # two IEC 60320 C14 inlets
    assert dgx["netbox"]["power_ports"][0] == {
        "name": "Power Supply 1",
        "type": "iec-60320-c14",
        "maximum_draw": "1071 W",
        "allocated_draw": "586 W",
    }
    pdu = imported("AP7900B.yaml", []).entry
    assert pdu["mass"] == "2.25 kg" and "weight_unit" not in pdu["netbox"]  # kg: the default
    assert pdu["netbox"]["airflow"] == "passive" and pdu["netbox"]["is_full_depth"] is False
    switch = imported("NVLink-5-Switch.yaml", []).entry
    assert switch["power_input"] is None  # no power port: busbar-fed, but not said as data
    assert "power_ports" not in switch["netbox"]


def test_draft_marks_fields_to_fill_and_fails_its_schema(tmp_path):
    item = imported("DGC-A100.yaml", [])
    text = netbox.entry_yaml([item])
    assert text.startswith("# yaml-language-server: $schema=../schemas/compute_trays.schema.json")
    marked = re.findall(r"^    (\w+): null  # TO FILL IN: (.+)$", text, flags=re.M)
    assert [field for field, _ in marked] == item.to_fill
    hints = dict(marked)
    assert hints["overhead_power"].startswith("a power, zero or more, e.g. '1.2 kW'. Power of")
    assert (
        "NetBox lists Power Supply 1: maximum_draw 1071 W, allocated_draw 586 W"
        in (hints["overhead_power"])
    )
    assert hints["form_factor"] == "one of eia-19, ocp-21, orw, blade"
    document = json.loads((ROOT / "schemas" / "compute_trays.schema.json").read_text())
    errors = jsonschema.Draft202012Validator(document).iter_errors(yaml.safe_load(text))
    assert {e.path[-1] for e in errors} == set(item.to_fill)


@pytest.mark.parametrize("name", CASES)
def test_round_trip(tmp_path, name):
    category, _, given = CASES[name]
    item = imported(name)
    assert item.to_fill == []
    entry = netbox.KINDS[category].model_validate(item.entry)
    exported = netbox.device_type(entry)
    source = original(name)
    for key in MAPPED:
        if key in source:
            assert exported[key] == source[key], key
    added = set(exported) - set(source)
    assert added <= {"weight", "weight_unit"}  # the mass rackscale was given, when NetBox lacked it
    path = tmp_path / name
    path.write_text(netbox.device_type_yaml(entry), encoding="utf-8")
    again = netbox.import_device_type(path, category, netbox.parse_settings(given, category))
    assert {k: v for k, v in again.entry.items() if k != "source"} == {
        k: v for k, v in item.entry.items() if k != "source"
    }


def test_imported_entry_joins_the_shipped_catalogs(tmp_path, capsys):
    out = tmp_path / "dgx.yaml"
    args = ["netbox", "import", str(NETBOX / "DGC-A100.yaml"), "--kind", "compute_trays"]
    assert main([*args, "--out", str(out)]) == 2  # fields left to fill in
    err = capsys.readouterr().err
    assert "fields to fill in (not in NetBox; rackscale does not guess)" in err
    assert "accelerator, accelerators, overhead_power, mass, liquid_fraction" in err
    assert main(["validate", str(out)]) == 2
    assert "compute_trays[0].accelerator" in capsys.readouterr().err
    settings = [f"--set={s}" for s in CASES["DGC-A100.yaml"][2]]
    assert main([*args, *settings, "--out", str(out)]) == 0
    catalog = load_catalog([ROOT / "catalogs", out])
    tray = catalog.compute_trays["nvidia-dgx-a100-640gb"]
    assert tray.accelerators == 8 and f"{tray.mass.to('kg'):.2f~P}" == "123.15 kg"
    assert tray.netbox.power_ports[1].allocated_draw.to("W").magnitude == 586


def test_bad_settings_are_refused():
    with pytest.raises(UsageError, match="did you mean 'accelerators'"):
        netbox.parse_settings(["acelerators=8"], "compute_trays")
    with pytest.raises(InputError, match=r"DGC-A100.yaml: overhead_power: '5 kg' is not a power"):
        imported("DGC-A100.yaml", ["overhead_power=5 kg"])


def test_a_file_that_is_not_a_device_type(tmp_path):
    path = tmp_path / "rack.yaml"
    path.write_text("name: a rack\nu_height: 42\n")
    with pytest.raises(
        InputError, match=r"rack\.yaml:1: not a NetBox device type: no manufacturer"
    ):
        netbox.import_device_type(path, "compute_trays", {})


def test_solved_rack_as_netbox_elevation(gb200):
    files = netbox.elevation_files(gb200.design, "hall-a")
    types = {
        name: yaml.safe_load(content) for name, content in files.items() if name.endswith("yaml")
    }
    assert len(types) == 3  # compute tray, switch tray, power shelf
    for kind in types.values():
        assert {"manufacturer", "model", "slug", "u_height", "is_full_depth"} <= set(kind)
        assert re.fullmatch(r"[-a-z0-9_]+", kind["slug"]) and (kind["u_height"] * 2) % 1 == 0
        assert ("weight" in kind) == ("weight_unit" in kind)
    racks = list(csv.DictReader(io.StringIO(files["racks.csv"].decode())))
    assert racks == [
        {
            "name": "rack-1",
            "site": "hall-a",
            "status": "planned",
            "width": "19",
            "u_height": "48",
            "description": racks[0]["description"],
        }
    ]
    devices = list(csv.DictReader(io.StringIO(files["devices.csv"].decode())))
    placed = [p for p in gb200.design.layout.items if p.kind != "reserved"]
    assert len(devices) == len(placed) == 18 + 9 + 7
    assert {d["role"] for d in devices} == {"compute-tray", "switch-tray", "power-shelf"}
    by_name = {d["name"]: d for d in devices}
    for item in placed:
        assert int(by_name[f"rack-1-{item.name}"]["position"]) == item.slot
    models = {kind["model"] for kind in types.values()}
    assert {d["device_type"] for d in devices} == models


def test_cli_export(tmp_path, capsys):
    code = main(
        ["netbox", "export", "--pin", "accelerator=gb200", "--site", "hall-a",
         "--out", str(tmp_path)]
    )  # fmt: skip
    assert code == 0
    assert "wrote 5 files" in capsys.readouterr().out
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert written == [
        "device-types/Generic/generic-gb200-nvl72-tray.yaml",
        "device-types/Generic/generic-nvl72-33kw-shelf.yaml",
        "device-types/Generic/generic-nvlink5-switch-tray.yaml",
        "devices.csv",
        "racks.csv",
    ]


def test_zero_u_pdus_are_devices_without_a_position():
    profile = load_constraints(ROOT / "constraints" / "enterprise-air.yaml")
    result = solve(load_catalog(), profile, accelerator="h100", explain=False)
    design = result.design
    assert design.shelf.height.magnitude == 0 and design.power_shelves >= 1
    files = netbox.elevation_files(design, "s1")
    devices = list(csv.DictReader(io.StringIO(files["devices.csv"].decode())))
    pdus = [d for d in devices if d["role"] == "power-shelf"]
    assert len(pdus) == design.power_shelves
    assert all(d["position"] == "" and d["face"] == "" for d in pdus)
    kind = yaml.safe_load(files[f"device-types/Generic/generic-{design.shelf.id}.yaml"])
    assert kind["u_height"] == 0


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("u_height: 6", "u_height: six"), "DGC-A100.yaml:6: u_height: expected a number"),
        (("maximum_draw: 1071", "maximum_draw: lots"), "power-ports.0.maximum_draw: expected"),
        (("power-ports:\n", "power-ports: 3\nx:\n"), "power-ports: expected a list"),
    ],
)
def test_malformed_device_types_are_located(tmp_path, edit, message):
    path = tmp_path / "DGC-A100.yaml"
    path.write_text((NETBOX / "DGC-A100.yaml").read_text().replace(*edit, 1))
    with pytest.raises(InputError, match=re.escape(message)):
        netbox.import_device_type(path, "compute_trays", {})
