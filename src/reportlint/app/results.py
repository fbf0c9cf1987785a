"""The results of a run: each file's findings, the files that could not be checked, and
what ``--fix`` did; and the stable dict form of a finding (the JSON output's schema
version 1), shared by the JSON output, the Python API and the web page."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from reportlint.core.diagnostics import Diagnostic, Severity
from reportlint.core.document import Document

__all__ = ["FileResult", "Results", "diagnostic_json"]


# (Plain classes, not dataclasses: they are defined at every start, and each dataclass
# costs a few tenths of a millisecond to define.)


class FileResult:
    """One file's findings; ``fail_severity``: findings at or above it fail the file (--fail-on)."""

    __slots__ = ("diagnostics", "document", "fail_severity")

    def __init__(
        self, document: Document, diagnostics: list[Diagnostic], fail_severity: Severity = Severity.WARNING
    ) -> None:
        self.document = document
        self.diagnostics = diagnostics
        self.fail_severity = fail_severity


class Results:
    """What a run found and did, for the output formats."""

    def __init__(
        self,
        files: list[FileResult] | None = None,
        errors: list[tuple[str, str]] | None = None,
        rules: list[Any] | None = None,
        *,
        fixed: int = 0,
        written: int = 0,
        unwritten: int = 0,
        unsafe_fixes: bool = False,
        bad_config: int = 0,
    ) -> None:
        self.files = files if files is not None else []
        self.errors = errors if errors is not None else []  # (path, one-line problem)
        self.rules = rules if rules is not None else []  # the Rules that ran, for formats that describe them
        self.fixed = fixed  # fixes applied by --fix (or shown by --diff)
        self.written = written  # files --fix wrote back
        self.unwritten = unwritten  # files checked whose fixes could not be written (their errors are in ``errors``)
        self.unsafe_fixes = unsafe_fixes  # --unsafe-fixes: fixes that need a look count as applicable
        self.bad_config = bad_config  # files not checked because their configuration is bad (in ``errors`` too)

    @cached_property
    def _titles(self) -> dict[str, str]:
        from reportlint.core.internal import INTERNAL_CODES

        titles = {code: item.title for code, item in INTERNAL_CODES.items()}
        return titles | {rule.code: rule.title for rule in self.rules if getattr(rule, "title", "")}

    def title(self, diag: Diagnostic) -> str:
        """The Chinese title of the finding's rule (``rules`` given), else its name."""
        return self._titles.get(diag.code) or diag.name

    def applicable(self, diag: Diagnostic) -> bool:
        """Whether --fix (with the options given) would apply the finding's fix."""
        return diag.fix is not None and (diag.fix.safe or self.unsafe_fixes)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [d for f in self.files for d in f.diagnostics]


def _range(doc: Document, start: int, end: int, pages: bool = True) -> dict[str, int | None]:
    # For a PDF: the page and the line on that page (physical lines, see Document.source_position).
    a, b = doc.source_position(start), doc.source_position(end)
    if not pages:  # fix edits: positions in the text that --fix rewrites
        return {"line": a.line, "column": a.column, "end_line": b.line, "end_column": b.column}
    return {
        "page": a.page,
        "line": a.line,
        "column": a.column,
        "end_page": b.page,
        "end_line": b.line,
        "end_column": b.column,
    }


def diagnostic_json(doc: Document, diag: Diagnostic) -> dict[str, Any]:
    """A finding as ``--format json`` writes it (and ``reportlint.Finding`` holds it)."""
    item: dict[str, Any] = {
        "code": diag.code,
        "name": diag.name,
        "category": diag.category,
        "severity": diag.severity.label,
        "message": diag.message,
        "basis": diag.basis,
        **_range(doc, diag.start, diag.end),
        "context": doc.context(diag.start),
        "fix": None,
    }
    if diag.fix:
        item["fix"] = {
            "title": diag.fix.title,
            "safe": diag.fix.safe,
            "edits": [{**_range(doc, e.start, e.end, pages=False), "new_text": e.new_text} for e in diag.fix.edits],
        }
    return item
