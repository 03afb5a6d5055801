"""The planning report: PDF sections and text, the CSV set, reproducibility, atomic writes."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from conftest import SMALL

from solver import sensitivity
from solver.cli import main
from solver.engine import solve
from solver.report import figures, pdf

pypdf = pytest.importorskip("pypdf")

SECTIONS = (
    "The question",
    "The answer",
    "1 Limits",
    "Budgets",
    "2 Sensitivity and what-if",
    "3 Rack elevation and cable runs",
    "4 Bill of materials",
    "6 Assumptions and their sources",
    "Appendix A The full design",
    "Appendix B Reproducibility",
)
CSVS = {
    "solve_summary.csv",
    "solve_bom.csv",
    "solve_budgets.csv",
    "solve_sensitivity.csv",
    "solve_layout.csv",
    "solve_cable_runs.csv",
}


@pytest.fixture
def quick(monkeypatch):
    """Sensitivity on two knobs and two steps, in this process (keeps CLI tests fast)."""
    full = sensitivity.sensitivity

    def fast(result, factors=None, **kwargs):
        kwargs.update(only=["switch chip ports", "profile.feed_power"], workers=1, executor=None)
        return full(result, (0.5, 1.5), **kwargs)

    monkeypatch.setattr(sensitivity, "sensitivity", fast)


def pdf_text(path) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), text


def test_solve_report_writes_pdf_and_csv_set(quick, tmp_path, capsys):
    code = main(["solve", *SMALL, "--pin", "accelerator=xpu", "--report", "--out", str(tmp_path)])
    assert code == 0
    out = capsys.readouterr().out
    assert "move switch chip ports (test-switch-chip) 72 → 76 (+4) first" in out
    names = {p.name for p in tmp_path.iterdir()}
    assert names == CSVS | {"solve.json", "report.pdf"}
    pages, text = pdf_text(tmp_path / "report.pdf")
    assert pages >= 6
    assert "72 accelerators is the largest domain; 76 is impossible because of topology" in text
    assert "topology (binding)" in text and "100.0%" in text
    for section in SECTIONS:
        assert section in text, section
    assert "switch chip ports (test-switch-chip) 72 → 76 (+4)" in text
    assert "--set switch_chips.test-switch-chip.ports=76" in text
    assert "page 1" in text and f"page {pages}" in text
    for f in ("catalog.yaml", "small-profile.yaml"):
        assert f in text
    for name in CSVS:  # every CSV reads back with pandas without options
        frame = pd.read_csv(tmp_path / name)
        assert len(frame) > 0, name
    bom = pd.read_csv(tmp_path / "solve_bom.csv")
    parts, total = bom[bom["item"] != "total"], bom[bom["item"] == "total"].iloc[0]
    assert parts["power_kW"].sum() == pytest.approx(total["power_kW"], rel=1e-4)
    assert parts["mass_kg"].sum() == pytest.approx(total["mass_kg"], rel=1e-4)
    assert bom.set_index("item").loc["accelerator", "count"] == 72
    sens = pd.read_csv(tmp_path / "solve_sensitivity.csv")
    assert sens["kind"].tolist().count("threshold") == 2
    runs = pd.read_csv(tmp_path / "solve_cable_runs.csv")
    summary = pd.read_csv(tmp_path / "solve_summary.csv")
    assert runs["cables"].sum() == pytest.approx(summary.loc[0, "cables"])


@pytest.mark.slow  # full report runs; reproducibility also held by test_cli
def test_report_twice_gives_identical_files(quick, tmp_path):
    args = ["report", *SMALL, "--pin", "accelerator=xpu", "--paper", "letter"]
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    assert main([*args, "--out", str(tmp_path / "b")]) == 0
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    reader = pypdf.PdfReader(tmp_path / "a" / "report.pdf")
    assert round(float(reader.pages[0].mediabox.width)) == 612  # Letter
    assert reader.metadata["/CreationDate"].startswith("D:2000")


@pytest.mark.slow  # two full report runs
def test_failed_run_leaves_the_previous_report_untouched(quick, tmp_path, monkeypatch):
    args = ["report", *SMALL, "--pin", "accelerator=xpu", "--out", str(tmp_path)]
    assert main(args) == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def broken(*_, **__):
        raise RuntimeError("figure failed")

    monkeypatch.setattr("solver.report.figures.tornado_chart", broken)
    with pytest.raises(RuntimeError, match="figure failed"):
        main([*args, "--set", "profile.feed_power=100 kW"])
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == before  # same files, same bytes, no temporary files left


def test_report_needs_one_accelerator(tmp_path, capsys):
    assert main(["report", *SMALL, "--out", str(tmp_path)]) == 2
    assert "a report covers one design: add --pin accelerator=ID" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_infeasible_report_exits_1_with_plain_files(tmp_path, capsys):
    args = ["report", *SMALL, "--pin", "accelerator=xpu", "--set", "profile.feed_power=1 kW"]
    assert main([*args, "--out", str(tmp_path)]) == 1
    assert "no report" in capsys.readouterr().err
    assert "report.pdf" not in {p.name for p in tmp_path.iterdir()}


def test_gb200_report_with_comparison(shipped, tmp_path):
    """Library route: the GB200 design against wafer-scale systems on one workload."""
    catalog, profile = shipped
    result = solve(catalog, profile, accelerator="gb200")
    sens = sensitivity.sensitivity(result, (0.9, 1.1), only=["topology"], workers=1)
    question = pdf.question_of(result, {"accelerator": "gb200"}, (), "llama-3.1-70b")
    files = pdf.report_files(result, question, "a4", sensitivity=sens)
    assert "solve_comparison.csv" in files
    frame = pdf.comparison_frame(result, "llama-3.1-70b")
    again, flowables = pdf.render_pdf(result, question, sens, frame)
    assert again == files["report.pdf"]
    assert_print_ready(again, flowables)
    comparison = pd.read_csv(io.BytesIO(files["solve_comparison.csv"]))
    assert {"gb200", "cs-3"} <= set(comparison["design"])
    pdf.write_report(tmp_path, files)
    _, text = pdf_text(tmp_path / "report.pdf")
    assert "5 Comparison on llama-3.1-70b" in text and "cs-3" in text
    assert "switch chip ports (nvswitch-nvlink5) 72 → 76 (+4)" in text
    assert "nvl72-rack" in text and "Source: https://" in text


@pytest.mark.slow
def test_gb200_cli_report_full(shipped, tmp_path, capsys):
    args = ["solve", "--pin", "accelerator=gb200", "--report", "--workload", "deepseek-v3"]
    assert main([*args, "--out", str(tmp_path)]) == 0
    assert "switch chip ports (nvswitch-nvlink5) 72 → 76 (+4) first" in capsys.readouterr().out
    pages, text = pdf_text(tmp_path / "report.pdf")
    assert pages >= 8 and "5 Comparison on deepseek-v3" in text
    for name in (*CSVS, "solve_comparison.csv"):
        assert len(pd.read_csv(tmp_path / name)) > 0


# --- print quality: what can be checked of "readable at print size" -----------------------

MIN_PT = 7.0


def _product(m, n):
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return [
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    ]


def text_runs(data: bytes) -> list[list[tuple[float, float, str]]]:
    """Per page, every run of text as (size on the page in pt, baseline height, text): the
    font size times the scale of the text and transformation matrices, so a chart's label
    shrunk with its drawing counts at the size it is printed."""
    pages = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        runs: list[tuple[float, float, str]] = []

        def visit(text, cm, tm, _font, size, runs=runs):
            if text.strip():
                m = _product(tm, cm)
                runs.append((size * abs(m[0] * m[3] - m[1] * m[2]) ** 0.5, m[5], text.strip()))

        page.extract_text(visitor_text=visit)
        pages.append(runs)
    return pages


def cell_paragraphs(flowables):
    from reportlab.platypus import Paragraph, Table

    for f in flowables:
        if isinstance(f, Table):
            for row in f._cellvalues:
                for cell in row:  # a flowable cell is kept in a tuple once laid out
                    cells = cell if isinstance(cell, list | tuple) else [cell]
                    yield from (c for c in cells if isinstance(c, Paragraph))


def assert_print_ready(data: bytes, flowables, page_height: float = 842):
    """No text under 7 pt; no page more than two-thirds empty unless the next page starts a
    section (or it is the last); no table cell with a word broken across lines."""
    from reportlab.lib.units import mm

    pages = text_runs(data)
    small = [
        (i + 1, round(s, 2), t)
        for i, runs in enumerate(pages)
        for s, _, t in runs
        if s < MIN_PT - 0.01
    ]
    assert not small, f"text under {MIN_PT} pt (page, size, text): {small[:5]}"
    top, bottom = page_height - 18 * mm, 18 * mm
    for i, runs in enumerate(pages[:-1]):
        starts_section = any(s >= 13.9 and y > top - 40 for s, y, _ in pages[i + 1])
        if starts_section:
            continue
        lowest = min(y for _, y, _ in runs if y > bottom)  # the footer sits in the margin
        fill = (top - lowest) / (top - bottom)
        assert fill >= 1 / 3, f"page {i + 1} is {fill:.0%} full and does not end a section"
    cells = list(cell_paragraphs(flowables))
    assert cells
    # reportlab may shrink spaces a little to fit a line (the text then runs into the cell's
    # padding, not past its border); a word wider than its column runs further
    for p in cells:
        assert p.style.splitLongWords == 0
        lines = p.blPara.lines
        if p.blPara.kind == 0:
            words = [w for _, line in lines for w in line]
            assert words == p.getPlainText().split(), f"a word is broken: {words}"
            overflow = [extra for extra, _ in lines if extra < -pdf.CELL_PADDING]
        else:
            overflow = [line.extraSpace for line in lines if line.extraSpace < -pdf.CELL_PADDING]
        assert not overflow, f"{p.getPlainText()!r} is wider than its column"


def test_small_report_is_print_ready():
    from conftest import solve_small

    result = solve_small()
    sens = sensitivity.sensitivity(result, (0.5, 1.5), only=["switch chip ports"], workers=1)
    question = pdf.question_of(result)
    data, flowables = pdf.render_pdf(result, question, sens)
    assert_print_ready(data, flowables)


@pytest.fixture(scope="module")
def two_racks(shipped):
    """GB200 NVL36x2: 72 accelerators over two racks, leaf switches cabled rack to rack."""
    catalog, profile = shipped
    pins = {"compute_tray": "gb200-nvl36-tray"}
    return solve(catalog, profile, accelerator="gb200", racks=2, max_domain=72, pins=pins)


def test_multirack_elevations_say_which_rack_and_show_the_row(two_racks):
    import matplotlib

    from solver.report import elevation

    before = (matplotlib.get_backend(), dict(matplotlib.rcParams))
    d, space = two_racks.design, two_racks.space
    files = elevation.render_all(d, space)
    assert (matplotlib.get_backend(), dict(matplotlib.rcParams)) == before
    assert set(files) == {f"elevation_gb200_{d.rack.id}.{ext}" for ext in ("svg", "png")} | {
        f"elevation_gb200_row.{ext}" for ext in ("svg", "png")
    }
    rack_svg = files[f"elevation_gb200_{d.rack.id}.svg"].decode()
    assert "rack 1 of 2 — 36 gb200 accelerators of 72; rack 2 is the same" in rack_svg
    row = files["elevation_gb200_row.svg"].decode()
    cables = d.counts()["interrack_cables"]
    assert f"{cables} inter-rack cables ({d.xcable.id})" in row
    assert "overhead cable tray" in row and "rack 2" in row
    run = two_racks.checks[
        [c.limit_name for c in two_racks.checks].index(f"inter-rack run vs {d.xcable.id} reach")
    ].used
    assert f"longest route {run.to('m').magnitude:.2f} m" in row
    for fig in [*elevation.draw_racks(d, space), elevation.draw_row(d, space)]:
        assert figures.smallest_font(fig) >= MIN_PT


def test_spine_box_covers_every_cabled_item(shipped_results):
    from matplotlib.patches import Rectangle

    from solver.report import elevation

    result = shipped_results["gb200"]
    d = result.design
    fig = elevation.draw(d, result.space)
    wide = 1.0  # a 600 mm rack
    box = next(p for p in fig.axes[0].patches if isinstance(p, Rectangle) and p.get_x() > wide)
    cabled = d.layout.of_kind("compute_tray") + d.layout.of_kind("switch_tray")
    assert box.get_y() <= min(p.slot - 1 for p in cabled)
    assert box.get_y() + box.get_height() >= max(p.slot - 1 + p.height for p in cabled)


@pytest.mark.slow  # an 8-rack solve with a spine rack (about a minute) and its report
def test_eight_rack_report_is_print_ready(shipped):
    catalog, profile = shipped
    result = solve(catalog, profile, accelerator="gh200", max_racks=8, time_limit=20)
    d = result.design
    assert d.racks == 8 and d.spine_racks == 1
    sens = sensitivity.sensitivity(
        result, (0.5, 1.5), only=["profile.feed_power"], workers=1, max_factor=1.5
    )
    data, flowables = pdf.render_pdf(result, pdf.question_of(result), sens)
    assert_print_ready(data, flowables)
    text = " ".join(
        " ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(data)).pages
    )
    assert "The row: 8 compute racks and 1 spine rack" in text
    assert "rack 5 of 9 — spine rack 1 of 1" in text
    # quoted in the README's description of the report
    title = "rack 1 of 9 — 32 gh200 accelerators of 256; racks 2 to 4 and 6 to 9 are the same"
    assert title in text
