"""Every citation in a shipped file can be followed by a reader outside the developers' machines."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted(
    [ROOT / "README.md"]
    + [p for d in ("catalogs", "constraints", "docs") for p in (ROOT / d).rglob("*") if p.is_file()]
    + list((ROOT / "solver").rglob("*.py"))
)
TEXT = {p: p.read_text(errors="ignore") for p in SHIPPED if p.suffix != ".png"}
SOURCES = ROOT / "docs" / "sources.md"


@pytest.mark.parametrize("path", list(TEXT), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_shipped_file_points_at_a_private_path(path):
    """No `/work/...` path and none of the private notes (`shared/reference`, its fact sheets):
    they exist only where rackscale was built; docs/sources.md lists their public sources."""
    assert not re.findall(r"/work/|shared/reference|hardware-facts|frontier-systems", TEXT[path])


def test_every_source_key_is_listed_with_its_source():
    """Each [Sn]/[Fn] tag used in a shipped file has an entry in docs/sources.md."""
    listed = set(re.findall(r"^- \*\*([SF]\d+)\*\*", SOURCES.read_text(), re.M))
    used = {
        f"{key} ({path.relative_to(ROOT)})"
        for path, text in TEXT.items()
        if path != SOURCES
        for key in re.findall(r"\[([SF]\d+)[ab]?\]", text)
        if key not in listed
    }
    assert not used
