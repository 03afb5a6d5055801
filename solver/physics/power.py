"""Electrical power: what a rack draws, its transient peak, and what delivers it.

Steady power is what the feed and the cooling see; the peak (steady × transient factor)
is what the power shelves must deliver. A busbar's rating is continuous (thermal): it
carries the steady current at the lowest bus voltage.
"""

from __future__ import annotations

import math

from solver.units import Quantity


def tray_power(tray, accelerator, outside=None) -> Quantity:
    """Steady power of one compute tray: its accelerators, those it carries outside the
    domain (``outside``: their accelerator entry) and its overhead."""
    power = tray.accelerators * accelerator.power + tray.overhead_power
    if tray.outside_domain is not None:
        power = power + tray.outside_domain.count * outside.power
    return power.to("kW")


def cable_end_power(cable, ends: int = 1) -> Quantity:
    """Power of ``ends`` cable ends (retimers, DSPs, lasers)."""
    return (ends * cable.power_per_end).to("kW")


def spine_cable_power(cable) -> Quantity:
    """Power of one spine cable: both its ends are in the rack."""
    return cable_end_power(cable, 2)


def feed_draw(it_power: Quantity, efficiency: float) -> Quantity:
    """Power drawn from the feed for an IT load behind shelves of ``efficiency``."""
    return (it_power / efficiency).to("kW")


def facility_draw(draw: Quantity, pue: float) -> Quantity:
    """Power the facility takes for a feed ``draw``: cooling plant and distribution on top
    (power usage effectiveness)."""
    return draw * pue


def transient_factor(accelerator, profile) -> float:
    """Peak ÷ steady power: the profile's figure when it sets one, else the platform's."""
    if profile.transient_factor is not None:
        return profile.transient_factor
    return accelerator.transient_factor


def peak_power(it_power: Quantity, factor: float) -> Quantity:
    """Peak IT power the shelves must deliver."""
    return (it_power * factor).to("kW")


def redundancy(policy: str) -> tuple[int, int]:
    """(spare units, sides) of a redundancy policy: N+k is (k, 1), 2N is (0, 2), N is (0, 1)."""
    if policy == "2N":
        return 0, 2
    if policy == "N":
        return 0, 1
    return int(policy[2:]), 1


def shelf_capacity(shelf) -> Quantity:
    """Usable output of one shelf: its modules less those held spare inside it."""
    return (shelf.capacity * (shelf.modules - shelf.spare_modules) / shelf.modules).to("kW")


def carrying_units(units: int, policy: str) -> int:
    """Units (power shelves, CDUs) that carry the load when the redundancy policy has taken
    its share: N+k loses k; 2N keeps one side (an even count, half per side)."""
    spare, sides = redundancy(policy)
    return max(units - spare, 0) // sides


def delivered_power(shelves: int, shelf, policy: str) -> Quantity:
    """Power the shelves deliver after redundancy."""
    return (carrying_units(shelves, policy) * shelf_capacity(shelf)).to("kW")


def shelves_needed(peak: Quantity, shelf, policy: str) -> int:
    """Fewest shelves that deliver ``peak`` under ``policy``."""
    spare, sides = redundancy(policy)
    per_side = math.ceil((peak / shelf_capacity(shelf)).to("").magnitude - 1e-9)
    return sides * per_side + spare


def busbar_current(it_power: Quantity, rack) -> Quantity:
    """Steady busbar current at the bus's lowest voltage."""
    return (it_power / rack.busbar_min_voltage).to("A")


def busbar_capacity(rack) -> Quantity:
    """Steady power the busbar carries at its lowest voltage within its rating."""
    return (rack.busbar_current * rack.busbar_min_voltage).to("kW")


def circuit_power(circuits) -> Quantity:
    """Real power one circuit delivers: V × I × √3 (three-phase) × power factor × derating."""
    phase = math.sqrt(3) if circuits.phases == 3 else 1.0
    return (
        circuits.voltage * circuits.current * phase * circuits.power_factor * circuits.derating
    ).to("kW")


def feed_capacity(profile) -> Quantity:
    """Power the rack's feed delivers: the profile's figure, or its circuits after 2N."""
    if profile.feed_circuits is None:
        return profile.feed_power.to("kW")
    circuits = profile.feed_circuits
    _, sides = redundancy(profile.shelf_redundancy)
    return (circuits.count // sides * circuit_power(circuits)).to("kW")
