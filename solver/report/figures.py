"""The report's charts, drawn with matplotlib (no pyplot state): each function returns a
:class:`matplotlib.figure.Figure`; :func:`to_svg` renders one reproducibly (no date, fixed ids).

Every function takes plain tables or results, so the charts also work in a notebook.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

WIDTH_IN = 6.6
BINDING = "#c0392b"
OTHER = "#4a78a8"
RELAX = "#2e8b57"
TIGHTEN = "#d9822b"
_RC = {
    "svg.hashsalt": "rackscale",
    "svg.fonttype": "none",  # text stays text: searchable in the PDF
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _figure(height_in: float, width_in: float = WIDTH_IN):
    from matplotlib.figure import Figure

    return Figure(figsize=(width_in, height_in))


def to_svg(fig) -> bytes:
    """SVG bytes of ``fig``: vector, without a date, with ids that do not change between runs."""
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def to_png(fig, dpi: int = 150) -> bytes:
    """PNG bytes of ``fig``, without software metadata (the same bytes on every run)."""
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def smallest_font(fig) -> float:
    """Size in points of the smallest visible text of ``fig`` (titles, labels, ticks)."""
    from matplotlib.text import Text

    sizes = [
        t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()
    ]
    return min(sizes, default=10.0)


def _styled(draw):
    """Draw under the report's rc settings (fonts, spines) so the sizes are the same."""

    def wrapper(*args, **kwargs):
        import matplotlib

        with matplotlib.rc_context(_RC):
            return draw(*args, **kwargs)

    wrapper.__doc__ = draw.__doc__
    wrapper.__name__ = draw.__name__
    return wrapper


@_styled
def limits_chart(result) -> Any:
    """Utilisation of every limit, grouped by family; binding limits in red."""
    checks = list(result.checks)
    fig = _figure(0.9 + 0.24 * len(checks))
    ax = fig.add_subplot()
    labels = [f"{c.family}: {c.limit_name}" for c in checks]
    values = [min(c.utilization, 1.5) * 100 for c in checks]
    colours = [BINDING if c.binding else OTHER for c in checks]
    y = list(range(len(checks)))[::-1]
    ax.barh(y, values, color=colours, height=0.65)
    for yi, c, v in zip(y, checks, values, strict=True):
        tag = f"{c.utilization:.1%}" + ("  binding" if c.binding else "")
        _value_label(ax, v, yi, tag)
    ax.tick_params(axis="y", length=0)
    ax.axvline(100, color="black", linewidth=0.8, linestyle="--")
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 130)
    ax.set_xlabel("use of the limit (%)")
    ax.set_title(f"{result.accelerator}: how full each limit is at {result.domain_size}")
    fig.tight_layout()
    return fig


@_styled
def tornado_chart(frame, base_domain: int) -> Any:
    """Domain size when each figure alone is tightened (left) or relaxed (right) by the
    sweep's largest step; figures sorted by how much they move the domain."""
    sweep = frame[frame["kind"] == "sweep"]
    rows = []
    for key, group in sweep.groupby("parameter", sort=False):
        tight = group[group["direction"] == "tighten"]["domain_size"]
        relax = group[group["direction"] == "relax"]["domain_size"]
        low = int(tight.min()) if len(tight) else base_domain
        high = int(relax.max()) if len(relax) else base_domain
        label = f"{group['label'].iloc[0]} ({_entry(key)})"
        rows.append((label, low, high))
    rows.sort(key=lambda r: (-(r[2] - r[1]), r[0]))
    rows = rows[::-1]
    fig = _figure(1.0 + 0.26 * max(len(rows), 1))
    ax = fig.add_subplot()
    step = sweep["change_pct"].abs().max() if len(sweep) else 0
    for y, (_, low, high) in enumerate(rows):
        ax.barh(y, low - base_domain, left=base_domain, color=TIGHTEN, height=0.6)
        ax.barh(y, high - base_domain, left=base_domain, color=RELAX, height=0.6)
        if low != base_domain:
            ax.text(low, y, f"{low} ", va="center", ha="right", fontsize=7)
        if high != base_domain:
            ax.text(high, y, f" {high}", va="center", ha="left", fontsize=7)
    ax.axvline(base_domain, color="black", linewidth=0.8)
    ax.set_yticks(range(len(rows)), [r[0] for r in rows])
    span = max([abs(v - base_domain) for _, lo, hi in rows for v in (lo, hi)] + [4])
    ax.set_xlim(max(0, base_domain - span * 1.2), base_domain + span * 1.2)
    ax.set_xlabel(f"domain size (accelerators); base {base_domain}")
    # over the whole figure: centred over the bars alone, it would run past the right edge
    fig.suptitle(
        f"Domain when one figure moves by up to {step:.0f} %: tightened (orange), relaxed (green)",
        fontsize=9,
    )
    fig.tight_layout()
    return fig


