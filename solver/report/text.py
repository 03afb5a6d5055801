"""What a planner reads on the terminal: the solve table, one design's budget, the catalog
listing, and the progress bar on stderr."""

from __future__ import annotations

import contextlib
import sys
import threading

from solver.result import Result
from solver.schema import Profile


def text_table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows, strict=True)]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(str(x).ljust(w) for x, w in zip(r, widths, strict=True)).rstrip() for r in rows
    ]
    return "\n".join(lines)


def _bar(utilization: float, width: int = 20) -> str:
    filled = min(width, round(min(utilization, 1.0) * width))
    return "#" * filled + "." * (width - filled)


def solve_text(results: list[Result], profile: Profile, single: bool) -> str:
    """What a planner reads: one row per accelerator, or the full budget of one design."""
    head = f"profile: {profile.id} ({profile.name})"
    if single:
        return head + "\n" + result_text(results[0])
    rows = []
    for r in results:
        c = r.design.counts() if r.design else {}
        power = r.totals.get("power")
        mass = r.totals.get("mass")
        rows.append(
            [
                r.accelerator,
                r.domain_size if r.ok else "-",
                r.status,
                ",".join(r.binding) or "-",
                r.next_size or "-",
                c.get("compute_trays", "-"),
                c.get("switch_trays", "-"),
                c.get("cables", "-"),
                f"{power.to('kW').magnitude:.1f}" if power is not None else "-",
                f"{mass.to('kg').magnitude:.0f}" if mass is not None else "-",
                r.design.rack.id if r.design else "-",
            ]
        )
    table = text_table(
        rows,
        [
            "accelerator",
            "domain",
            "status",
            "binding",
            "next",
            "trays",
            "switch_trays",
            "cables",
            "power_kW",
            "mass_kg",
            "rack",
        ],
    )
    notes = [r.explanation for r in results]
    return "\n".join([head, table, "", *notes])


def result_text(r: Result) -> str:
    lines = [r.explanation]
    if r.design is None:
        return "\n".join(lines)
    d = r.design
    lines.append("")
    lines.append(
        f"design ({r.status}, {r.solve.wall_time_s:.2f} s, {r.solve.solves} CP-SAT solves)"
    )
    for key, value in d.choices().items():
        if value is not None:
            lines.append(f"  {key:<15} {value}")
    lines.append(f"  {'topology':<15} {d.topology}")
    lines.append(f"  {'counts':<15} " + ", ".join(f"{k} {v}" for k, v in d.counts().items()))
    totals = r.to_dict()["design"]["totals"]
    lines.append(f"  {'totals':<15} " + ", ".join(f"{k} {v}" for k, v in totals.items()))
    lines.append("")
    rows = []
    for c in r.checks:
        rows.append(
            [
                c.family + (" *" if c.binding else ""),
                c.limit_name,
                c.as_dict()["used"],
                c.as_dict()["limit"],
                f"{c.utilization:6.1%}",
                _bar(c.utilization),
            ]
        )
    lines.append(text_table(rows, ["family", "limit", "used", "limit", "use", ""]))
    lines.append(
        f"  * binding: makes the next size, {r.next_size}, impossible"
        if any(c.binding for c in r.checks)
        else ""
    )
    return "\n".join(lines)


def catalog_text(rows: list[dict]) -> str:
    """The rows of :func:`solver.catalog.entry_rows` as a table."""
    table = [
        [
            r["category"],
            r["id"],
            r["name"],
            f"{r['file']}:{r['line']}",
            ",".join(r["estimates"]) or "-",
        ]
        for r in rows
    ]
    return text_table(table, ["category", "id", "name", "defined at", "estimated fields"])


def progress_bar(total: int | None, quiet: bool = False, unit: str = "point"):
    """A tqdm bar on stderr when it is a terminal (nothing otherwise, or with ``quiet``);
    ``total`` None counts without an end."""
    from tqdm import tqdm

    return tqdm(
        total=total,
        unit=unit,
        file=sys.stderr,
        disable=quiet or not sys.stderr.isatty(),
        dynamic_ncols=True,
    )


@contextlib.contextmanager
def working(description: str, quiet: bool = False):
    """A line on stderr with the elapsed time, refreshed every half second while a long
    single step runs (one solve); on a terminal only, and not with ``quiet``."""
    from tqdm import tqdm

    if quiet or not sys.stderr.isatty():
        yield
        return
    bar = tqdm(file=sys.stderr, desc=description, bar_format="{desc}: {elapsed}", leave=False)
    stop = threading.Event()

    def tick():
        while not stop.wait(0.5):
            bar.refresh()

    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        bar.close()
