"""The ``rackscale`` command line: solve, validate, catalog list.

Exit codes (:mod:`solver.errors`): 0 solved and proven, 1 infeasible (what rules it out is
named), 2 bad input or usage, 3 time limit hit before a proof. Heavy libraries are imported
inside the commands so that ``--help`` is instant.
The CLI does no arithmetic: it parses, calls the library and prints what comes back.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from solver.budgets import DEFAULT_CONTEXT
from solver.errors import EXIT_INFEASIBLE, EXIT_OK, EXIT_UNPROVEN


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rackscale",
        description="Largest all-to-all scale-up domain that fits a rack, proven with CP-SAT.",
        epilog="Exit codes: 0 solved and proven, 1 infeasible (what rules it out is named), "
        "2 bad input, 3 time limit hit before a proof (status feasible or unknown).",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    solve = commands.add_parser(
        "solve",
        help="maximal scale-up domain per accelerator (or the pinned one)",
        description="Solve the maximal scale-up domain for every accelerator in the catalogs, "
        "or for the one pinned with --pin accelerator=ID, and explain what binds.",
    )
    _catalog_option(solve)
    solve.add_argument(
        "--constraints",
        metavar="FILE",
        help="constraint profile (default: constraints/hyperscale-liquid.yaml)",
    )
    solve.add_argument(
        "--pin",
        action="append",
        default=[],
        metavar="CATEGORY=ID",
        help="fix a choice: accelerator, compute_tray, switch_tray, cable, rack, "
        "power_shelf or cooling (repeatable)",
    )
    solve.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="override a figure for a what-if, unit-checked, e.g. "
        "'profile.feed_power=100 kW' or 'racks.eia-48u.static_load=1500 kg'",
    )
    solve.add_argument(
        "--min-domain",
        type=_positive_int,
        metavar="N",
        help="require at least N accelerators (exit 1 if proven impossible)",
    )
    solve.add_argument(
        "--time-limit",
        type=_positive_float,
        default=30.0,
        metavar="S",
        help="CP-SAT time limit per solve in seconds (default 30); a solve it cuts short "
        "reports feasible or unknown and exits 3",
    )
    solve.add_argument(
        "--max-racks",
        type=_rack_count,
        default=1,
        metavar="N",
        help="racks one domain may span (default 1)",
    )
    solve.add_argument(
        "--out",
        default="reports",
        metavar="DIR",
        help="directory for solve_summary.csv, solve_budgets.csv and solve.json (default reports/)",
    )
    solve.add_argument("--json", action="store_true", help="print the result as JSON")
    solve.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress bar (it is shown on a terminal when several accelerators are solved)",
    )
    solve.add_argument(
        "--report",
        action="store_true",
        help="also write report.pdf and the full CSV set (bill of materials, sensitivity, "
        "layout, cable runs, comparison with --workload) for the pinned accelerator",
    )
    solve.add_argument(
        "--paper", choices=("a4", "letter"), default="a4", help="report page size (default a4)"
    )
    solve.add_argument(
        "--max-domain",
        type=_positive_int,
        metavar="N",
        help="look at designs of at most N accelerators (with --min-domain N: exactly N)",
    )
    solve.add_argument(
        "--racks",
        type=_rack_count,
        metavar="N",
        help="span exactly N identical racks (switched, cabled fabrics; default 1 to --max-racks)",
    )
    solve.add_argument(
        "--relax",
        action="append",
        default=[],
        metavar="FAMILY",
        help="leave a constraint family unenforced for a what-if, e.g. 'topology' (the "
        "switch radix) to see the physical limit behind it (repeatable)",
    )
    solve.add_argument(
        "--switch-position",
        choices=("any", "top", "middle", "bottom"),
        default="any",
        help="where switch trays go relative to compute trays (default any: the solver decides)",
    )
    solve.add_argument(
        "--elevation",
        action="store_true",
        help="also draw each solved rack (elevation_<accelerator>_<rack>.svg and .png in --out)",
    )
    solve.add_argument(
        "--workload",
        metavar="ID",
        help="workload (catalogs/workloads.yaml) that --require budgets are computed for",
    )
    solve.add_argument(
        "--require",
        action="append",
        default=[],
        metavar="EXPR",
        help="impose a budget, e.g. 'moe_all_to_all <= 200 us', 'decode_token_time <= 2 ms', "
        "'perf_per_watt >= 2 TFLOP/s/W', 'collective_efficiency >= 0.8', 'capex <= 3.5e6 USD', "
        "'cost_per_accelerator_hour <= 2.5 USD/hour', 'cost_per_million_tokens <= 0.10 USD' "
        "(repeatable)",
    )
    solve.add_argument(
        "--target",
        type=_positive_float,
        default=50.0,
        metavar="TOKENS_PER_S",
        help="per-user speed the domain serves its users at for cost_per_million_tokens "
        "(default 50)",
    )

    report = commands.add_parser(
        "report",
        help="planning report (PDF and CSV set) for one accelerator: same options as solve",
        description="Solve the pinned accelerator (--pin accelerator=ID, same options as "
        "solve) and write report.pdf with the CSV set: summary, bill of materials, budgets, "
        "sensitivity, layout and cable runs, and the comparison with wafer-scale systems "
        "when --workload is given. Same as 'solve --report'.",
        conflict_handler="resolve",
    )
    report._add_container_actions(solve)  # what argparse's parents= does

    compare = commands.add_parser(
        "compare",
        help="GPU racks vs wafer-scale and SRAM-chip systems on one workload",
        description="Compare designs on one workload: systems and racks to hold it, power, "
        "floor area, decode bound per user, throughput bound, tokens/s per kW and the "
        "interconnect tax. A design is an accelerator id (solved to its maximal domain), a "
        "system id (catalogs/systems.yaml) or a saved result JSON (solve.json).",
    )
    compare.add_argument("--workload", required=True, metavar="ID", help="workload id")
    compare.add_argument(
        "--designs", required=True, nargs="+", metavar="DESIGN", help="accelerator, system or JSON"
    )
    _catalog_option(compare)
    compare.add_argument(
        "--constraints",
        metavar="FILE",
        help="constraint profile (default: constraints/hyperscale-liquid.yaml)",
    )
    compare.add_argument(
        "--context",
        type=_positive_int,
        default=DEFAULT_CONTEXT,
        metavar="TOKENS",
        help=f"KV-cache tokens per sequence (default {DEFAULT_CONTEXT})",
    )
    compare.add_argument(
        "--precision",
        choices=("fp32", "bf16", "fp16", "fp8", "fp4"),
        help="weight precision served by every design (default: the workload's released "
        "precision, e.g. bf16 for Llama, fp8 for DeepSeek-V3)",
    )
    compare.add_argument(
        "--target",
        type=_positive_float,
        default=50.0,
        metavar="TOKENS_PER_S",
        help="per-user speed at which throughput, tokens/J and cost are compared (default 50)",
    )
    compare.add_argument(
        "--time-limit",
        type=_positive_float,
        default=30.0,
        metavar="S",
        help="CP-SAT time limit per solve in seconds (default 30)",
    )
    compare.add_argument(
        "--out",
        default="reports",
        metavar="DIR",
        help="directory for compare.csv, compare.svg and compare.png (default reports/)",
    )

    sweep = commands.add_parser(
        "sweep",
        help="solve every combination of profiles, accelerators and --set values",
        description="Design-space sweep: every combination of --constraints profiles, "
        "--pin accelerator= ids (default: all) and --grid values, solved count-only (no "
        "explanation), as one table (sweep.csv, sweep.parquet) with the Pareto front over "
        "--objectives marked and plotted (sweep.png, sweep.svg). A rerun with the same --out "
        "skips the points already solved.",
    )
    _catalog_option(sweep)
    sweep.add_argument(
        "--constraints",
        action="append",
        metavar="FILE",
        help="constraint profile (repeatable: each is a sweep axis; default: "
        "constraints/hyperscale-liquid.yaml)",
    )
    sweep.add_argument(
        "--pin",
        action="append",
        default=[],
        metavar="CATEGORY=ID",
        help="fix a choice; accelerator=ID may repeat (each is a sweep axis)",
    )
    sweep.add_argument(
        "--grid",
        action="append",
        default=[],
        metavar="FIELD=VALUES",
        help="a sweep axis over a --set field: 'profile.feed_power=100..200 kW step 20' or "
        "'switch_chips.nvswitch-nvlink5.ports=64,72,80' (repeatable)",
    )
    sweep.add_argument(
        "--objectives",
        default="domain_size:max,kW_per_accelerator:min",
        metavar="COL:max|min,...",
        help="columns of the Pareto front (default domain_size:max,kW_per_accelerator:min; with "
        "--workload also tokens_per_joule, cost_per_million_tokens_USD ...)",
    )
    sweep.add_argument(
        "--workload",
        metavar="ID",
        help="add speed, throughput at --target, tokens/J and USD per million tokens",
    )
    sweep.add_argument(
        "--target",
        type=_positive_float,
        default=50.0,
        metavar="TOKENS_PER_S",
        help="per-user speed for the workload columns (default 50)",
    )
    sweep.add_argument(
        "--workers",
        type=_positive_int,
        metavar="N",
        help="worker processes (default: one per core); results are the same for any N",
    )
    sweep.add_argument(
        "--time-limit",
        type=_positive_float,
        default=30.0,
        metavar="S",
        help="CP-SAT time limit per point in seconds (default 30)",
    )
    sweep.add_argument(
        "--dask",
        action="store_true",
        help="run the points on a local Dask cluster of --workers processes",
    )
    sweep.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the points on the Dask distributed scheduler at ADDRESS (tcp://host:port)",
    )
    sweep.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    sweep.add_argument(
        "--out",
        default="reports",
        metavar="DIR",
        help="directory for sweep.csv, sweep.parquet, sweep.png and sweep.svg (default reports/)",
    )

    speeds = commands.add_parser(
        "validate-speeds",
        help="hold every published decode speed against its bound",
        description="For every entry of the catalogs' published_speeds: the deployment it "
        "ran on, its per-layer floor, the single-user decode bound, the published speed and "
        "their ratio. Exit 1 when a counted speed lies outside 1x to 5x below its bound.",
    )
    _catalog_option(speeds)
    speeds.add_argument(
        "--out",
        default="reports",
        metavar="DIR",
        help="directory for validate_speeds.csv (default reports/)",
    )

    validate = commands.add_parser(
        "validate",
        help="check catalog and profile files",
        description="Validate catalog and constraint-profile YAML.",
    )
    validate.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")

    catalog = commands.add_parser("catalog", help="inspect catalogs")
    catalog_commands = catalog.add_subparsers(
        dest="catalog_command", required=True, metavar="COMMAND"
    )
    listing = catalog_commands.add_parser("list", help="list catalog entries by category")
    _catalog_option(listing)
    return parser


def _catalog_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--catalog",
        action="append",
        metavar="PATH",
        help="catalog file or directory (repeatable; default: catalogs/)",
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number ≥ 1, got {value}")
    if value > MAX_OPTION:  # domain sizes and rack counts beyond it overflow the model
        raise argparse.ArgumentTypeError(f"expected a number ≤ {MAX_OPTION:,}, got {value}")
    return value


MAX_OPTION = 2**20
MAX_RACKS = 256


def _rack_count(text: str) -> int:
    """A positive rack count of at most :data:`MAX_RACKS` (one model per count is built)."""
    value = _positive_int(text)
    if value > MAX_RACKS:
        raise argparse.ArgumentTypeError(f"expected at most {MAX_RACKS} racks, got {value}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from solver.errors import RackscaleError

    try:
        if args.command in ("solve", "report"):
            return _solve(args)
        if args.command == "compare":
            return _compare(args)
        if args.command == "sweep":
            return _sweep(args)
        if args.command == "validate-speeds":
            return _validate_speeds(args)
        if args.command == "validate":
            return _validate(args)
        return _catalog_list(args)
    except RackscaleError as exc:
        if args.debug:
            raise
        print(f"rackscale: {exc}" if "\n" not in str(exc) else str(exc), file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # output piped into `head` and closed: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _solve(args) -> int:
    from solver import output
    from solver.catalog import load_catalog, load_constraints, parse_overrides
    from solver.design import parse_pins
    from solver.engine import solve

    pins = parse_pins(args.pin)
    overrides = parse_overrides(args.set)
    catalog = load_catalog(args.catalog, overrides)
    profile = load_constraints(args.constraints, overrides)
    requirements = ()
    if args.workload or args.require:
        from solver.budgets.requirements import find_workload, parse_requirements

        workload = find_workload(catalog, args.workload) if args.workload else None
        from solver.budgets.requirements import Setting

        requirements = parse_requirements(args.require, workload, Setting(target=args.target))
    bar = None
    if "accelerator" not in pins:
        from solver.output import progress_bar

        bar = progress_bar(len(catalog.domain_accelerators()), args.quiet, "accelerator")
    results = solve(
        catalog,
        profile,
        pins=pins,
        min_domain=args.min_domain,
        time_limit=args.time_limit,
        max_racks=args.max_racks,
        requirements=requirements,
        switch_position=args.switch_position,
        racks=args.racks,
        max_domain=args.max_domain,
        relax=tuple(args.relax),
        progress=(lambda accel: bar.update(1)) if bar is not None else None,
    )
    if bar is not None:
        bar.close()
    single = not isinstance(results, list)
    results = [results] if single else results
    if args.report or args.command == "report":
        written = _write_report(args, results, single, pins, overrides)
    else:
        written = output.write_solve(Path(args.out), results, single, elevation=args.elevation)
    if args.json:
        print(output.to_json(results[0] if single else results))
    else:
        print(output.solve_text(results, profile.profile, single))
        print(f"wrote {', '.join(str(p) for p in written)}")
    return exit_code(results)


def exit_code(results) -> int:
    """3 if the time limit cut any proof short, else 1 if any accelerator has no design."""
    statuses = {r.status for r in results}
    if statuses & {"feasible", "unknown"}:
        return EXIT_UNPROVEN
    return EXIT_INFEASIBLE if "infeasible" in statuses else EXIT_OK


def _write_report(args, results, single, pins, overrides) -> list[Path]:
    """report.pdf and the CSV set for the one solved design (the plain files if infeasible)."""
    from solver import output, report
    from solver.errors import UsageError
    from solver.sensitivity import headline

    if not single:
        raise UsageError("a report covers one design: add --pin accelerator=ID")
    result = results[0]
    if not result.ok:
        print(f"rackscale: no report: {result.explanation}", file=sys.stderr)
        return output.write_solve(Path(args.out), results, single)
    question = report.question_of(result, pins, overrides, args.workload)
    sensitivity = result.sensitivity()
    files = report.report_files(result, question, args.paper, sensitivity=sensitivity)
    if not args.json:
        print(headline(sensitivity, result.binding))
    return report.write_report(Path(args.out), files)


def _compare(args) -> int:
    from solver import compare
    from solver.catalog import load_catalog, load_constraints

    catalog = load_catalog(args.catalog)
    profile = load_constraints(args.constraints)
    rows = compare.compare(
        catalog,
        profile,
        args.workload,
        args.designs,
        args.context,
        args.time_limit,
        args.target,
        args.precision,
    )
    written = compare.write_compare(Path(args.out), rows, args.workload)
    print(compare.compare_text(rows, catalog.workloads[args.workload], args.precision))
    print(f"wrote {', '.join(str(p) for p in written)}")
    return EXIT_OK


def _sweep(args) -> int:
    from solver import sweep
    from solver.budgets.requirements import find_workload
    from solver.design import parse_pins
    from solver.output import progress_bar, write_atomically

    accelerators = [
        v for k, v in (p.split("=", 1) for p in args.pin if "=" in p) if k == "accelerator"
    ]
    pins = parse_pins([p for p in args.pin if not p.startswith("accelerator=")])
    paths = tuple(args.catalog) if args.catalog else None
    catalog = sweep.catalog_for(paths, ())
    if args.workload:
        find_workload(catalog, args.workload)
    plan = sweep.Sweep(
        paths,
        tuple(args.constraints or [""]),
        tuple(accelerators or catalog.domain_accelerators()),
        tuple(sweep.parse_axis(g) for g in args.grid),
        tuple(pins.items()),
        args.workload,
        args.target,
        args.time_limit,
    )
    sweep.parse_objectives(args.objectives, plan.columns)  # a bad column fails before solving
    points = plan.points()
    sweep.check(plan, points)
    out = Path(args.out)
    done = sweep.done_rows(out, plan, points)
    finished = {row["point"] for row in done}
    todo = [p for p in points if p.index not in finished]
    workers = min(args.workers or sweep.cpu_count(), max(len(todo), 1))
    where = f"Dask at {args.scheduler}" if args.scheduler else f"{workers} worker(s)"
    if args.dask:
        where += " on a local Dask cluster"
    print(f"sweep: {len(points)} points ({len(done)} already in {out}), {where}", file=sys.stderr)
    if args.dask or args.scheduler:
        executor, close = sweep.dask_executor(args.scheduler, workers)
    else:
        executor = sweep.default_executor(workers)
        close = executor.shutdown if executor is not None else (lambda: None)
    bar = progress_bar(len(todo), args.quiet)
    try:
        rows = done + sweep.run(plan, todo, executor, bar.update)
    finally:
        bar.close()
        close()
    frame = sweep.frame_of(plan, rows, args.objectives)
    written = write_atomically(out, sweep.files(frame, args.objectives))
    front = frame[frame["pareto"]]
    shown = [c for c in ["accelerator", "profile", *(a.field for a in plan.axes)] if c in frame]
    objectives = [c for c, _ in sweep.parse_objectives(args.objectives, frame.columns)]
    print(f"Pareto front over {args.objectives}: {len(front)} of {len(frame)} points")
    for _, row in front.iterrows():
        cells = ", ".join(f"{c}={row[c]}" for c in shown)
        values = ", ".join(f"{c} {row[c]:,.4g}" for c in objectives)
        print(f"  {cells}: {values}")
    print(f"wrote {', '.join(str(p) for p in written)}")
    return EXIT_OK


def _validate_speeds(args) -> int:
    import pandas as pd

    from solver.budgets import decode
    from solver.catalog import load_catalog
    from solver.output import csv_bytes, text_table, write_atomically

    catalog = load_catalog(args.catalog)
    rows = [decode.published_check(catalog, s) for s in catalog.published_speeds.values()]
    table = text_table(
        [
            [
                r["id"],
                r["units"],
                r["precision"],
                r["mode"],
                f"{r['layer_latency'].to('us').m:g} us",
                f"{r['bound']:,.0f}",
                f"{r['published']:,.0f}",
                f"{r['ratio']:.2f}x",
                ("yes" if r["within"] else "NO") if r["counted"] else "not counted",
            ]
            for r in rows
        ],
        [
            "published speed",
            "units",
            "precision",
            "mode",
            "floor/layer",
            "bound",
            "published",
            "bound/pub",
            f"1-{decode.VALIDATION_BAND:g}x",
        ],
    )
    print(table)
    for r in rows:
        if not r["counted"]:
            print(f"  {r['id']}: not counted ({r['reason']})")
    print(
        "bound = single-user decode bound (tokens/s per user) on the deployment the figure ran "
        "on; floor/layer = the system's per-layer floor (each calibrated on one published "
        "speed, see its catalog notes)."
    )
    frame = pd.DataFrame(
        [{**r, "layer_latency_us": r["layer_latency"].to("us").m} for r in rows]
    ).drop(columns=["layer_latency"])
    written = write_atomically(Path(args.out), {"validate_speeds.csv": csv_bytes(frame)})
    print(f"wrote {', '.join(str(p) for p in written)}")
    outside = [r["id"] for r in rows if r["counted"] and not r["within"]]
    if outside:
        print(f"outside the band: {', '.join(outside)}", file=sys.stderr)
        return EXIT_INFEASIBLE
    return EXIT_OK


def _validate(args) -> int:
    from solver.catalog import validate_paths

    counts = validate_paths(args.paths)
    for path, summary in counts:
        print(f"{path}: ok ({summary})")
    return EXIT_OK


def _catalog_list(args) -> int:
    from solver import output
    from solver.catalog import load_catalog

    print(output.catalog_text(load_catalog(args.catalog)))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
