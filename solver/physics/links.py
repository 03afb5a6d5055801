"""Links, lanes and cables: how many cables a number of links needs, and which links leave a
tray or a rack (a torus spread over racks: the faces of each rack's block that racks cut).

A switchless dragonfly (Groq C2C) is two levels of direct links. The ``g`` chips of a group
(a node) are fully connected on its board, using ``g − 1`` links of each chip; each chip
sends ``G`` global links (at most ``links − (g − 1)``) out of the node. The node acts as one
router with ``g × G`` global ports, and every pair of nodes needs at least one global link
for the fabric's diameter to stay at three hops (local, global, local), so a fabric of
``nodes`` nodes needs ``nodes − 1 ≤ g × G`` (:func:`dragonfly_max_nodes`). Inside one node
any chip reaches any other in one hop (:func:`fabric_hops`).
"""

from __future__ import annotations


def pairs_per_link(scale_up) -> int:
    """Differential pairs one link uses: its lanes, in both directions (one pair per lane
    when each pair carries both directions at once)."""
    return scale_up.lanes_per_link * (1 if scale_up.simultaneous_bidirectional else 2)


def cables_for_links(links: int, scale_up, cable) -> int:
    """Cables that carry ``links`` links (a cable carries ``cable.pairs`` pairs)."""
    return -(-links * pairs_per_link(scale_up) // cable.pairs)


def tray_links(tray, scale_up) -> int:
    """Links that leave one compute tray (those realised on its own board stay on it); a
    dragonfly node sends out only its chips' global links."""
    if scale_up.topology == "dragonfly":
        return tray.accelerators * dragonfly_global_links(scale_up)
    return tray.accelerators * scale_up.links - 2 * tray.board_links


def tray_pairs(tray, scale_up) -> int:
    """Differential pairs the links leaving one compute tray use (a midplane slot's load)."""
    return tray_links(tray, scale_up) * pairs_per_link(scale_up)


def dragonfly_global_links(scale_up) -> int:
    """Links per chip that leave its dragonfly group: the catalog's ``global_links``, else
    every link the group's full mesh leaves free, ``links − (group_size − 1)``."""
    if scale_up.global_links is not None:
        return scale_up.global_links
    return scale_up.links - (scale_up.group_size - 1)


def dragonfly_max_nodes(scale_up) -> int:
    """Most nodes a dragonfly joins with a link between every pair of nodes (3-hop diameter):
    ``nodes − 1 ≤ group_size × global links per chip``."""
    return scale_up.group_size * dragonfly_global_links(scale_up) + 1


def dragonfly_cabled_links(nodes: int, scale_up) -> int:
    """Global links among ``nodes`` wired nodes: every global port cabled (a pair of ports
    per link, rounded up), none for a single node (its chips meet on the board)."""
    if nodes < 2:
        return 0
    return -(-nodes * scale_up.group_size * dragonfly_global_links(scale_up) // 2)


def fabric_hops(scale_up, domain: int) -> int:
    """Worst-case chip-to-chip hops across a domain of ``domain`` chips: a dragonfly takes 1
    inside one group and 3 (local, global, local) across groups; one elsewhere (a switched
    fabric's switch traversal and a full mesh's direct link are the published one-hop
    latency; a torus's diameter is reported apart and not yet charged to the budgets)."""
    if scale_up.topology == "dragonfly" and domain > scale_up.group_size:
        return 3
    return 1


def switch_tray_links(switch, chip) -> int:
    """Links that reach one fully used switch tray."""
    return switch.chips * chip.ports


def torus_shape(n: int, dimensions: int) -> tuple[int, ...]:
    """The most even ``dimensions``-D shape of ``n`` chips (sides descending), e.g. 64 -> 4x4x4."""
    best: tuple[int, ...] = (n, *([1] * (dimensions - 1)))

    def search(rest: int, left: int, low: int, sides: tuple[int, ...]) -> None:
        nonlocal best
        if left == 1:
            if rest >= low:
                shape = tuple(sorted((*sides, rest), reverse=True))
                if (shape[0], shape) < (best[0], best):
                    best = shape
            return
        side = low
        while side**left <= rest:
            if rest % side == 0:
                search(rest // side, left - 1, side, (*sides, side))
            side += 1

    search(n, dimensions, 1, ())
    return best


def _grids(racks: int, dimensions: int) -> list[tuple[int, ...]]:
    """Every ordered way to lay ``racks`` racks along ``dimensions`` dimensions."""
    if dimensions == 1:
        return [(racks,)]
    return [
        (first, *rest)
        for first in range(1, racks + 1)
        if racks % first == 0
        for rest in _grids(racks // first, dimensions - 1)
    ]


def _cut_link_ends(rack_domain: int, block: tuple[int, ...], grid: tuple[int, ...]) -> int:
    """Two faces of ``rack_domain / side`` chips in each dimension with racks along it."""
    return sum(
        2 * rack_domain // side for side, along in zip(block, grid, strict=True) if along > 1
    )


def torus_tiling(
    rack_domain: int, racks: int, dimensions: int
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(block, grid) of a torus spread over ``racks`` identical racks.

    Each rack holds a block of ``rack_domain`` chips shaped as :func:`torus_shape`;
    ``grid[i]`` racks lie along the block's side ``i``, so the domain's side ``i`` is
    ``block[i] × grid[i]``. Of all grids, the one whose domain is most even (shortest
    longest side, then sides descending, as :func:`torus_shape`), then the one cutting the
    fewest faces, then the first in order.
    """
    block = torus_shape(rack_domain, dimensions)

    def key(grid: tuple[int, ...]) -> tuple:
        domain = tuple(sorted((b * g for b, g in zip(block, grid, strict=True)), reverse=True))
        return domain[0], domain, _cut_link_ends(rack_domain, block, grid), grid

    return block, min(_grids(racks, dimensions), key=key)


def torus_rack_link_ends(rack_domain: int, racks: int, dimensions: int) -> int:
    """Link ends leaving one rack of a torus spread over ``racks`` racks (:func:`torus_tiling`).

    The rack boundary cuts its block's two faces in every dimension that racks are laid
    along; a face of ``rack_domain / side`` chips sends one link out per chip. A dimension
    with one rack along it keeps its whole ring inside the rack (on a tray's board or on
    in-rack cables): no face of it leaves. One rack sends nothing out.
    """
    if racks <= 1 or rack_domain <= 0:
        return 0
    block, grid = torus_tiling(rack_domain, racks, dimensions)
    return _cut_link_ends(rack_domain, block, grid)


def block_size(block: tuple[int, ...]) -> int:
    """Chips in a fixed torus block (a 4x4x4 cube: 64)."""
    size = 1
    for side in block:
        size *= side
    return size


def block_face_ends(block: tuple[int, ...]) -> int:
    """Link ends on a block's faces: in each dimension one wrap-around link per line of
    chips leaves each of two faces (a 4x4x4 cube: 6 faces x 16 = 96, 1.5 per chip)."""
    size = block_size(block)
    return sum(2 * size // side for side in block)


def pod_shape(block: tuple[int, ...], blocks: int) -> tuple[int, ...]:
    """The torus ``blocks`` blocks make, laid as evenly as they factor (sides descending):
    64 cubes of 4x4x4 make 16x16x16."""
    grid = torus_shape(blocks, len(block))
    return tuple(
        sorted(
            (b * g for b, g in zip(sorted(block, reverse=True), grid, strict=True)), reverse=True
        )
    )


def ocs_units(link_ends: int, ocs) -> int:
    """Optical circuit switches for ``link_ends`` optical link ends, one port each."""
    return -(-link_ends // (ocs.ports - ocs.spare_ports))


def ocs_per_rack(rack, ocs, reserved_slots: int) -> int:
    """Optical circuit switches one rack of ``rack``'s frame holds, stacked by height in the
    slots left after ``reserved_slots`` (management switches); 0 if one does not fit."""
    usable = (rack.slots - reserved_slots) * rack.slot_pitch
    return int((usable / ocs.height).to("").magnitude + 1e-9)


def ocs_rack_share(units: int, per_rack: int) -> tuple[int, int]:
    """(domains one OCS rack serves, OCS racks one domain takes) when each domain has
    ``units`` OCS and a rack of ``per_rack`` serves whole domains only: a rack's loss takes
    down the domains it serves and no part of another. (0, 0) without OCS."""
    if not units:
        return 0, 0
    if units <= per_rack:
        return per_rack // units, 1
    return 1, -(-units // per_rack)


def ocs_racks(domains: int, units: int, per_rack: int) -> int:
    """OCS racks for ``domains`` domains of ``units`` OCS each (:func:`ocs_rack_share`)."""
    served, taken = ocs_rack_share(units, per_rack)
    return -(-domains * taken // served) if served else 0
