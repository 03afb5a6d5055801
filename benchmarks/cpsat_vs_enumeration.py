"""CP-SAT against exhaustive enumeration on the same design space, measured in one run.

For every accelerator of the shipped catalogs under a profile, enumeration walks every
combination of compute tray, rack, power shelf, cooling, switch tray, cable and
links-per-switch-chip; for each it raises the tray count from 1 until the design first
fails (every family is monotone in the tray count, so nothing larger can pass), with the
dependent counts at their smallest (switch trays for the chips, cables for the links,
shelves for the load with redundancy), laid out with the switch block mid-stack (the layout
with the shortest longest run). Each candidate is judged by the families' own
physical checks (``solver.engine.check_design``, pint arithmetic), independently of the
CP-SAT model. The script checks that both find the same maximal domain and prints both
times and their ratio.

    python benchmarks/cpsat_vs_enumeration.py [--constraints FILE] [--only ID ...]
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
import time
from dataclasses import replace

import solver
from solver.design import Design, Space, build_space, shelf_fits, switch_fits, tray_fits
from solver.engine import check_design, solve_space
from solver.layout import centred_layout
from solver.parts import peak_power
from solver.physics.links import (
    block_face_ends,
    block_size,
    cables_for_links,
    dragonfly_cabled_links,
)
from solver.physics.power import shelves_needed


def candidates(space: Space):
    """Every categorical combination: (tray, rack, shelf, cooling, switch, cable, d, xcable);
    the block-face cable of a fixed-block torus is the one inter-rack choice of one rack."""
    scale_up = space.accelerator.scale_up
    for tray, rack, shelf, cooling in itertools.product(
        space.trays, space.racks, space.shelves, space.coolings
    ):
        if tray.scale_up_attach == "board":
            yield tray, rack, shelf, cooling, None, None, 0, None
            continue
        switches = space.switch_trays or [None]
        divisors = [d for d in range(1, scale_up.links + 1) if scale_up.links % d == 0]
        faces = space.xcables if scale_up.torus_block else [None]
        for switch, cable, xcable in itertools.product(switches, space.cables or [None], faces):
            for d in divisors if switch is not None else [0]:
                yield tray, rack, shelf, cooling, switch, cable, d, xcable


def design_for(space: Space, combo, trays: int) -> Design:
    """The smallest-count design of ``trays`` compute trays for a categorical combination."""
    tray, rack, shelf, cooling, switch, cable, d, xcable = combo
    scale_up = space.accelerator.scale_up
    n = trays * tray.accelerators
    faces = block_face_ends(scale_up.torus_block) * n // block_size(scale_up.torus_block)
    faces = faces if scale_up.torus_block else 0
    links = 0
    if tray.scale_up_attach == "midplane":
        links = n * scale_up.links
    elif tray.scale_up_attach == "backplane":
        if scale_up.topology == "switched":
            links = n * scale_up.links
        elif scale_up.topology == "dragonfly":
            links = dragonfly_cabled_links(trays, scale_up)
        elif scale_up.topology == "torus":
            links = (n * scale_up.links - 2 * tray.board_links * trays - faces) // 2
        else:
            links = (n * (n - 1) - 2 * tray.board_links * trays) // 2
    chips = scale_up.links // d if switch is not None else 0
    design = Design(
        accelerator=space.accelerator,
        tray=tray,
        rack=rack,
        shelf=shelf,
        cooling=cooling,
        switch_tray=switch,
        cable=cable,
        compute_trays=trays,
        switch_trays=math.ceil(chips / switch.chips) if switch is not None else 0,
        switch_chips=chips,
        links_per_chip=d,
        power_shelves=0,
        links=links,
        cables=cables_for_links(links, scale_up, cable) if cable else 0,
        xcable=xcable,
        x_link_ends=faces,
        x_cable_ends=cables_for_links(faces, scale_up, xcable) if xcable else 0,
        ocs=space.ocs,
    )
    shelves = shelves_needed(peak_power(design, space), shelf, space.profile.shelf_redundancy)
    design = replace(design, power_shelves=shelves)
    return replace(design, layout=centred_layout(design, space))


def compatible(space: Space, combo) -> bool:
    """The structural rules the CP-SAT model also applies (form factor, power input)."""
    tray, rack, shelf, _cooling, switch, _cable, _d, _xcable = combo
    if not tray_fits(space, tray, rack) or not shelf_fits(shelf, rack):
        return False
    if shelf.output != tray.power_input:
        return False
    return switch is None or (
        switch_fits(space, switch, rack) and switch.attach == tray.scale_up_attach
    )


def enumerate_space(space: Space) -> tuple[int, int]:
    """(largest passing domain, designs checked) by enumeration."""
    best, checked = 0, 0
    max_trays = 2 * max(r.slots for r in space.racks)
    for combo in candidates(space):
        if not compatible(space, combo):
            continue
        tray = combo[0]
        block = block_size(space.accelerator.scale_up.torus_block)
        for trays in range(1 + tray.spare_trays, max_trays + 1):
            if trays * tray.accelerators % block:  # a rack holds whole torus blocks only
                continue
            checked += 1
            design = design_for(space, combo, trays)
            if not all(c.ok for c in check_design(design, space)):
                break
            best = max(best, design.domain_size)
    return best, checked


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--constraints", help="profile (default: the shipped default)")
    parser.add_argument("--only", nargs="*", help="accelerator ids (default: all)")
    args = parser.parse_args()
    catalog = solver.load_catalog()
    profile = solver.load_constraints(args.constraints)
    ids = args.only or catalog.domain_accelerators()
    print(
        f"profile {profile.profile.id}; CP-SAT: 1 worker, fixed seed, maximise then minimise power"
    )
    print(
        f"{'accelerator':<12} {'cpsat':>6} {'enum':>6} {'designs':>8} {'cpsat_s':>8} "
        f"{'enum_s':>8} {'ratio':>8}"
    )
    total_cp = total_enum = 0.0
    agree = True
    for accel in ids:
        space = build_space(catalog, profile.profile, accel)
        start = time.perf_counter()
        result = solve_space(space, explain=False)
        cp_time = time.perf_counter() - start
        start = time.perf_counter()
        best, checked = enumerate_space(space)
        enum_time = time.perf_counter() - start
        total_cp += cp_time
        total_enum += enum_time
        same = best == result.domain_size
        agree &= same
        print(
            f"{accel:<12} {result.domain_size:>6} {best:>6} {checked:>8} {cp_time:>8.3f} "
            f"{enum_time:>8.3f} {enum_time / cp_time:>7.1f}x{'' if same else '  DISAGREE'}"
        )
    print(
        f"{'total':<12} {'':>6} {'':>6} {'':>8} {total_cp:>8.3f} {total_enum:>8.3f} "
        f"{total_enum / total_cp:>7.1f}x"
    )
    print("answers agree" if agree else "ANSWERS DISAGREE")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
