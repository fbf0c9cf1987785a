"""What an output format declares: :class:`OutputFormat`.

Each format is one module of :mod:`reportlint.output` declaring ``FORMATS``;
:mod:`reportlint.output.registry` holds them by name, and ``reportlint check
--format``'s choices are the registry's names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reportlint.app.results import Results

__all__ = ["OutputFormat"]


class OutputFormat:
    """An output format of ``reportlint check``.

    ``name``: what ``--format`` calls it.  ``render(results)``: the whole output, as text
    (written to standard output or ``--output``).  ``describes_rules``: the format names
    or describes every rule that ran (``results.rules`` is filled in for it, as SARIF's
    rule table and ``full``'s titles need).
    """

    # (a plain class, not a dataclass: it is made at every start, and a dataclass costs
    # half a millisecond to define)
    __slots__ = ("describes_rules", "name", "render")

    def __init__(self, name: str, render: Callable[[Results], str], *, describes_rules: bool = False) -> None:
        self.name = name
        self.render = render
        self.describes_rules = describes_rules

    def __repr__(self) -> str:
        return f"OutputFormat({self.name!r})"
