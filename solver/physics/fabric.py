"""The hall's scale-out fabric: a non-blocking folded Clos (fat tree) of one switch type.

A switch of ``ports`` cages at ``port_rate``, each split ``breakout`` ways, has radix
``k = ports × breakout`` logical ports at ``port_rate / breakout``. A leaf gives half of
them to endpoints and half to the tier above; the top tier gives all ``k`` downwards. So
``t`` tiers join at most ``k`` endpoints (t = 1) or ``k^t / 2^(t−1)`` (t ≥ 2), and N
endpoints need ``⌈2N/k⌉`` switches on every tier but the top and ``⌈N/k⌉`` on the top.
Non-blocking: every boundary between tiers carries N links, so the fabric has ``t·N`` links,
each with an optical module (:class:`~solver.schema.Transceiver`) at both ends.
"""

from __future__ import annotations

import math

from pint import Quantity


def radix(switch) -> int:
    """Logical ports of one switch."""
    return switch.ports * switch.breakout


def logical_rate(switch) -> Quantity:
    return (switch.port_rate / switch.breakout).to("Gbit/s")


def ports_per_accelerator(accelerator, switch) -> int:
    """Logical switch ports one accelerator's scale-out bandwidth fills."""
    ratio = (accelerator.scale_out_bandwidth / logical_rate(switch)).to("").magnitude
    return max(1, math.ceil(ratio - 1e-9))


def tier_capacity(k: int, tiers: int) -> int:
    """Most endpoints ``tiers`` tiers of radix-``k`` switches join without blocking."""
    return k if tiers == 1 else k**tiers // 2 ** (tiers - 1)


def tiers_needed(endpoints: int, k: int) -> int:
    """Fewest tiers that join ``endpoints``."""
    tiers = 1
    while tier_capacity(k, tiers) < endpoints:
        tiers += 1
    return tiers


def leaf_switches(endpoints: int, k: int) -> int:
    """Switches of a tier below the top for ``endpoints``: half of each radix goes down."""
    return math.ceil(2 * endpoints / k)


def switches_per_tier(endpoints: int, k: int, tiers: int) -> tuple[int, ...]:
    """Switches on each tier, leaves first."""
    if endpoints == 0:
        return (0,) * tiers
    if tiers == 1:
        return (1,)
    return (leaf_switches(endpoints, k),) * (tiers - 1) + (math.ceil(endpoints / k),)


def fabric_links(endpoints: int, tiers: int) -> int:
    """Links of the fabric: ``endpoints`` across each of its ``tiers`` boundaries."""
    return endpoints * tiers


def ends_per_module(optic, rate: Quantity, shared: bool) -> int:
    """Link ends of ``rate`` one module serves: in a switch cage all its ports (a twin-port
    800G module serves two 400G ports), at a NIC one; 0 if a port is slower than ``rate``."""
    if (optic.rate / optic.ports).to("Gbit/s") < rate.to("Gbit/s"):
        return 1 if not shared and optic.rate >= rate else 0
    return optic.ports if shared else 1


def modules_for_ends(ends: int, rate: Quantity, optic, shared: bool) -> int:
    return math.ceil(ends / ends_per_module(optic, rate, shared))


def pick_optic(optics, rate: Quantity, length: Quantity, shared: bool):
    """The module that carries ``rate`` over ``length`` at the least power per link end
    (ties: the shorter reach, then the lower id), or None."""
    fits = [o for o in optics if o.reach >= length and ends_per_module(o, rate, shared)]
    if not fits:
        return None
    return min(
        fits, key=lambda o: (o.power.to("W").m / ends_per_module(o, rate, shared), o.reach, o.id)
    )
