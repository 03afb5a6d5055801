"""The physics layer: each function against hand arithmetic, and each formula in one home."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace as NS

import pytest

from solver.physics import cooling, floor, links, power, reach
from solver.units import Quantity as Q

SOLVER = Path(__file__).resolve().parent.parent / "solver"


def test_pairs_and_cables_for_links():
    scale_up = NS(lanes_per_link=2, links=18, simultaneous_bidirectional=False, topology="switched")
    assert links.pairs_per_link(scale_up) == 4
    assert links.cables_for_links(1296, scale_up, NS(pairs=1)) == 5184  # NVL72
    assert links.cables_for_links(1296, scale_up, NS(pairs=16)) == 324
    tray = NS(accelerators=4, board_links=0)
    assert links.tray_links(tray, scale_up) == 72
    assert links.tray_pairs(tray, scale_up) == 288
    # NVLink 6: twice the links over the same 5,184 pairs, each pair carrying both directions
    nvlink6 = NS(lanes_per_link=2, links=36, simultaneous_bidirectional=True, topology="switched")
    assert links.pairs_per_link(nvlink6) == 2
    assert links.cables_for_links(72 * 36, nvlink6, NS(pairs=1)) == 5184


def test_midplane_trace_reach_spends_the_cable_budget():
    channel = NS(
        loss_budget=Q(34, "dB"), host_loss=Q(9.5, "dB"), nyquist_frequency=Q(53.125, "GHz")
    )
    profile = NS(copper_loss_margin=Q(3, "dB"))
    board = NS(
        kind="pcb",
        insertion_loss=(
            NS(frequency=Q(26.5625, "GHz"), loss=Q(25, "dB/m")),
            NS(frequency=Q(53.125, "GHz"), loss=Q(45, "dB/m")),
        ),
    )
    # 34 - 2 x 9.5 - 3 = 12 dB left, over 45 dB/m at Nyquist
    assert reach.trace_reach(board, channel, profile).to("m").magnitude == pytest.approx(12 / 45)
    assert reach.trace_reach(NS(kind="direct"), channel, profile).magnitude == float("inf")


def test_torus_faces_leave_a_rack_only_where_racks_cut_its_block():
    assert links.torus_shape(64, 3) == (4, 4, 4)
    # 4 cubes of 4x4x4 make an 8x8x4 torus: the 4-ring of the third side closes in each rack,
    # so 4 faces of 16 chips leave it, not 6
    assert links.torus_tiling(64, 4, 3) == ((4, 4, 4), (1, 2, 2))
    assert links.torus_rack_link_ends(64, 4, 3) == 4 * 16
    assert links.torus_rack_link_ends(64, 2, 3) == 2 * 16  # 8x4x4: one side cut
    assert links.torus_rack_link_ends(64, 8, 3) == 6 * 16  # 8x8x8: every side cut
    assert links.torus_rack_link_ends(64, 1, 3) == 0  # one rack keeps every ring inside
    # 17 trays of 2x2 tiles: a 17x2x2 block, racks laid along both sides of 2 (17x4x4);
    # each cut side-2 face is half the block's 68 chips, the 17-ring stays in the rack
    assert links.torus_tiling(68, 4, 3) == ((17, 2, 2), (1, 2, 2))
    assert links.torus_rack_link_ends(68, 4, 3) == 2 * (2 * 68 // 2)


def test_redundancy_policies():
    shelf = NS(capacity=Q(33, "kW"), modules=6, spare_modules=1)
    assert power.shelf_capacity(shelf) == Q(27.5, "kW")
    peak = Q(161.7, "kW")
    assert power.shelves_needed(peak, shelf, "N") == 6
    assert power.shelves_needed(peak, shelf, "N+1") == 7
    assert power.shelves_needed(peak, shelf, "2N") == 12  # two sides of 6, each the peak alone
    assert power.delivered_power(12, shelf, "2N") == Q(165, "kW")
    assert power.delivered_power(1, shelf, "2N") == Q(0, "kW")  # one shelf is never 2N
    assert power.delivered_power(7, shelf, "N+1") == Q(165, "kW")


def test_transient_peak_busbar_and_circuits():
    assert power.peak_power(Q(115.5, "kW"), 1.4).to("kW").magnitude == pytest.approx(161.7)
    accel = NS(transient_factor=1.4)
    assert power.transient_factor(accel, NS(transient_factor=None)) == 1.4
    assert power.transient_factor(accel, NS(transient_factor=1.1)) == 1.1
    rack = NS(busbar_min_voltage=Q(48, "V"), busbar_current=Q(2800, "A"))
    assert power.busbar_current(Q(115.5, "kW"), rack).to("A").magnitude == pytest.approx(2406.25)
    assert power.busbar_capacity(rack) == Q(134.4, "kW")
    whip = NS(
        count=2, voltage=Q(400, "V"), current=Q(32, "A"), phases=3, power_factor=1.0, derating=1.0
    )
    assert power.circuit_power(whip).to("kW").magnitude == pytest.approx(22.17, abs=0.01)
    both = NS(feed_circuits=whip, shelf_redundancy="2N", feed_power=None)
    assert power.feed_capacity(both) == power.circuit_power(whip)  # B side is the spare
    assert power.feed_draw(Q(97, "kW"), 0.97).to("kW").magnitude == pytest.approx(100)


def test_coolant_flow_from_supply_and_return():
    profile = NS(supply_temperature=Q(25, "degC"), return_temperature=Q(45, "degC"))
    rise = cooling.coolant_rise(profile)
    assert rise.to("K").magnitude == pytest.approx(20)
    water = NS(density=Q(1, "kg/L"), specific_heat=Q(4.186, "kJ/kg/K"))
    flow = cooling.coolant_flow(Q(100, "kW"), water, rise)
    assert flow.to("L/min").magnitude == pytest.approx(100 / (4.186 * 20) * 60)
    assert cooling.flow_heat(flow, water, rise).to("kW").magnitude == pytest.approx(100)


def _twinax(at_26, at_53):
    points = (
        NS(frequency=Q(26.5625, "GHz"), loss=Q(at_26, "dB/m")),
        NS(frequency=Q(53.125, "GHz"), loss=Q(at_53, "dB/m")),
    )
    return NS(kind="passive-copper", insertion_loss=points, min_bend_radius=Q(20, "mm"))


def test_loss_interpolates_as_a_power_of_frequency():
    cable = _twinax(3.0, 4.5)
    assert reach.loss_per_length(cable, Q(26.5625, "GHz")).to("dB/m").magnitude == pytest.approx(
        3.0
    )
    assert reach.loss_per_length(cable, Q(53.125, "GHz")).to("dB/m").magnitude == pytest.approx(4.5)
    # one octave beyond the last point: the same ratio again (extrapolated slope)
    assert reach.loss_per_length(cable, Q(106.25, "GHz")).to("dB/m").magnitude == pytest.approx(
        6.75
    )
    assert reach.loss_per_length(cable, Q(13.28125, "GHz")).to("dB/m").magnitude == pytest.approx(
        2.0
    )


def test_reach_from_the_loss_budget_grows_as_lanes_slow():
    cable = _twinax(3.0, 4.5)
    profile = NS(copper_loss_margin=Q(2, "dB"))
    channel = NS(loss_budget=Q(30, "dB"), host_loss=Q(9, "dB"), nyquist_frequency=Q(53.125, "GHz"))
    assert reach.usable_reach(cable, channel, profile).to("m").magnitude == pytest.approx(10 / 4.5)
    slower = NS(**{**vars(channel), "nyquist_frequency": Q(26.5625, "GHz")})
    faster = NS(**{**vars(channel), "nyquist_frequency": Q(106.25, "GHz")})
    assert reach.usable_reach(cable, slower, profile) > reach.usable_reach(cable, channel, profile)
    assert reach.usable_reach(cable, faster, profile) < reach.usable_reach(cable, channel, profile)
    assert reach.usable_reach(cable, None, profile) == Q(0, "m")
    optic = NS(kind="optical", reach=Q(500, "m"))
    assert reach.usable_reach(optic, channel, profile) == Q(500, "m")


def test_run_length_and_bends():
    cable = _twinax(3.0, 4.5)
    rack = NS(slot_pitch=Q(44.45, "mm"), horizontal_run=Q(0.3, "m"))
    profile = NS(service_slack=Q(0.1, "m"), rack_pitch=Q(0.6, "m"), overhead_drop=Q(1.2, "m"))
    bends = 3.14159265 * 0.020
    assert reach.run_length(10, rack, profile, cable).to("m").magnitude == pytest.approx(
        5 * 0.04445 + 0.4 + bends
    )
    assert reach.interrack_run(8, cable, profile).to("m").magnitude == pytest.approx(
        7 * 0.6 + 2.4 + 0.1 + bends
    )


def test_floor_share_distributed_and_point_load():
    rack = NS(width=Q(0.6, "m"), floor_area=Q(0.72, "m^2"), load_points=4)
    profile = NS(cold_aisle_width=Q(1.2, "m"), hot_aisle_width=Q(1.2, "m"))
    share = floor.floor_share(rack, profile)
    assert share.to("m^2").magnitude == pytest.approx(1.44)
    wide = NS(cold_aisle_width=Q(3, "m"), hot_aisle_width=Q(1.2, "m"))  # 0.76 m at most
    assert floor.floor_share(rack, wide).to("m^2").magnitude == pytest.approx(0.72 + 0.6 * 1.36)
    load = floor.distributed_load(Q(1440, "kg"), share, Q(50, "kg/m^2"))
    assert load.to("kg/m^2").magnitude == pytest.approx(1050)
    # a rack on four casters rocks onto three: each carries a third (IBM's tile rule)
    assert floor.point_load(Q(1000, "kg"), rack).to("kN").magnitude == pytest.approx(
        1000 * 9.80665 / 3 / 1000
    )


# Fields whose arithmetic belongs to one physics module: a field's name may appear
# elsewhere only as a unit conversion in solver/integers.py, a label, or a knob.
ONE_HOME = {
    "lanes_per_link": {"physics/links.py", "budgets/bandwidth.py"},
    "power_per_end": {"physics/power.py"},
    "overhead_power": {"physics/power.py", "sensitivity.py"},
    "specific_heat": {"physics/cooling.py"},
    "return_temperature": {"physics/cooling.py"},
    "min_bend_radius": {"physics/reach.py"},
    "cross_section": {"physics/reach.py"},
    "insertion_loss": {"physics/reach.py"},
    "loss_budget": {"physics/reach.py", "sensitivity.py"},
    "copper_loss_margin": {"physics/reach.py"},
    "service_slack": {"physics/reach.py"},
    "horizontal_run": {"physics/reach.py"},
    "coolant_volume": {"physics/mass.py"},
    "mass_per_length": {"physics/mass.py", "integers.py"},
    "busbar_min_voltage": {"physics/power.py", "families/power.py"},
    "load_points": {"physics/floor.py", "families/floor_load.py"},
    "spare_modules": {"physics/power.py"},
    "cold_aisle_width": {"physics/floor.py"},
}


@pytest.mark.parametrize("field", sorted(ONE_HOME))
def test_each_formula_has_one_home(field):
    """A physics field is read only by its physics module (and the listed converters)."""
    found = {
        str(path.relative_to(SOLVER))
        for path in SOLVER.rglob("*.py")
        if path.name != "schema.py" and re.search(rf"\.{field}\b", path.read_text())
    }
    assert found <= ONE_HOME[field], f"{field} is used outside its home: {found - ONE_HOME[field]}"


def test_bend_radius_from_the_cables_rule():
    stated = NS(min_bend_radius=Q(25, "mm"), bend_multiple=None)
    assert reach.bend_radius(stated) == Q(25, "mm")
    oval = NS(
        min_bend_radius=None,
        bend_multiple=10,
        outer_diameter=Q(3.2, "mm"),
        minor_diameter=Q(1.9, "mm"),
    )
    assert reach.bend_radius(oval).to("mm").magnitude == pytest.approx(19)  # about the minor axis
    round_ = NS(
        min_bend_radius=None, bend_multiple=10, outer_diameter=Q(3, "mm"), minor_diameter=None
    )
    assert reach.bend_radius(round_).to("mm").magnitude == pytest.approx(30)
