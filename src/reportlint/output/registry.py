"""The output formats of ``reportlint check --format``, by name.

The built-in formats are declared by :mod:`reportlint.output.text` (text, full),
:mod:`reportlint.output.json` (json, lsp), :mod:`reportlint.output.sarif`,
:mod:`reportlint.output.github` and :mod:`reportlint.output.junit`; another one is
added with :func:`register_format`, from any module, with no edit to reportlint::

    from reportlint.output.base import OutputFormat
    from reportlint.output.registry import register_format

    register_format(OutputFormat("csv", render_csv))

after which ``reportlint check --format csv`` (run in the same process, e.g. through
``reportlint.frontends.cli.main``) writes it.
"""

from __future__ import annotations

from reportlint.output import github, json, junit, sarif, text
from reportlint.output.base import OutputFormat

__all__ = ["BUILTIN_FORMATS", "format_names", "get_format", "register_format", "unregister_format"]

BUILTIN_FORMATS: tuple[OutputFormat, ...] = (
    *text.FORMATS,
    *json.FORMATS,
    *sarif.FORMATS,
    *github.FORMATS,
    *junit.FORMATS,
)

_formats: dict[str, OutputFormat] = {f.name: f for f in BUILTIN_FORMATS}


def register_format(output_format: OutputFormat) -> OutputFormat:
    """Add an output format (or replace the one of the same name); returns it."""
    _formats[output_format.name] = output_format
    return output_format


def unregister_format(name: str) -> None:
    """Remove the output format ``name``."""
    _formats.pop(name, None)


def format_names() -> list[str]:
    """The names ``--format`` accepts, sorted."""
    return sorted(_formats)


def get_format(name: str) -> OutputFormat:
    """The output format ``name`` (KeyError when there is none)."""
    return _formats[name]
