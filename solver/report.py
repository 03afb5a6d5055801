"""The planning report: a PDF a colleague reads in five minutes, and the CSV set beside it.

:func:`report_files` runs the sensitivity (and the comparison when a workload is named),
renders every CSV and the PDF in memory, and returns them by file name;
:func:`write_report` moves them into place together (:func:`solver.output.write_atomically`),
so a run that fails on the way leaves the previous report untouched.

The PDF is laid out with reportlab (platypus); charts are matplotlib figures rendered to
SVG and converted by svglib into reportlab drawings, so they stay vector. Text is real
text in DejaVu Sans (shipped with matplotlib, for ², µ, → and ×), pages are numbered, and
the document is built with reportlab's ``invariant`` mode and without wall times, so the
same inputs give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from solver.budgets import DEFAULT_CONTEXT
from solver.errors import UsageError
from solver.sensitivity import FACTORS

PAPERS = ("a4", "letter")
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"


@dataclass(frozen=True)
class Question:
    """What was asked: the inputs as the user named them (for the title page)."""

    catalogs: tuple[str, ...] = ()
    profile: str = ""
    pins: dict[str, str] = field(default_factory=dict)
    overrides: tuple[tuple[str, str], ...] = ()
    workload: str | None = None


def question_of(result, pins=None, overrides=(), workload=None) -> Question:
    """A :class:`Question` from a result's input files, plus the pins and overrides used."""
    files = [f.path for f in result.inputs]
    profile = files[-1] if files else result.profile
    return Question(
        tuple(files[:-1]),
        profile,
        dict(pins or {"accelerator": result.accelerator}),
        tuple(overrides),
        workload,
    )


# --- building the files ------------------------------------------------------------------


def comparison_frame(result, workload_id: str, context: int = DEFAULT_CONTEXT):
    """The solved design against every wafer-scale and SRAM-chip system on one workload."""
    from solver import compare
    from solver.budgets.requirements import find_workload

    catalog = result.space.catalog
    workload = find_workload(catalog, workload_id)
    question = compare.Question(context, economics=result.space.profile.economics)
    rows = compare.result_rows(result.accelerator, result, workload, question)
    for system in catalog.systems.values():
        rows += compare.system_rows(catalog, system, workload, question)
    return compare.compare_frame(rows)


def report_files(
    result,
    question: Question | None = None,
    paper: str = "a4",
    factors: Sequence[float] = FACTORS,
    workers: int | None = None,
    context: int = DEFAULT_CONTEXT,
    sensitivity=None,
) -> dict[str, bytes]:
    """Every file of the report (CSV set, ``solve.json`` and ``report.pdf``), in memory.

    ``sensitivity`` may be passed in when already computed (see :meth:`Result.sensitivity`).
    """
    from solver.output import to_json
    from solver.tables import csv_set

    if not result.ok or result.design is None:
        raise UsageError(f"{result.accelerator}: no design to report ({result.explanation})")
    if paper not in PAPERS:
        raise UsageError(f"--paper {paper!r}: expected one of {', '.join(PAPERS)}")
    question = question or question_of(result)
    if sensitivity is None:
        sensitivity = result.sensitivity(factors, workers=workers)
    comparison = comparison_frame(result, question.workload, context) if question.workload else None
    files = csv_set([result], sensitivity, comparison)
    files["solve.json"] = (to_json(result, stable=True) + "\n").encode()
    files["report.pdf"] = build_pdf(result, question, sensitivity, comparison, paper)
    return files


def write_report(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write the report's files together; nothing is replaced unless all were rendered."""
    from solver.output import write_atomically

    return write_atomically(Path(out_dir), files)


# --- the PDF -----------------------------------------------------------------------------


def _fonts() -> None:
    from pathlib import Path as P

    import matplotlib
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from svglib.fonts import register_font

    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    ttf = P(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(ttf / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(ttf / "DejaVuSans-Bold.ttf")))
    # matplotlib's SVG names the font; svglib then draws chart text in the same font.
    register_font("DejaVu Sans", str(ttf / "DejaVuSans.ttf"), rlgFontName=FONT)
    register_font("DejaVu Sans", str(ttf / "DejaVuSans-Bold.ttf"), "bold", rlgFontName=BOLD)
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, BOLD)
    addMapping(FONT, 0, 1, FONT)
    addMapping(FONT, 1, 1, BOLD)


