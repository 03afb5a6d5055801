"""`rackscale hall`: the count of domains is maximal under the hall's limits, the fabric and
the budgets recomputed here with independent arithmetic agree, relaxing a limit never
shrinks the count, what binds is named, and bad halls are refused cleanly."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import pytest

from solver import hall
from solver.catalog import load_catalog, load_constraints
from solver.cli import main
from solver.engine import solve
from solver.report.hall import hall_text

ROOT = Path(__file__).parent.parent
HALL = ROOT / "constraints" / "hall-50mw.yaml"
# a hall small enough to enumerate: 3 rows of 6 positions, 1 CDU per row (no spare)
TINY = (
    ("hall.it_power", "1.6 MW"),
    ("hall.rows", "3"),
    ("hall.row_positions", "6"),
    ("hall.busway.capacity", "600 kW"),
    ("hall.busway.feeds", "1"),
    ("hall.cdu.capacity", "450 kW"),
    ("hall.cdu.units", "1"),
    ("hall.cdu.redundancy", "N"),
    ("hall.cdu.positions", "1"),
    ("hall.scale_out.switches_per_rack", "4"),
)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def rack(catalog):
    """GB200's proven rack design under the hall file's rack envelope (solved once)."""
    return solve(catalog, load_constraints(HALL), accelerator="gb200", explain=False)


def kw(text: str) -> float:
    """A JSON power string ("1,358 kW", "49.89 MW") in kW."""
    value = float(text.split()[0].replace(",", ""))
    return value * 1000 if text.endswith(" MW") else value


def plan_for(catalog, rack, overrides=()):
    return hall.plan(catalog, load_constraints(HALL, overrides), "gb200", result=rack)


def test_fat_tree_counts_by_hand():
    # radix 64: 2 tiers join 2,048 (NVIDIA's QM9700 B200 table: 64 leaf + 32 spine)
    from solver.physics import fabric

    assert fabric.tier_capacity(64, 2) == 2048
    assert fabric.switches_per_tier(2048, 64, 2) == (64, 32)
    assert fabric.tiers_needed(2049, 64) == 3
    # 16,384 endpoints on 3 tiers: 512 leaf, 512 spine, 256 core (NVIDIA's 64-SU row)
    assert fabric.switches_per_tier(16384, 64, 3) == (512, 512, 256)
    assert fabric.fabric_links(16384, 3) == 3 * 16384


def test_shipped_hall_checked_independently(catalog, rack):
    """Every limit of the 50 MW hall recomputed from the JSON and the YAML."""
    p = plan_for(catalog, rack)
    assert p.status == "optimal" and p.domains > 0
    data = json.loads(json.dumps(p.to_dict()))
    h = load_constraints(HALL).hall
    dom_kw = kw(data["domain"]["power"])
    # the domain: the rack's feed draw plus one 9 W optic per GPU port
    assert dom_kw == pytest.approx(rack.totals["power"].to("kW").m + 72 * 0.009, rel=1e-3)
    dom_kw = p.unit.power.to("kW").m  # exact, for the sums below
    fab = data["scale_out"]
    n = data["accelerators"]
    assert fab["endpoints"] == n
    k = 64
    leaves = sum(math.ceil(2 * r["domains"] * 72 / k) for r in data["rows"])
    assert fab["switches_per_tier"] == [leaves, math.ceil(2 * n / k), math.ceil(n / k)]
    assert n <= k**3 // 4
    switch_kw = fab["switches"] * 0.750
    modules = fab["optical_modules"]
    assert modules["osfp-400g-sr4"] == n  # every GPU port: 50 m multimode reaches its leaf
    assert modules["osfp-800g-2xsr4"] == math.ceil(n / 2)  # leaf downlinks, twin-port
    assert modules["osfp-800g-2xdr4"] == math.ceil(4 * n / 2)  # 2 trunk boundaries × 2 ends
    optics_kw = (15 * modules["osfp-800g-2xsr4"] + 17 * modules["osfp-800g-2xdr4"]) / 1000
    assert kw(fab["power"]) == pytest.approx(switch_kw + optics_kw, rel=1e-3)
    it_kw = p.domains * dom_kw + switch_kw + optics_kw
    assert it_kw <= 50_000
    # one domain more does not fit the hall's megawatts with the fabric it would need
    n1 = n + 72
    more_switches = math.ceil(2 * 73 / k) + math.ceil(2 * n1 / k) + math.ceil(n1 / k)
    assert (p.domains + 1) * dom_kw + more_switches * 0.75 + optics_kw > 50_000 - 10 * dom_kw
    full_switch_kw = 0.750 + k * 17 / 2 / 1000
    for r in data["rows"]:
        positions = r["domains"] + r["network_racks"] + (4 if r["cdus"] else 0)
        assert positions == r["positions_used"] <= h.row_positions
        # the busway carries the switches standing in the row, not its racks' capacity
        switches = r["leaf_switches"] + r["upper_switches"]
        assert r["network_racks"] == math.ceil(switches / 16)  # the last rack part-full
        row_kw = r["domains"] * dom_kw + switches * full_switch_kw
        assert row_kw == pytest.approx(r["power_kW"], abs=0.1)
        assert row_kw <= 1366
        assert r["domains"] * rack.totals["liquid_heat"].to("kW").m <= 1350  # N+1: 1 of 2
        assert r["ocs_racks"] == 0  # NVLink domains have no optical circuit switches
    # every spine and core switch stands in some row
    assert sum(r["upper_switches"] for r in data["rows"]) == sum(fab["switches_per_tier"][1:])
    assert fab["network_racks"] == sum(r["network_racks"] for r in data["rows"])
    assert data["binding"][0] == "hall power"
    assert p.blast_radius["one_cdu"]["domains"] == 0  # N+1 CDUs, A/B busways
    assert p.blast_radius["one_row_feed"]["domains"] == 0
    assert "one_ocs" not in p.blast_radius


def _brute_force(h, dom_kw, heat_kw, ports=72, ocs_per_rack=0) -> int:
    """Most domains of a tiny two-tier hall by enumeration, with this test's own arithmetic:
    each row's domains, their OCS racks (``ocs_per_rack`` domains' single OCS to a rack) and
    network racks; the top tier's switches may stand in any row with slots and busway left."""
    k, spr, full_sw = 64, h.scale_out.switches_per_rack, 0.75 + 64 * 17 / 2 / 1000
    busway_kw, cdu_kw = h.busway.capacity.to("kW").m, h.cdu.capacity.to("kW").m
    hall_kw = h.it_power.to("kW").m
    best = 0
    per_row = range(h.row_positions + 1)
    for rows in itertools.product(itertools.product(per_row, per_row), repeat=h.rows):
        total = sum(dr for dr, _ in rows)
        if total <= best:
            continue
        ok, room = True, 0  # room: top-tier switches the rows can still take
        for i, (dr, nr) in enumerate(rows):
            cdu = 1 if i % h.cdu.rows == 0 else 0
            ocs = math.ceil(dr / ocs_per_rack) if ocs_per_rack else 0
            leaves = math.ceil(2 * dr * ports / k)
            ok &= dr + ocs + nr + cdu <= h.row_positions
            ok &= dr * heat_kw <= cdu_kw + 1e-9
            by_power = math.floor((busway_kw - dr * dom_kw) / full_sw + 1e-9)
            spare = min(nr * spr, by_power) - leaves
            ok &= spare >= 0
            room += max(spare, 0)
        ends = total * ports
        top = math.ceil(ends / k)
        ok &= ends <= k * k // 2 and room >= top
        switches = sum(math.ceil(2 * dr * ports / k) for dr, _ in rows) + top
        optics_kw = (15 * math.ceil(ends / 2) + 17 * math.ceil(2 * ends / 2)) / 1000
        ok &= total * dom_kw + switches * 0.75 + optics_kw <= hall_kw + 1e-9
        if ok:
            best = total
    return best


