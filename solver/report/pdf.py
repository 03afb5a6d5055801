"""The planning report: a PDF a colleague reads in five minutes, and the CSV set beside it.

:func:`report_files` runs the sensitivity (unless given) and the comparison when a workload
is named, renders every CSV and the PDF in memory, and returns them by file name;
:func:`write_report` moves them into place together (:func:`solver.report.files.write_atomically`),
so a run that fails on the way leaves the previous report untouched.

The PDF is laid out with reportlab (platypus); charts are matplotlib figures rendered to
SVG and converted by svglib into reportlab drawings, so they stay vector. Text is real
text in DejaVu Sans (shipped with matplotlib, for ², µ, → and ×), pages are numbered, and
the document is built with reportlab's ``invariant`` mode and without wall times, so the
same inputs give the same bytes.

Each section of the PDF is one function (:data:`SECTIONS`) from a :class:`Page` context to
flowables. Print rules the sections keep: no text under 7 pt (charts are scaled at most
down to that), table columns sized so that no word is split, and sections that start on a
new page only when the previous one filled most of its last.
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

    ``sensitivity`` may be passed in when already computed
    (:func:`solver.sensitivity.sensitivity`).
    """
    from solver.report.csv import csv_set
    from solver.report.json import to_json

    if not result.ok or result.design is None:
        raise UsageError(f"{result.accelerator}: no design to report ({result.explanation})")
    if paper not in PAPERS:
        raise UsageError(f"--paper {paper!r}: expected one of {', '.join(PAPERS)}")
    question = question or question_of(result)
    if sensitivity is None:
        from solver.sensitivity import sensitivity as run_sensitivity

        sensitivity = run_sensitivity(result, factors, workers=workers)
    comparison = comparison_frame(result, question.workload, context) if question.workload else None
    files = csv_set([result], sensitivity, comparison)
    files["solve.json"] = (to_json(result, stable=True) + "\n").encode()
    files["report.pdf"] = build_pdf(result, question, sensitivity, comparison, paper)
    return files


def write_report(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write the report's files together; nothing is replaced unless all were rendered."""
    from solver.report.files import write_atomically

    return write_atomically(Path(out_dir), files)


# --- the PDF -----------------------------------------------------------------------------

MIN_FONT = 7.0
"""Smallest type in the report, in points (labels of charts included)."""
CELL_PADDING = 3.0
"""Left and right padding of a table cell, in points."""


def _fonts() -> None:
    import matplotlib
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from svglib.fonts import register_font

    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(ttf / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(ttf / "DejaVuSans-Bold.ttf")))
    # matplotlib's SVG names the font; svglib then draws chart text in the same font.
    register_font("DejaVu Sans", str(ttf / "DejaVuSans.ttf"), rlgFontName=FONT)
    register_font("DejaVu Sans", str(ttf / "DejaVuSans-Bold.ttf"), "bold", rlgFontName=BOLD)
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, BOLD)
    addMapping(FONT, 0, 1, FONT)
    addMapping(FONT, 1, 1, BOLD)


