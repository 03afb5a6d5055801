"""Scale-up, bisection and scale-out bandwidth of a domain, per direction.

Bisection is the bandwidth across the worst cut into two halves:

- switched (non-blocking, single tier): ``floor(N/2) × B`` (every accelerator of the smaller
  half sends at its full scale-up bandwidth ``B``);
- full mesh: ``floor(N/2) × ceil(N/2) × B / links`` (one link per pair);
- torus of ``d`` dimensions, shaped as evenly as ``N`` factors (``torus_shape``), cut across
  its longest side ``k``: ``2 × N / k`` links cross the cut (the wraparound doubles it), each
  ``B / links``. A torus's diameter is ``Σ floor(side / 2)`` hops.
"""

from __future__ import annotations

import math

import pint

from solver.physics.links import dragonfly_global_links, torus_shape
from solver.schema import Accelerator


def scale_up_bandwidth(accel: Accelerator) -> pint.Quantity:
    """Scale-up bandwidth per accelerator, per direction."""
    return accel.scale_up.bandwidth.to("GB/s")


def scale_out_bandwidth(accel: Accelerator) -> pint.Quantity:
    """Scale-out (NIC) bandwidth per accelerator, per direction."""
    return accel.scale_out_bandwidth.to("GB/s")


def scale_up_to_out_ratio(accel: Accelerator) -> float:
    """How many times faster the scale-up fabric is than the scale-out network."""
    return float((accel.scale_up.bandwidth / accel.scale_out_bandwidth).to("").magnitude)


def bisection_bandwidth(accel: Accelerator, n: int) -> pint.Quantity:
    """Bisection bandwidth of a domain of ``n`` accelerators, per direction."""
    su = accel.scale_up
    bw = su.bandwidth.to("GB/s")
    if n < 2 or su.topology == "none" or su.links == 0:
        return 0 * bw
    if su.topology == "switched":
        return (n // 2) * bw
    per_link = bw / su.links
    if su.topology == "mesh":
        if n - 1 > su.links:
            raise ValueError(f"a full mesh of {n} needs {n - 1} links; {accel.id} has {su.links}")
        return (n // 2) * (n - n // 2) * per_link
    if su.topology == "dragonfly":
        return dragonfly_bisection_links(su, n) * per_link
    side = max(torus_shape(n, su.torus_dimensions))
    crossing = 2 * n / side if side > 2 else n / side  # a side of 2 has no separate wraparound
    return crossing * per_link


def dragonfly_bisection_links(su, n: int) -> float:
    """Links across a cut of a dragonfly of ``n`` chips into halves along node boundaries:
    one node is a full mesh; across nodes, each node's global ports spread evenly over the
    other nodes, so each of the ``⌊k/2⌋ × ⌈k/2⌉`` node pairs across the cut holds
    ``group_size × global links / (k − 1)`` links."""
    g = su.group_size
    nodes = -(-n // g)
    if nodes == 1:
        return (n // 2) * (n - n // 2)
    return (nodes // 2) * (nodes - nodes // 2) * g * dragonfly_global_links(su) / (nodes - 1)


def torus_diameter(n: int, dimensions: int) -> int:
    """Hops between the two farthest chips of the most even torus of ``n`` chips."""
    return sum(side // 2 for side in torus_shape(n, dimensions))


def summary(accel: Accelerator, n: int) -> dict[str, pint.Quantity | float]:
    """Per-accelerator and domain bandwidths of ``n`` accelerators, and the up/out ratio."""
    return {
        "scale_up_per_accelerator": scale_up_bandwidth(accel),
        "scale_out_per_accelerator": scale_out_bandwidth(accel),
        "bisection": bisection_bandwidth(accel, n).to("TB/s"),
        "scale_out_total": (n * scale_out_bandwidth(accel)).to("TB/s"),
        "up_to_out_ratio": scale_up_to_out_ratio(accel),
    }


def ceil_div(a: float, b: float) -> int:
    """``ceil(a / b)`` for positive numbers, robust to float noise."""
    return math.ceil(a / b - 1e-9)
