"""Links, lanes and cables: how many cables a number of links needs."""

from __future__ import annotations


def pairs_per_link(scale_up) -> int:
    """Differential pairs one link uses: its lanes, in both directions."""
    return 2 * scale_up.lanes_per_link


def cables_for_links(links: int, scale_up, cable) -> int:
    """Cables that carry ``links`` links (a cable carries ``cable.pairs`` pairs)."""
    return -(-links * pairs_per_link(scale_up) // cable.pairs)


def tray_links(tray, scale_up) -> int:
    """Links that leave one compute tray (those realised on its own board stay on it)."""
    return tray.accelerators * scale_up.links - 2 * tray.board_links


def switch_tray_links(switch, chip) -> int:
    """Links that reach one fully used switch tray."""
    return switch.chips * chip.ports
