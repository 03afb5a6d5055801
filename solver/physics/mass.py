"""Mass: trays with their coolant, cooling hardware with its loop, cables by length."""

from __future__ import annotations

from solver.units import Quantity


def tray_mass(tray, coolant_density: Quantity) -> Quantity:
    """A compute tray with the coolant in its cold plates."""
    return (tray.mass + tray.coolant_volume * coolant_density).to("kg")


def cooling_mass(cooling, coolant) -> Quantity:
    """Cooling hardware carried by the rack plus the coolant in its loop."""
    fluid = cooling.coolant_volume * coolant.density if coolant else Quantity(0, "kg")
    return (cooling.mass + fluid).to("kg")


def cable_mass(cable, length: Quantity) -> Quantity:
    """Mass of ``length`` of ``cable``."""
    return (length * cable.mass_per_length).to("kg")


def on_rack(shelf) -> Quantity:
    """Mass a power unit puts on the IT rack: none for a sidecar, which stands on its own."""
    return Quantity(0, "kg") if shelf.kind == "sidecar" else shelf.mass.to("kg")
