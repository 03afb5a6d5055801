"""Cost: capex of a design or system, cost per accelerator-hour and per million tokens.

- capex = Σ count × catalog price over the bill of materials (accelerators, trays, switch
  trays, cables, half a cable per inter-rack cable end, shelves, rack, cooling), times the
  racks of the domain, plus its optical circuit switches; items without a price are listed
  as unpriced and add nothing;
- hourly cost = capex / hardware life + facility capex per MW × feed draw / facility life +
  energy price × feed draw × PUE (the profile's ``economics``);
- cost per million tokens = hourly cost / (throughput × utilisation × 3,600 s) × 10⁶.
"""

from __future__ import annotations

from dataclasses import dataclass

import pint

from solver.physics.power import facility_draw
from solver.schema import Economics
from solver.units import Quantity

ZERO_USD = Quantity(0, "USD")


@dataclass(frozen=True)
class Capex:
    """Hardware cost and the items the catalog gives no price for."""

    total: pint.Quantity
    unpriced: tuple[str, ...] = ()


def priced(catalog, items: list[tuple[str, float]]) -> Capex:
    """Σ count × price over ``(catalog id, count)`` pairs."""
    total, missing = ZERO_USD, []
    for item, count in items:
        if not count:
            continue
        price = catalog.price_of(item)
        if price is None:
            missing.append(item)
        else:
            total = total + count * price.price
    return Capex(total.to("USD"), tuple(dict.fromkeys(missing)))


def rack_items(design, space) -> list[tuple[str, float]]:
    """(catalog id, count) of everything bought for one rack of ``design``."""
    from solver.parts import rack_parts

    items = [(design.accelerator.id, design.rack_domain)]
    if design.tray.outside_domain is not None:
        extra = design.tray.outside_domain
        items.append((extra.accelerator, extra.count * design.compute_trays))
    for part in rack_parts(design, space):
        if part.item == "interrack_cable_end":  # a cable's price buys both of its ends
            items.append((part.id, part.count / 2))
        elif part.item != "reserved":
            items.append((part.id, part.count))
    return items


def design_capex(design, space) -> Capex:
    """Capex of a whole domain: its racks, and its optical circuit switches."""
    rack = priced(space.catalog, rack_items(design, space))
    total = design.racks * rack.total
    missing = list(rack.unpriced)
    if design.ocs_units and space.ocs is not None:
        ocs = priced(space.catalog, [(space.ocs.id, design.ocs_units)])
        total, missing = total + ocs.total, missing + list(ocs.unpriced)
    return Capex(total.to("USD"), tuple(missing))


def system_capex(catalog, system, count: int) -> Capex:
    return priced(catalog, [(system.id, count)])


def hourly_rates(economics: Economics) -> tuple[pint.Quantity, pint.Quantity]:
    """(hourly cost per USD of capex, hourly cost per W of feed draw): the hardware written
    off over its life; the facility over its life and the energy with the PUE."""
    e = economics
    per_usd = (1 / e.hardware_life).to("1/hour")
    energy = e.energy_price * e.pue  # per W of draw: the facility takes facility_draw()
    per_watt = (e.facility_capex / e.facility_life + energy).to("USD/hour/W")
    return per_usd, per_watt


def hourly_cost(capex: pint.Quantity, power: pint.Quantity, economics: Economics) -> pint.Quantity:
    """Owning and running hardware of ``capex`` drawing ``power`` from the feed, per hour."""
    per_usd, per_watt = hourly_rates(economics)
    return (capex * per_usd + power * per_watt).to("USD/hour")


def affordable_hourly(
    per_million: pint.Quantity, tokens_per_s: float, economics: Economics
) -> pint.Quantity:
    """The hourly cost at which ``tokens_per_s`` (served for the utilised share of hours)
    cost ``per_million`` per million tokens: the inverse of :func:`per_million_tokens`."""
    served = Quantity(tokens_per_s * economics.utilisation, "1/s")
    return (per_million * served / 1e6).to("USD/hour")


def per_accelerator_hour(hourly: pint.Quantity, accelerators: int) -> pint.Quantity:
    return (hourly / accelerators).to("USD/hour")


def per_million_tokens(
    hourly: pint.Quantity, tokens_per_s: float, economics: Economics
) -> pint.Quantity | None:
    """Cost of a million tokens served at ``tokens_per_s`` for the utilised share of hours."""
    if tokens_per_s <= 0:
        return None
    one_usd = Quantity(1, "USD")  # hourly cost over what 1 USD per million tokens pays
    return (hourly / affordable_hourly(one_usd, tokens_per_s, economics) * one_usd).to("USD")


def tokens_per_joule(tokens_per_s: float, power: pint.Quantity, economics: Economics) -> float:
    """Tokens per joule drawn by the facility (the feed draw × PUE)."""
    facility = facility_draw(power, economics.pue)
    return float((Quantity(tokens_per_s, "1/s") / facility).to("1/J").m)
