"""A toy output format, ``dummy``: one ``path<TAB>code<TAB>line`` row per finding.  One
module, registered with :func:`reportlint.output.registry.register_format`."""

from __future__ import annotations

from reportlint.app.results import Results
from reportlint.output.base import OutputFormat
from reportlint.output.registry import register_format, unregister_format


def render(results: Results) -> str:
    rows = [
        f"{result.document.path}\t{diag.code}\t{result.document.position(diag.start).line}\n"
        for result in results.files
        for diag in result.diagnostics
    ]
    return "".join(rows) + f"# {len(rows)}\n"


FORMAT = OutputFormat("dummy", render)


def register() -> None:
    register_format(FORMAT)


def unregister() -> None:
    unregister_format(FORMAT.name)