def column_widths(texts: list[list[str]], total: float, font: str, size: float) -> list[float]:
    """Column widths (points) summing to ``total`` in which no word of ``texts`` (rows of
    cell texts, header included) has to be split: each column gets at least its longest
    word, and the rest of the width goes to the columns in proportion to how much more
    their longest cell needs to sit on one line."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    pad = 2 * CELL_PADDING + 0.5

    def width(text: str) -> float:
        return stringWidth(text, font, size) + pad

    columns = list(zip(*texts, strict=True))
    least = [max(width(w) for cell in col for w in (cell.split() or [""])) for col in columns]
    whole = [max(max(width(line) for line in cell.split("\n")) for cell in col) for col in columns]
    spare = total - sum(least)
    if spare <= 0:  # words wider than the page: share it by the longest words
        return [w * total / sum(least) for w in least]
    want = [max(w - m, 0.0) for w, m in zip(whole, least, strict=True)]
    if sum(want) <= spare:  # everything fits on one line: spread what is left evenly
        extra = (spare - sum(want)) / len(columns)
        return [m + w + extra for m, w in zip(least, want, strict=True)]
    return [m + spare * w / sum(want) for m, w in zip(least, want, strict=True)]


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
            "cell": ParagraphStyle(
                "cell", parent=base, fontSize=7.2, leading=8.8, spaceAfter=0, splitLongWords=0
            ),
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
                keepWithNext=1,
            ),
            "h2": ParagraphStyle(
                "h2",
                parent=base,
                fontName=BOLD,
                fontSize=10.5,
                leading=14,
                spaceBefore=8,
                spaceAfter=4,
                keepWithNext=1,
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
        """A matplotlib figure as a vector reportlab drawing, scaled to fit the frame (or
        ``max_height``) but never so far that its smallest text falls under
        :data:`MIN_FONT` (a figure that would is drawn at that scale and may overflow onto
        a page of its own)."""
        from svglib.svglib import svg2rlg

        from solver.report.figures import smallest_font, to_svg

        drawing = svg2rlg(io.BytesIO(to_svg(fig)))
        limit = min(max_height or self.height, self.height)
        scale = min(self.width / drawing.width, limit / drawing.height)
        scale = max(scale, MIN_FONT / smallest_font(fig))
        drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
        drawing.scale(scale, scale)
        drawing.hAlign = "CENTER"
        return drawing

    def table(
        self,
        header: list[str],
        rows: list[list[Any]],
        highlight: Sequence[int] = (),
    ):
        """A table in small type, columns sized to their content (no word split); the header
        repeats on every page it spans."""
        from reportlab.platypus import Table

        texts = [[str(h) for h in header]]
        texts += [["" if v is None else str(v) for v in row] for row in rows]
        style = self.styles["cell"]
        widths = column_widths(texts, self.width, style.fontName, style.fontSize)
        cells = [[self.p(t, "cell") for t in row] for row in texts]
        table = Table(cells, colWidths=widths, repeatRows=1, hAlign="LEFT")
        c = self.colors
        rules = [
            ("BACKGROUND", (0, 0), (-1, 0), c.HexColor("#e8edf3")),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, c.HexColor("#4a78a8")),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, c.HexColor("#cccccc")),
        ]
        rules += [("BACKGROUND", (0, i + 1), (-1, i + 1), c.HexColor("#fbeeec")) for i in highlight]
        table.setStyle(self._table_style(rules))
        return table

    def kv_table(self, rows: list[list[str]]):
        """Two columns, name and value (value text is reportlab markup, already escaped)."""
        from reportlab.platypus import Table

        style = self.styles["cell"]
        names = [[k, ""] for k, _ in rows]
        key = column_widths(names, self.width, style.fontName, style.fontSize)[0]
        key = max(key - (self.width - key) / 2, 0.18 * self.width)  # widths spread evenly
        cells = [[self.p(k, "cell"), self.p(v, "cell", raw=True)] for k, v in rows]
        table = Table(cells, colWidths=[key, self.width - key], hAlign="LEFT")
        rules = [("LINEBELOW", (0, 0), (-1, -1), 0.25, self.colors.HexColor("#cccccc"))]
        table.setStyle(self._table_style(rules))
        return table

    @staticmethod
    def _table_style(rules: list):
        from reportlab.platypus import TableStyle

        return TableStyle(
            [
                *rules,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ]
        )


@dataclass(frozen=True)
class Page:
    """What every section reads: the result, the question, the analysis frames, and the
    builder sized to the page."""

    result: Any
    question: Question
    sensitivity: Any
    comparison: Any
    b: _Builder

    @property
    def target(self) -> int:
        s = self.sensitivity
        return int(s["target"].iloc[0]) if len(s) else self.result.next_size

    @property
    def lead(self) -> str:
        from solver.sensitivity import headline

        return headline(self.sensitivity, self.result.binding)


def _fmt(value: float, digits: int = 4) -> str:
    return f"{value:.{digits}g}"


def title_page(page: Page) -> list:
    """The question (inputs as named) and the answer (domain, binding, design, totals)."""
    from reportlab.platypus import Spacer

    import solver

    b, result, question = page.b, page.result, page.question
    d = result.design
    out = [
        b.p("rackscale planning report", "title"),
        b.p(f"{d.accelerator.name} ({result.accelerator}) under {result.profile}", "subtitle"),
        b.p("The question", "h2"),
        b.p(
            f"What is the largest all-to-all scale-up domain of {result.accelerator} that fits "
            f"the racks of profile '{result.profile}', with the catalogs, pins and overrides "
            "below, what limits it, and what would it take to go bigger?"
        ),
    ]
    pins = ", ".join(f"{k}={v}" for k, v in question.pins.items()) or "none"
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
    out += [b.kv_table(rows), b.p("The answer", "h2")]
    out.append(b.p(result.explanation.split(": ", 1)[-1].capitalize() + ".", "answer"))
    out.append(b.p(page.lead))
    totals = result.totals
    facts = [
        [
            "domain",
            f"{result.domain_size} accelerators ({result.status}); next size {page.target}",
        ],
        ["binding", ", ".join(result.binding) or "none named"],
        ["design", ", ".join(f"{k} {v}" for k, v in d.choices().items() if v)],
        ["counts", ", ".join(f"{k} {v}" for k, v in d.counts().items())],
        ["feed draw", f"{_fmt(totals['power'].to('kW').m)} kW per rack"],
        ["loaded rack mass", f"{_fmt(totals['mass'].to('kg').m)} kg"],
    ]
    if "domain_power" in totals:
        facts.insert(5, ["domain draw", f"{_fmt(totals['domain_power'].to('kW').m)} kW"])
    out.append(b.kv_table([[k, escape(v)] for k, v in facts]))
    out.append(Spacer(1, 8))
    out.append(
        b.p(
            f"rackscale {solver.__version__}. Input files and their SHA-256 are listed in "
            "Appendix B; every number in this report is re-derived from them.",
            "small",
        )
    )
    return out


def limits(page: Page) -> list:
    """1: every limit's use as a chart, and the budget table."""
    from solver.report import figures

    b, result = page.b, page.result
    out = [
        b.p("1  Limits: how full each one is", "h1"),
        b.p(
            "Each bar is one limit of one constraint family, measured on the design in "
            "physical units. Red limits are binding: their families make the next size, "
            f"{page.target}, impossible."
        ),
        b.figure(figures.limits_chart(result)),
        b.p("Budgets", "h2"),
    ]
    rows, marked = [], []
    for i, c in enumerate(result.checks):
        info = c.as_dict()
        if c.binding:
            marked.append(i)
        rows.append(
            [
                c.family + (" (binding)" if c.binding else ""),
                c.limit_name,
                info["used"],
                info["limit"],
                f"{c.utilization:.1%}",
            ]
        )
    out.append(b.table(["family", "limit", "used", "limit", "use"], rows, marked))
    return out


