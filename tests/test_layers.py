"""The package's imports form no circle, and the lower layers never reach the upper ones.

The graph counts every import statement, those inside functions included (grimp), so a
circle hidden behind a lazy import fails here too.
"""

from __future__ import annotations

import graphlib

import pytest

grimp = pytest.importorskip("grimp")


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("solver", cache_dir=None)


PRESENTATION = ("solver.report", "solver.result", "solver.sensitivity")
"""The modules issue #12 freed of circles (``output <-> tables``, ``result -> sensitivity ->
engine -> result``)."""


def _circle_through(graph, module: str) -> list[str] | None:
    for imported in sorted(graph.find_modules_directly_imported_by(module)):
        if graph.chain_exists(importer=imported, imported=module):
            return [module, *graph.find_shortest_chain(importer=imported, imported=module)]
    return None


def test_no_import_circle_runs_through_the_presentation_layer(graph):
    mine = sorted(m for m in graph.modules if m.startswith(PRESENTATION))
    assert len(mine) >= 9  # report/{text,json,csv,files,figures,elevation,pdf}, result, ...
    circles = {m: c for m in mine if (c := _circle_through(graph, m))}
    assert not circles, "import circle: " + " -> ".join(next(iter(circles.values())))


def test_no_import_circles_anywhere(graph):
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    try:
        graphlib.TopologicalSorter(edges).prepare()
    except graphlib.CycleError as exc:
        pytest.fail(f"import circle: {' -> '.join(exc.args[1])}")


@pytest.mark.parametrize(
    ("lower", "upper"),
    [
        ("solver.design", "solver.families"),  # Space and Design are data the families read
        ("solver.design", "solver.layout"),  # Layout is data; layout.py computes runs from it
        ("solver.families.weight", "solver.model"),
        ("solver.model", "solver.engine"),
        ("solver.result", "solver.sensitivity"),
        ("solver.result", "solver.engine"),
        ("solver.engine", "solver.report"),
        ("solver.engine", "solver.sensitivity"),
        ("solver.model", "solver.report"),
        ("solver.report.csv", "solver.report.pdf"),
        ("solver.report.figures", "solver.report.pdf"),
        ("solver.report.elevation", "solver.report.pdf"),
    ],
)
def test_lower_layers_do_not_import_upper_ones(graph, lower, upper):
    modules = {m for m in graph.modules if m == upper or m.startswith(upper + ".")}
    reached = [m for m in modules if graph.chain_exists(importer=lower, imported=m)]
    assert not reached, f"{lower} imports {reached[0]}: " + " -> ".join(
        graph.find_shortest_chain(importer=lower, imported=reached[0])
    )


def test_the_circles_of_issue_12_would_be_caught():
    """The old shape, a circle through a lazy import inside a method, is found."""
    graph = grimp.build_graph("solver", cache_dir=None)
    graph.add_import(importer="solver.result", imported="solver.sensitivity")
    circle = _circle_through(graph, "solver.result")
    assert circle[:2] == ["solver.result", "solver.sensitivity"] and circle[-1] == "solver.result"
