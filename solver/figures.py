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
        ax.text(v + 1, yi, tag, va="center", fontsize=7)
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
    ax.set_title(
        f"Domain when one figure moves by up to {step:.0f} %: tightened (orange), relaxed (green)"
    )
    fig.tight_layout()
    return fig


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
    ("decode_tokens_per_s_per_user", "decode bound per user (tokens/s)"),
    ("tokens_per_s_per_kW", "throughput bound per kW (tokens/s/kW)"),
    ("power_kW", "power (kW)"),
    ("racks", "racks"),
)


@_styled
def comparison_chart(frame, workload: str = "") -> Any:
    """Designs side by side on one workload: decode speed, efficiency, power, racks."""
    labels = [f"{d} ({m})" for d, m in zip(frame["design"], frame["mode"], strict=True)]
    fig = _figure(1.6 + 0.5 * len(labels) * 2)
    axes = fig.subplots(2, 2)
    for ax, (column, title) in zip(axes.flat, COMPARISON_METRICS, strict=True):
        values = [float(v) if v == v and v is not None else 0.0 for v in frame[column]]
        y = list(range(len(labels)))[::-1]
        ax.barh(y, values, color=OTHER, height=0.6)
        ax.set_yticks(y, labels if ax in axes[:, 0] else [""] * len(labels))
        ax.set_title(title)
        for yi, v in zip(y, values, strict=True):
            ax.text(v, yi, f" {v:,.0f}" if v >= 100 else f" {v:.3g}", va="center", fontsize=6.5)
        ax.set_xlim(0, max([*values, 1]) * 1.3)
    fig.suptitle(f"Comparison on {workload}" if workload else "Comparison", fontsize=9)
    fig.tight_layout()
    return fig
