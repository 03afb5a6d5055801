"""The cabling plan: one row per cable, derived from the solved design's wiring."""

from __future__ import annotations

import csv
from collections import Counter

import pytest
from conftest import SMALL_CATALOG, SMALL_PROFILE, solve_small

from solver.cli import main
from solver.errors import UsageError
from solver.interchange.cabling import COLUMNS, cable_runs, cabling_csv
from solver.layout import runs


def test_gb200_has_one_row_per_cable(gb200):
    design = gb200.design
    rows = cable_runs(design, gb200.space)
    # 72 GPUs x 18 NVLink 5 links, each 2 lanes x 2 directions on single-pair twinax
    assert design.domain_size == 72 and design.accelerator.scale_up.links == 18
    assert len(rows) == 5184 == design.cables == gb200.design.counts()["cables"]
    assert len({r.cable_id for r in rows}) == 5184
    assert {r.cable_type for r in rows} == {design.cable.id}


def test_gb200_uses_every_port_once(gb200):
    rows = cable_runs(gb200.design, gb200.space)
    ends = Counter((r.a.rack, r.a.device, r.a.port) for r in rows)
    ends += Counter((r.b.rack, r.b.device, r.b.port) for r in rows)
    assert max(ends.values()) == 1 and len(ends) == 2 * 5184
    # every GPU sends its 18 links, each to a different chip: 1296 links, 18 x 72 chip ports
    links = {(r.a.device, r.a.port.split("/")[0], r.a.port.split("/")[1]) for r in rows}
    assert len(links) == 72 * 18 == gb200.design.links
    chip_ports = {(r.b.device, *r.b.port.split("/")[:2]) for r in rows}
    assert len(chip_ports) == 18 * 72
    per_chip = Counter((device, chip) for device, chip, _ in chip_ports)
    assert len(per_chip) == 18 and set(per_chip.values()) == {72}
    # each compute tray reaches every switch tray (one leaf group), 32 cables to each
    pairs = Counter((r.a.device, r.b.device) for r in rows)
    assert len(pairs) == 18 * 9 and set(pairs.values()) == {32}


def test_gb200_lengths_are_the_designs_runs(gb200):
    design, space = gb200.design, gb200.space
    rows = cable_runs(design, space)
    slots = {p.name: p.slot for p in design.layout.items}
    assert all(slots[r.a.device] == r.a.slot and slots[r.b.device] == r.b.slot for r in rows)
    expected: Counter = Counter()
    for length, cables in runs(design, space):
        expected[round(float(length.to("m").magnitude), 4)] += round(cables)
    assert Counter(r.length_m for r in rows) == expected
    total = gb200.totals["total_cable_length"].to("m").magnitude
    assert sum(r.length_m for r in rows) == pytest.approx(total, abs=5184 * 0.5e-4)
    assert max(r.length_m for r in rows) == round(gb200.totals["max_run"].to("m").magnitude, 4)


def test_multi_pair_cables_carry_whole_links():
    # a 4-pair cable carries one link (2 lanes x 2 directions): one cable per link
    result = solve_small(overrides=[("cables.pair-26awg.pairs", "4")], explain=False)
    design = result.design
    assert design.cable.pairs == 4
    rows = cable_runs(design, result.space)
    assert len(rows) == design.links == design.cables
    first = rows[0]
    assert first.a.port == "gpu1/link01/lane1-tx..gpu1/link01/lane2-rx"
    assert first.b.port == "chip1/port01/lane1-rx..chip1/port01/lane2-tx"


def test_board_fabric_has_no_cabling_plan():
    result = solve_small("meshy", explain=False)
    with pytest.raises(UsageError, match="meshy: the design has no cables"):
        cable_runs(result.design, result.space)


def test_cli_writes_the_csv(tmp_path, capsys):
    code = main(
        ["cabling", "--no-default-catalogs", "--catalog", str(SMALL_CATALOG),
         "--constraints", str(SMALL_PROFILE),
         "--pin", "accelerator=xpu", "--out", str(tmp_path)]
    )  # fmt: skip
    assert code == 0
    assert "cabling.csv" in capsys.readouterr().out
    with open(tmp_path / "cabling.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    result = solve_small()  # the plan follows the layout solve shows
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == result.design.cables
    assert (tmp_path / "cabling.csv").read_bytes() == cabling_csv(result.design, result.space)


def test_cli_needs_a_pinned_accelerator(capsys):
    args = ["cabling", "--no-default-catalogs", "--catalog", str(SMALL_CATALOG)]
    assert main([*args, "--out", "/nonexistent"]) == 2
    assert "cabling: name the design with --pin accelerator=ID" in capsys.readouterr().err
