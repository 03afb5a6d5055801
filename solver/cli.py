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
import time
from pathlib import Path

from solver import __version__
from solver.budgets import DEFAULT_CONTEXT
from solver.errors import EXIT_INFEASIBLE, EXIT_INTERRUPTED, EXIT_OK, EXIT_UNPROVEN


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rackscale",
        description="Largest all-to-all scale-up domain that fits a rack, proven with CP-SAT.",
        epilog="Exit codes: 0 solved and proven, 1 infeasible (what rules it out is named), "
        "2 bad input, 3 time limit hit before a proof (status feasible or unknown), "
        "4 internal error (a bug in rackscale), 130 interrupted (Ctrl-C).",
    )
    parser.add_argument("--version", action="version", version=f"rackscale {__version__}")
    _verbosity_options(parser, default=None)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    solve = commands.add_parser(
        "solve",
        parents=[
            _shared(
                out=SOLVE_FILES + "; with --elevation the rack drawings, with --report "
                "report.pdf and the report's CSVs"
            )
        ],
        help="maximal scale-up domain per accelerator (or the pinned one)",
        description="Solve the maximal scale-up domain for every accelerator in the catalogs, "
        "or for the one pinned with --pin accelerator=ID, and explain what binds.",
    )
    _solve_options(solve)
    solve.add_argument(
        "--report",
        action="store_true",
        help="also write report.pdf and the full CSV set (bill of materials, sensitivity, "
        "layout, cable runs, comparison with --workload) for the pinned accelerator",
    )

    report = commands.add_parser(
        "report",
        parents=[
            _shared(
                out=SOLVE_FILES + ", solve_sensitivity.csv, solve_comparison.csv "
                "(with --workload) and report.pdf"
            )
        ],
        help="planning report (PDF and CSV set) for one accelerator: same options as solve",
        description="Solve the pinned accelerator (--pin accelerator=ID, same options as "
        "solve) and write report.pdf with the CSV set: summary, bill of materials, budgets, "
        "sensitivity, layout and cable runs, and the comparison with wafer-scale systems "
        "when --workload is given. Same as 'solve --report'.",
    )
    _solve_options(report)

    compare = commands.add_parser(
        "compare",
        parents=[_shared(out="compare.csv, compare.svg and compare.png")],
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

    sweep = commands.add_parser(
        "sweep",
        parents=[_shared(profile=False, out="sweep.csv, sweep.parquet, sweep.png and sweep.svg")],
        help="solve every combination of profiles, accelerators and --set values",
        description="Design-space sweep: every combination of --constraints profiles, "
        "--pin accelerator= ids (default: all) and --grid values, solved count-only (no "
        "explanation), as one table (sweep.csv, sweep.parquet) with the Pareto front over "
        "--objectives marked and plotted (sweep.png, sweep.svg). A rerun with the same --out "
        "skips the points already solved.",
    )
    sweep.add_argument(
        "--constraints",
        action="append",
        metavar="PROFILE",
        help="constraint profile, a shipped name or a file (repeatable: each is a sweep axis; "
        "default: hyperscale-liquid)",
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
    _executor_options(sweep, "the points")

    commands.add_parser(
        "validate-speeds",
        parents=[_shared(profile=False, time_limit=False, out="validate_speeds.csv")],
        help="hold every published decode speed against its bound",
        description="For every entry of the catalogs' published_speeds: the deployment it "
        "ran on, its per-layer floor, the single-user decode bound, the published speed and "
        "their ratio. Exit 1 when a counted speed lies outside 1x to 5x below its bound.",
    )

    validate = commands.add_parser(
        "validate",
        parents=[_shared(catalogs=False, profile=False, time_limit=False)],
        help="check catalog and profile files",
        description="Validate catalog and constraint-profile YAML (the files given are checked "
        "together: an id may appear once across them).",
    )
    validate.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")

    catalog = commands.add_parser(
        "catalog",
        parents=[_shared(catalogs=False, profile=False, time_limit=False)],
        help="inspect catalogs",
    )
    catalog_commands = catalog.add_subparsers(
        dest="catalog_command", required=True, metavar="COMMAND"
    )
    listing = catalog_commands.add_parser(
        "list",
        parents=[_shared(profile=False, time_limit=False)],
        help="list catalog entries by category",
        description="List catalog entries: category, id, name, where each is defined and "
        "which of its figures are estimates; filters combine.",
    )
    listing.add_argument(
        "--category",
        action="append",
        metavar="NAME",
        help="only this category, e.g. racks or rack (repeatable)",
    )
    listing.add_argument(
        "--vendor",
        metavar="TEXT",
        help="only entries whose vendor (or, without one, whose name) contains TEXT, any case",
    )
    listing.add_argument(
        "--match", metavar="TEXT", help="only entries whose id or name contains TEXT, any case"
    )
    listing.add_argument("--json", action="store_true", help="print the entries as JSON")
    _hall_parser(commands)
    _interchange_parsers(commands)
    return parser


SOLVE_FILES = (
    "solve_summary.csv, solve_bom.csv, solve_budgets.csv, solve_layout.csv, "
    "solve_cable_runs.csv and solve.json"
)


def _interchange_parsers(commands) -> None:
    """``schema``, ``netbox import|export`` and ``cabling`` (:mod:`solver.interchange`)."""
    schema = commands.add_parser(
        "schema",
        help="write JSON Schemas of the catalog and profile YAML",
        description="Write one JSON Schema per catalog kind (racks.schema.json ...), "
        "catalog.schema.json for files of several kinds and profile.schema.json, generated "
        "from the schema the loader uses. Shipped YAML names its schema on its first line.",
    )
    schema.add_argument(
        "--out", default="schemas", metavar="DIR", help="directory (default schemas/)"
    )
    netbox = commands.add_parser(
        "netbox",
        help="import NetBox device types; export a solved rack to NetBox",
        description="Exchange device types and rack elevations with NetBox.",
    )
    netbox_commands = netbox.add_subparsers(dest="netbox_command", required=True, metavar="COMMAND")
    importing = netbox_commands.add_parser(
        "import",
        help="NetBox device-type YAML -> catalog entries",
        description="Read NetBox devicetype-library YAML (u_height, weight, power ports, "
        "airflow, manufacturer, model, slug) as catalog entries of one kind. What NetBox "
        "lacks and rackscale needs is written as null with a TO FILL IN comment and listed "
        "(exit 2) unless given with --set; nothing is guessed.",
    )
    importing.add_argument("files", nargs="+", metavar="FILE", help="device-type YAML files")
    importing.add_argument(
        "--kind",
        required=True,
        choices=("compute_trays", "switch_trays", "power_shelves"),
        help="catalog kind the device types become",
    )
    importing.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="a field NetBox lacks, e.g. 'accelerators=8' or 'overhead_power=3.3 kW' "
        "(repeatable; applies to every file)",
    )
    importing.add_argument(
        "--out", metavar="FILE", help="catalog file to write (default: standard output)"
    )
    exporting = netbox_commands.add_parser(
        "export",
        help="a solved rack as NetBox device types, racks.csv and devices.csv",
        description="Solve the pinned accelerator (with solve's design options) and write its "
        "items as NetBox device types (device-types/<manufacturer>/<slug>.yaml) and its "
        "racks and devices for NetBox's CSV bulk import (status planned, front face, "
        "position = lowest slot).",
        parents=[_shared(out=None)],
    )
    _solve_options(exporting, report=False)
    exporting.add_argument("--site", required=True, help="NetBox site the racks stand in")
    exporting.add_argument(
        "--out", default="reports/netbox", metavar="DIR", help="directory (default reports/netbox)"
    )
    cabling = commands.add_parser(
        "cabling",
        help="the cabling plan of a solved design as CSV, one row per cable",
        description="Solve the pinned accelerator (with solve's design options) and write "
        "cabling.csv: one row per cable, rack, slot, device and port at each end, cable id, "
        "cable type and length (switched fabrics cabled through a spine, one rack).",
        parents=[_shared(out=None)],
    )
    _solve_options(cabling, report=False)
    cabling.add_argument(
        "--out", default="reports", metavar="DIR", help="directory (default reports/)"
    )


def _hall_parser(commands) -> None:
    hall = commands.add_parser(
        "hall",
        parents=[
            _shared(
                out="hall.json, hall_rows.csv, hall_bom.csv, hall.png and hall.svg (without "
                "--pin accelerator=, hall_summary.csv)",
                default_profile="hall-50mw",
            )
        ],
        help="how many proven domains fit a data hall, row by row, with the scale-out fabric",
        description="Plan a data hall (a profile with a hall: block; default hall-50mw): the "
        "rack solve proves one domain design, then CP-SAT places the most whole domains in "
        "the rows under hall power, row busways, row space, CDU capacity and flow, room air, "
        "the scale-out fat tree's radix and failure-domain shares, and names what binds.",
    )
    hall.add_argument(
        "--pin",
        action="append",
        default=[],
        metavar="CATEGORY=ID",
        help="fix a choice (accelerator=ID plans one design in full; repeatable)",
    )
    hall.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="override a figure, e.g. 'hall.it_power=100 MW' or 'hall.scale_out.max_tiers=2'",
    )
    hall.add_argument(
        "--max-racks",
        type=_positive_int,
        default=1,
        metavar="N",
        help="racks one domain may span (default 1)",
    )
    hall.add_argument("--json", action="store_true", help="print hall.json instead of text")


