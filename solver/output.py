"""Text, JSON and CSV renderings of results, and atomic writing of output files.

Files are rendered in memory first and then moved into place with ``os.replace``, so a run
that fails leaves the previous outputs untouched. CSV and JSON hold no timestamps; CSV
headers carry units (``power_kW``) and floats are written with a fixed format.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from solver.result import Result
from solver.schema import Profile

FLOAT_FORMAT = "%.6g"


def write_atomically(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write ``files`` (name -> content) into ``out_dir``; each replaced only when all are ready."""
    out_dir.mkdir(parents=True, exist_ok=True)
    umask = os.umask(0)
    os.umask(umask)
    staged: list[tuple[str, Path]] = []
    try:
        for name, content in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=out_dir)
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; reports are for sharing
            staged.append((name, Path(tmp)))
    except BaseException:
        for _, tmp in staged:
            tmp.unlink(missing_ok=True)
        raise
    written = []
    for name, tmp in staged:
        os.replace(tmp, out_dir / name)
        written.append(out_dir / name)
    return written


def to_json(value: Result | list[Result], stable: bool = False) -> str:
    """JSON for planning scripts; ``stable`` drops wall times for byte-identical files."""
    data = value.to_dict() if isinstance(value, Result) else [r.to_dict() for r in value]
    if stable:
        for item in data if isinstance(data, list) else [data]:
            item["solve"].pop("wall_time_s", None)
    return json.dumps(data, indent=2, ensure_ascii=False)


def csv_bytes(frame) -> bytes:
    """A DataFrame as stable CSV bytes: no index, fixed float format, ``\\n`` line ends."""
    return frame.to_csv(index=False, float_format=FLOAT_FORMAT, lineterminator="\n").encode()


def summary_csv(results: list[Result]) -> bytes:
    import pandas as pd

    return csv_bytes(pd.DataFrame([r.summary_row() for r in results]))


def budgets_csv(results: list[Result]) -> bytes:
    import pandas as pd

    frames = [r.to_frame() for r in results if r.checks]
    return csv_bytes(pd.concat(frames, ignore_index=True) if frames else results[0].to_frame())


def layout_csv(results: list[Result]) -> bytes:
    """Every placed item of every solved rack, with its spine-run figures."""
    import pandas as pd

    rows = [
        {"accelerator": r.accelerator, **row}
        for r in results
        if r.design is not None and r.design.layout is not None
        for row in r.design.layout.rows()
    ]
    columns = ["accelerator", "rack", "item", "kind", "id", "slot", "height"]
    return csv_bytes(pd.DataFrame(rows, columns=columns))


def write_solve(
    out_dir: Path, results: list[Result], single: bool, elevation: bool = False
) -> list[Path]:
    """The CSV set (:func:`solver.tables.csv_set`) and solve.json in ``out_dir``; with
    ``elevation``, an SVG and a PNG drawing of each solved rack."""
    from solver.tables import csv_set

    payload = results[0] if single else results
    files = csv_set(results)
    files["solve.json"] = (to_json(payload, stable=True) + "\n").encode()
    if elevation:
        from solver.elevation import render_all

        for r in results:
            if r.design is not None and r.design.layout is not None:
                files.update(render_all(r.design, r.space))
    return write_atomically(out_dir, files)


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


def progress_bar(total: int, quiet: bool = False, unit: str = "point"):
    """A tqdm bar on stderr when it is a terminal (nothing otherwise, or with ``quiet``)."""
    from tqdm import tqdm

    return tqdm(
        total=total,
        unit=unit,
        file=sys.stderr,
        disable=quiet or not sys.stderr.isatty(),
        dynamic_ncols=True,
    )
