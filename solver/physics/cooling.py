"""Heat: where each part's heat goes (liquid or air) and the coolant flow it needs.

Every watt a rack draws becomes heat. A part's liquid fraction goes to the liquid loop
(cold plates, co-packaged optics on a cold-plated package); the rest, and the shelves'
conversion loss, goes to room air. The coolant rises from the profile's supply to its
return temperature, so a kilowatt needs ``1 / (ρ · c_p · ΔT)`` of flow.
"""

from __future__ import annotations

from solver.units import Quantity


def coolant_rise(profile) -> Quantity:
    """Temperature rise of the coolant across the rack: return − supply."""
    return (profile.return_temperature.to("K") - profile.supply_temperature.to("K")).to("K")


def coolant_flow(heat: Quantity, coolant, rise: Quantity) -> Quantity:
    """Flow that carries ``heat`` with a rise of ``rise``: Q / (ρ · c_p · ΔT)."""
    return (heat / (coolant.density * coolant.specific_heat * rise)).to("L/min")


def flow_heat(flow: Quantity, coolant, rise: Quantity) -> Quantity:
    """Heat a flow carries with a rise of ``rise``: flow · ρ · c_p · ΔT."""
    return (flow * coolant.density * coolant.specific_heat * rise).to("kW")


def liquid_share(power: Quantity, liquid_fraction: float) -> Quantity:
    """The part of ``power`` removed by liquid."""
    return (power * liquid_fraction).to("kW")