def _verbosity_options(parser: argparse.ArgumentParser, default) -> None:
    parser.add_argument("--debug", action="store_true", default=default, help="show tracebacks")
    parser.add_argument(
        "-q", "--quiet", action="store_true", default=default, help="no progress bars or notes"
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=default,
        help="also say on stderr which files were read and how long it took",
    )


def _shared(
    *,
    catalogs: bool = True,
    profile: bool = True,
    time_limit: bool = True,
    out: str | None = None,
    default_profile: str = "hyperscale-liquid",
) -> argparse.ArgumentParser:
    """The parent parser of a command: the options commands share, each written once here.

    ``--debug``, ``-q`` and ``-v`` are accepted before and after the command: a command's
    parser leaves them unset (SUPPRESS) unless given, so it never undoes the top level's.
    """
    shared = argparse.ArgumentParser(add_help=False)
    _verbosity_options(shared, default=argparse.SUPPRESS)
    if catalogs:
        shared.add_argument(
            "--catalog",
            action="append",
            default=[],
            metavar="PATH",
            help="catalog file or directory read after the shipped catalogs (repeatable); an "
            "entry with the category and id of an earlier one replaces it (later wins)",
        )
        shared.add_argument(
            "--no-default-catalogs",
            action="store_true",
            help="read only the --catalog paths, not the shipped catalogs",
        )
    if profile:
        shared.add_argument(
            "--constraints",
            metavar="PROFILE",
            help="constraint profile: a shipped one by name (hyperscale-liquid, enterprise-air, "
            "legacy-colo, dense-air, ai-200kw-liquid, ai-600kw-800vdc, hall-50mw) or a YAML file "
            f"(default: {default_profile})",
        )
    if time_limit:
        shared.add_argument(
            "--time-limit",
            type=_positive_float,
            default=30.0,
            metavar="S",
            help="CP-SAT time limit per solve in seconds (default 30); a solve it cuts short "
            "reports feasible or unknown and exits 3",
        )
    if out is not None:
        shared.add_argument(
            "--out",
            default="reports",
            metavar="DIR",
            help=f"directory for {out} (default reports/)",
        )
    return shared


