"""Links, lanes and cables: how many cables a number of links needs, and which links leave a
tray or a rack (a torus spread over racks: the faces of each rack's block that racks cut)."""

from __future__ import annotations


def pairs_per_link(scale_up) -> int:
    """Differential pairs one link uses: its lanes, in both directions (one pair per lane
    when each pair carries both directions at once)."""
    return scale_up.lanes_per_link * (1 if scale_up.simultaneous_bidirectional else 2)


def cables_for_links(links: int, scale_up, cable) -> int:
    """Cables that carry ``links`` links (a cable carries ``cable.pairs`` pairs)."""
    return -(-links * pairs_per_link(scale_up) // cable.pairs)


def tray_links(tray, scale_up) -> int:
    """Links that leave one compute tray (those realised on its own board stay on it)."""
    return tray.accelerators * scale_up.links - 2 * tray.board_links


def tray_pairs(tray, scale_up) -> int:
    """Differential pairs the links leaving one compute tray use (a midplane slot's load)."""
    return tray_links(tray, scale_up) * pairs_per_link(scale_up)


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
