"""Writing output files atomically, and the file set of ``solve --out``.

Files are rendered in memory first and then moved into place with ``os.replace``, so a run
that fails leaves the previous outputs untouched.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from solver.result import Result


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


def write_solve(
    out_dir: Path, results: list[Result], single: bool, elevation: bool = False
) -> list[Path]:
    """The CSV set (:func:`solver.report.csv.csv_set`) and solve.json in ``out_dir``; with
    ``elevation``, an SVG and a PNG drawing of each solved rack (and of the row)."""
    from solver.report.csv import csv_set
    from solver.report.json import to_json

    payload = results[0] if single else results
    files = csv_set(results)
    files["solve.json"] = (to_json(payload, stable=True) + "\n").encode()
    if elevation:
        from solver.report.elevation import render_all

        for r in results:
            if r.design is not None and r.design.layout is not None:
                files.update(render_all(r.design, r.space))
    return write_atomically(out_dir, files)
