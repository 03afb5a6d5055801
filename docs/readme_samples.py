"""The README's sample outputs, regenerated from real runs and checked against them.

A sample in the README is a comment naming the command, then a fenced block with its
output. A block ending in a line ``...`` quotes the first lines of the output only.
Wall times are masked when comparing (``4.13 s`` matches any time). A command that takes
minutes (a full report) is marked ``<!-- sample (slow): ... -->``: the test suite checks it
with the slow tests (``pytest -m slow``).

    <!-- sample: rackscale solve --pin accelerator=gb200 -->
    ```
    $ rackscale solve --pin accelerator=gb200
    gb200: 72 accelerators is the largest domain; ...
    ...
    ```

``python docs/readme_samples.py`` rewrites the blocks in place; ``--check`` reports the
samples whose output changed and exits 1. ``tests/test_readme.py`` runs the check.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import sys
import tempfile
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
SAMPLE = re.compile(
    r"<!-- sample(?P<slow> \(slow\))?: (?P<command>.+?) -->\n```\n(?P<body>.*?)```\n", re.S
)
TIME = re.compile(r"\b\d+(\.\d+)? s\b")
MORE = "..."


def samples(text: str) -> list[re.Match]:
    return list(SAMPLE.finditer(text))


def run(command: str) -> str:
    """Output of a ``rackscale ...`` command (stdout then stderr), run in a scratch folder."""
    from solver.cli import main

    args = shlex.split(command)
    assert args[0] == "rackscale", command
    root = README.parent  # files named in the command are the repository's
    args = [str(root / a) if "/" in a and (root / a).exists() else a for a in args]
    out, err = io.StringIO(), io.StringIO()
    here = Path.cwd()
    with tempfile.TemporaryDirectory() as scratch:
        os.chdir(scratch)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                main(args[1:])
        finally:
            os.chdir(here)
    return f"$ {command}\n" + out.getvalue() + err.getvalue()


def block(command: str, body: str) -> str:
    """The README block for ``command``: as many lines as the old block quoted."""
    quoted = body.rstrip("\n").split("\n")
    lines = run(command).rstrip("\n").split("\n")
    if quoted[-1] == MORE and len(lines) > len(quoted) - 1:
        lines = [*lines[: len(quoted) - 1], MORE]
    return "\n".join(lines) + "\n"


def differs(old: str, new: str) -> bool:
    return TIME.sub("~ s", old) != TIME.sub("~ s", new)


def main(argv: list[str]) -> int:
    text = README.read_text()
    changed = []
    for match in reversed(samples(text)):
        new = block(match["command"], match["body"])
        if differs(match["body"], new):
            changed.append(match["command"])
        start, end = match.span("body")
        text = text[:start] + new + text[end:]
    if "--check" in argv:
        for command in changed:
            print(f"README sample changed: {command}")
        return 1 if changed else 0
    README.write_text(text)
    print(f"{len(samples(text))} samples regenerated; {len(changed)} changed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
