"""Diagnostics: what a check found, where, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class Severity(IntEnum):
    """Ordered so that a larger value is more serious; LSP numbers are reversed."""

    HINT = 1
    INFO = 2
    WARNING = 3
    ERROR = 4

    @classmethod
    def parse(cls, name: str) -> Severity:
        return cls[name.upper()]

    @property
    def label(self) -> str:
        return self.name.lower()

    @property
    def lsp(self) -> int:
        """LSP DiagnosticSeverity: 1 error, 2 warning, 3 information, 4 hint."""
        return 5 - int(self)

    @property
    def chinese(self) -> str:
        return {4: "错误", 3: "警告", 2: "提示", 1: "建议"}[int(self)]


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` (offsets into the normalised document) with ``new_text``."""

    start: int
    end: int
    new_text: str


@dataclass(frozen=True, slots=True)
class Fix:
    title: str
    edits: tuple[Edit, ...]
    safe: bool = True


@dataclass(frozen=True)
class Diagnostic:
    """One finding.  ``start``/``end`` are offsets into the document's normalised text."""

    code: str
    name: str
    category: str
    severity: Severity
    message: str
    start: int
    end: int
    basis: str = ""
    fix: Fix | None = None
    path: str = ""
    data: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.start, self.end, self.code, self.message)
