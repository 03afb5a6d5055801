"""Design-space sweeps: every combination of profiles, accelerators and ``--set`` values,
solved count-only, as one tidy table with its Pareto front.

A sweep point is (profile, accelerator, one value per grid axis). Each is solved for its
maximal domain without the explanation (``explain=False``: no next size is proven
infeasible), one CP-SAT worker and a fixed seed, so the table is the same whatever the
executor and the number of workers. With a workload, each point also gets the comparison
columns of :mod:`solver.compare` (single-user speed, throughput at the target, tokens/J,
dollars per million tokens).

Grid axes are ``--set`` fields with a list or a range of values::

    profile.feed_power=100..200 kW step 20      ->  100 kW, 120 kW, ..., 200 kW
    switch_chips.nvswitch-nvlink5.ports=64,72,80

Results go to ``sweep.csv`` and ``sweep.parquet``; a rerun with the same ``--out`` skips
the points already there (resumable) and keeps their rows.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from solver.errors import UsageError

RANGE = re.compile(
    r"^\s*(?P<start>[-+0-9.eE]+)\s*\.\.\s*(?P<stop>[-+0-9.eE]+)\s*(?P<unit>.*?)\s+step\s+"
    r"(?P<step>[-+0-9.eE]+)\s*$"
)
MAX_POINTS = 100_000
OBJECTIVES = "domain_size:max,kW_per_accelerator:min"
"""Default Pareto objectives (column:max or column:min)."""
RESULT_COLUMNS = [
    "status",
    "domain_size",
    "racks",
    "power_kW",
    "kW_per_accelerator",
    "mass_kg",
    "capex_USD",
]
WORKLOAD_COLUMNS = [
    "decode_tokens_per_s_per_user",
    "throughput_at_target",
    "tokens_per_joule",
    "cost_per_million_tokens_USD",
]


@dataclass(frozen=True)
class Axis:
    """One grid axis: a ``--set`` field and its values (strings with units)."""

    field: str
    values: tuple[str, ...]


def parse_axis(text: str) -> Axis:
    """``FIELD=A..B UNIT step S`` or ``FIELD=V1,V2,...``."""
    field, sep, spec = text.partition("=")
    field, spec = field.strip(), spec.strip()
    where = f"--grid {text!r}"
    if not sep or not field or not spec or "." not in field:
        raise UsageError(
            f"{where}: expected FIELD=A..B UNIT step S or FIELD=V1,V2 with FIELD as for --set, "
            "e.g. 'profile.feed_power=100..200 kW step 20'"
        )
    match = RANGE.match(spec)
    if match is None:
        values = tuple(v.strip() for v in spec.split(",") if v.strip())
        if not values:
            raise UsageError(f"{where}: no values")
        return Axis(field, values)
    try:
        start, stop, step = (float(match[k]) for k in ("start", "stop", "step"))
    except ValueError:
        raise UsageError(f"{where}: the range bounds and step must be numbers") from None
    if not all(map(math.isfinite, (start, stop, step))) or step <= 0 or stop < start:
        raise UsageError(f"{where}: expected start <= stop and a positive step")
    count = math.floor((stop - start) / step + 1e-9) + 1
    if count > MAX_POINTS:
        raise UsageError(f"{where}: {count} values; at most {MAX_POINTS}")
    unit = match["unit"].strip()
    values = tuple(f"{start + i * step:.12g} {unit}".strip() for i in range(count))
    return Axis(field, values)


@dataclass(frozen=True)
class Point:
    """One sweep point: where it sits in the grid and what it overrides."""

    index: int
    profile_path: str
    """The profile file ("" for the default profile)."""
    profile: str
    """The profile's id."""
    accelerator: str
    sets: tuple[tuple[str, str], ...]

    def key(self) -> tuple[str, ...]:
        return (self.profile, self.accelerator, *(v for _, v in self.sets))


