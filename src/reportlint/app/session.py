"""One application session: the configuration and the rules for a path.

Every front end lints through a :class:`Session`: ``reportlint check`` (the runner, also
in its worker processes), ``reportlint report`` (the dashboard), ``reportlint serve`` (the
web page), the language server and the Python API.  So a report is checked with the same
configuration (found walking up from it, or the one given), the same command-line
overrides and the same rules wherever it is checked.  Front ends turn their own
arguments into :class:`RunOptions` (``RunOptions.from_arguments(vars(namespace))``)
and never import each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from reportlint.core.diagnostics import Diagnostic
from reportlint.core.document import Document
from reportlint.engine.config import Config, find_config, load_config
from reportlint.engine.lint import RuleSet, lint_document, load_ruleset
from reportlint.inputs.reading import read_path
from reportlint.rules.model import Rule

__all__ = ["RunOptions", "Session", "session_for"]


# Command-line argument names that differ from RunOptions' field names.
_ARGUMENT_NAMES = {"config": "config_path", "rules": "rule_dirs", "kind": "report_kind"}


class RunOptions(NamedTuple):
    """What a command was asked to do, whichever front end asked; picklable for worker
    processes, and hashable: one :class:`Session` per options (see :func:`session_for`).
    (A named tuple, not a dataclass: it is defined at every start, and a dataclass of this
    size costs half a millisecond to define.)"""

    config_path: Path | None = None  # --config: one configuration for every file
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    report_kind: str | None = None  # --kind: the report kind, for each pack that knows it
    pack: str | None = None  # --pack: check every report with this pack, whichever packs apply
    fail_on: str | None = None
    rule_dirs: tuple[Path, ...] = ()
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    max_file_size: float | None = None  # MB, overrides the configuration

    @classmethod
    def from_arguments(cls, arguments: Mapping[str, Any]) -> RunOptions:
        """The options among parsed command-line arguments (``vars(namespace)``): ``config``,
        ``select``, ``extend_select``, ``ignore``, ``kind``, ``pack``, ``fail_on``, ``rules``, ``fix``,
        ``unsafe_fixes``, ``diff``, ``max_file_size``; others are ignored, absent ones default."""
        values = {_ARGUMENT_NAMES.get(key, key): value for key, value in arguments.items()}
        values = {key: value for key, value in values.items() if key in cls._fields and value is not None}
        if "rule_dirs" in values:
            values["rule_dirs"] = tuple(values["rule_dirs"])
        return cls(**values)


class Session:
    """The configuration and rules for the paths one front end checks.

    ``options``: command-line overrides (and ``--config``).  ``config``: one configuration
    for every path (the Python API's dict, or the defaults), instead of the one found
    walking up from each file.  ``check_codes``: a rule code in the configuration that
    names no rule is a ConfigError (as on the command line; the language server, which
    must go on linting, checks without)."""

    def __init__(
        self, options: RunOptions | None = None, *, config: Config | None = None, check_codes: bool = True
    ) -> None:
        self.options = options or RunOptions()
        self.fixed_config = config
        self.check_codes = check_codes
        self._checked: set[tuple[object, ...]] = set()  # configurations whose rule codes were checked

    def base_config(self, path: str = "-") -> Config:
        """The configuration of ``path`` as written: the session's own, the one given with
        ``--config``, else the nearest found walking up from the file (from the current
        directory for standard input, ``"-"``)."""
        if self.fixed_config is not None:
            return self.fixed_config
        if self.options.config_path is not None:
            return load_config(self.options.config_path)
        try:
            start = Path.cwd() if path == "-" else Path(path).resolve().parent
        except (OSError, RuntimeError):  # a symlink loop: reading the file reports it
            start = Path.cwd()
        return find_config(start)

    def ruleset(self, path: str = "-") -> RuleSet:
        """Every rule of the packs installed for ``path`` (built-in, configured and ``--rules``)."""
        return load_ruleset(self.base_config(path), self.options.rule_dirs)

    def config(self, path: str = "-") -> Config:
        """The configuration of ``path`` with the command-line overrides."""
        base = self.base_config(path)
        options = self.options
        config = base.merged(
            select=options.select,
            extend_select=(base.extend_select + options.extend_select) if options.extend_select else None,
            ignore=(base.ignore + options.ignore) if options.ignore else None,
            fail_on=options.fail_on,
            max_file_size=options.max_file_size,
            pack=options.pack,
        )
        if options.report_kind:
            config = config.with_report_kind(options.report_kind, self.ruleset(path).packs)
        return config

    def rules(self, path: str = "-") -> tuple[Config, list[Rule]]:
        """The configuration of ``path`` and the rules it selects; ConfigError for a rule code
        in the configuration file that names no rule (checked once per configuration)."""
        config = self.config(path)
        ruleset = self.ruleset(path)
        if self.check_codes:
            base = self.base_config(path)
            key = (
                str(base.source),
                base.select,
                base.extend_select,
                base.ignore,
                tuple(sorted(base.per_file_ignores.items())),
                tuple(sorted(base.severity)),
            )
            if key not in self._checked:
                ruleset.check_config(base)
                self._checked.add(key)
        return config, ruleset.select(config, path)

    def read(self, path: str) -> Document:
        """Read ``path`` (``"-"``: standard input) within its configuration's size limit."""
        return read_path(path, max_bytes=self.config(path).max_bytes)

    def lint(self, doc: Document, path: str | None = None) -> list[Diagnostic]:
        """Lint ``doc`` with the configuration and rules of ``path`` (default: the document's)."""
        config, rules = self.rules(doc.path if path is None else path)
        return lint_document(doc, rules, config)


_SESSIONS: dict[RunOptions, Session] = {}


def session_for(options: RunOptions) -> Session:
    """The process's session for ``options`` (one per options: what it has loaded and
    checked is kept, and inherited by forked worker processes)."""
    session = _SESSIONS.get(options)
    if session is None:
        session = _SESSIONS[options] = Session(options)
    return session
