"""One error hierarchy for rackscale.

Every user-facing error derives from :class:`RackscaleError` and from the builtin that
matches it, so library callers may catch either. Errors hold structured fields and build
their text in ``__str__``; a :class:`UsageError` names the library's keyword arguments
and the CLI renders it with its own options instead. The CLI prints the error and exits
with its ``exit_code``; the codes are defined here, once.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

EXIT_OK = 0
"""Every answer proven: the maximal domain and its cheapest design."""
EXIT_INFEASIBLE = 1
"""Proven: some accelerator has no design (or none reaching ``--min-domain``)."""
EXIT_INPUT = 2
"""Bad input or usage."""
EXIT_UNPROVEN = 3
"""The time limit cut a proof short: status ``feasible`` or ``unknown``."""
EXIT_INTERNAL = 4
"""A bug in rackscale: it built something it should not have (e.g. a model CP-SAT refuses)."""
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
    """An argument that is malformed or names something unknown (exit code 2).

    Raised by the library, the text names the keyword argument at fault as the caller
    wrote it: ``pins={'rack': 'eia-99u'}: no such rack``. ``argument`` and ``value`` hold
    that argument and its offending part; ``related`` the other arguments the message
    names by ``{placeholder}`` (``"exceeds {max_domain}"``). :meth:`text` renders the
    same error in another vocabulary: the CLI passes its options (``{"pins": "--pin "}``)
    and reads ``--pin rack=eia-99u: no such rack``.
    """

    def __init__(
        self,
        message: str,
        argument: str | None = None,
        value: Any = None,
        related: Mapping[str, Any] | None = None,
    ):
        self.message = message
        self.argument = argument
        self.value = value
        self.related = dict(related or {})
        super().__init__(self.text())

    def __str__(self) -> str:
        return self.text()

    def text(self, options: Mapping[str, str] | None = None) -> str:
        """The message naming keyword arguments (``relax=('topologi',)``), or, for each
        argument ``options`` maps to an option prefix (``"--relax "``), that option and
        the value as typed on a command line (``--relax topologi``)."""
        options = options or {}

        def name(argument: str, value: Any, raw: bool) -> str:
            if argument in options:
                return options[argument] + (str(value) if raw else _typed(value))
            return f"{argument}={value if raw else repr(value)}"

        message = self.message
        if self.related:
            message = message.format_map(
                {key: name(key, value, raw=True) for key, value in self.related.items()}
            )
        if self.argument is None:
            return message
        return f"{name(self.argument, self.value, raw=False)}: {message}"


def _typed(value: Any) -> str:
    """``value`` as typed on a command line: ``{'rack': 'x'}`` -> ``rack=x``, ``('a b',)``
    -> ``'a b'``."""
    if isinstance(value, Mapping):
        return " ".join(shlex.quote(f"{key}={item}") for key, item in value.items())
    if isinstance(value, list | tuple):
        return " ".join(shlex.quote(str(item)) for item in value)
    return shlex.quote(str(value))


class InternalError(RackscaleError, RuntimeError):
    """A bug in rackscale, not in its input: reported as such, never as an answer (exit 4)."""

    exit_code = EXIT_INTERNAL

    def __str__(self) -> str:
        return f"internal error (a bug in rackscale; --debug shows where): {self.args[0]}"


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
