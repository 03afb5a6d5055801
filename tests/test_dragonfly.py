"""Switchless dragonfly fabrics (Groq C2C): the node-pair rule, hot spares, hop count."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from checker import load_entries, load_profile, recompute, reported
from pydantic import ValidationError

from solver.budgets import jitter
from solver.budgets.moe import all_to_all, domain_latency, scale_up_latency
from solver.budgets.requirements import parse_requirement
from solver.catalog import load_catalog, load_constraints
from solver.engine import solve
from solver.errors import InputError
from solver.physics.links import (
    dragonfly_cabled_links,
    dragonfly_global_links,
    dragonfly_max_nodes,
    fabric_hops,
)
from solver.schema import ScaleUp
from solver.units import Quantity

ROOT = Path(__file__).resolve().parent.parent
DENSE_AIR = ROOT / "constraints" / "dense-air.yaml"
GROQRACK = {"rack": "groqrack-42u"}


def _groq(overrides=(), profile=DENSE_AIR, pins=GROQRACK):
    catalog = load_catalog(None, overrides)
    return solve(
        catalog, load_constraints(profile, overrides), "groq-lpu", pins=dict(pins), time_limit=20
    )


def _scale_up(**kwargs) -> ScaleUp:
    base = dict(
        fabric="c2c",
        topology="dragonfly",
        links=3,
        lanes_per_link=1,
        lane_rate="10 Gbit/s",
        bandwidth="3 GB/s",
        group_size=2,
    )
    return ScaleUp(**{**base, **kwargs})


def test_node_pair_rule_takes_every_link_the_mesh_leaves_unless_told():
    tiny = _scale_up()  # 3 links, 1 to its node partner: 2 global links per chip
    assert dragonfly_global_links(tiny) == 2
    assert dragonfly_max_nodes(tiny) == 5  # 4 other nodes <= 2 chips x 2 ports
    assert dragonfly_max_nodes(_scale_up(global_links=1)) == 3
    groq = load_catalog().accelerators["groq-lpu"].scale_up
    assert dragonfly_max_nodes(groq) == 33  # 8 chips x 4 global ports + 1: Groq's 264 chips


def test_a_dragonfly_refuses_more_global_links_than_the_mesh_leaves():
    with pytest.raises(ValidationError, match="exceeds the 2 links per chip"):
        _scale_up(global_links=3)
    with pytest.raises(ValidationError, match="dragonfly only"):
        _scale_up(topology="mesh", group_size=0, global_links=1)


def test_cabled_links_and_hops():
    groq = load_catalog().accelerators["groq-lpu"].scale_up
    assert dragonfly_cabled_links(1, groq) == 0
    assert dragonfly_cabled_links(9, groq) == 9 * 32 // 2
    assert [fabric_hops(groq, n) for n in (1, 8, 16, 64)] == [1, 1, 3, 3]


def test_groqrack_is_64_chips_plus_a_spare_node_and_space_binds():
    result = _groq()
    d = result.design
    assert result.domain_size == 64
    assert d.compute_trays == 9 and d.spare_trays == 1
    assert d.counts()["spare_trays"] == 1
    assert result.binding == ("space",)
    assert result.next_size == 72
    assert result.totals["diameter"] == Quantity(3, "hop")
    assert d.links == 144  # 9 nodes x 32 global ports / 2, the spare wired too
    assert d.topology.startswith("dragonfly: 8 nodes of 8 + 1 spare")


def test_spares_draw_power_but_stay_out_of_the_domain():
    spare = _groq()
    none = _groq([("compute_trays.groq-node.spare_trays", "0")])
    assert none.design.compute_trays == spare.design.compute_trays == 9
    assert none.domain_size - spare.domain_size == 8
    assert spare.totals["it_power"] == none.totals["it_power"]
    assert spare.totals["mass"] == none.totals["mass"]
    # the independent checker agrees: 9 trays of power, 8 trays of domain
    data = json.loads(json.dumps(spare.to_dict()))
    mine = recompute(data["design"], load_entries(), load_profile(DENSE_AIR))
    theirs = reported(data)
    assert mine["accelerators"] == theirs["accelerators"] == 64
    assert mine["links"] == theirs["links"] == 144
    for name in ("it_power", "power", "mass"):
        assert mine[name] == pytest.approx(theirs[name], rel=0.005), name


def test_the_node_pair_rule_binds_at_its_edge():
    # one global port per chip: 8 ports per node, so 9 wired nodes (8 + the spare) at most
    result = _groq(
        [("accelerators.groq-lpu.scale_up.global_links", "1")],
        profile=ROOT / "constraints" / "hyperscale-liquid.yaml",
        pins={"rack": "groqrack-42u"},
    )
    assert result.domain_size == 64
    assert result.binding == ("topology",)
    check = next(c for c in result.checks if c.limit_name.startswith("dragonfly"))
    assert check.used == check.limit == Quantity(8, "node")


def test_spare_trays_outside_a_dragonfly_are_refused_at_load():
    with pytest.raises(InputError) as caught:
        load_catalog(None, [("compute_trays.gb200-nvl72-tray.spare_trays", "1")])
    assert str(caught.value).endswith(
        "compute_trays.gb200-nvl72-tray.spare_trays: spare trays are modelled in a dragonfly "
        "fabric only; 'gb200' is switched"
    )


def test_budgets_charge_three_hops_across_nodes():
    accel = load_catalog().accelerators["groq-lpu"]
    one = scale_up_latency(accel)
    assert domain_latency(accel, 8) == one
    assert domain_latency(accel, 64) == 3 * one
    inside, across = (all_to_all(accel, 256, 8192, 2, n, n) for n in (8, 16))
    assert across.scale_up_time - inside.scale_up_time > 1.9 * one  # 2 more hops, a bit more data
    requirement = parse_requirement("collective_efficiency >= 0.5")
    fabric = jitter.Fabric("c2c", accel.scale_up.bandwidth, jitter.LinkLatency(3 * one, 0.5))
    expected = jitter.efficiency(fabric, Quantity(1, "ms"), Quantity(1, "MiB"), 64)
    assert requirement.value(accel, 64).magnitude == pytest.approx(expected)


def test_a_full_mesh_keeps_one_hop_and_its_domain():
    catalog = load_catalog()
    mi300x = catalog.accelerators["mi300x"]
    assert [fabric_hops(mi300x.scale_up, n) for n in (2, 8)] == [1, 1]
    assert domain_latency(mi300x, 8) == scale_up_latency(mi300x)
    result = solve(catalog, load_constraints(), "mi300x", time_limit=20)
    assert result.domain_size == 8
    assert result.design.topology == "full mesh"
    assert "diameter" not in result.totals and "spare_trays" not in result.design.counts()
