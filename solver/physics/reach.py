"""Reach and run length: how far a cable carries a lane, and how long a run is.

A passive copper cable's reach comes from a loss budget: the electrical channel of the
lane rate allows ``loss_budget`` end to end at its Nyquist frequency; each end's package,
host trace and connector take ``host_loss``; the profile holds back a margin; the cable
may lose the rest. Its loss per metre at Nyquist is interpolated from the catalog's points
as a power of frequency (skin and dielectric loss grow as f^0.5 to f^1). Active copper
and optics carry their rated reach (a retimer, DSP or laser sets it).

A run is measured connector to connector: the vertical distance between the items'
connector heights, the rack's horizontal run, the profile's service slack and two
quarter-circle bends at the cable's bend radius.
"""

from __future__ import annotations

import math

from solver.units import Quantity

PASSIVE = "passive-copper"


def loss_per_length(cable, frequency: Quantity) -> Quantity:
    """Insertion loss per metre at ``frequency``: log-log interpolation between the two
    nearest catalog points, extrapolated along the nearest pair's slope."""
    points = sorted(cable.insertion_loss, key=lambda p: p.frequency.to("GHz").magnitude)
    f = frequency.to("GHz").magnitude
    i = 0
    while i < len(points) - 2 and f > points[i + 1].frequency.to("GHz").magnitude:
        i += 1
    lo, hi = points[i], points[i + 1]
    f0, f1 = lo.frequency.to("GHz").magnitude, hi.frequency.to("GHz").magnitude
    l0, l1 = lo.loss.to("dB/m").magnitude, hi.loss.to("dB/m").magnitude
    slope = math.log(l1 / l0) / math.log(f1 / f0)
    return Quantity(l0 * (f / f0) ** slope, "dB/m")


def cable_loss_budget(channel, profile) -> Quantity:
    """Loss a passive cable may have: the channel's budget less both ends and the margin."""
    return (channel.loss_budget - 2 * channel.host_loss - profile.copper_loss_margin).to("dB")


def usable_reach(cable, channel, profile) -> Quantity:
    """Longest run a cable carries at the channel's lane rate (0 m when nothing is left).

    Passive copper: its share of the loss budget over its loss per metre at Nyquist.
    Active copper and optics: their rated reach.
    """
    if cable.kind != PASSIVE:
        return cable.reach.to("m")
    return loss_limited_reach(cable, channel, profile)


def loss_limited_reach(medium, channel, profile) -> Quantity:
    """Length of a passive ``medium`` (cable or board trace, with ``insertion_loss``) that
    spends the loss budget left after both ends and the margin (0 m when none is left)."""
    if channel is None:
        return Quantity(0, "m")
    budget = cable_loss_budget(channel, profile)
    if budget.magnitude <= 0:
        return Quantity(0, "m")
    return (budget / loss_per_length(medium, channel.nyquist_frequency)).to("m")


def trace_reach(midplane, channel, profile) -> Quantity:
    """Longest midplane trace the channel allows: its share of the loss budget (as for a
    passive cable, the same margin) over the board's loss per metre at Nyquist; a
    ``direct`` (orthogonal) midplane has no trace and reaches anything it mates."""
    if midplane.kind == "direct":
        return Quantity(math.inf, "m")
    return loss_limited_reach(midplane, channel, profile)


def bend_radius(cable) -> Quantity:
    """Static bend radius: as stated, or the cable's multiple of the dimension it bends
    about (the minor axis of an oval or flat cable)."""
    if cable.min_bend_radius is not None:
        return cable.min_bend_radius.to("mm")
    minor = cable.minor_diameter if cable.minor_diameter is not None else cable.outer_diameter
    return (cable.bend_multiple * minor).to("mm")


def bend_allowance(cable) -> Quantity:
    """Length added by the two 90° bends of a run: two quarter circles at the bend radius."""
    return (math.pi * bend_radius(cable)).to("m")


def half_slot(rack) -> Quantity:
    """Vertical step between connector heights: half a slot (connectors sit mid-item)."""
    return (rack.slot_pitch / 2).to("m")


def run_straight_length(rack, profile) -> Quantity:
    """Length every spine run has beyond its vertical part and its bends: the horizontal
    run and the service slack."""
    return (rack.horizontal_run + profile.service_slack).to("m")


def run_fixed_length(rack, profile, cable) -> Quantity:
    """Length every spine run has beyond its vertical part: horizontal run, service slack
    and bends."""
    return (run_straight_length(rack, profile) + bend_allowance(cable)).to("m")


def run_length(half_slots: int, rack, profile, cable) -> Quantity:
    """A spine run between connectors ``half_slots`` half-slots apart vertically."""
    return (half_slots * half_slot(rack) + run_fixed_length(rack, profile, cable)).to("m")


def overhead_run(horizontal: Quantity, profile) -> Quantity:
    """A run over the overhead cable tray: up from a rack, ``horizontal`` along, down."""
    return (horizontal + 2 * profile.overhead_drop).to("m")


def interrack_run(racks: int, cable, profile) -> Quantity:
    """Longest run between the racks of a row: up to the overhead tray, along the row to
    the farthest rack, and down, plus service slack and bends."""
    return (
        overhead_run((racks - 1) * profile.rack_pitch, profile)
        + profile.service_slack
        + bend_allowance(cable)
    ).to("m")


def is_copper(cable) -> bool:
    """Passive or active copper (its length counts as copper; optics are fibre)."""
    return cable.kind in (PASSIVE, "active-copper")


def bend_clearance(cables: int, cable, exit_width: Quantity, fill: float) -> Quantity:
    """Depth behind a connector row: the bundle's thickness plus the cable's bend radius."""
    return (bundle_depth(cables, cable, exit_width, fill) + bend_radius(cable)).to("mm")


def bundle_depth(cables: int, cable, exit_width: Quantity, fill: float) -> Quantity:
    """Thickness of the bundle of ``cables`` leaving a connector row ``exit_width`` wide."""
    return (cables * cable.cross_section / fill / exit_width).to("mm")


def spine_area(cables: int, cable, fill: float) -> Quantity:
    """Cross-section ``cables`` take in the spine at packing fraction ``fill``."""
    return (cables * cable.cross_section / fill).to("cm^2")
