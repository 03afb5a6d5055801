"""Randomly mutated catalogs and profiles never crash the CLI: every refusal is one located line.

Each case copies a shipped catalog or profile (or the small test catalog), mutates it once —
a line deleted, a value's type, unit or magnitude changed, a YAML tag or a list as a key
inserted, bytes corrupted, the file truncated or re-encoded — and runs
``solver.cli.main`` in-process. The exit code is 0 to 3; exit 2 prints lines that each
name an input file and a line within it (or the ``--set`` at fault), and never a traceback.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest
from conftest import DATA, SMALL_CATALOG, SMALL_PROFILE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.catalog import PROJECT_ROOT
from solver.cli import main

SOURCES = sorted(
    [
        *(PROJECT_ROOT / "catalogs").glob("*.yaml"),
        *(PROJECT_ROOT / "constraints").glob("*.yaml"),
        SMALL_CATALOG / "catalog.yaml",
        SMALL_PROFILE,
    ]
)
TEXTS = {path: path.read_bytes() for path in SOURCES}
KEY_LINE = re.compile(rb"^(\s*-?\s*)([A-Za-z_]+):\s*(\S.*)$")
QUANTITY = re.compile(rb'"(-?[0-9.]+(?:e-?[0-9]+)?) ([^"]+)"')
VALUES = [
    b"[1, 2]",
    b"{a: 1}",
    b"yes",
    b"null",
    b"~",
    b"3",
    b"-1",
    b"0",
    b"0.0",
    b"2147483648",
    b"9223372036854775808",
    b"1" + b"0" * 400,
    b'"x"',
    b'""',
    b'"5 kW"',
    b'"3 kg"',
    b'"2 m"',
    b'"7 Gbit/s"',
    b'"1 degC"',
    b'"-300 degC"',
    b'"1e400 kg"',
    b'"10**400 W"',
    b'"10**10**10 W"',
    b'"inf kg"',
    b'"nan m"',
    b'"-5 kg"',
    b'"0 m"',
    b'"1e9 m"',
    b'"1e-300 m"',
    b"!!int 3",
    b"!!bool yes",
    b"!!timestamp 2001-12-14",
    b"!!python/object:os.system x",
    b"!!binary aGk=",
    b"&a [*a]",
    b"[" * 200 + b"]" * 200,
    b"{" * 100 + b"}" * 100,
]
CORRUPT = [b"\x00", b"\xff", b"\xe9", b"\x01", b"\x7f", b"\xc3", b"\t", b"\r", b":", b"- ", b"'"]
BOMB = b"".join(
    b"l%d: &l%d [%s]\n" % (i, i, b", ".join([b"*l%d" % (i - 1)] * 9) if i else b"x")
    for i in range(9)
)
LINE_OF_ERROR = re.compile(r"^(?:rackscale: )?(?P<where>[^:]+?)(?::(?P<line>\d+))?: \S")


@st.composite
def mutations(draw, sources=SOURCES) -> tuple[Path, bytes]:
    """One source file and its text after one random mutation."""
    path = draw(st.sampled_from(sources))
    data = TEXTS[path]
    lines = data.split(b"\n")
    kind = draw(
        st.sampled_from(
            ["delete", "value", "scale", "key", "corrupt", "truncate", "encode", "bomb"]
        )
    )
    index = draw(st.integers(0, len(lines) - 1))
    found = [(i, m) for i, line in enumerate(lines) for m in QUANTITY.finditer(line)]
    if kind == "delete" or (kind == "scale" and not found):
        del lines[index]
    elif kind in ("value", "key"):
        candidates = [i for i, line in enumerate(lines) if KEY_LINE.match(line)]
        i = candidates[index % len(candidates)]
        indent, key, value = KEY_LINE.match(lines[i]).groups()
        new = draw(st.sampled_from(VALUES))
        if kind == "value":
            lines[i] = indent + key + b": " + new
        else:
            lines[i] = indent + draw(st.sampled_from([b"[a, b]", b"{a: 1}", b"3", b"yes"]))
            lines[i] += b": " + value
    elif kind == "scale":
        i, match = found[index % len(found)]
        exponent = draw(st.sampled_from([-400, -300, -20, -9, 3, 9, 15, 20, 300, 400]))
        number = match.group(1) + b"e%d" % exponent
        unit = draw(st.sampled_from([match.group(2), b"kg", b"W", b"m", b"Gbit/s", b"K"]))
        lines[i] = lines[i].replace(match.group(0), b'"' + number + b" " + unit + b'"', 1)
    elif kind == "corrupt":
        text = b"\n".join(lines)
        at = draw(st.integers(0, len(text)))
        return path, text[:at] + draw(st.sampled_from(CORRUPT)) + text[at:]
    elif kind == "truncate":
        return path, data[: draw(st.integers(0, len(data)))]
    elif kind == "encode":
        text = data.decode()
        encoding = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252"]))
        return path, (text + "# é\n").encode(encoding)
    else:
        return path, BOMB + data
    return path, b"\n".join(lines)


def run(argv: list[str]) -> tuple[int, str]:
    """``rackscale ARGV`` in-process: its exit code and its stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, err.getvalue()


