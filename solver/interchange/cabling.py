"""The cabling plan of a solved design: one row per cable, end to end, for a technician or a
cable validation tool.

The rows follow the design's own wiring (:mod:`solver.layout`): in a rack of ``N`` compute
trays and ``G`` leaf groups, compute tray ``i`` (from the bottom) serves group ``i·G // N``;
each of its accelerators sends link ``l`` to chip ``l // d`` of its group's ``c = links / d``
chips (``d`` links per chip), and the group's chips are numbered bottom-up over the switch
trays, ``t`` to a tray. On a chip, the ``m``-th accelerator of the group (bottom-up, tray by
tray) takes ports ``m·d`` to ``m·d + d − 1``. A link uses ``pairs_per_link`` differential
pairs (each lane's transmit and receive pair, or one pair per lane when it carries both
directions); the pairs one compute tray sends to one chip are packed in order, ``cable.pairs``
to a cable. A cable's length is the design's run between the two items' connectors
(:func:`solver.physics.reach.run_length`), so the plan's lengths add up to the design's
total cable length.

Ports are named by what they carry: ``gpu3/link07/lane2-tx`` on the compute tray (the
accelerator's own transmit pair) and ``chip2/port45/lane2-rx`` on the switch tray. Covered:
switched fabrics cabled through a spine, in one rack. Board, midplane and torus/mesh
fabrics and inter-rack cables raise :class:`~solver.errors.UsageError` saying so.
"""

from __future__ import annotations

from dataclasses import dataclass

from solver.design import Design, Space
from solver.errors import UsageError
from solver.layout import leaf_group
from solver.physics.links import pairs_per_link
from solver.physics.reach import run_length

COLUMNS = (
    "a_rack",
    "a_slot",
    "a_device",
    "a_port",
    "b_rack",
    "b_slot",
    "b_device",
    "b_port",
    "cable_id",
    "cable_type",
    "length_m",
)


def rack_name(index: int) -> str:
    """Name of the ``index``-th rack of a domain (from 0), as in every interchange file."""
    return f"rack-{index + 1}"


@dataclass(frozen=True)
class End:
    """One end of a cable: where it plugs in."""

    rack: str
    slot: int
    """Lowest slot of the item, counted from 1 at the bottom."""
    device: str
    port: str


@dataclass(frozen=True)
class CableRun:
    """One cable from end to end."""

    a: End
    b: End
    cable_id: str
    cable_type: str
    length_m: float

    def row(self) -> dict:
        return {
            **{f"a_{k}": v for k, v in vars(self.a).items()},
            **{f"b_{k}": v for k, v in vars(self.b).items()},
            "cable_id": self.cable_id,
            "cable_type": self.cable_type,
            "length_m": self.length_m,
        }


def _pair_names(scale_up) -> list[tuple[str, str]]:
    """(accelerator side, switch side) name of each pair of one link: a lane's transmit and
    receive pairs (the accelerator's transmit is the switch's receive), or one pair per lane
    that carries both directions."""
    both = scale_up.simultaneous_bidirectional
    names = []
    for pair in range(pairs_per_link(scale_up)):
        lane = f"lane{(pair if both else pair // 2) + 1}"
        if both:
            names.append((lane, lane))
        else:
            mine, theirs = ("tx", "rx") if pair % 2 == 0 else ("rx", "tx")
            names.append((f"{lane}-{mine}", f"{lane}-{theirs}"))
    return names


def _span(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{names[0]}..{names[-1]}"


def cable_runs(design: Design, space: Space) -> list[CableRun]:
    """Every spine cable of the design, bottom compute tray first (see the module text)."""
    scale_up = design.accelerator.scale_up
    if design.cable is None or design.layout is None or not design.cables:
        raise UsageError(
            f"{design.accelerator.id}: the design has no cables (links stay on "
            f"boards or a midplane: {design.topology})"
        )
    if scale_up.topology != "switched" or design.switch_tray is None:
        raise UsageError(
            f"{design.accelerator.id}: the cabling plan covers switched fabrics "
            f"cabled through a spine; not yet {design.topology}"
        )
    if design.racks > 1:
        raise UsageError(
            f"{design.accelerator.id}: the cabling plan covers one rack; this "
            f"design spans {design.racks} racks (inter-rack cables not yet listed)"
        )
    rack = rack_name(0)
    computes = sorted(design.layout.of_kind("compute_tray"), key=lambda p: p.slot)
    switches = sorted(design.layout.of_kind("switch_tray"), key=lambda p: p.slot)
    per_chip = design.links_per_chip
    group_chips = scale_up.links // per_chip
    chip = space.chip(design.switch_tray)
    chips_per_tray = design.switch_tray.chips
    accelerators = design.tray.accelerators
    pairs = _pair_names(scale_up)
    seen_in_group: dict[int, int] = {}
    runs: list[CableRun] = []
    lengths: dict[int, float] = {}
    for i, tray in enumerate(computes):
        group = leaf_group(i, len(computes), design.leaf_groups)
        first = seen_in_group.get(group, 0)  # accelerators of the group below this tray
        seen_in_group[group] = first + accelerators
        for k in range(group_chips):
            index = group * group_chips + k
            switch = switches[index // chips_per_tray]
            chip_name = f"chip{index % chips_per_tray + 1}"
            ends: list[tuple[str, str]] = []
            for a in range(accelerators):
                for j in range(per_chip):
                    link = k * per_chip + j
                    port = (first + a) * per_chip + j
                    if port >= chip.ports:
                        raise UsageError(
                            f"{switch.name} {chip_name}: port {port + 1} beyond its "
                            f"{chip.ports} ports"
                        )
                    ends += [
                        (
                            f"gpu{a + 1}/link{link + 1:02d}/{mine}",
                            f"{chip_name}/port{port + 1:02d}/{theirs}",
                        )
                        for mine, theirs in pairs
                    ]
            apart = abs(tray.centre2 - switch.centre2)
            if apart not in lengths:  # pint is slow: one run length per distance
                run = run_length(apart, design.rack, space.profile, design.cable)
                lengths[apart] = round(float(run.to("m").magnitude), 4)
            for start in range(0, len(ends), design.cable.pairs):
                bundle = ends[start : start + design.cable.pairs]
                runs.append(
                    CableRun(
                        End(rack, tray.slot, tray.name, _span([e[0] for e in bundle])),
                        End(rack, switch.slot, switch.name, _span([e[1] for e in bundle])),
                        "",
                        design.cable.id,
                        lengths[apart],
                    )
                )
    width = max(4, len(str(len(runs))))
    return [
        CableRun(r.a, r.b, f"C{n + 1:0{width}d}", r.cable_type, r.length_m)
        for n, r in enumerate(runs)
    ]


def cabling_csv(design: Design, space: Space) -> bytes:
    """The cabling plan as CSV, one row per cable (columns :data:`COLUMNS`)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for run in cable_runs(design, space):
        writer.writerow(run.row())
    return buffer.getvalue().encode()
