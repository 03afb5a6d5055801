"""The wheel a user installs: it ships the catalogs and profiles, and works anywhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import solver

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "solver", "catalogs", "constraints")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built as pip builds one (isolated build environment), from a copy of the
    sources a clean clone has, so the checkout is left untouched."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp / "dist"),
            str(src),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = (tmp / "dist").glob("rackscale-*.whl")
    return built


def test_wheel_ships_every_catalog_and_profile(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("catalogs", "constraints"):
        shipped = sorted(p.name for p in (ROOT / folder).glob("*.yaml"))
        assert shipped
        packaged = sorted(
            n.rsplit("/", 1)[1] for n in names if n.startswith(f"solver/data/{folder}/")
        )
        assert packaged == shipped
    assert "solver/__main__.py" in names
    assert not any(n.startswith(("tests/", "catalogs/", "constraints/")) for n in names)
    meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
    assert f"\nVersion: {solver.__version__}\n" in zipfile.ZipFile(wheel).read(meta).decode()
    points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "rackscale = solver.cli:main" in zipfile.ZipFile(wheel).read(points).decode()


def test_packaged_files_are_the_checkout_files(wheel):
    with zipfile.ZipFile(wheel) as archive:
        for folder in ("catalogs", "constraints"):
            for path in (ROOT / folder).glob("*.yaml"):
                assert archive.read(f"solver/data/{folder}/{path.name}") == path.read_bytes()


@pytest.mark.slow
def test_installed_wheel_solves_from_any_directory(wheel, tmp_path):
    """A fresh venv outside the checkout: --version, a pinned solve, the library one-liner
    (about two minutes: pip installs the dependencies from its cache)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=env)
    bin_dir = venv / "bin"
    subprocess.run(
        [bin_dir / "python", "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        capture_output=True,
        env=env,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()

    def run(*args: str) -> str:
        done = subprocess.run(args, cwd=work, capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert run(str(bin_dir / "rackscale"), "--version").strip() == f"rackscale {solver.__version__}"
    out = run(str(bin_dir / "rackscale"), "solve", "--pin", "accelerator=h100")
    assert "h100: 8 accelerators is the largest domain" in out
    assert (work / "reports" / "solve.json").exists()
    code = (
        "import solver; r = solver.solve(solver.load_catalog(), "
        "solver.load_constraints('enterprise-air'), accelerator='h100'); "
        "print(solver.__file__, r.status, r.domain_size)"
    )
    where, status, size = run(str(bin_dir / "python"), "-c", code).split()
    assert where.startswith(str(venv)) and status == "optimal" and size == "8"


def test_readme_names_no_file_outside_the_repository():
    """Every relative link and `path` the README names is a file of this repository."""
    import re

    text = (ROOT / "README.md").read_text()
    targets = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text)
    targets = [t for t in targets if not t.startswith(("http://", "https://", "mailto:"))]
    assert targets  # the README does link into the repository
    for target in targets:
        path = (ROOT / target).resolve()
        assert path.is_relative_to(ROOT) and path.exists(), target
    assert not re.findall(r"`(?:\.\./|/work/|/home/|/tmp/)[^`]*`", text)