def test_tiny_hall_matches_enumeration(catalog, rack):
    overrides = (*TINY, ("hall.scale_out.max_tiers", "2"))
    p = plan_for(catalog, rack, overrides)
    h = load_constraints(HALL, overrides).hall
    dom_kw = p.unit.power.to("kW").m
    heat_kw = p.unit.liquid_heat.to("kW").m
    assert p.status == "optimal"
    assert p.domains == _brute_force(h, dom_kw, heat_kw) > 0


# two rows of 12 for TPU v4 cubes: OCS racks and the top tier's switches compete for positions
TPU_TINY = (
    *[(f, v) for f, v in TINY if f not in ("hall.rows", "hall.row_positions")],
    ("hall.rows", "2"),
    ("hall.row_positions", "12"),
    ("hall.scale_out.max_tiers", "2"),
)


def test_tpu_hall_places_ocs_racks_and_states_their_blast_radius(catalog):
    loaded = load_constraints(HALL, TPU_TINY)
    p = hall.plan(catalog, loaded, "tpu-v4")
    assert p.status == "optimal"
    # one 4x4x4 cube: 96 face link ends on one Palomar OCS (128 of 136 ports carry links)
    assert p.unit.ocs_units == 1 and p.unit.ports == 64
    # a 6 RU OCS (266.7 mm) in the cube rack's frame: 44 slots of 48 mm less 2 reserved
    per_rack = math.floor((44 - 2) * 48 / (6 * 44.45))
    assert p.unit.ocs_per_rack == per_rack == 7
    dom_kw, heat_kw = p.unit.power.to("kW").m, p.unit.liquid_heat.to("kW").m
    assert p.domains == _brute_force(loaded.hall, dom_kw, heat_kw, 64, per_rack) > 0
    data = json.loads(json.dumps(p.to_dict()))
    for r in data["rows"]:
        assert r["ocs_racks"] == math.ceil(r["domains"] / per_rack)  # racks serve whole domains
        positions = r["domains"] + r["ocs_racks"] + r["network_racks"] + 1
        assert positions == r["positions_used"] <= 12
    assert data["domain"]["ocs"]["racks"] == sum(r["ocs_racks"] for r in data["rows"])
    # one OCS carries a face link of the domain's cube: its loss breaks that domain's torus;
    # one OCS rack takes the domains it serves, at most 7, at most a row's
    b = data["blast_radius"]
    assert b["one_ocs"] == {"domains": 1, "accelerators": 64, "share": round(1 / p.domains, 4)}
    worst = max(min(per_rack, r["domains"]) for r in data["rows"])
    assert b["one_ocs_rack"]["domains"] == worst > 1
    assert b["one_ocs_rack"]["accelerators"] == 64 * worst
    assert f"one OCS rack lost takes down {worst} domains" in hall_text(p)


