"""Every part of one rack of a design, with its count, steady power, heat path and mass.

The power, cooling and weight checks and the bill of materials all read this one list;
each figure comes from :mod:`solver.physics`. A multi-rack domain repeats the compute rack;
a dedicated spine rack is a design of its own (:meth:`Design.spine_rack`).
"""

from __future__ import annotations

from dataclasses import dataclass

from solver.design import Design, Space
from solver.layout import cable_stats
from solver.physics import cooling, mass, power
from solver.units import Quantity


@dataclass(frozen=True)
class Part:
    """``count`` identical parts in one rack."""

    item: str
    """compute_tray, switch_tray, cable, interrack_cable_end, cooling, reserved, power_shelf
    or rack."""
    id: str
    name: str
    count: int
    unit_power: Quantity
    """Steady power of one (for a shelf: its share of the conversion loss)."""
    unit_mass: Quantity | None
    """Mass one puts on the rack (None: carried elsewhere)."""
    liquid_fraction: float = 0.0
    """Share of its heat removed by liquid."""
    note: str = ""

    @property
    def power(self) -> Quantity:
        return (self.count * self.unit_power).to("kW")

    @property
    def liquid_heat(self) -> Quantity:
        return cooling.liquid_share(self.power, self.liquid_fraction)

    @property
    def mass(self) -> Quantity:
        return (self.count * self.unit_mass).to("kg") if self.unit_mass is not None else None


def it_parts(d: Design, s: Space) -> list[Part]:
    """Every part that draws IT power or adds mass, shelves and rack excepted."""
    p = s.profile
    parts = []
    if d.compute_trays:
        t = d.tray
        parts.append(
            Part(
                "compute_tray",
                t.id,
                t.name,
                d.compute_trays,
                power.tray_power(t, d.accelerator, s.outside(t)),
                mass.tray_mass(t, s.densest_coolant()),
                t.liquid_fraction,
                _tray_note(t, d.accelerator) + "; mass with coolant",
            )
        )
    if d.switch_tray is not None and d.switch_trays:
        w = d.switch_tray
        parts.append(
            Part("switch_tray", w.id, w.name, d.switch_trays, w.power, w.mass, w.liquid_fraction)
        )
    if d.cable is not None and d.cables:
        c = d.cable
        length = cable_stats(d, s)["total_cable_length"]
        parts.append(
            Part(
                "cable",
                c.id,
                c.name,
                d.cables,
                power.spine_cable_power(c),
                mass.cable_mass(c, length) / d.cables,
                c.liquid_fraction,
                "mass at the mean run",
            )
        )
    if d.xcable is not None and d.x_cable_ends:
        c = d.xcable
        parts.append(
            Part(
                "interrack_cable_end",
                c.id,
                c.name,
                d.x_cable_ends,
                power.cable_end_power(c),
                None,
                c.liquid_fraction,
                "cables run in overhead trays; their mass is not on the rack",
            )
        )
    k = d.cooling
    parts.append(
        Part(
            "cooling",
            k.id,
            k.name,
            1,
            k.power,
            mass.cooling_mass(k, s.coolant(k)),
            0.0,
            "hardware and loop coolant",
        )
    )
    parts.append(
        Part(
            "reserved",
            p.id,
            "reserved gear (profile)",
            1,
            p.reserved_power,
            p.reserved_mass,
            0.0,
            f"{p.reserved_slots} slots",
        )
    )
    return parts


def _tray_note(tray, accelerator) -> str:
    note = f"{tray.accelerators} × {accelerator.id} included"
    extra = tray.outside_domain
    if extra is not None:
        note += f", and {extra.count} × {extra.accelerator} outside the domain"
    return note


def it_power(d: Design, s: Space) -> Quantity:
    """Steady IT load of one rack."""
    return sum((part.power for part in it_parts(d, s)), Quantity(0, "kW"))


def draw_power(d: Design, s: Space) -> Quantity:
    """Power one rack draws from its feed."""
    return power.feed_draw(it_power(d, s), d.shelf.efficiency)


def peak_power(d: Design, s: Space) -> Quantity:
    """Transient peak IT load the shelves must deliver."""
    return power.peak_power(it_power(d, s), power.transient_factor(d.accelerator, s.profile))


def rack_parts(d: Design, s: Space) -> list[Part]:
    """Every part of one rack: IT parts, power shelves (their conversion loss) and the rack."""
    parts = it_parts(d, s)
    it = sum((part.power for part in parts), Quantity(0, "kW"))
    loss = power.feed_draw(it, d.shelf.efficiency) - it
    shelf = d.shelf
    sidecar = shelf.kind == "sidecar"
    parts.append(
        Part(
            "power_shelf",
            shelf.id,
            shelf.name,
            d.power_shelves,
            loss / d.power_shelves if d.power_shelves else Quantity(0, "kW"),
            None if sidecar else shelf.mass,
            0.0,
            f"conversion loss at {shelf.efficiency:.1%} efficiency"
            + (
                f"; a power rack of its own beside the IT rack ({shelf.mass:~P}, "
                f"{shelf.floor_area.to('m^2'):~P}): its mass and loss stay out of this rack"
                if sidecar
                else ""
            ),
        )
    )
    parts.append(
        Part("rack", d.rack.id, d.rack.name, 1, Quantity(0, "kW"), d.rack.empty_mass, 0.0, "empty")
    )
    return parts


def heat(d: Design, s: Space) -> Quantity:
    """Heat released in one rack: its IT load and, unless a sidecar converts, the shelves'
    conversion loss."""
    if d.shelf.kind == "sidecar":
        return it_power(d, s)
    return draw_power(d, s)


def liquid_heat(d: Design, s: Space) -> Quantity:
    """Heat one rack sends to its liquid loop."""
    return sum((part.liquid_heat for part in it_parts(d, s)), Quantity(0, "kW"))


def payload(d: Design, s: Space) -> Quantity:
    """Mass the rack carries (its own empty mass excluded)."""
    carried = [part.mass for part in rack_parts(d, s) if part.item != "rack" and part.mass]
    return sum(carried, Quantity(0, "kg")).to("kg")


def total_mass(d: Design, s: Space) -> Quantity:
    """Rack and payload: what bears on the floor."""
    return (payload(d, s) + d.rack.empty_mass).to("kg")