class _Builder:
    """Flowables for one report, sized to the page's frame."""

    def __init__(self, width: float, height: float):
        from reportlab.lib import colors
        from reportlab.lib.styles import ParagraphStyle

        self.width, self.height = width, height
        self.colors = colors
        base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, spaceAfter=4)
        self.styles = {
            "body": base,
            "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
            "cell": ParagraphStyle("cell", parent=base, fontSize=7.2, leading=8.8, spaceAfter=0),
            "title": ParagraphStyle(
                "title", parent=base, fontName=BOLD, fontSize=20, leading=25, spaceAfter=6
            ),
            "subtitle": ParagraphStyle(
                "subtitle", parent=base, fontSize=12, leading=16, spaceAfter=14
            ),
            "h1": ParagraphStyle(
                "h1",
                parent=base,
                fontName=BOLD,
                fontSize=14,
                leading=18,
                spaceBefore=6,
                spaceAfter=6,
            ),
            "h2": ParagraphStyle(
                "h2",
                parent=base,
                fontName=BOLD,
                fontSize=10.5,
                leading=14,
                spaceBefore=8,
                spaceAfter=4,
            ),
            "answer": ParagraphStyle(
                "answer",
                parent=base,
                fontName=BOLD,
                fontSize=11,
                leading=15,
                borderPadding=6,
                borderWidth=0.6,
                borderColor=colors.HexColor("#c0392b"),
                backColor=colors.HexColor("#fbeeec"),
                spaceBefore=6,
                spaceAfter=12,
            ),
        }

    def p(self, text: str, style: str = "body", raw: bool = False):
        from reportlab.platypus import Paragraph

        return Paragraph(text if raw else escape(text), self.styles[style])

    def figure(self, fig, max_height: float | None = None):
        """A matplotlib figure as a vector reportlab drawing, scaled to the frame."""
        from svglib.svglib import svg2rlg

        from solver.figures import to_svg

        drawing = svg2rlg(io.BytesIO(to_svg(fig)))
        limit = max_height or self.height * 0.9
        scale = min(self.width / drawing.width, limit / drawing.height)
        drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
        drawing.scale(scale, scale)
        drawing.hAlign = "CENTER"
        return drawing

    def table(
        self,
        header: list[str],
        rows: list[list[Any]],
        widths: list[float] | None = None,
        highlight: Sequence[int] = (),
    ):
        """A table in small type; ``widths`` are fractions of the frame; header repeats."""
        from reportlab.platypus import Table, TableStyle

        cells = [[self.p(str(h), "cell") for h in header]]
        cells += [[self.p("" if v is None else str(v), "cell") for v in row] for row in rows]
        widths = [w * self.width for w in widths] if widths else None
        table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
        c = self.colors
        style = [
            ("BACKGROUND", (0, 0), (-1, 0), c.HexColor("#e8edf3")),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, c.HexColor("#4a78a8")),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, c.HexColor("#cccccc")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]
        style += [("BACKGROUND", (0, i + 1), (-1, i + 1), c.HexColor("#fbeeec")) for i in highlight]
        table.setStyle(TableStyle(style))
        return table


def _fmt(value: float, digits: int = 4) -> str:
    return f"{value:.{digits}g}"


