"""One error hierarchy for rackscale.

Every user-facing error derives from :class:`RackscaleError` and from the builtin that
matches it, so library callers may catch either. Errors hold structured fields and build
their text in ``__str__``. The CLI prints ``str(error)`` and exits with the error's
``exit_code``; the codes are defined here, once.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
"""Every answer proven: the maximal domain and its cheapest design."""
EXIT_INFEASIBLE = 1
"""Proven: some accelerator has no design (or none reaching ``--min-domain``)."""
EXIT_INPUT = 2
"""Bad input or usage."""
EXIT_UNPROVEN = 3
"""The time limit cut a proof short: status ``feasible`` or ``unknown``."""
EXIT_INTERRUPTED = 130
"""Interrupted by Ctrl-C (128 + SIGINT, as shells report it); nothing half-written is left."""


class RackscaleError(Exception):
    """Base class of every error rackscale raises on purpose."""

    exit_code = EXIT_INPUT


@dataclass(frozen=True)
class Problem:
    """One problem in one input: where it is and what was expected."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class InputError(RackscaleError, ValueError):
    """One or more problems in catalog, profile or command-line input (exit code 2)."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


class InputFileNotFound(InputError, FileNotFoundError):
    """A catalog or profile path that does not exist."""


class UsageError(RackscaleError, ValueError):
    """A command-line option that is malformed or names something unknown (exit code 2)."""


class InfeasibleError(RackscaleError):
    """A design request that no design can meet; carries what conflicts (families, or
    ``compatibility``)."""

    exit_code = EXIT_INFEASIBLE

    def __init__(self, message: str, conflicts: list[str]):
        self.message = message
        self.conflicts = conflicts
        super().__init__(message)

    def __str__(self) -> str:
        return self.message