def test_relaxing_a_limit_never_shrinks_the_count(catalog, rack):
    base = plan_for(catalog, rack, TINY).domains
    for field, value in [
        ("hall.it_power", "3 MW"),
        ("hall.busway.capacity", "900 kW"),
        ("hall.row_positions", "9"),
        ("hall.cdu.capacity", "900 kW"),
        ("hall.rows", "4"),
    ]:
        assert plan_for(catalog, rack, (*TINY, (field, value))).domains >= base, field


def test_two_tier_radix_binds(catalog, rack):
    """On two tiers radix 64 joins 2,048 ports: 28 NVL72 domains (2,016 GPUs)."""
    p = plan_for(catalog, rack, [("hall.scale_out.max_tiers", "2")])
    assert p.domains == 2048 // 72 == 28
    assert p.fabric.tiers == 2
    assert "scale-out radix" in p.binding
    radix = next(c for c in p.checks if c.family == "scale-out radix")
    assert radix.binding and radix.used.m == 2016 and radix.limit.m == 2048


def test_failure_domain_share_and_blast_radius(catalog, rack):
    overrides = (*TINY, ("hall.failure_domains.max_share_per_row", "0.34"))
    p = plan_for(catalog, rack, overrides)
    assert p.domains > 0
    assert max(r.domains for r in p.rows) <= 0.34 * p.domains
    # one busway per row and one CDU per row without a spare: a lost feed takes the row
    worst = max(r.domains for r in p.rows)
    assert p.blast_radius["one_row_feed"]["domains"] == worst
    assert p.blast_radius["one_cdu"]["domains"] == worst


def test_cli_hall_writes_its_files(tmp_path, capsys):
    code = main(
        [
            "hall",
            "--constraints",
            str(HALL),
            "--pin",
            "accelerator=gb200",
            *[arg for f, v in TINY for arg in ("--set", f"{f}={v}")],
            "--out",
            str(tmp_path),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "domains of 72 gb200" in out and "bill of materials" in out
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {"hall.json", "hall_rows.csv", "hall_bom.csv", "hall.png", "hall.svg"}
    rows = (tmp_path / "hall_rows.csv").read_text().splitlines()
    assert len(rows) == 1 + 3


def test_a_profile_without_a_hall_is_refused(capsys):
    code = main(["hall", "--constraints", str(ROOT / "constraints" / "dense-air.yaml")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "has no hall: block" in err[0]


def test_cdu_groups_must_tile_the_rows(capsys):
    code = main(["hall", "--constraints", str(HALL), "--set", "hall.cdu.rows=3"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "hall-50mw.yaml" in err and "cdu.rows (3) must divide rows (40)" in err
