"""Rack elevations: a front view of each rack with every placed item, the cable spine and the
longest run, and for a domain of several racks a view of the row with its inter-rack cable
routes; drawn on :class:`matplotlib.figure.Figure` objects (no pyplot, no backend switch,
no change to the caller's rcParams) and written as SVG (for documents) and PNG (for reports).

Every label is at least :data:`MIN_FONT` points at the figure's own size. Output is
reproducible: no dates in the files, a fixed SVG hash salt.
"""

from __future__ import annotations

from dataclasses import replace

from solver.design import Design, Space
from solver.layout import cable_stats, cabled_pairs, centred_layout
from solver.physics.reach import interrack_run, run_fixed_length
from solver.units import Quantity
from solver.words import plural

MIN_FONT = 7
"""Smallest label, in points (the report never scales a figure below its own size)."""

SINGLE_WIDTH = Quantity(600, "mm")
"""Width drawn as one unit: a 600 mm rack (a double-wide rack is drawn twice as wide)."""

COLOURS = {
    "compute_tray": "#4C78A8",
    "switch_tray": "#F58518",
    "power_shelf": "#54A24B",
    "cooling": "#72B7B2",
    "reserved": "#BAB0AC",
}
LABELS = {
    "compute_tray": "compute tray",
    "switch_tray": "switch tray",
    "power_shelf": "power shelf",
    "cooling": "cooling unit",
    "reserved": "reserved (ToR / management)",
}


def draw(design: Design, space: Space, title: str = ""):
    """A matplotlib Figure of the design's rack elevation; ``title`` says which rack of the
    domain it is (default: the first compute rack, see :func:`rack_title`)."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    layout = design.layout
    rack = design.rack
    if rack.slot_orientation == "vertical":
        return _draw_blades(design, space, title)
    wide = (rack.width / SINGLE_WIDTH).to("").magnitude  # 2 for a double-wide rack
    height = max(7.0, rack.slots * 0.16)
    fig = Figure(figsize=(6.2 + 2.4 * (wide - 1), height))
    ax = fig.add_axes((0.06, 0.08, 0.62, 0.86))
    ax.add_patch(Rectangle((0, 0), wide, rack.slots, facecolor="#F4F4F4", edgecolor="black"))
    for slot in range(1, rack.slots):
        ax.plot([0, wide], [slot, slot], color="#DDDDDD", linewidth=0.3)
    for item in layout.items:
        ax.add_patch(
            Rectangle(
                (0.02, item.slot - 1 + 0.05),
                wide - 0.04,
                item.height - 0.1,
                facecolor=COLOURS[item.kind],
                edgecolor="black",
                linewidth=0.4,
            )
        )
        ax.text(
            wide / 2,
            item.slot - 1 + item.height / 2,
            item.name if item.name == item.item_id else f"{item.name}  ({item.item_id})",
            ha="center",
            va="center",
            fontsize=MIN_FONT,
            color="white" if item.kind != "reserved" else "black",
        )
    ax.text(-0.03, 0.5, "1", ha="right", va="center", fontsize=MIN_FONT)
    ax.text(-0.03, rack.slots - 0.5, str(rack.slots), ha="right", va="center", fontsize=MIN_FONT)
    spined = _cabled_items(design)
    if spined:
        bottom = min(p.slot - 1 for p in spined)
        top = max(p.slot - 1 + p.height for p in spined)
        ax.add_patch(
            Rectangle(
                (wide + 0.05, bottom),
                0.12,
                top - bottom,
                facecolor="#F5C4C4",  # opaque: alpha is lost in the PDF's SVG import
                edgecolor="#E45756",
            )
        )
        what_runs = "spine" if design.cable is not None else "inter-rack cables"
        ax.text(wide + 0.05, top + 0.3, what_runs, ha="left", va="bottom", fontsize=MIN_FONT)
    if spined and design.cable is not None:
        stats = cable_stats(design, space)
        low, high = _longest_pair(design)
        if low is not None:
            ax.annotate(
                "",
                xy=(wide + 0.11, high.centre2 / 2),
                xytext=(wide + 0.11, low.centre2 / 2),
                arrowprops={"arrowstyle": "<->", "color": "#B2182B", "linewidth": 1.6},
            )
            longest = stats["max_run"].to("m").magnitude
            fixed = run_fixed_length(design.rack, space.profile, design.cable).to("m").magnitude
            ax.text(
                wide + 0.22,
                (low.centre2 + high.centre2) / 4,
                f"longest run {longest:.2f} m\n({low.name} - {high.name},\n"
                f" incl. {fixed:.2f} m horizontal,\n slack and bends)",
                fontsize=MIN_FONT,
                va="center",
                color="#B2182B",
            )
    ax.set_xlim(-0.1, wide + 1.0)
    ax.set_ylim(-0.5, rack.slots + 1.5)
    labels = {k: LABELS[k] for k in COLOURS if layout.of_kind(k)}
    what = f"{rack.slots} × {rack.slot_pitch:~P} slots, {rack.width.to('mm'):~P} wide"
    return _finish(fig, ax, design, title, what, labels)


def _cabled_items(design: Design):
    """Every item a cable ends on: compute and switch trays joined by the spine, and the
    switch trays of a spine rack (their inter-rack cables)."""
    layout = design.layout
    if design.cable is not None and layout.of_kind("compute_tray"):
        return layout.of_kind("compute_tray") + layout.of_kind("switch_tray")
    if design.x_cable_ends and layout.of_kind("switch_tray"):
        return layout.of_kind("switch_tray")
    return []


def row_order(design: Design) -> list[str]:
    """The racks of the row from left to right, ``"compute"`` or ``"spine"``: spine racks
    stand in the middle, so no route is longer than the compute racks' span
    (:func:`solver.physics.reach.interrack_run`)."""
    k = design.racks
    return ["compute"] * (k - k // 2) + ["spine"] * design.spine_racks + ["compute"] * (k // 2)


def _numbers(numbers: list[int]) -> str:
    """``[2, 3, 4, 7, 8]`` -> ``racks 2 to 4 and 7 to 8``."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    text = [f"{a}" if a == b else f"{a} to {b}" for a, b in spans]
    word = "rack" if len(numbers) == 1 else "racks"
    return f"{word} {' and '.join(text)}"