@dataclass(frozen=True)
class Sweep:
    """What a sweep asks."""

    catalogs: tuple[str, ...] | None
    profiles: tuple[str | None, ...]
    accelerators: tuple[str, ...]
    axes: tuple[Axis, ...]
    pins: tuple[tuple[str, str], ...] = ()
    workload: str | None = None
    target: float = 50.0
    time_limit: float = 30.0

    def points(self) -> list[Point]:
        grid = itertools.product(
            self.profiles,
            self.accelerators,
            *([(a.field, v) for v in a.values] for a in self.axes),
        )
        ids = {path: _profile(path or "", ()).profile.id for path in self.profiles}
        points = [
            Point(i, path or "", ids[path], accel, tuple(sets))
            for i, (path, accel, *sets) in enumerate(grid)
        ]
        if len(points) > MAX_POINTS:
            raise UsageError(f"the sweep has {len(points)} points; at most {MAX_POINTS}")
        return points

    @property
    def key_columns(self) -> list[str]:
        return ["profile", "accelerator", *(a.field for a in self.axes)]

    @property
    def columns(self) -> list[str]:
        """The table's columns before the Pareto flag."""
        extra = WORKLOAD_COLUMNS if self.workload else []
        return ["point", *self.key_columns, *RESULT_COLUMNS, *extra]


@functools.lru_cache(maxsize=256)  # a catalog axis of up to 256 values loads each once (0.3 MB)
def catalog_for(paths: tuple[str, ...] | None, sets: tuple[tuple[str, str], ...]):
    """The catalog at ``paths`` with catalog ``--set`` overrides, loaded once per process."""
    from solver.catalog import load_catalog

    return load_catalog(list(paths) if paths else None, list(sets))


@functools.lru_cache(maxsize=MAX_POINTS)
def _profile(path: str, sets: tuple[tuple[str, str], ...]):
    from solver.catalog import load_constraints

    return load_constraints(path or None, list(sets))


def _split(sets: Iterable[tuple[str, str]]) -> tuple[tuple, tuple]:
    sets = tuple(sets)
    profile = tuple(s for s in sets if s[0].startswith("profile."))
    catalog = tuple(s for s in sets if not s[0].startswith("profile."))
    return catalog, profile


LIMIT_FIELD = re.compile(r"^(profile\.feed_power|racks\.[^.]+\.static_load)$")
"""``--set`` fields that only move a limit of the model (:data:`solver.model.LIMITS`): points
that differ only in them share one reusable model."""


def check(sweep: Sweep, points: Sequence[Point]) -> None:
    """Load every distinct catalog and profile the points need once, so a bad value is a
    clean error before any solve starts (catalog and profile overrides are checked apart:
    neither loader reads the other's)."""
    catalogs, profiles = set(), set()
    for point in points:
        catalog_sets, profile_sets = _split(point.sets)
        if catalog_sets not in catalogs:
            catalogs.add(catalog_sets)
            catalog = catalog_for(sweep.catalogs, catalog_sets)
            if point.accelerator not in catalog.accelerators:
                raise UsageError(f"--pin accelerator={point.accelerator}: no such accelerator")
        if (point.profile_path, profile_sets) not in profiles:
            profiles.add((point.profile_path, profile_sets))
            _profile(point.profile_path, profile_sets)


def solve_point(sweep: Sweep, point: Point, fast: bool = True) -> dict[str, Any]:
    """The row of one point: its inputs, its maximal domain and the design's totals.

    Without a workload the point is re-solved count-only on a model shared by every point
    that differs from it only in limits (:class:`solver.engine.CountOnly`); ``fast=False``
    (or a workload) solves it from scratch with :func:`solver.engine.solve`. Both give the
    same row.
    """
    if fast and not sweep.workload:
        return _count_only_row(sweep, point)
    from solver.engine import solve

    catalog_sets, profile_sets = _split(point.sets)
    catalog = catalog_for(sweep.catalogs, catalog_sets)
    profile = _profile(point.profile_path, profile_sets)
    result = solve(
        catalog,
        profile,
        accelerator=point.accelerator,
        pins=dict(sweep.pins),
        time_limit=sweep.time_limit,
        explain=False,
    )
    row = _row(point, result, catalog)
    if sweep.workload and result.design is not None:
        from solver.compare import Question, result_rows

        question = Question(target=sweep.target, economics=profile.profile.economics)
        workload = catalog.workloads[sweep.workload]
        compared = result_rows(point.accelerator, result, workload, question)[0]
        row |= {column: compared[column] for column in WORKLOAD_COLUMNS}
    return row