def _value_label(ax, x: float, y: float, text: str) -> None:
    """A bar's value just right of its end, set off by a gap of 3 points so that the axis
    line or a bar too short to see never reads as a minus sign."""
    ax.annotate(text, (x, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=7)


def _entry(key: str) -> str:
    parts = key.split(".")
    return "profile" if parts[0] == "profile" else parts[1]


@_styled
def runs_histogram(runs: Sequence[tuple[float, float]], usable_reach: float | None = None):
    """Spine cable lengths, weighted by cable count; the usable copper reach as a line."""
    fig = _figure(2.6)
    ax = fig.add_subplot()
    lengths = [length for length, _ in runs]
    weights = [n for _, n in runs]
    ax.hist(lengths, bins=min(24, max(4, len(set(lengths)))), weights=weights, color=OTHER)
    if usable_reach is not None:
        ax.axvline(usable_reach, color=BINDING, linestyle="--", linewidth=1)
        ax.text(
            usable_reach,
            ax.get_ylim()[1] * 0.95,
            "usable reach ",
            color=BINDING,
            va="top",
            ha="right",
            fontsize=7,
        )
    ax.set_xlabel("run length (m)")
    ax.set_ylabel("cables")
    ax.set_title("Spine cable runs")
    fig.tight_layout()
    return fig


COMPARISON_METRICS = (
    ("decode_tokens_per_s_per_user", "single-user speed bound (tokens/s)", "{:,.0f}"),
    ("throughput_at_target", "throughput at the target speed (tokens/s)", "{:,.0f}"),
    ("tokens_per_joule", "tokens per joule at the facility", "{:.3g}"),
    ("cost_per_million_tokens_USD", "cost per million tokens (USD)", "{:.3g}"),
    ("power_kW", "power for the model (kW)", "{:,.0f}"),
    ("interconnect_tax", "interconnect share of a token's time", "{:.0%}"),
)
"""Column, panel title and value format of each comparison panel."""
LOG_COLUMNS = ("tokens_per_joule", "cost_per_million_tokens_USD")
"""Panels drawn on a log axis when their values span more than 20x."""


@_styled
def comparison_chart(frame, workload: str = "") -> Any:
    """Designs side by side on one workload, one panel per column a planner decides on."""
    from matplotlib.ticker import (
        EngFormatter,
        FuncFormatter,
        MaxNLocator,
        NullFormatter,
        PercentFormatter,
    )

    labels = [f"{d}\n({m})" for d, m in zip(frame["design"], frame["mode"], strict=True)]
    fig = _figure(1.2 + 0.42 * len(labels) * 3)
    axes = fig.subplots(3, 2)
    y = list(range(len(labels)))[::-1]
    for ax, (column, title, fmt) in zip(axes.flat, COMPARISON_METRICS, strict=True):
        cells = [v if v is not None and v == v else None for v in frame[column]]
        values = [float(v) if v is not None else 0.0 for v in cells]
        ax.barh(y, values, color=OTHER, height=0.6)
        ax.set_yticks(y, labels if ax in axes[:, 0] else [""] * len(labels), fontsize=7)
        ax.set_title(title, fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
        top = max([*values, 0]) or 1
        positive = [v for v in values if v > 0]
        wide = len(positive) > 1 and max(positive) / min(positive) > 20 and column in LOG_COLUMNS
        ax.tick_params(axis="y", length=0)  # a tick mark beside "1" would read as "-1"
        for yi, v in zip(y, cells, strict=True):
            text = "n/a" if v is None else fmt.format(v)
            at = float(v or 0) if not wide else max(float(v or 0), min(positive))
            _value_label(ax, at, yi, text)
        if wide:  # values spanning orders of magnitude: a log axis keeps each readable
            ax.set_xscale("log")
            ax.set_xlim(min(positive) / 2, top * 30)
            # plain decimals: a 10^-2 label's exponent is set at 70 % of the tick size
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            ax.xaxis.set_minor_formatter(NullFormatter())
            ax.set_title(title + " (log)", fontsize=8)
        else:
            ax.set_xlim(0, top * 1.45)
            ax.xaxis.set_major_locator(MaxNLocator(4))
            ax.xaxis.set_major_formatter(
                PercentFormatter(1.0) if column == "interconnect_tax" else EngFormatter(sep="")
            )
    target = frame["target_tokens_per_s_per_user"].iloc[0] if len(frame) else None
    head = f"Comparison on {workload}" if workload else "Comparison"
    if target is not None:
        head += f" (throughput, energy and cost at {target:g} tokens/s per user)"
    fig.suptitle(head, fontsize=9)
    fig.tight_layout()
    return fig


@_styled
def pareto_chart(frame, objectives: Sequence[tuple[str, str]]) -> Any:
    """Sweep points over the first two objectives (the first against the point index when
    there is one), the Pareto front in red and labelled by accelerator."""
    fig = _figure(4.2)
    ax = fig.subplots()
    solved = frame[frame["domain_size"] > 0]
    x_col = objectives[0][0]
    y_col = objectives[1][0] if len(objectives) > 1 else "point"
    rest = solved[~solved["pareto"]]
    front = solved[solved["pareto"]].sort_values(x_col)
    ax.scatter(rest[x_col], rest[y_col], s=10, color=OTHER, alpha=0.5, label="dominated")
    ax.plot(front[x_col], front[y_col], "o-", color=BINDING, markersize=4, label="Pareto front")
    for _, row in front.head(12).iterrows():
        ax.annotate(f" {row['accelerator']}", (row[x_col], row[y_col]), fontsize=7, color=BINDING)
    ways = dict(objectives)
    ax.set_xlabel(f"{x_col} ({ways.get(x_col, '')})")
    ax.set_ylabel(f"{y_col} ({ways.get(y_col, '')})" if y_col in ways else y_col)
    ax.set_title(f"Sweep: {len(frame)} points, {int(frame['pareto'].sum())} on the Pareto front")
    ax.legend(fontsize=7, frameon=False)
    fig.tight_layout()
    return fig


HALL_COLOURS = {
    "compute rack": OTHER,
    "spine rack": "#7b5ea7",
    "sidecar power rack": "#8c8c8c",
    "OCS rack": "#c9a227",
    "network rack": TIGHTEN,
    "CDU": "#3aa6a6",
    "free": "#eeeeee",
}


@_styled
def floor_plan_chart(plan) -> Any:
    """The hall from above: one strip per row, one cell per rack position, coloured by what
    stands there (compute, spine and sidecar racks of each domain, OCS racks, network racks,
    CDUs)."""
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Patch, Rectangle

    hall = plan.hall
    rows, positions = hall.rows, hall.row_positions
    height = min(9.0, 1.2 + 0.16 * rows)
    fig = _figure(height)
    ax = fig.subplots()
    cells, colours = [], []
    for row in plan.rows:  # one collection: thousands of racks draw in a fraction of a second
        for x, kind in enumerate(plan.row_layout(row)):
            cells.append(Rectangle((x, row.index), 0.9, 0.8))
            colours.append(HALL_COLOURS[kind])
    ax.add_collection(PatchCollection(cells, facecolors=colours, edgecolors="none"))
    ax.set_xlim(-0.2, positions)
    xstep = max(1, positions // 10)
    ax.set_xticks(
        [x + 0.45 for x in range(0, positions, xstep)],
        [str(x + 1) for x in range(0, positions, xstep)],
    )
    ax.set_ylim(rows, -0.4)
    ax.set_xlabel(f"rack position ({hall.position_width.to('mm').m:g} mm each)")
    ax.set_ylabel("row")
    step = max(1, rows // 10)
    ax.set_yticks(
        [r + 0.4 for r in range(0, rows, step)], [str(r + 1) for r in range(0, rows, step)]
    )
    ax.spines["left"].set_visible(False)
    ax.spines["bottom"].set_visible(False)
    ax.tick_params(length=0)
    used = {kind for row in plan.rows for kind in plan.row_layout(row)}
    handles = [Patch(color=c, label=k) for k, c in HALL_COLOURS.items() if k in used]
    ax.legend(
        handles=handles,
        fontsize=7,
        frameon=False,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.08 if rows < 30 else -0.04),
        ncol=len(handles),
    )
    ax.set_title(
        f"{hall.id}: {plan.domains} {plan.accelerator} domains "
        f"({plan.accelerators:,} accelerators), {plan.it_power.to('MW').m:.1f} of "
        f"{hall.it_power.to('MW').m:g} MW"
    )
    fig.tight_layout()
    return fig