def check_refusal(code: int, err: str, files: dict[str, int]) -> None:
    """Exit 0-3; exit 2: each stderr line names an input file and a line within it."""
    assert code in (0, 1, 2, 3), err
    assert "Traceback" not in err
    if code != 2:
        return
    lines = err.strip().splitlines()
    assert lines, "exit 2 without a message"
    for line in lines:
        match = LINE_OF_ERROR.match(line)
        assert match, line
        where = match.group("where")
        if where.startswith("--set"):
            continue
        assert where in files, line
        assert match.group("line") is not None, f"no line number: {line}"
        assert 1 <= int(match.group("line")) <= files[where], line


def validate_mutated(tmp_path: Path, path: Path, text: bytes) -> None:
    target = tmp_path / path.name
    target.write_bytes(text)
    code, err = run(["validate", str(target)])
    check_refusal(code, err, {str(target): text.count(b"\n") + 1})


def fuzz(examples: int) -> settings:
    """Reproducible settings: the same cases on every run."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@fuzz(200)
@given(mutations())
def test_mutated_input_is_refused_on_one_located_line(tmp_path, mutation):
    validate_mutated(tmp_path, *mutation)


@pytest.mark.slow
@fuzz(3000)
@given(mutations())
def test_thousands_of_mutations(tmp_path, mutation):
    validate_mutated(tmp_path, *mutation)


@fuzz(8)
@given(mutations(sources=[SMALL_CATALOG / "catalog.yaml"]))
def test_mutated_catalog_solves_or_is_refused(tmp_path, mutation):
    """A count-only solve of the pinned small catalog: solved, infeasible or refused."""
    path, text = mutation
    (tmp_path / "cat").mkdir(exist_ok=True)
    target = tmp_path / "cat" / path.name
    target.write_bytes(text)
    argv = ["solve", "--catalog", str(target), "--constraints", str(SMALL_PROFILE)]
    argv += ["--pin", "accelerator=xpu", "--time-limit", "5", "-q", "--out", str(tmp_path)]
    code, err = run(argv)
    check_refusal(code, err, {str(target): text.count(b"\n") + 1})


@pytest.mark.parametrize(
    "override",
    [
        "racks.test-rack.slots=256",
        "racks.test-rack.slot_pitch=1 m",
        "racks.test-rack.horizontal_run=100 m",
        "cables.pair-26awg.mass_per_length=10 kg/m",
        "cables.pair-26awg.outer_diameter=10 cm",
        "compute_trays.xpu-tray.accelerators=256",
    ],
)
def test_values_at_the_bounds_solve(tmp_path, override):
    """A value at its stated bound still builds a valid model: solved or proven infeasible."""
    argv = ["solve", "--catalog", str(SMALL_CATALOG), "--constraints", str(SMALL_PROFILE)]
    argv += ["--pin", "accelerator=xpu", "--time-limit", "20", "-q", "--out", str(tmp_path)]
    code, err = run([*argv, "--set", override])
    assert code in (0, 1), err


ALL_BOUNDS = [
    "racks.test-rack.slots=256",
    "racks.test-rack.slot_pitch=1 m",
    "racks.test-rack.horizontal_run=100 m",
    "profile.service_slack=100 m",
    "cables.pair-26awg.mass_per_length=10 kg/m",
    "cables.pair-26awg.outer_diameter=10 cm",
    "compute_trays.xpu-tray.accelerators=256",
    "accelerators.xpu.scale_up.lanes_per_link=64",
]


def test_every_bound_at_once_builds_a_valid_model(tmp_path):
    """The weight family's cable mass (count × longest run × mass per length) stays inside
    CP-SAT's integers with every factor at its bound at once (an invalid model exits 4)."""
    argv = ["solve", "--catalog", str(SMALL_CATALOG), "--constraints", str(SMALL_PROFILE)]
    argv += ["--pin", "accelerator=xpu", "--time-limit", "20", "-q", "--out", str(tmp_path)]
    code, err = run([*argv, *(f"--set={item}" for item in ALL_BOUNDS)])
    assert code in (0, 1), err


def test_sources_are_there():
    """The mutations start from the shipped files and the test catalog."""
    assert len(SOURCES) >= 20 and DATA in SMALL_PROFILE.parents