def _row(point: Point, result, catalog, known: dict | None = None) -> dict[str, Any]:
    """A point's inputs and its result's columns (``known``: the design's mass and capex).

    The mass and capex are the design's with its cables at the centred layout
    (:func:`solver.layout.centred_layout`): a count-only solve does not lay the design out.
    """
    row: dict[str, Any] = {
        "point": point.index,
        "profile": point.profile,
        "accelerator": point.accelerator,
        **dict(point.sets),
        "status": result.status,
        "domain_size": result.domain_size,
    }
    d = result.design
    if d is not None:
        from solver.budgets.cost import design_capex
        from solver.layout import centred_layout
        from solver.parts import total_mass

        power = result.totals.get("domain_power") or result.totals.get("power")
        kw = float(power.to("kW").m)
        if known is None:
            centred = replace(d, layout=centred_layout(d, result.space))
            priced = catalog.price_of(d.accelerator.id)
            capex = design_capex(centred, result.space) if priced else None
            known = {
                "mass_kg": float(total_mass(centred, result.space).to("kg").m),
                "capex_USD": float(capex.total.to("USD").m) if capex is not None else None,
            }
        row |= {
            "racks": d.racks,
            "power_kW": kw,
            "kW_per_accelerator": kw / result.domain_size,
            **known,
        }
    return row


def _count_only_row(sweep: Sweep, point: Point) -> dict[str, Any]:
    """A point's row from the reusable model of its group (the point's other overrides)."""
    from solver.engine import design_key
    from solver.integers import limits

    catalog_sets, profile_sets = _split(point.sets)
    group = count_only_group(sweep, point)
    shared = _count_only(group)
    if shared is None:  # the space does not build (e.g. nothing compatible): as usual
        return solve_point(sweep, point, fast=False)
    counter, known = shared
    space = counter.session.space
    if catalog_sets != group[2] or profile_sets != group[3]:
        catalog = catalog_for(sweep.catalogs, catalog_sets)
        profile = _profile(point.profile_path, profile_sets).profile
        # the point's space is the group's with other limits (LIMIT_FIELD): its own options
        # are the group's, so build_space need not run again
        racks = [catalog.racks[r.id] for r in space.racks]
        space = replace(space, catalog=catalog, profile=profile, racks=racks)
    ints = replace(counter.session.ints, **limits(space))
    result = counter.solve(space, ints)
    if result.design is None:
        return solve_point(sweep, point, fast=False)
    key = design_key(result.design)
    if key not in known:
        row = _row(point, result, catalog_for(sweep.catalogs, group[2]))
        known[key] = {column: row[column] for column in ("mass_kg", "capex_USD")}
    return _row(point, result, None, known[key])


def count_only_group(sweep: Sweep, point: Point) -> tuple:
    """What the points sharing one reusable count-only model have in common: everything but
    their limit overrides (:data:`LIMIT_FIELD`)."""
    catalog_sets, profile_sets = _split(point.sets)
    return (
        sweep.catalogs,
        point.profile_path,
        tuple(s for s in catalog_sets if not LIMIT_FIELD.match(s[0])),
        tuple(s for s in profile_sets if not LIMIT_FIELD.match(s[0])),
        point.accelerator,
        sweep.pins,
        sweep.time_limit,
    )


def _space(catalog, profile, accelerator: str, pins: tuple):
    """The space :func:`solver.engine.solve` builds for one accelerator."""
    from solver.design import build_space, check_pins

    pins = dict(pins) | {"accelerator": accelerator}
    check_pins(catalog, pins)
    pins.pop("accelerator")
    return build_space(catalog, profile, accelerator, pins, 1, (), "any", None)


@functools.lru_cache(maxsize=16)
def _count_only(group: tuple):
    """The reusable count-only model of a group of points (its base: the group's catalog and
    profile without the limit overrides), and its designs' mass and capex; None if it cannot
    build."""
    from solver.engine import CountOnly
    from solver.errors import InfeasibleError

    catalogs, path, catalog_sets, profile_sets, accelerator, pins, time_limit = group
    catalog = catalog_for(catalogs, catalog_sets)
    profile = _profile(path, profile_sets)
    try:
        space = _space(catalog, profile.profile, accelerator, pins)
    except InfeasibleError:
        return None
    return CountOnly(space, time_limit), {}