def build_pdf(result, question: Question, sensitivity, comparison=None, paper: str = "a4") -> bytes:
    """The report as PDF bytes (see the module docstring for what is in it)."""
    from reportlab.lib.pagesizes import A4, letter
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Spacer

    import solver
    from solver import figures, tables
    from solver.sensitivity import headline

    _fonts()
    pagesize = A4 if paper == "a4" else letter
    margin = 18 * mm
    buffer = io.BytesIO()
    title = f"rackscale report: {result.accelerator} under {result.profile}"
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=title,
        author="rackscale",
        subject=result.explanation,
        creator=f"rackscale {solver.__version__}",
        producer=f"rackscale {solver.__version__} (reportlab)",
        invariant=1,
    )
    b = _Builder(doc.width, doc.height)
    d = result.design
    story: list[Any] = []
    add = story.append
    target = int(sensitivity["target"].iloc[0]) if len(sensitivity) else result.next_size
    lead = headline(sensitivity, result.binding)

    # Title page: the question and the answer.
    add(b.p("rackscale planning report", "title"))
    add(b.p(f"{d.accelerator.name} ({result.accelerator}) under {result.profile}", "subtitle"))
    add(b.p("The question", "h2"))
    pins = ", ".join(f"{k}={v}" for k, v in question.pins.items()) or "none"
    add(
        b.p(
            f"What is the largest all-to-all scale-up domain of {result.accelerator} that fits "
            f"one rack of profile '{result.profile}', with the catalogs, pins and overrides "
            "below, what limits it, and what would it take to go bigger?"
        )
    )
    rows = [
        ["catalogs", "<br/>".join(escape(c) for c in question.catalogs) or "-"],
        ["profile", escape(question.profile)],
        ["pins", escape(pins)],
        [
            "overrides (--set)",
            escape(", ".join(f"{k}={v}" for k, v in question.overrides)) or "none",
        ],
    ]
    if question.workload:
        rows.append(["workload", escape(question.workload)])
    add(_kv_table(b, rows))
    add(b.p("The answer", "h2"))
    add(b.p(result.explanation.split(": ", 1)[-1].capitalize() + ".", "answer"))
    add(b.p(lead))
    counts = d.counts()
    totals = result.totals
    facts = [
        ["domain", f"{result.domain_size} accelerators ({result.status}); next size {target}"],
        ["binding", ", ".join(result.binding) or "none named"],
        ["design", ", ".join(f"{k} {v}" for k, v in d.choices().items() if v)],
        ["counts", ", ".join(f"{k} {v}" for k, v in counts.items())],
        ["feed draw", f"{_fmt(totals['power'].to('kW').m)} kW"],
        ["loaded rack mass", f"{_fmt(totals['mass'].to('kg').m)} kg"],
    ]
    add(_kv_table(b, [[k, escape(v)] for k, v in facts]))
    add(Spacer(1, 8))
    add(
        b.p(
            f"rackscale {solver.__version__}. Input files and their SHA-256 are listed in "
            "Appendix B; every number in this report is re-derived from them.",
            "small",
        )
    )
    add(PageBreak())

    # 1 Limits
    add(b.p("1  Limits: how full each one is", "h1"))
    add(
        b.p(
            "Each bar is one limit of one constraint family, measured on the design in "
            "physical units. Red limits are binding: their families make the next size, "
            f"{target}, impossible."
        )
    )
    add(b.figure(figures.limits_chart(result), b.height * 0.5))
    add(b.p("Budgets", "h2"))
    budget_rows, marked = [], []
    for i, c in enumerate(result.checks):
        info = c.as_dict()
        binding = c.binding
        if binding:
            marked.append(i)
        budget_rows.append(
            [
                c.family + (" (binding)" if binding else ""),
                c.limit_name,
                info["used"],
                info["limit"],
                f"{c.utilization:.1%}",
            ]
        )
    add(
        b.table(
            ["family", "limit", "used", "limit", "use"],
            budget_rows,
            [0.2, 0.38, 0.15, 0.15, 0.12],
            marked,
        )
    )
    add(PageBreak())

    # 2 Sensitivity
    add(b.p("2  Sensitivity and what-if", "h1"))
    add(b.p(lead))
    add(b.figure(figures.tornado_chart(sensitivity, result.domain_size), b.height * 0.52))
    add(b.p(f"What it takes to reach {target}", "h2"))
    thresholds = sensitivity[sensitivity["kind"] == "threshold"]
    reach = thresholds[thresholds["reaches_target"]].sort_values("rank")
    if len(reach):
        add(
            b.table(
                ["rank", "figure", "needed", "domain then", "replay with"],
                [
                    [
                        int(r["rank"]),
                        r["note"],
                        f"{r['change_pct']:+.1f} %",
                        int(r["domain_size"]),
                        "--set " + r["set"],
                    ]
                    for _, r in reach.iterrows()
                ],
                [0.06, 0.36, 0.1, 0.1, 0.38],
            )
        )
    stuck = thresholds[~thresholds["reaches_target"]]
    if len(stuck):
        add(
            b.p(
                f"No relaxation alone reaches {target} (figures raised to ×4, or lowered to "
                "÷4 where lower relaxes) for: "
                + ", ".join(dict.fromkeys(r["label"] for _, r in stuck.iterrows()))
                + ".",
                "small",
            )
        )
    add(b.p("Domain size at each step", "h2"))
    add(
        b.p(
            "Columns change the figure's value; for power figures of the design (accelerator, "
            "tray overhead) a lower value relaxes the design.",
            "small",
        )
    )
    sweep = sensitivity[sensitivity["kind"] == "sweep"]
    steps = sorted(sweep["factor"].unique())
    grid = []
    for key, group in sweep.groupby("parameter", sort=False):
        by = dict(zip(group["factor"], group["domain_size"], strict=True))
        first = group.iloc[0]
        grid.append([f"{first['label']} ({key})", _base(first)] + [by.get(s, "") for s in steps])
    head = ["figure", "base"] + [f"{(s - 1) * 100:+.0f} %" for s in steps]
    rest = (1 - 0.46) / max(len(steps), 1)
    add(b.table(head, grid, [0.34, 0.12] + [rest] * len(steps)))
    add(PageBreak())

    # 3 Geometry
    add(b.p("3  Rack elevation and cable runs", "h1"))
    layout = tables.layout_of(result)
    if layout is None:
        add(
            b.p(
                "This result carries no rack layout (geometry is not modelled for it), so "
                "there is no elevation or cable-run histogram."
            )
        )
    else:
        elevation = _elevation(result)
        if elevation is not None:
            add(b.figure(elevation, b.height * 0.62))
        runs = tables.runs_of(result)
        if runs:
            usable = None
            if d.cable is not None:
                usable = float(result.space.usable_reach(d.cable).to("m").m)
            add(b.figure(figures.runs_histogram(runs, usable), b.height * 0.3))
            stats = ", ".join(
                f"{k.replace('_', ' ')} {_fmt(v.to('m').m)} m"
                for k, v in totals.items()
                if k in ("max_run", "mean_run", "total_cable_length")
            )
            add(b.p(f"{_fmt(sum(n for _, n in runs))} cables; {stats}."))
    add(PageBreak())

    # 4 Bill of materials
    add(b.p("4  Bill of materials", "h1"))
    bom = tables.bom_frame([result])
    add(
        b.table(
            ["item", "id", "count", "unit kW", "unit kg", "kW", "kg", "note"],
            [
                [
                    r["item"],
                    r["id"],
                    _count(r["count"]),
                    _num(r["unit_power_kW"]),
                    _num(r["unit_mass_kg"]),
                    _num(r["power_kW"]),
                    _num(r["mass_kg"]),
                    r["note"],
                ]
                for _, r in bom.iterrows()
            ],
            [0.12, 0.2, 0.07, 0.09, 0.09, 0.09, 0.09, 0.25],
        )
    )

    # 5 Comparison
    if comparison is not None:
        add(PageBreak())
        add(b.p(f"5  Comparison on {question.workload}", "h1"))
        add(
            b.p(
                "The solved design against wafer-scale and SRAM-chip systems on the same "
                "workload. Every figure is an upper bound (memory bandwidth, compute and "
                "interconnect), not a measured speed."
            )
        )
        add(b.figure(figures.comparison_chart(comparison, question.workload), b.height * 0.6))
        add(
            b.table(
                [
                    "design",
                    "mode",
                    "racks",
                    "kW",
                    "tokens/s per user",
                    "tokens/s at target",
                    "tokens/J",
                    "USD per M tokens",
                    "interconnect tax",
                    "note",
                ],
                [
                    [
                        r["design"],
                        r["mode"],
                        r["racks"],
                        _num(r["power_kW"]),
                        _num(r["decode_tokens_per_s_per_user"]),
                        _num(r["throughput_at_target"]),
                        _num(r["tokens_per_joule"], 3),
                        _num(r["cost_per_million_tokens_USD"], 3),
                        _pct(r["interconnect_tax"]),
                        r["note"],
                    ]
                    for _, r in comparison.iterrows()
                ],
                [0.09, 0.1, 0.07, 0.07, 0.08, 0.09, 0.07, 0.08, 0.08, 0.27],
            )
        )
    add(PageBreak())

    # 6 Assumptions
    add(b.p("6  Assumptions and their sources", "h1"))
    add(
        b.p(
            "Every figure comes from the catalog entries the design uses and from the "
            "profile. Fields listed as estimates are engineering estimates, not published "
            "figures."
        )
    )
    for category, entry in _entries(result):
        add(b.p(f"{category}: {entry.id} — {entry.name}", "h2"))
        add(b.p(f"Source: {entry.source}", "small"))
        estimates = ", ".join(entry.estimates) if entry.estimates else "none"
        add(b.p(f"Estimates: {estimates}", "small"))
        if getattr(entry, "notes", ""):
            add(b.p(f"Notes: {entry.notes}", "small"))
    add(PageBreak())

    # Appendices
    add(b.p("Appendix A  The full design", "h1"))
    rows = [[k, escape(str(v))] for k, v in d.choices().items() if v]
    rows.append(["topology", escape(d.topology)])
    rows += [[k, str(v)] for k, v in counts.items()]
    rows += [[k, escape(f"{_fmt(float(v.m))} {v.units:~P}")] for k, v in totals.items()]
    rows += [
        ["status", result.status],
        ["explanation", escape(result.explanation)],
        [
            "CP-SAT",
            f"{result.solve.solves} solves, {result.solve.workers} worker, seed "
            f"{result.solve.seed}, time limit {result.solve.time_limit_s:g} s",
        ],
    ]
    add(_kv_table(b, rows))
    add(b.p("Every limit, exactly", "h2"))
    add(
        b.table(
            ["family", "limit", "used", "limit", "use"],
            [
                [
                    c.family,
                    c.limit_name,
                    f"{float(c.used.m):.6g} {c.used.units:~P}",
                    f"{float(c.limit.to(c.used.units).m):.6g} {c.used.units:~P}",
                    f"{c.utilization:.4%}",
                ]
                for c in result.checks
            ],
            [0.16, 0.38, 0.17, 0.17, 0.12],
        )
    )
    add(b.p("Appendix B  Reproducibility", "h1"))
    add(
        b.p(
            f"Produced by rackscale {solver.__version__}. The same input files give the same "
            "CSV bytes and the same PDF: solves use one CP-SAT worker and a fixed seed, and "
            "no wall times or dates are recorded."
        )
    )
    add(
        b.table(
            ["input file", "sha256"],
            [[f.path, f.sha256] for f in result.inputs],
            [0.38, 0.62],
        )
    )

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillGray(0.35)
        canvas.drawString(margin, margin / 2, f"rackscale {solver.__version__} · {title[18:]}")
        canvas.drawRightString(pagesize[0] - margin, margin / 2, f"page {document.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _elevation(result):
    """The rack elevation figure from :mod:`solver.elevation` (issue #3), where it exists."""
    try:
        from solver.elevation import draw
    except ImportError:
        return None
    return draw(result.design, result.space)


def _kv_table(b: _Builder, rows: list[list[str]]):
    from reportlab.platypus import Table, TableStyle

    cells = [[b.p(k, "cell"), b.p(v, "cell", raw=True)] for k, v in rows]
    table = Table(cells, colWidths=[0.22 * b.width, 0.78 * b.width], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, b.colors.HexColor("#cccccc")),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _missing(value) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


def _count(value) -> str:
    return "" if _missing(value) else str(int(value))


def _num(value, digits: int = 4) -> str:
    if _missing(value):
        return ""
    v = float(value)
    return f"{v:,.{digits}g}" if abs(v) < 1e4 else f"{v:,.0f}"


def _pct(value) -> str:
    return "" if _missing(value) else f"{float(value):.1%}"


def _base(row) -> str:
    unit = row["unit"].replace("^2", "²")
    return f"{row['base']:.4g} {unit}".strip()


def _entries(result) -> list[tuple[str, Any]]:
    """The catalog entries the design uses (and the profile), for the assumptions section."""
    d, s = result.design, result.space
    out: list[tuple[str, Any]] = [("accelerator", d.accelerator), ("compute tray", d.tray)]
    if d.switch_tray is not None:
        out += [("switch tray", d.switch_tray), ("switch chip", s.chip(d.switch_tray))]
    if d.cable is not None:
        out.append(("cable", d.cable))
    out += [("rack", d.rack), ("power shelf", d.shelf), ("cooling", d.cooling)]
    coolant = s.coolant(d.cooling)
    if coolant is not None:
        out.append(("coolant", coolant))
    out.append(("profile", s.profile))
    return out