def rack_title(design: Design, kind: str = "compute") -> str:
    """Which racks of the domain a drawing shows, numbered along the row (:func:`row_order`):
    ``rack 1 of 8 — 68 gb200 accelerators of 544; racks 2 to 8 are the same``; a domain of
    one rack: ``gb200: 72 accelerators``."""
    order = row_order(design)
    if len(order) == 1:
        return f"{design.accelerator.id}: {plural(design.domain_size, 'accelerator')}"
    numbers = [i + 1 for i, k in enumerate(order) if k == kind]
    if kind == "spine":
        head = (
            f"rack {numbers[0]} of {len(order)} — spine rack 1 of {design.spine_racks}: "
            f"switch trays only ({design.accelerator.id} domain of {design.domain_size})"
        )
    else:
        head = (
            f"rack {numbers[0]} of {len(order)} — {design.rack_domain} "
            f"{design.accelerator.id} accelerators of {design.domain_size}"
        )
    if len(numbers) > 1:
        same = _numbers(numbers[1:])
        head += f"; {same} {'is' if len(numbers) == 2 else 'are'} the same"
    return head


def _finish(fig, ax, design: Design, title: str, what: str, labels: dict[str, str]):
    """Title, legend and bare axes common to both kinds of elevation."""
    from matplotlib.patches import Rectangle

    ax.axis("off")
    fig.suptitle(f"{design.rack.name}\n{title or rack_title(design)}\n{what}", fontsize=8)
    handles = [Rectangle((0, 0), 1, 1, facecolor=COLOURS[k]) for k in labels]
    fig.legend(handles, list(labels.values()), loc="lower right", fontsize=MIN_FONT, frameon=False)
    return fig


