"""The planning report: PDF sections and text, the CSV set, reproducibility, atomic writes."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from conftest import SMALL_CATALOG, SMALL_PROFILE

from solver import report, sensitivity
from solver.cli import main
from solver.engine import solve

pypdf = pytest.importorskip("pypdf")

SMALL = [
    "--no-default-catalogs",
    "--catalog",
    str(SMALL_CATALOG),
    "--constraints",
    str(SMALL_PROFILE),
]
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
        kwargs.update(only=["switch chip ports", "profile.feed_power"], workers=1)
        return full(result, (0.5, 1.5), **kwargs)

    monkeypatch.setattr(sensitivity, "sensitivity", fast)


def pdf_text(path) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


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

    monkeypatch.setattr("solver.figures.tornado_chart", broken)
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
    sens = result.sensitivity((0.9, 1.1), only=["topology"], workers=1)
    question = report.question_of(result, {"accelerator": "gb200"}, (), "llama-3.1-70b")
    files = report.report_files(result, question, "a4", sensitivity=sens)
    assert "solve_comparison.csv" in files
    comparison = pd.read_csv(io.BytesIO(files["solve_comparison.csv"]))
    assert {"gb200", "cs-3"} <= set(comparison["design"])
    report.write_report(tmp_path, files)
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
