"""The library API: what ``import solver`` offers a planning script (README, Library)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from budget_fixtures import small_with_workloads
from conftest import SMALL_CATALOG, SMALL_PROFILE, TIME_LIMIT

import solver
from solver.catalog import load_catalog, load_constraints
from solver.cli import OPTIONS, main
from solver.errors import InputError, UsageError
from solver.units import Quantity, format_quantity

SMALL = (str(SMALL_CATALOG), str(SMALL_PROFILE))


@pytest.fixture(scope="module")
def small():
    return load_catalog(SMALL_CATALOG), load_constraints(SMALL_PROFILE)


@pytest.fixture(scope="module")
def xpu(small):
    return solver.solve(*small, accelerator="xpu", time_limit=TIME_LIMIT)


# --- one return type per function ---------------------------------------------------------


def test_solve_returns_one_result(xpu):
    assert isinstance(xpu, solver.Result)
    assert (xpu.accelerator, xpu.domain_size, xpu.binding) == ("xpu", 72, ("topology",))


def test_solve_without_an_accelerator_points_to_solve_all(small):
    with pytest.raises(UsageError) as info:
        solver.solve(*small)
    assert str(info.value) == (
        "solve() solves one accelerator: name it with accelerator=ID (one of xpu, meshy), "
        "or call solve_all() for every one"
    )


def test_solve_all_returns_a_list_of_every_accelerator(small):
    results = solver.solve_all(*small, time_limit=TIME_LIMIT, explain=False)
    assert isinstance(results, list)
    assert [r.accelerator for r in results] == ["xpu", "meshy"]
    assert all(isinstance(r, solver.Result) for r in results)
    pinned = solver.solve_all(*small, pins={"accelerator": "meshy"}, explain=False)
    assert [r.accelerator for r in pinned] == ["meshy"]


# --- printing a result ----------------------------------------------------------------------


def test_repr_is_one_line(xpu):
    assert repr(xpu) == "Result(xpu on test-hall: 72 accelerators, proven optimal, binds: topology)"


def test_str_is_a_short_summary_with_rounded_totals(xpu):
    text = str(xpu)
    assert len(text) < 1500  # the dataclass repr was about 11 kB
    assert (
        text.splitlines()[0] == "xpu on test-hall: 72 accelerators, proven optimal, binds: topology"
    )
    assert "power 101.2 kW" in text and "mass 1491 kg" in text
    assert "binding: topology: switch chip ports (radix): 72 port of 72 port (100.0%)" in text


def test_repr_of_a_result_without_design(small):
    r = solver.solve(*small, accelerator="xpu", min_domain=200, time_limit=TIME_LIMIT)
    assert r.status == "infeasible"
    assert repr(r).startswith("Result(xpu on test-hall: no design, proven infeasible, binds: ")


# --- the budget table ---------------------------------------------------------------------


def test_to_frame_names_accelerator_and_profile(xpu):
    frame = xpu.to_frame()
    assert list(frame.columns[:3]) == ["accelerator", "profile", "family"]
    assert set(frame["accelerator"]) == {"xpu"} and set(frame["profile"]) == {"test-hall"}
    assert len(frame) == len(xpu.checks)


# --- exact values, rounded only for display ---------------------------------------------------


def test_stored_totals_are_exact_and_display_is_rounded(xpu):
    power = xpu.totals["power"]
    assert power.to("kW").magnitude != round(power.to("kW").magnitude, 3)  # not pre-rounded
    assert format_quantity(power.to("kW")) == "101.2 kW"
    assert xpu.to_dict()["design"]["totals"]["power"] == "101.2 kW"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Quantity(119.07216494845359, "kW"), "119.1 kW"),
        (Quantity(1317.6, "kg"), "1318 kg"),
        (Quantity(31504.2, "m"), "31500 m"),  # written out, not 3.15e+04 m
        (Quantity(12345, "cable"), "12345 cable"),  # whole counts exact
        (Quantity(3_512_345, "USD"), "3510000 usd"),  # prices: 3 digits
        (Quantity(0.75968, "m"), "0.7597 m"),
    ],
)
def test_display_rounding_by_quantity(value, shown):
    assert format_quantity(value) == shown
    assert solver.format_quantity is format_quantity


# --- errors in the caller's terms -------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"accelerator": "xpv"}, "accelerator='xpv': no such accelerator; did you mean 'xpu'?"),
        (
            {"accelerator": "xpu", "pins": {"rack": "test-rak"}},
            "pins={'rack': 'test-rak'}: no such rack; did you mean 'test-rack'?",
        ),
        (
            {"accelerator": "xpu", "relax": "topologi"},
            "relax=('topologi',): no such constraint family; did you mean 'topology'? "
            "(families: space, topology, cable_density, midplane, bend_radius, reach, power, "
            "cooling, weight, floor_load)",
        ),
        (
            {"accelerator": "xpu", "min_domain": 9, "max_domain": 8},
            "min_domain=9: exceeds max_domain=8",
        ),
        (
            {"accelerator": "xpu", "requirements": ["decode_token_time <= 1 ms"]},
            "requirements=['decode_token_time <= 1 ms']: decode_token_time needs a workload "
            "(workload=ID)",
        ),
    ],
)
def test_library_errors_name_keyword_arguments(small, kwargs, message):
    with pytest.raises(UsageError) as info:
        solver.solve(*small, **kwargs)
    assert str(info.value) == message
    assert "--" not in str(info.value)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pin", "accelerator=xpu", "--pin", "rack=test-rak"], "--pin rack=test-rak: no such"),
        (["--pin", "accelerator=xpu", "--relax", "topologi"], "--relax topologi: no such"),
        (
            ["--pin", "accelerator=xpu", "--min-domain", "9", "--max-domain", "8"],
            "--min-domain 9: exceeds --max-domain 8",
        ),
        (
            ["--pin", "accelerator=xpu", "--require", "decode_token_time <= 1 ms"],
            "--require 'decode_token_time <= 1 ms': decode_token_time needs a workload "
            "(--workload ID)",
        ),
    ],
)
def test_the_cli_names_its_options(capsys, args, message):
    cat, profile = SMALL
    code = main(
        ["solve", "--no-default-catalogs", "--catalog", cat, "--constraints", profile, *args]
    )
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(f"rackscale: {message}")


def test_usage_error_text_in_either_vocabulary():
    error = UsageError("no such rack", "pins", {"rack": "a b"})
    assert str(error) == "pins={'rack': 'a b'}: no such rack"
    assert error.text(OPTIONS) == "--pin 'rack=a b': no such rack"
    plain = UsageError("text with {braces} kept")  # no related arguments: no formatting
    assert str(plain) == plain.text(OPTIONS) == "text with {braces} kept"


def test_unknown_pin_category_is_a_clear_error(small):
    with pytest.raises(UsageError) as info:  # was a bare KeyError: 'racks'
        solver.solve(*small, accelerator="xpu", pins={"racks": "test-rack"})
    assert str(info.value) == (
        "pins={'racks': 'test-rack'}: unknown category 'racks'; did you mean 'rack'? (one of "
        "accelerator, compute_tray, switch_tray, cable, interrack_cable, rack, power_shelf, "
        "cooling)"
    )
    assert isinstance(info.value, ValueError) and not isinstance(info.value, KeyError)


# --- ids wherever objects are ---------------------------------------------------------------


def test_ids_and_paths_where_objects_are(small, xpu):
    catalog, _ = small
    by_path = solver.solve(
        *SMALL,
        accelerator=catalog.accelerators["xpu"],
        pins={"rack": catalog.racks["test-rack"]},
        time_limit=TIME_LIMIT,
    )
    assert (by_path.domain_size, by_path.design.rack.id, by_path.profile) == (
        72,
        "test-rack",
        "test-hall",
    )
    assert by_path.design.choices() == xpu.design.choices()
    with pytest.raises(UsageError, match=r"pins=\{'rack': 42\}: expected an id or a catalog entry"):
        solver.solve(*small, accelerator="xpu", pins={"rack": 42})


def test_workloads_and_requirements_by_id_and_text():
    cat = small_with_workloads()
    by_object = solver.parse_requirements(
        ["moe_all_to_all <= 200 us"], cat.workloads["deepseek-v3"]
    )
    by_id = solver.parse_requirements("moe_all_to_all <= 200 us", "deepseek-v3", catalog=cat)
    assert by_id == by_object
    with pytest.raises(UsageError) as info:
        solver.parse_requirements(["moe_all_to_all <= 200 us"], "deepseek-v4", catalog=cat)
    assert str(info.value).startswith("workload='deepseek-v4': no such workload; did you mean")
    profile = load_constraints(SMALL_PROFILE)
    parsed = solver.solve(cat, profile, "xpu", requirements=by_object, time_limit=TIME_LIMIT)
    text = solver.solve(
        cat,
        profile,
        "xpu",
        requirements=["moe_all_to_all <= 60 us"],
        workload="deepseek-v3",
        time_limit=TIME_LIMIT,
    )
    assert parsed.binding == ("topology",)
    assert "moe_all_to_all" in text.binding and text.domain_size < parsed.domain_size


def test_shipped_catalog_and_a_named_profile():
    """The call the issue's "done when" names (by path until profiles resolve by name)."""
    try:
        profile = solver.load_constraints("enterprise-air")
    except InputError:
        profile = solver.load_constraints("constraints/enterprise-air.yaml")
    r = solver.solve(solver.load_catalog(), profile, accelerator="h100", time_limit=TIME_LIMIT)
    assert isinstance(r, solver.Result)
    assert (r.profile, r.status, r.domain_size) == ("enterprise-air", "optimal", 8)


# --- the lazy namespace ------------------------------------------------------------------


def test_dir_lists_the_lazy_api():
    names = dir(solver)
    for name in ("solve", "solve_all", "Result", "load_catalog", "load_constraints", "UsageError"):
        assert name in names and name in solver.__all__
    for name in solver.__all__:
        assert getattr(solver, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'solv'"):
        solver.solv  # noqa: B018


# --- the README's example ------------------------------------------------------------------


def test_readme_library_example_holds(capsys):
    """Runs the README's Library block line by line; a line ``EXPR  # VALUE`` must give VALUE
    (a Python literal, or the ``Result(...)`` line ``repr`` gives)."""
    text = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    block = re.search(r"## Library\n\n```python\n(.*?)```", text, re.S).group(1)
    namespace: dict = {}
    checked = 0
    for line in block.splitlines():
        code, _, comment = line.partition("  # ")
        comment = comment.strip()
        if comment.startswith("Result("):
            assert repr(eval(code, namespace)) == comment, line
            checked += 1
            continue
        try:
            expected = ast.literal_eval(comment)
        except (ValueError, SyntaxError):
            exec(code, namespace)
            continue
        assert eval(code, namespace) == expected, line
        checked += 1
    assert checked >= 6
