"""The 2026-2027 generation under the halls it needs: Vera Rubin NVL144 and its CPX trays,
Kyber NVL576 (blades on a midplane, 800 V DC), AMD Helios on Open Rack Wide; and the limits
an engineer expects to bind when a premise is taken away."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TIME_LIMIT

from solver.catalog import load_catalog, load_constraints
from solver.engine import solve

PROFILES = Path(__file__).resolve().parent.parent / "constraints"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def run(catalog, profile: str, accelerator: str, **pins):
    hall = load_constraints(PROFILES / f"{profile}.yaml")
    return solve(catalog, hall, accelerator=accelerator, pins=pins, time_limit=TIME_LIMIT)


def kw(result, total: str = "power") -> float:
    return result.totals[total].to("kW").magnitude


def binding_checks(result) -> list[str]:
    return [c.limit_name for c in result.checks if c.binding]


def test_vera_rubin_nvl144_in_a_200kw_hall(catalog):
    r = run(catalog, "ai-200kw-liquid", "rubin")
    d = r.design
    assert r.status == "optimal" and r.domain_size == 72
    assert d.rack.id == "vr-oberon-rack" and d.shelf.id == "flex-110kw-shelf"
    assert d.power_shelves == 4  # 3 carry the 1.4x peak, one spare: as published
    assert d.cables == 5184  # the GB200 spine, each pair carrying both directions
    assert 180 <= kw(r) <= 240
    assert "topology" in r.binding


def test_vera_rubin_fills_only_48_in_the_2025_hall(shipped_results):
    r = shipped_results["rubin"]  # the default profile
    assert r.domain_size == 48 and "power" in r.binding


def test_vera_rubin_on_a_gb200_class_48v_busbar_fails_on_busbar_current(catalog):
    gb200_bar = load_catalog(overrides=[("racks.vr-oberon-rack.busbar_current", "2900 A")])
    r = run(gb200_bar, "ai-200kw-liquid", "rubin", rack="vr-oberon-rack")
    assert r.domain_size < 72
    assert binding_checks(r) == ["busbar current at 48 V"], r.explanation
    # and the GB200 rack itself: its spine is built for NVLink 5, not NVLink 6
    r = run(catalog, "ai-200kw-liquid", "rubin", rack="nvl72-rack")
    assert r.binding == ("compatibility",) and "built for nvlink6" in r.explanation


def test_cpx_rack_counts_rubin_in_the_domain_and_cpx_in_the_power(catalog):
    r = run(catalog, "ai-600kw-800vdc", "rubin", compute_tray="vr-nvl144-cpx-tray")
    d = r.design
    assert r.status == "optimal" and r.domain_size == 72  # the 144 CPX are not in it
    assert d.tray.outside_domain.count * d.compute_trays == 144
    cpx_kw = 144 * 0.8
    assert kw(r, "it_power") > 72 * 2.3 + cpx_kw  # and they draw power
    assert 300 <= kw(r) <= 400  # ~370 kW reported
    assert d.rack.busbar_voltage.to("V").magnitude == 800


def test_cpx_rack_overruns_the_50v_vera_rubin_busbar(catalog):
    r = run(
        catalog,
        "ai-600kw-800vdc",
        "rubin",
        compute_tray="vr-nvl144-cpx-tray",
        rack="vr-oberon-rack",
    )
    assert r.domain_size < 72 and "busbar current at 48 V" in binding_checks(r)


def test_kyber_in_an_800v_dc_hall(catalog):
    r = run(catalog, "ai-600kw-800vdc", "rubin-ultra")
    d = r.design
    assert r.status == "optimal" and r.domain_size == 144
    assert d.cable is None and d.tray.scale_up_attach == "midplane"
    assert d.compute_trays == 36 and d.shelf.input == "dc-800v"
    assert 550 <= kw(r) <= 700
    assert 3000 <= r.totals["mass"].to("kg").magnitude <= 3600


def test_kyber_without_800v_dc_fails_on_power_delivery(catalog):
    r = run(catalog, "ai-200kw-liquid", "rubin-ultra")
    assert r.domain_size < 144
    assert "feed power" in binding_checks(r), r.explanation
    assert r.design.shelf.kind == "sidecar"  # AC to 800 V beside the rack, fed by the hall
    sidecar = [c for c in r.checks if c.limit_name.startswith("sidecar power rack")]
    assert sidecar and sidecar[0].ok


def test_helios_double_wide_in_a_200kw_hall(catalog):
    r = run(catalog, "ai-200kw-liquid", "mi455x")
    d = r.design
    assert r.status == "optimal" and r.domain_size == 72
    assert d.rack.id == "orw-rack" and d.rack.width.to("mm").magnitude == 1200
    assert 150 <= kw(r) <= 200  # estimate: MI455X at 1.7 kW
    assert 2800 <= r.totals["mass"].to("kg").magnitude <= 3400  # published ~3.2 t


def test_helios_has_no_power_unit_in_an_800v_dc_hall(catalog):
    r = run(catalog, "ai-600kw-800vdc", "mi455x")
    assert r.status == "infeasible" and r.binding == ("compatibility",)