def sensitivity_section(page: Page) -> list:
    """2: the tornado chart, what reaches the next size, and the sweep grid."""
    from solver.report import figures

    b, result, frame, target = page.b, page.result, page.sensitivity, page.target
    out = [
        b.p("2  Sensitivity and what-if", "h1"),
        b.p(page.lead),
        b.figure(figures.tornado_chart(frame, result.domain_size)),
        b.p(f"What it takes to reach {target}", "h2"),
    ]
    thresholds = frame[frame["kind"] == "threshold"]
    reach = thresholds[thresholds["reaches_target"]].sort_values("rank")
    if len(reach):
        rows = [
            [
                int(r["rank"]),
                r["note"],
                f"{r['change_pct']:+.1f} %",
                int(r["domain_size"]),
                "--set " + r["set"],
            ]
            for _, r in reach.iterrows()
        ]
        out.append(b.table(["rank", "figure", "needed", "domain then", "replay with"], rows))
    stuck = thresholds[~thresholds["reaches_target"]]
    if len(stuck):
        out.append(
            b.p(
                f"No relaxation alone reaches {target} (figures raised to ×4, or lowered to "
                "÷4 where lower relaxes) for: "
                + ", ".join(dict.fromkeys(r["label"] for _, r in stuck.iterrows()))
                + ".",
                "small",
            )
        )
    out.append(b.p("Domain size at each step", "h2"))
    out.append(
        b.p(
            "Columns change the figure's value; for power figures of the design (accelerator, "
            "tray overhead) a lower value relaxes the design.",
            "small",
        )
    )
    sweep = frame[frame["kind"] == "sweep"]
    steps = sorted(sweep["factor"].unique())
    grid = []
    for key, group in sweep.groupby("parameter", sort=False):
        by = dict(zip(group["factor"], group["domain_size"], strict=True))
        first = group.iloc[0]
        grid.append([f"{first['label']} ({key})", _base(first)] + [by.get(s, "") for s in steps])
    head = ["figure", "base"] + [f"{(s - 1) * 100:+.0f} %" for s in steps]
    out.append(b.table(head, grid))
    return out