def _run_chunk(args: tuple[Sweep, list[Point], dict[tuple, list]]) -> tuple[list, dict]:
    """Rows for a chunk of points, on a worker: first learns the ``proofs`` shared so far for
    the chunk's count-only groups (every one of them a key, with no entries yet if none),
    then returns the rows and what it proved meanwhile."""
    sweep, points, proofs = args
    marks = {}
    for group, entries in proofs.items():
        if (shared := _count_only(group)) is not None:
            shared[0].proofs.learn(entries)
            marks[group] = len(shared[0].proofs.log)
    rows = [solve_point(sweep, point) for point in points]
    return rows, {g: _count_only(g)[0].proofs.since(mark) for g, mark in marks.items()}


def run(
    sweep: Sweep,
    points: Sequence[Point],
    executor: Executor | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int = 2,
) -> list[dict[str, Any]]:
    """Rows for ``points`` in their order, on ``executor`` (any
    :class:`concurrent.futures.Executor` with ``workers`` workers; None: here, one after
    another).

    The points are solved coarse to fine (:func:`coarse_to_fine`), so that most of a
    count-only group's points lie between solved ones and need no solve
    (:class:`solver.engine.Proofs`). On an executor they go in chunks, two per worker at a
    time; each chunk carries what the chunks before it proved, so workers do not solve what
    another already bracketed. Each point's row is the one its own solves prove, so neither
    the order nor the executor changes a row.
    """
    order = coarse_to_fine(sweep, points)
    rows: list[dict[str, Any]] = [{} for _ in points]
    if executor is None:
        for i in order:
            rows[i] = solve_point(sweep, points[i])
            if progress is not None:
                progress(1)
        return rows
    from solver.engine import Proofs

    # the first point here: local workers fork from this process with its caches warm (the
    # parsed units, the first group's model) and each would otherwise build them again
    proofs: dict[tuple, Proofs] = {}

    def learn(learned: dict[tuple, list]) -> None:
        for group, entries in learned.items():
            proofs.setdefault(group, Proofs()).learn(entries)

    first, order = order[0], order[1:]
    rows[first] = solve_point(sweep, points[first])
    if progress is not None:
        progress(1)
    group = count_only_group(sweep, points[first])
    if (shared := _count_only(group)) is not None:
        learn({group: shared[0].proofs.since(0)})
    # chunks of up to 32 points: each carries every proof so far, so fewer and larger ones
    # cost less (on 1,000 points and two workers, chunks of 30 took 20% less time than 15)
    size = max(1, min(32, len(order) // (16 * workers)))
    chunks = iter([order[k : k + size] for k in range(0, len(order), size)])
    running: dict[Future, list[int]] = {}

    def submit(chunk: list[int]) -> None:
        mine = {count_only_group(sweep, points[i]) for i in chunk}  # the other groups' stay
        known = {g: proofs[g].since(0) if g in proofs else [] for g in mine}
        task = (sweep, [points[i] for i in chunk], known)
        running[executor.submit(_run_chunk, task)] = chunk

    for chunk in itertools.islice(chunks, 2 * workers):
        submit(chunk)
    while running:
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            chunk = running.pop(future)
            chunk_rows, learned = future.result()
            learn(learned)
            for i, row in zip(chunk, chunk_rows, strict=True):
                rows[i] = row
            if progress is not None:
                progress(len(chunk))
            if (chunk := next(chunks, None)) is not None:
                submit(chunk)
    return rows


def coarse_to_fine(sweep: Sweep, points: Sequence[Point]) -> list[int]:
    """Indices of ``points``, one count-only group after another (the points that share a
    model, :func:`count_only_group`, in the order their groups first appear), each group's
    corners first, then its halves, quarters, ...: each value of a limit axis
    (:data:`LIMIT_FIELD`) is ranked by the bisection order of its axis, and a point by its
    coarsest (ties: grid order).

    A group's points together: a process keeps few groups' models (:func:`_count_only`), and
    interleaved groups would each be built again and again."""
    limits = [a for a in sweep.axes if LIMIT_FIELD.match(a.field)]  # the rest fix a group
    ranks = [_bisection_ranks(a.values) for a in limits]
    fields = [a.field for a in limits]
    groups: dict[tuple, int] = {}

    def coarseness(i: int) -> tuple[int, int, int]:
        sets = dict(points[i].sets)
        group = groups.setdefault(count_only_group(sweep, points[i]), len(groups))
        coarsest = max((r[sets[f]] for r, f in zip(ranks, fields, strict=True)), default=0)
        return group, coarsest, i

    return sorted(range(len(points)), key=coarseness)


def _bisection_ranks(values: Sequence[str]) -> dict[str, int]:
    """Each value's rank when a list is visited ends first, then by repeated halving."""
    n = len(values)
    order = [0, n - 1] if n > 1 else [0]
    spans = [(0, n - 1)]
    while spans:
        later = []
        for low, high in spans:
            if high - low > 1:
                mid = (low + high) // 2
                order.append(mid)
                later += [(low, mid), (mid, high)]
        spans = later
    return {values[i]: rank for rank, i in enumerate(dict.fromkeys(order))}


def pareto(frame, objectives: str = OBJECTIVES) -> list[bool]:
    """Which rows no other row dominates (as good in every objective, better in one); rows
    without a design or with a missing objective are never on the front."""
    import numpy as np
    import pandas as pd

    parsed = parse_objectives(objectives, frame.columns)
    values = np.column_stack(
        [
            (1.0 if way == "max" else -1.0)
            * pd.to_numeric(frame[c], errors="coerce").to_numpy(float)
            for c, way in parsed
        ]
    )
    sized = pd.to_numeric(frame["domain_size"], errors="coerce").fillna(0).to_numpy() > 0
    ok = sized & ~np.isnan(values).any(axis=1)
    rivals = values[ok]
    return [
        bool(ok[i]) and not ((rivals >= row).all(axis=1) & (rivals > row).any(axis=1)).any()
        for i, row in enumerate(values)
    ]


def parse_objectives(text: str, columns: Iterable[str]) -> list[tuple[str, str]]:
    """``"domain_size:max,power_kW:min"`` -> ``[("domain_size", "max"), ...]``."""
    known = list(columns)
    out = []
    for item in text.split(","):
        column, _, way = item.strip().partition(":")
        if column not in known or way not in ("max", "min"):
            raise UsageError(
                f"--objectives {text!r}: expected COLUMN:max or COLUMN:min with COLUMN among "
                f"{', '.join(c for c in known if c not in ('point', 'status'))}"
            )
        out.append((column, way))
    if not out:
        raise UsageError("--objectives: name at least one column")
    return out


def frame_of(sweep: Sweep, rows: list[dict[str, Any]], objectives: str = OBJECTIVES):
    """The tidy table: inputs, results and the Pareto flag, in point order."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=sweep.columns).sort_values("point", kind="stable")
    frame = frame.reset_index(drop=True)
    frame["pareto"] = pareto(frame, objectives)
    return frame


def done_rows(out_dir: Path, sweep: Sweep, points: Sequence[Point]) -> list[dict[str, Any]]:
    """Rows of ``points`` already in ``out_dir/sweep.parquet`` (a resumed sweep)."""
    import pandas as pd

    path = out_dir / "sweep.parquet"
    if not path.exists():
        return []
    try:
        old = pd.read_parquet(path)
    except Exception:  # a damaged or foreign file: start again
        return []
    if not set(sweep.key_columns) <= set(old.columns):
        return []
    wanted = {p.key(): p.index for p in points}
    rows = []
    for record in old.to_dict("records"):
        key = tuple(str(record[c]) for c in sweep.key_columns)
        if key in wanted:
            record["point"] = wanted[key]
            record.pop("pareto", None)
            rows.append({k: (None if v != v else v) for k, v in record.items()})  # NaN -> None
    return rows


def files(frame, objectives: str = OBJECTIVES) -> dict[str, bytes]:
    """sweep.csv, sweep.parquet and the Pareto plot (sweep.png, sweep.svg)."""
    import io

    from solver.report import figures
    from solver.report.csv import csv_bytes

    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    chart = figures.pareto_chart(frame, parse_objectives(objectives, frame.columns))
    return {
        "sweep.csv": csv_bytes(frame),
        "sweep.parquet": buffer.getvalue(),
        "sweep.png": figures.to_png(chart),
        "sweep.svg": figures.to_svg(chart),
    }