def _executor_options(parser: argparse.ArgumentParser, what: str) -> None:
    """``--workers``, ``--dask`` and ``--scheduler``: where ``what`` is solved."""
    parser.add_argument(
        "--workers",
        type=_positive_int,
        metavar="N",
        help=f"worker processes for {what} (default: one per core); results are the same for any N",
    )
    parser.add_argument(
        "--dask",
        action="store_true",
        help=f"run {what} on a local Dask cluster of --workers processes",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help=f"run {what} on the Dask distributed scheduler at ADDRESS (tcp://host:port)",
    )


def _solve_options(solve: argparse.ArgumentParser, report: bool = True) -> None:
    """The options of ``solve`` that ``report`` shares; without ``report`` only those that
    shape the design (for the commands that export one: cabling, netbox export)."""
    solve.add_argument(
        "--pin",
        action="append",
        default=[],
        metavar="CATEGORY=ID",
        help="fix a choice: accelerator, compute_tray, switch_tray, cable, interrack_cable "
        "(the rack-to-rack cable), rack, power_shelf or cooling; ids in any case (repeatable)",
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
        "--max-racks",
        type=_rack_count,
        default=1,
        metavar="N",
        help="racks one domain may span (default 1)",
    )
    if report:
        solve.add_argument("--json", action="store_true", help="print the result as JSON")
        solve.add_argument(
            "--paper", choices=("a4", "letter"), default="a4", help="report page size (default a4)"
        )
        _executor_options(solve, "the report's sensitivity solves")
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
    if report:
        solve.add_argument(
            "--elevation",
            action="store_true",
            help="also draw each solved rack (elevation_<accelerator>_<rack>.svg and .png in "
            "--out)",
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


OPTIONS = {
    "accelerator": "--pin accelerator=",
    "pins": "--pin ",
    "min_domain": "--min-domain ",
    "max_domain": "--max-domain ",
    "relax": "--relax ",
    "requirements": "--require ",
    "workload": "--workload ",
}
"""The library's keyword arguments as this CLI's options: library errors name the former
(``pins={'rack': 'x'}``), the CLI prints the latter (``--pin rack=x``)."""


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from solver.errors import RackscaleError, UsageError

    started = time.perf_counter()
    try:
        code = _run(args)
    except RackscaleError as exc:
        if args.debug:
            raise
        text = exc.text(OPTIONS) if isinstance(exc, UsageError) else str(exc)
        print(f"rackscale: {text}" if "\n" not in text else text, file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # output piped into `head` and closed: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:  # workers are stopped and no output file is half-written
        if args.debug:
            raise
        print("rackscale: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    if args.verbose:
        print(
            f"rackscale: {args.command} took {time.perf_counter() - started:.1f} s", file=sys.stderr
        )
    return code


def _run(args) -> int:
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
    if args.command == "hall":
        return _hall(args)
    if args.command in ("schema", "netbox", "cabling"):
        return _interchange(args)
    return _catalog_list(args)


def _catalog_paths(args) -> list[str] | None:
    """The catalog layers asked for: the shipped catalogs unless --no-default-catalogs, then
    each --catalog in order (None: the shipped catalogs alone)."""
    from solver.catalog import DEFAULT_CATALOG
    from solver.errors import UsageError

    if args.no_default_catalogs:
        if not args.catalog:
            raise UsageError("--no-default-catalogs needs at least one --catalog PATH")
        return list(args.catalog)
    return [str(DEFAULT_CATALOG), *args.catalog] if args.catalog else None


def _load_catalog(args, overrides=()):
    """The catalog the options ask for; says on stderr which entries a later file replaced
    (unless -q) and, with -v, which files were read."""
    from solver.catalog import load_catalog

    catalog = load_catalog(_catalog_paths(args), overrides)
    _tell_inputs(args, catalog)
    return catalog


def _tell_inputs(args, catalog) -> None:
    if not args.quiet:
        for replaced in catalog.replaced:
            print(f"rackscale: note: {replaced}", file=sys.stderr)
    if args.verbose:
        for file in catalog.files:
            print(f"rackscale: read {file.path} (sha256 {file.sha256[:12]})", file=sys.stderr)


def _load_constraints(args, path, overrides=()):
    from solver.catalog import load_constraints

    profile = load_constraints(path, overrides)
    if args.verbose:
        print(
            f"rackscale: read {profile.file.path} (sha256 {profile.file.sha256[:12]})",
            file=sys.stderr,
        )
    return profile


def _solve_inputs(args):
    """What ``solve``'s options ask for: the catalog, the profile, the ``--set`` overrides and
    :func:`solver.engine.solve`'s keyword arguments (pins with the catalog's ids)."""
    from solver.catalog import parse_overrides
    from solver.design import check_pins, parse_pins

    pins = parse_pins(args.pin)
    overrides = parse_overrides(args.set)
    catalog = _load_catalog(args, overrides)
    profile = _load_constraints(args, args.constraints, overrides)
    pins = check_pins(catalog, pins)  # ids as the catalog spells them
    requirements = ()
    if args.workload or args.require:
        from solver.budgets.requirements import Setting, find_workload, parse_requirements

        workload = find_workload(catalog, args.workload) if args.workload else None
        requirements = parse_requirements(args.require, workload, Setting(target=args.target))
    options = dict(
        pins=pins,
        min_domain=args.min_domain,
        time_limit=args.time_limit,
        max_racks=args.max_racks,
        requirements=requirements,
        switch_position=args.switch_position,
        racks=args.racks,
        max_domain=args.max_domain,
        relax=tuple(args.relax),
    )
    return catalog, profile, overrides, options


def _solve(args) -> int:
    from contextlib import nullcontext

    from solver.engine import solve, solve_all
    from solver.errors import UsageError
    from solver.pool import cpu_count, executor_of
    from solver.report.files import write_solve
    from solver.report.json import to_json
    from solver.report.text import progress_bar, solve_text, working

    catalog, profile, overrides, options = _solve_inputs(args)
    pins = options["pins"]
    single = "accelerator" in pins
    report = args.command == "report" or args.report
    if not report and (args.workers or args.dask or args.scheduler):
        raise UsageError(
            "--workers, --dask and --scheduler run the report's sensitivity: add --report"
        )
    # the sensitivity's executor first, so that a bad --scheduler fails before any solve
    where = executor_of(args.workers or cpu_count(), args.dask, args.scheduler)
    with where if report else nullcontext() as executor:
        if single:
            with working(f"solving {pins['accelerator']}", args.quiet):
                results = [solve(catalog, profile, **options)]
        else:
            bar = progress_bar(len(catalog.domain_accelerators()), args.quiet, "accelerator")
            try:
                results = solve_all(
                    catalog, profile, progress=lambda accel: bar.update(1), **options
                )
            finally:
                bar.close()
        if report:
            written = _write_report(args, results, single, pins, overrides, executor)
        else:
            written = write_solve(Path(args.out), results, single, elevation=args.elevation)
    if args.json:
        print(to_json(results[0] if single else results))
    else:
        print(solve_text(results, profile.profile, single))
        print(f"wrote {', '.join(str(p) for p in written)}")
    return exit_code(results)


def exit_code(results) -> int:
    """3 if the time limit cut any proof short, else 1 if any accelerator has no design."""
    statuses = {r.status for r in results}
    if statuses & {"feasible", "unknown"}:
        return EXIT_UNPROVEN
    return EXIT_INFEASIBLE if "infeasible" in statuses else EXIT_OK


def _write_report(args, results, single, pins, overrides, executor) -> list[Path]:
    """report.pdf and the CSV set for the one solved design (the plain files if infeasible);
    the sensitivity's solves run on ``executor`` (None: here)."""
    from solver.errors import UsageError
    from solver.report import pdf
    from solver.report.files import write_solve
    from solver.sensitivity import headline, sensitivity

    if not single:
        raise UsageError("a report covers one design: add --pin accelerator=ID")
    result = results[0]
    if not result.ok:
        print(f"rackscale: no report: {result.explanation}", file=sys.stderr)
        return write_solve(Path(args.out), results, single)
    question = pdf.question_of(result, pins, overrides, args.workload)
    from solver.report.text import progress_bar

    bar = progress_bar(None, args.quiet, "solve")  # sensitivity: a count of what-if solves
    bar.set_description("sensitivity")
    try:
        frame = sensitivity(result, workers=1, done=lambda: bar.update(1), executor=executor)
    finally:
        bar.close()
    files = pdf.report_files(result, question, args.paper, sensitivity=frame)
    if not args.json:
        print(headline(frame, result.binding))
    return pdf.write_report(Path(args.out), files)


def _compare(args) -> int:
    from solver import compare
    from solver.catalog import canonical_id

    catalog = _load_catalog(args)
    profile = _load_constraints(args, args.constraints)
    ids = [*catalog.accelerators, *catalog.systems]
    designs = [canonical_id(name, ids) or name for name in args.designs]  # ids in any case
    args.workload = canonical_id(args.workload, catalog.workloads) or args.workload
    rows = compare.compare(
        catalog,
        profile,
        args.workload,
        designs,
        args.context,
        args.time_limit,
        args.target,
        args.precision,
    )
    written = compare.write_compare(Path(args.out), rows, args.workload)
    print(compare.compare_text(rows, catalog.workloads[args.workload], args.precision))
    print(f"wrote {', '.join(str(p) for p in written)}")
    return EXIT_OK


SHOWN_FRONT = 12
"""Pareto points printed; the rest are marked in sweep.csv and sweep.parquet."""


def _sweep(args) -> int:
    from solver import sweep
    from solver.budgets.requirements import find_workload
    from solver.design import check_pins, parse_pins
    from solver.pool import cpu_count, executor_of
    from solver.report.files import write_atomically
    from solver.report.text import progress_bar

    accelerators = [
        v for k, v in (p.split("=", 1) for p in args.pin if "=" in p) if k == "accelerator"
    ]
    pins = parse_pins([p for p in args.pin if not p.startswith("accelerator=")])
    paths = _catalog_paths(args)
    paths = tuple(paths) if paths else None
    catalog = sweep.catalog_for(paths, ())
    _tell_inputs(args, catalog)
    accelerators = [check_pins(catalog, {"accelerator": a})["accelerator"] for a in accelerators]
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
    workers = min(args.workers or cpu_count(), max(len(todo), 1))
    where = f"Dask at {args.scheduler}" if args.scheduler else f"{workers} worker(s)"
    if args.dask:
        where += " on a local Dask cluster"
    print(f"sweep: {len(points)} points ({len(done)} already in {out}), {where}", file=sys.stderr)
    bar = progress_bar(len(todo), args.quiet)
    try:
        with executor_of(workers, args.dask, args.scheduler) as executor:
            rows = done + sweep.run(plan, todo, executor, bar.update, workers)
    finally:
        bar.close()
    frame = sweep.frame_of(plan, rows, args.objectives)
    written = write_atomically(out, sweep.files(frame, args.objectives))
    front = frame[frame["pareto"]]
    shown = [c for c in ["accelerator", "profile", *(a.field for a in plan.axes)] if c in frame]
    objectives = [c for c, _ in sweep.parse_objectives(args.objectives, frame.columns)]
    print(f"Pareto front over {args.objectives}: {len(front)} of {len(frame)} points")
    for _, row in front.head(SHOWN_FRONT).iterrows():
        cells = ", ".join(f"{c}={row[c]}" for c in shown)
        values = ", ".join(f"{c} {row[c]:,.4g}" for c in objectives)
        print(f"  {cells}: {values}")
    if len(front) > SHOWN_FRONT:
        print(f"  ... and {len(front) - SHOWN_FRONT} more on the front (the pareto column)")
    print(f"wrote {', '.join(str(p) for p in written)}")
    return EXIT_OK


def _validate_speeds(args) -> int:
    import pandas as pd

    from solver.budgets import decode
    from solver.report.csv import csv_bytes
    from solver.report.files import write_atomically
    from solver.report.text import text_table

    catalog = _load_catalog(args)
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
    import json

    from solver.catalog import entry_rows
    from solver.report.text import catalog_text

    rows = entry_rows(_load_catalog(args), args.category or (), args.vendor, args.match)
    print(json.dumps(rows, indent=2, ensure_ascii=False) if args.json else catalog_text(rows))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())


def _hall(args) -> int:
    import json

    from solver import hall
    from solver.catalog import parse_overrides
    from solver.design import parse_pins
    from solver.report import hall as hall_report
    from solver.report.csv import csv_bytes
    from solver.report.files import write_atomically
    from solver.report.text import progress_bar

    pins = parse_pins(args.pin)
    overrides = parse_overrides(args.set)
    catalog = _load_catalog(args, overrides)
    loaded = _load_constraints(args, args.constraints or "hall-50mw", overrides)
    accelerator = pins.pop("accelerator", None)
    ids = [accelerator] if accelerator else catalog.domain_accelerators()
    bar = progress_bar(3 * len(ids), args.quiet, "step")
    plans = []
    try:
        for accel in ids:
            bar.set_description(accel)
            plans.append(
                hall.plan(
                    catalog,
                    loaded,
                    accel,
                    pins,
                    args.max_racks,
                    args.time_limit,
                    progress=lambda step: bar.update(1),
                )
            )
    finally:
        bar.close()
    if accelerator:
        plan = plans[0]
        written = write_atomically(Path(args.out), hall_report.hall_files(plan))
        print(json.dumps(plan.to_dict(), indent=2) if args.json else hall_report.hall_text(plan))
    else:
        import pandas as pd

        frame = pd.DataFrame([hall_report.summary_row(p) for p in plans])
        written = write_atomically(Path(args.out), {"hall_summary.csv": csv_bytes(frame)})
        if args.json:
            print(json.dumps([p.to_dict() for p in plans], indent=2))
        else:
            print(hall_report.summary_text(plans))
    if not args.json:
        print(f"wrote {', '.join(str(p) for p in written)}")
    return EXIT_OK if any(p.domains for p in plans) else EXIT_INFEASIBLE


def _interchange(args) -> int:
    from solver.errors import EXIT_INPUT
    from solver.report.files import write_atomically

    if args.command == "schema":
        from solver.interchange.schemas import schema_files

        written = write_atomically(Path(args.out), schema_files())
        print(f"wrote {len(written)} schemas to {args.out}")
        return EXIT_OK
    if args.command == "netbox" and args.netbox_command == "import":
        from solver.interchange import netbox

        settings = netbox.parse_settings(args.set, args.kind)
        imported = [netbox.import_device_type(f, args.kind, settings) for f in args.files]
        text = netbox.entry_yaml(imported)
        if args.out:
            out = Path(args.out)
            write_atomically(out.parent, {out.name: text.encode()})
            print(f"wrote {out}")
        else:
            print(text, end="")
        if any(item.to_fill for item in imported):
            print(netbox.fill_in_message(imported, args.out or "<stdout>"), file=sys.stderr)
            return EXIT_INPUT
        return EXIT_OK
    result = _solve_pinned(args)
    if args.command == "cabling":
        from solver.interchange.cabling import cabling_csv

        files = {"cabling.csv": cabling_csv(result.design, result.space)}
    else:
        from solver.interchange.netbox import elevation_files

        files = elevation_files(result.design, args.site)
    for name, content in files.items():  # device types sit in subdirectories
        write_atomically(Path(args.out) / Path(name).parent, {Path(name).name: content})
    print(f"wrote {len(files)} files to {args.out}: {', '.join(sorted(files))}")
    return EXIT_OK


def _solve_pinned(args):
    """The design of the one accelerator ``--pin accelerator=ID`` names, with solve's options,
    laid out as ``solve`` lays it out (the next size is not proven: only the design is
    exported)."""
    from solver.design import parse_pins
    from solver.engine import solve
    from solver.errors import InfeasibleError, UsageError

    if "accelerator" not in parse_pins(args.pin):
        raise UsageError(f"{args.command}: name the design with --pin accelerator=ID")
    catalog, profile, _, options = _solve_inputs(args)
    result = solve(catalog, profile, explain=False, lay_out=True, **options)
    if not result.ok:
        raise InfeasibleError(result.explanation, list(result.binding))
    return result