def geometry(page: Page) -> list:
    """3: the row (several racks), each distinct rack's elevation, and the spine runs."""
    from solver.report import elevation, figures
    from solver.report.csv import layout_of, runs_of

    b, result = page.b, page.result
    d = result.design
    out = [b.p("3  Rack elevation and cable runs", "h1")]
    if layout_of(result) is None:
        out.append(
            b.p(
                "This result carries no rack layout (geometry is not modelled for it), so "
                "there is no elevation or cable-run histogram."
            )
        )
        return out
    if d.racks > 1 or d.spine_racks:
        out.append(b.figure(elevation.draw_row(d, result.space)))
    for fig in elevation.draw_racks(d, result.space):
        out.append(b.figure(fig))
    runs = runs_of(result)
    if runs:
        usable = None
        if d.cable is not None:
            usable = float(result.space.usable_reach(d.cable).to("m").m)
        out.append(b.figure(figures.runs_histogram(runs, usable)))
        stats = ", ".join(
            f"{k.replace('_', ' ')} {_fmt(v.to('m').m)} m"
            for k, v in result.totals.items()
            if k in ("max_run", "mean_run", "total_cable_length")
        )
        rack = " in each compute rack" if d.racks > 1 else ""
        out.append(b.p(f"{_fmt(sum(n for _, n in runs))} spine cables{rack}; {stats}."))
    return out


def bill_of_materials(page: Page) -> list:
    """4: one compute rack's parts, its feed draw and mass, and domain-wide parts."""
    from solver.report.csv import bom_frame

    b = page.b
    bom = bom_frame([page.result])
    rows = [
        [
            r["item"].replace("_", " "),
            r["id"],
            _count(r["count"]),
            _num(r["unit_power_kW"]),
            _num(r["unit_mass_kg"]),
            _num(r["power_kW"]),
            _num(r["mass_kg"]),
            r["note"],
        ]
        for _, r in bom.iterrows()
    ]
    header = ["item", "id", "count", "unit kW", "unit kg", "kW", "kg", "note"]
    return [b.p("4  Bill of materials", "h1"), b.table(header, rows)]


def comparison(page: Page) -> list:
    """5 (with a workload): the design against wafer-scale and SRAM-chip systems."""
    from solver.report import figures

    b, frame, workload = page.b, page.comparison, page.question.workload
    if frame is None:
        return []
    rows = [
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
        for _, r in frame.iterrows()
    ]
    header = [
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
    ]
    return [
        b.p(f"5  Comparison on {workload}", "h1"),
        b.p(
            "The solved design against wafer-scale and SRAM-chip systems on the same "
            "workload. Every figure is an upper bound (memory bandwidth, compute and "
            "interconnect), not a measured speed."
        ),
        b.figure(figures.comparison_chart(frame, workload)),
        b.table(header, rows),
    ]


def assumptions(page: Page) -> list:
    """6: each catalog entry the design uses, with its source and estimated fields."""
    b = page.b
    out = [
        b.p("6  Assumptions and their sources", "h1"),
        b.p(
            "Every figure comes from the catalog entries the design uses and from the "
            "profile. Fields listed as estimates are engineering estimates, not published "
            "figures."
        ),
    ]
    for category, entry in _entries(page.result):
        out.append(b.p(f"{category}: {entry.id} — {entry.name}", "h2"))
        out.append(b.p(f"Source: {entry.source}", "small"))
        estimates = ", ".join(entry.estimates) if entry.estimates else "none"
        out.append(b.p(f"Estimates: {estimates}", "small"))
        if getattr(entry, "notes", ""):
            out.append(b.p(f"Notes: {entry.notes}", "small"))
    return out