def _draw_blades(design: Design, space: Space, title: str):
    """A blade chassis to scale: vertical blades side by side in the front, the midplane,
    and the switch blades plugged into its rear drawn as a strip below the front view."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    rack, layout = design.rack, design.layout
    width = rack.width.to("m").magnitude
    tall = rack.height.to("m").magnitude
    per_row = rack.slots // rack.blade_rows
    pitch = width / per_row  # a row's blade positions share the width
    row_height = tall / rack.blade_rows
    fig = Figure(figsize=(6.2, 7.6))
    ax = fig.add_axes((0.04, 0.08, 0.92, 0.84))
    ax.set_aspect("equal")
    ax.add_patch(Rectangle((0, 0), width, tall, facecolor="#F4F4F4", edgecolor="black"))
    for row in range(1, rack.blade_rows):
        ax.plot([0, width], [row * row_height] * 2, color="black", linewidth=0.8)
    for item in layout.items:
        row, column = divmod(item.slot - 1, per_row)
        span = min(item.height, per_row - column)  # an item never wraps to the next row
        ax.add_patch(
            Rectangle(
                (column * pitch + 0.004, row * row_height + 0.02),
                span * pitch - 0.008,
                row_height - 0.04,
                facecolor=COLOURS[item.kind],
                edgecolor="black",
                linewidth=0.4,
            )
        )
        ax.text(
            (column + span / 2) * pitch,
            (row + 0.5) * row_height,
            f"{item.name} ({item.item_id})",
            rotation=90,
            ha="center",
            va="center",
            fontsize=MIN_FONT,
            color="white" if item.kind != "reserved" else "black",
        )
    labels = {k: LABELS[k] for k in COLOURS if layout.of_kind(k)}
    if "compute_tray" in labels:
        labels["compute_tray"] = "compute blade"
    rear = design.switch_trays if design.switch_tray is not None else 0
    if design.switch_tray is not None and design.switch_tray.attach == "midplane":
        labels["switch_tray"] = "switch blade (rear)"
        strip = 0.12 * tall
        ax.plot([0, width], [-0.03, -0.03], color="#555555", linewidth=2)
        ax.text(width + 0.02, -0.03, "midplane", ha="left", va="center", fontsize=MIN_FONT)
        base = -0.06 - strip
        ax.add_patch(Rectangle((0, base), width, strip, facecolor="#FFFFFF", edgecolor="black"))
        positions = space.midplane(rack).switch_positions
        step = width / positions
        for i in range(positions):
            ax.add_patch(
                Rectangle(
                    (i * step + 0.004, base + 0.01),
                    step - 0.008,
                    strip - 0.02,
                    facecolor=COLOURS["switch_tray"] if i < rear else "#FFFFFF",
                    edgecolor="black" if i < rear else "#BBBBBB",
                    linewidth=0.4,
                )
            )
        ax.text(
            width / 2,
            base - 0.02,
            f"rear: {rear} × {design.switch_tray.id} in {positions} positions behind the "
            "midplane (no cables)",
            ha="center",
            va="top",
            fontsize=MIN_FONT,
        )
    ax.set_xlim(-0.05, width + 0.3)
    ax.set_ylim(-0.25 * tall, tall + 0.05)
    what = (
        f"front: {rack.blade_rows} × {per_row} vertical blade positions of "
        f"{rack.slot_pitch.to('mm'):~P}, {rack.width.to('mm'):~P} wide"
    )
    return _finish(fig, ax, design, title, what, labels)


def _longest_pair(design: Design):
    """The two items joined by the longest run (a torus: the ends of its compute stack)."""
    computes = design.layout.of_kind("compute_tray")
    if not computes:
        return None, None
    pairs = [(a, b) for a, b, _ in cabled_pairs(design)]
    if not pairs:
        pairs = [(min(computes, key=lambda p: p.slot), max(computes, key=lambda p: p.slot))]
    a, b = max(pairs, key=lambda p: (abs(p[0].centre2 - p[1].centre2), -p[0].slot, -p[1].slot))
    return (a, b) if a.slot <= b.slot else (b, a)


def drawn_racks(design: Design, space: Space) -> list[tuple[Design, str, str]]:
    """``(design, title, file suffix)`` of every distinct rack of the domain: the first
    compute rack (the others are identical) and, where the spine tier has racks of its own,
    the first spine rack (switch trays stacked above its shelves)."""
    out = [(design, rack_title(design, "compute"), "")]
    if design.spine_racks:
        spine = design.spine_rack()
        spine = replace(spine, layout=centred_layout(spine, space))
        out.append((spine, rack_title(design, "spine"), "-spine"))
    return out


def draw_racks(design: Design, space: Space) -> list:
    """A Figure for every distinct rack of the domain (see :func:`drawn_racks`)."""
    return [draw(d, space, title) for d, title, _ in drawn_racks(design, space)]


def draw_row(design: Design, space: Space):
    """The row of a multi-rack domain, front view: every rack with its items, the overhead
    tray, and the inter-rack cable routes (up from each rack's switch trays, along the tray,
    down into the racks they join), with the longest route's length."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    compute = design.layout
    spine = None
    if design.spine_racks:
        spine_design = design.spine_rack()
        spine = centred_layout(spine_design, space)
    k, s = design.racks, design.spine_racks
    order = row_order(design)
    slots = design.rack.slots
    wide = (design.rack.width / SINGLE_WIDTH).to("").magnitude
    gap = 0.25 * wide
    pitch = wide + gap
    fig = Figure(figsize=(6.6, 4.4))
    ax = fig.add_axes((0.02, 0.14, 0.96, 0.72))
    tray_y = slots + 4
    ax.add_patch(
        Rectangle(
            (-gap / 2, tray_y - 0.6),
            len(order) * pitch,
            1.2,
            facecolor="#DDDDDD",
            edgecolor="#555555",
            linewidth=0.6,
        )
    )
    ax.text(
        -gap / 2, tray_y + 1.0, "overhead cable tray", fontsize=MIN_FONT, va="bottom", ha="left"
    )
    ends = []  # x of every rack a route drops into
    for i, kind in enumerate(order):
        x = i * pitch
        layout = compute if kind == "compute" else spine
        ax.add_patch(
            Rectangle((x, 0), wide, slots, facecolor="#F4F4F4", edgecolor="black", linewidth=0.6)
        )
        for item in layout.items:
            ax.add_patch(
                Rectangle(
                    (x + 0.04, item.slot - 1 + 0.1),
                    wide - 0.08,
                    item.height - 0.2,
                    facecolor=COLOURS[item.kind],
                    edgecolor="none",
                )
            )
        label = f"rack {i + 1}\n" + (f"{design.rack_domain} acc." if kind == "compute" else "spine")
        ax.text(x + wide / 2, -1.0, label, ha="center", va="top", fontsize=MIN_FONT)
        switches = layout.of_kind("switch_tray")
        carries = kind == "spine" or design.x_cable_ends
        if switches and carries:  # up from the top switch tray to the tray
            top = max(p.slot - 1 + p.height for p in switches)
            cx = x + wide / 2
            ax.plot([cx, cx], [top, tray_y], color="#B2182B", linewidth=1.4)
            ends.append(cx)
    if ends:
        ax.plot([min(ends), max(ends)], [tray_y, tray_y], color="#B2182B", linewidth=1.8)
    run = interrack_run(k, design.xcable, space.profile).to("m").magnitude if design.xcable else 0
    cables = design.counts()["interrack_cables"]
    xcable = design.xcable.id if design.xcable else "none"
    ax.set_xlim(-gap, len(order) * pitch)
    ax.set_ylim(-4.5, tray_y + 3)
    ax.set_aspect("auto")
    ax.axis("off")
    fig.suptitle(
        f"The row: {k} compute rack{'s' if k > 1 else ''}"
        + (f" and {s} spine rack{'s' if s > 1 else ''}" if s else "")
        + f", {design.domain_size} {design.accelerator.id} accelerators\n"
        f"{cables} inter-rack cables ({xcable}) in red: up to the overhead tray, along the "
        f"row, down;\nlongest route {run:.2f} m (rack pitch "
        f"{space.profile.rack_pitch.to('m'):~P}, drop {space.profile.overhead_drop.to('m'):~P} "
        "each end, slack and bends)",
        fontsize=8,
    )
    kinds = {item.kind for layout in (compute, spine) if layout for item in layout.items}
    handles = [Rectangle((0, 0), 1, 1, facecolor=COLOURS[k]) for k in COLOURS if k in kinds]
    names = [LABELS[k] for k in COLOURS if k in kinds]
    fig.legend(handles, names, loc="lower center", ncols=3, fontsize=MIN_FONT, frameon=False)
    return fig


def render_all(design: Design, space: Space) -> dict[str, bytes]:
    """Drawings of every distinct rack of a design (:func:`drawn_racks`) and, for a domain
    of several racks, of the row (``elevation_<accelerator>_row``)."""
    files: dict[str, bytes] = {}
    for d, title, suffix in drawn_racks(design, space):
        stem = f"elevation_{d.accelerator.id}_{d.rack.id}{suffix}"
        files.update(_files(draw(d, space, title), stem))
    if design.racks + design.spine_racks > 1:
        files.update(_files(draw_row(design, space), f"elevation_{design.accelerator.id}_row"))
    return files


def render(design: Design, space: Space, title: str = "", suffix: str = "") -> dict[str, bytes]:
    """``{"<rack>.svg": ..., "<rack>.png": ...}`` for the design's rack."""
    stem = f"elevation_{design.accelerator.id}_{design.rack.id}{suffix}"
    return _files(draw(design, space, title), stem)


def _files(fig, stem: str) -> dict[str, bytes]:
    """SVG and PNG bytes of ``fig`` (no dates, a fixed hash salt; global rcParams untouched)."""
    from solver.report.figures import to_png, to_svg

    return {f"{stem}.svg": to_svg(fig), f"{stem}.png": to_png(fig)}
