"""The Python API for systems that call the linter (an office's OA system, a script):
``lint_text`` and ``lint_path`` return findings with the fields of the JSON output
(schema version 1), so a program sees what ``reportlint check --format json`` prints.

    >>> import reportlint
    >>> findings = reportlint.lint_text("某区司法局2024年度法治政府建设情况报告\\n\\n全年共 5 条。\\n",
    ...                                 config={"select": ["FZ503"]})
    >>> [(f.code, f.line, f.column) for f in findings]
    [('FZ503', 3, 3), ('FZ503', 3, 5)]

This module is the stable surface: its names and the fields of ``Finding`` keep their
meaning from version 0.2.0 on.  Everything else in the package is internal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from reportlint.app.results import diagnostic_json
from reportlint.app.session import Session
from reportlint.core.document import Document
from reportlint.core.errors import InputError
from reportlint.core.internal import UnknownCodeError
from reportlint.engine.config import Config, ConfigError, config_from_mapping, load_config
from reportlint.engine.lint import lint_document
from reportlint.rules.model import RuleError

__all__ = ["Edit", "Finding", "Fix", "LintError", "lint_path", "lint_text"]


class LintError(Exception):
    """The input, the configuration or a rule file stopped the linting; the message is the
    one line in Chinese that the command line prints (naming the file and line)."""


@dataclass(frozen=True)
class Edit:
    """Replace the text from (line, column) to (end_line, end_column) with ``new_text``;
    1-based lines and columns in characters, of the text that ``--fix`` rewrites."""

    line: int
    column: int
    end_line: int
    end_column: int
    new_text: str


@dataclass(frozen=True)
class Fix:
    title: str
    safe: bool  # False: needs a person to look (``--unsafe-fixes``)
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class Finding:
    """One finding, with the fields (and meanings) of a diagnostic in the JSON output."""

    code: str  # FZ503
    name: str  # chinese-digit-space
    category: str  # layout, required-content, …
    severity: str  # "error" | "warning" | "info" | "hint"
    message: str  # what is wrong, in Chinese
    basis: str  # the rule's legal or standard basis
    line: int  # 1-based; in a PDF, the line on ``page``
    column: int  # 1-based, in characters
    end_line: int
    end_column: int
    page: int | None  # PDF only, 1-based
    end_page: int | None
    context: str | None  # a Word document: the paragraph's first words; else None
    fix: Fix | None

    @property
    def end(self) -> tuple[int, int]:
        return (self.end_line, self.end_column)

    def to_dict(self) -> dict[str, Any]:
        """The finding as ``reportlint check --format json`` writes it."""
        return asdict(self) | {"fix": None if self.fix is None else _fix_dict(self.fix)}


def lint_text(
    text: str,
    *,
    path: str | Path | None = None,
    config: str | Path | Mapping[str, Any] | None = None,
    pack: str | None = None,
) -> list[Finding]:
    """Lint a report given as text.  ``path`` (optional) is the name findings are about;
    its suffix matters (``.md`` honours suppression comments).  ``config``: a
    configuration file's path, or a dict of its keys; without it, the defaults (no file is
    searched for).  ``pack``: lint with that rule pack only (e.g. ``"fazhi"``)."""
    name = str(path) if path is not None else "<text>"
    session = Session(config=_config(config))
    return _lint(session, Document.from_text(text, path=name), pack)


def lint_path(
    path: str | Path,
    *,
    config: str | Path | Mapping[str, Any] | None = None,
    pack: str | None = None,
) -> list[Finding]:
    """Lint a report file (.txt, .md, .docx, .pdf, or a format a plug-in registered), read
    as ``reportlint check`` reads it.  ``config``: a configuration file's path, a dict of
    its keys, or None for the configuration found walking up from the file (as the command
    line does).  Raises LintError when the file cannot be read."""
    session = Session() if config is None else Session(config=_config(config))
    name = str(path)
    try:
        session.rules(name)  # a mistake in the configuration first, as the command line says it
        document = session.read(name)
    except (InputError, ConfigError, RuleError, UnknownCodeError) as exc:
        raise LintError(str(exc)) from None
    return _lint(session, document, pack)


def _config(config: str | Path | Mapping[str, Any] | None) -> Config:
    try:
        if config is None:
            return Config()
        is_dict = isinstance(config, Mapping)
        return config_from_mapping(dict(config)) if is_dict else load_config(Path(config))
    except ConfigError as exc:
        raise LintError(str(exc)) from None


def _lint(session: Session, document: Document, pack: str | None) -> list[Finding]:
    path = str(document.path)
    try:
        config, rules = session.rules(path)  # (unknown rule codes in the configuration are mistakes)
        names = sorted({rule.pack.name for rule in session.ruleset(path).rules})
    except (ConfigError, RuleError, UnknownCodeError) as exc:
        raise LintError(str(exc)) from None
    if pack is not None:
        if pack not in names:
            raise LintError(f"未知的规则包 {pack}（已安装：{'、'.join(names)}）")
        rules = [rule for rule in rules if rule.pack.name == pack]
    return [_finding(diagnostic_json(document, d)) for d in lint_document(document, rules, config)]


def _finding(item: dict[str, Any]) -> Finding:
    fix = item.pop("fix")
    return Finding(
        **item,
        fix=None
        if fix is None
        else Fix(fix["title"], fix["safe"], tuple(Edit(**edit) for edit in fix["edits"])),
    )


def _fix_dict(fix: Fix) -> dict[str, Any]:
    return {"title": fix.title, "safe": fix.safe, "edits": [asdict(edit) for edit in fix.edits]}
