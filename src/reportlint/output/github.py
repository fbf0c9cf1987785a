"""``github``: GitHub Actions workflow commands, which become annotations on a pull request."""

from __future__ import annotations

from reportlint.app.results import Results
from reportlint.core.diagnostics import Severity
from reportlint.output.base import OutputFormat
from reportlint.output.text import summary_line

__all__ = ["FORMATS", "format_github"]

GITHUB_COMMANDS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
    Severity.HINT: "notice",
}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(results: Results) -> str:
    """GitHub Actions workflow commands: ``::error file=…,line=…,col=…,title=CODE::message``."""
    lines = []
    for result in results.files:
        doc = result.document
        for diag in result.diagnostics:
            a, b = doc.source_position(diag.start), doc.source_position(diag.end)
            message = diag.message if a.page is None else f"（第 {a.page} 页）{diag.message}"
            properties = ",".join(
                f"{key}={_escape_property(str(value))}"
                for key, value in (
                    ("file", doc.path),
                    ("line", a.line),
                    ("endLine", b.line),
                    ("col", a.column),
                    ("endColumn", b.column),
                    ("title", f"{diag.code} {diag.name}"),
                )
            )
            lines.append(f"::{GITHUB_COMMANDS[diag.severity]} {properties}::{_escape_data(message)}")
    for path, problem in results.errors:
        lines.append(f"::error file={_escape_property(path)},title=reportlint::{_escape_data(problem)}")
    lines.append(summary_line(results))
    return "\n".join(lines) + "\n"


FORMATS = (OutputFormat("github", format_github),)
