"""Words for counts in messages: ``1 accelerator``, ``72 accelerators``."""

from __future__ import annotations


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``count`` and ``noun``, in the plural (``nouns``, default ``noun + "s"``) unless 1."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"
