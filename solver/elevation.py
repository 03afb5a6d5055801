"""Rack elevations: a front view of each rack with every placed item, the cable spine and the
longest run, drawn with matplotlib and written as SVG (for documents) and PNG (for reports).

Output is reproducible: no dates in the files, a fixed SVG hash salt.
"""

from __future__ import annotations

import io
from dataclasses import replace

from solver.design import Design, Space
from solver.layout import cable_stats, cabled_pairs, centred_layout
from solver.physics.reach import run_fixed_length
from solver.units import Quantity
from solver.words import plural

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
    """A matplotlib Figure of the design's rack elevation."""
    import matplotlib

    matplotlib.use("Agg")
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
        size = 6 if item.height == 1 else 7
        ax.text(
            wide / 2,
            item.slot - 1 + item.height / 2,
            f"{item.name}  ({item.item_id})",
            ha="center",
            va="center",
            fontsize=size,
            color="white" if item.kind != "reserved" else "black",
        )
    ax.text(-0.03, 0.5, "1", ha="right", va="center", fontsize=6)
    ax.text(-0.03, rack.slots - 0.5, str(rack.slots), ha="right", va="center", fontsize=6)
    cabled = design.cable is not None and layout.of_kind("compute_tray")
    if cabled:
        stats = cable_stats(design, space)
        spined = layout.of_kind("compute_tray") + layout.of_kind("switch_tray")
        ax.add_patch(
            Rectangle(
                (wide + 0.05, min(p.slot - 1 for p in spined)),
                0.12,
                max(p.slot - 1 + p.height for p in spined) - min(p.slot - 1 for p in spined),
                facecolor="#F5C4C4",  # opaque: alpha is lost in the PDF's SVG import
                edgecolor="#E45756",
            )
        )
        ax.text(wide + 0.11, rack.slots + 0.3, "spine", ha="center", va="bottom", fontsize=7)
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
                fontsize=6.5,
                va="center",
                color="#B2182B",
            )
    ax.set_xlim(-0.1, wide + 1.0)
    ax.set_ylim(-0.5, rack.slots + 1.5)
    labels = {k: LABELS[k] for k in COLOURS if layout.of_kind(k)}
    what = f"{rack.slots} × {rack.slot_pitch:~P} slots, {rack.width.to('mm'):~P} wide"
    return _finish(fig, ax, design, title, what, labels)


def _finish(fig, ax, design: Design, title: str, what: str, labels: dict[str, str]):
    """Title, legend and bare axes common to both kinds of elevation."""
    from matplotlib.patches import Rectangle

    ax.axis("off")
    domain = title or f"{design.accelerator.id}: {plural(design.domain_size, 'accelerator')}"
    fig.suptitle(f"{design.rack.name}\n{domain}, {what}", fontsize=8)
    handles = [Rectangle((0, 0), 1, 1, facecolor=COLOURS[k]) for k in labels]
    fig.legend(handles, list(labels.values()), loc="lower right", fontsize=6.5, frameon=False)
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
            fontsize=5 if item.height == 1 else 6,
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
        ax.text(width + 0.02, -0.03, "midplane", ha="left", va="center", fontsize=6.5)
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
            fontsize=6.5,
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


def render_all(design: Design, space: Space) -> dict[str, bytes]:
    """Drawings of every distinct rack of a design: the compute rack and, where the spine
    tier has racks of its own, one spine rack (switch trays stacked above its shelves)."""
    files = render(design, space)
    if design.spine_racks:
        spine = design.spine_rack()
        spine = replace(spine, layout=centred_layout(spine, space))
        files.update(render(spine, space, title="spine rack", suffix="-spine"))
    return files


def render(design: Design, space: Space, title: str = "", suffix: str = "") -> dict[str, bytes]:
    """``{"<rack>.svg": ..., "<rack>.png": ...}`` for the design's rack."""
    import matplotlib

    matplotlib.rcParams["svg.hashsalt"] = "rackscale"
    fig = draw(design, space, title)
    out = {}
    stem = f"elevation_{design.accelerator.id}_{design.rack.id}{suffix}"
    svg, png = io.BytesIO(), io.BytesIO()
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    fig.savefig(png, format="png", dpi=150, metadata={"Software": None})
    out[f"{stem}.svg"] = svg.getvalue()
    out[f"{stem}.png"] = png.getvalue()
    return out