def full_design(page: Page) -> list:
    """Appendix A: every choice, count and total, and every limit to six digits."""
    b, result = page.b, page.result
    d = result.design
    rows = [[k, escape(str(v))] for k, v in d.choices().items() if v]
    rows.append(["topology", escape(d.topology)])
    rows += [[k, str(v)] for k, v in d.counts().items()]
    rows += [[k, escape(f"{_fmt(float(v.m))} {v.units:~P}")] for k, v in result.totals.items()]
    rows += [
        ["status", result.status],
        ["explanation", escape(result.explanation)],
        [
            "CP-SAT",
            f"{result.solve.solves} solves, {result.solve.workers} worker, seed "
            f"{result.solve.seed}, time limit {result.solve.time_limit_s:g} s",
        ],
    ]
    exact = [
        [
            c.family,
            c.limit_name,
            f"{float(c.used.m):.6g} {c.used.units:~P}",
            f"{float(c.limit.to(c.used.units).m):.6g} {c.used.units:~P}",
            f"{c.utilization:.4%}",
        ]
        for c in result.checks
    ]
    return [
        b.p("Appendix A  The full design", "h1"),
        b.kv_table(rows),
        b.p("Every limit, exactly", "h2"),
        b.table(["family", "limit", "used", "limit", "use"], exact),
    ]


def reproducibility(page: Page) -> list:
    """Appendix B: the input files and their SHA-256."""
    import solver

    b = page.b
    return [
        b.p("Appendix B  Reproducibility", "h1"),
        b.p(
            f"Produced by rackscale {solver.__version__}. The same input files give the same "
            "CSV bytes and the same PDF: solves use one CP-SAT worker and a fixed seed, and "
            "no wall times or dates are recorded."
        ),
        b.table(["input file", "sha256"], [[f.path, f.sha256] for f in page.result.inputs]),
    ]


SECTIONS = (
    title_page,
    limits,
    sensitivity_section,
    geometry,
    bill_of_materials,
    comparison,
    assumptions,
    full_design,
    reproducibility,
)
"""The report's sections in order; each starts on a new page unless the page before it is
less than :data:`KEEP_ON_PAGE` full (then it follows on the same page)."""
KEEP_ON_PAGE = 0.6
"""A section follows the previous one on its page when at least this share of it is free."""


def story(page: Page) -> list:
    """Every section's flowables, joined by page breaks (see :data:`SECTIONS`)."""
    from reportlab.platypus import CondPageBreak

    out: list = []
    for section in SECTIONS:
        part = section(page)
        if part and out:
            out.append(CondPageBreak(KEEP_ON_PAGE * page.b.height))
        out += part
    return out


def build_pdf(result, question: Question, sensitivity, comparison=None, paper: str = "a4") -> bytes:
    """The report as PDF bytes (see the module docstring for what is in it)."""
    return render_pdf(result, question, sensitivity, comparison, paper)[0]


def render_pdf(result, question: Question, sensitivity, comparison=None, paper: str = "a4"):
    """The PDF bytes and the flowables it was built from, laid out (tables keep their
    wrapped cells: what a check of the typesetting reads)."""
    from reportlab.lib.pagesizes import A4, letter
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    import solver

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
    page = Page(result, question, sensitivity, comparison, _Builder(doc.width, doc.height))
    flowables = story(page)

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(FONT, MIN_FONT)
        canvas.setFillGray(0.35)
        canvas.drawString(margin, margin / 2, f"rackscale {solver.__version__} · {title[18:]}")
        canvas.drawRightString(pagesize[0] - margin, margin / 2, f"page {document.page}")
        canvas.restoreState()

    doc.build(list(flowables), onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue(), flowables


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
    if d.xcable is not None and d.xcable is not d.cable:
        out.append(("inter-rack cable", d.xcable))
    out += [("rack", d.rack), ("power shelf", d.shelf), ("cooling", d.cooling)]
    coolant = s.coolant(d.cooling)
    if coolant is not None:
        out.append(("coolant", coolant))
    if d.ocs is not None:
        out.append(("optical switch", d.ocs))
    out.append(("profile", s.profile))
    return out
