"""The dashboard's data (``reportlint report``): every report with its findings, the
required parts it has, the tables it has and whether they add up, and the columns of the
matrix (a pack's required parts, headed by their ``short`` label in pack.toml; its tables,
one column per family of tables.toml; the number of its arithmetic findings).  Each report
fills only the columns of the packs that checked it.  :mod:`reportlint.output.dashboard`
renders it as HTML or CSV.

Extra diagnostics (e.g. cross-report duplicates) plug in through ``collect``'s
``extra_sources``: each source gets every linted file and returns diagnostics by
path; they are shown like any other finding, whatever their code or category.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlint.app.results import FileResult, Results
from reportlint.app.runner import lint_paths
from reportlint.app.session import RunOptions, session_for
from reportlint.checks.context import LintContext
from reportlint.core.diagnostics import Diagnostic, Severity
from reportlint.core.document import Document
from reportlint.engine.lint import applicable_packs
from reportlint.rules.model import CATEGORY_TITLES, Pack, Part, Rule

__all__ = [
    "CATEGORY_LABELS",
    "Dashboard",
    "DiagnosticSource",
    "PartColumn",
    "ReportRow",
    "TableColumn",
    "collect",
    "part_columns",
    "part_headings",
]

# Chinese names of the rule categories; an unknown category shows as itself.
CATEGORY_LABELS = CATEGORY_TITLES

# Diagnostics from outside the rule engine, by path (the path of the FileResult's document).
DiagnosticSource = Callable[[Sequence[FileResult]], Mapping[str, Iterable[Diagnostic]]]


@dataclass(frozen=True)
class PartColumn:
    """A required part of a pack (pack.toml ``[parts.*]``) and the rules that report it missing."""

    pack: str
    name: str
    label: str
    part: Part
    missing_codes: frozenset[str]
    source: Pack | None = field(default=None, compare=False)  # the pack, for the parts' structure

    @property
    def key(self) -> str:
        return f"{self.pack}.{self.name}"

    @property
    def short(self) -> str:
        """The column's header: the part's ``short`` label in pack.toml, else its label."""
        return getattr(self.part, "short", "") or self.label


def _missing_part_codes(pack: Pack, name: str) -> frozenset[str]:
    """Codes of the pack's ``section`` rules that fire exactly when part ``name`` is absent."""
    return frozenset(
        rule.code
        for rule in pack.rules
        if rule.check_kind == "section"
        and rule.params.get("part") == name
        and not rule.params.get("contains")
        and not rule.params.get("contains_pattern")
    )


def part_columns(packs: Iterable[Pack]) -> list[PartColumn]:
    return [
        PartColumn(pack.name, name, part.label, part, _missing_part_codes(pack, name), pack)
        for pack in packs
        for name, part in pack.parts.items()
        if part.required
    ]


# The check kind whose findings say a table does not add up (the dashboard's 勾稽 column).
ARITHMETIC_KIND = "identity"


@dataclass(frozen=True)
class TableColumn:
    """A table a pack declares (tables.toml; the schemas of one family, e.g. the 2021 and the
    2019 layout of 表三, form one column), or, with ``arithmetic``, the pack's column of
    findings that its tables do not add up."""

    pack: str
    name: str
    label: str
    short: str
    schemas: tuple[str, ...] = ()
    arithmetic: bool = False
    codes: frozenset[str] = frozenset()  # arithmetic: the pack's identity rules

    @property
    def key(self) -> str:
        return f"{self.pack}.{self.name}"


def table_columns(packs: Iterable[Pack]) -> list[TableColumn]:
    columns: list[TableColumn] = []
    for pack in packs:
        schemas = pack.tables
        if not schemas:
            continue
        by_family: dict[str, list[Any]] = {}
        for schema in schemas:  # (表三 of the 2021 and of the 2019 format: one column)
            by_family.setdefault(schema.family_name, []).append(schema)
        for group in by_family.values():
            names = tuple(schema.name for schema in group)
            columns.append(TableColumn(pack.name, names[0], group[0].title, group[0].title, names))
        codes = frozenset(rule.code for rule in pack.rules if rule.check_kind == ARITHMETIC_KIND)
        if codes:
            label = "表格数字不符（勾稽关系）"
            columns.append(TableColumn(pack.name, "arithmetic", label, "勾稽", arithmetic=True, codes=codes))
    return columns


@dataclass
class ReportRow:
    """One input: a linted document with its findings, or a file that could not be read."""

    path: str
    document: Document | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    title: str = ""
    # PartColumn.key -> the heading where the part was found, or None when it is missing;
    # only the parts of the packs that checked the report (``packs``).
    parts: dict[str, str | None] = field(default_factory=dict)
    error: str | None = None
    packs: tuple[str, ...] = ()
    # TableColumn.key -> whether the table was found, or (arithmetic) the number of findings.
    tables: dict[str, bool | int] = field(default_factory=dict)

    def counts(self, category: str | None = None) -> Counter[Severity]:
        return Counter(d.severity for d in self.diagnostics if category is None or d.category == category)

    def missing(self, columns: Sequence[PartColumn]) -> list[PartColumn]:
        return [c for c in columns if c.key in self.parts and self.parts[c.key] is None]


@dataclass
class Dashboard:
    rows: list[ReportRow]
    columns: list[PartColumn]
    rules: dict[str, Rule] = field(default_factory=dict)  # code -> rule, for names and chart labels
    rule_categories: list[str] = field(default_factory=list)
    table_columns: list[TableColumn] = field(default_factory=list)

    @property
    def categories(self) -> list[str]:
        """The categories of the loaded rules, then any other category a diagnostic has."""
        order = list(CATEGORY_LABELS)
        known = sorted(set(self.rule_categories), key=lambda c: (order.index(c) if c in order else len(order), c))
        extra = sorted({d.category for r in self.rows for d in r.diagnostics} - set(known))
        return known + extra

    @property
    def results(self) -> Results:
        return Results(
            [FileResult(r.document, r.diagnostics) for r in self.rows if r.document is not None],
            [(r.path, r.error) for r in self.rows if r.error is not None],
        )

    def add_diagnostics(self, path: str, diagnostics: Iterable[Diagnostic]) -> None:
        """Show extra findings for ``path`` (the row's path or its document's path; the hook
        for checks outside the rule engine)."""
        for row in self.rows:
            if row.document is not None and path in (row.path, row.document.path):
                row.diagnostics = sorted([*row.diagnostics, *diagnostics], key=Diagnostic.sort_key)
                return
        raise KeyError(path)


def part_headings(ctx: LintContext, columns: Iterable[PartColumn]) -> dict[str, str | None]:
    """The heading each required part was found under (``LintContext.part_sections``, what the
    ``section(...)`` function of expr rules uses), or None when it has none."""
    found: dict[str, str | None] = {}
    for column in columns:
        sections = ctx.part_sections(column.part, column.source)
        if not sections:
            found[column.key] = None
        else:  # (a report without headings: its whole body is the part, with no heading of its own)
            heading = sections[0].heading
            found[column.key] = heading.title if heading is not None else ""
    return found


def table_cells(ctx: LintContext, columns: Iterable[TableColumn], packs: Iterable[Pack],
                diagnostics: Iterable[Diagnostic]) -> dict[str, bool | int]:
    """Which of the packs' tables the report has, and how many arithmetic findings it got."""
    by_name = {pack.name: pack for pack in packs}
    codes = [d.code for d in diagnostics]
    cells: dict[str, bool | int] = {}
    for column in columns:
        pack = by_name.get(column.pack)
        if pack is None:
            continue
        if column.arithmetic:
            cells[column.key] = sum(1 for code in codes if code in column.codes)
        else:
            found = ctx.tables(pack)
            cells[column.key] = any(name in found for name in column.schemas)
    return cells


def _apply_fired(
    found: dict[str, str | None], columns: Iterable[PartColumn], diagnostics: Iterable[Diagnostic]
) -> dict[str, str | None]:
    fired = {d.code for d in diagnostics}
    for column in columns:
        if column.key in found and column.missing_codes & fired:
            found[column.key] = None
    return found


def collect(
    paths: Sequence[str],
    options: RunOptions | None = None,
    *,
    jobs: int = 0,
    extra_sources: Sequence[DiagnosticSource] = (),
    on_error: Callable[[str], None] | None = None,
) -> Dashboard:
    """Lint ``paths`` exactly as ``reportlint check`` would with ``options`` (the same
    session: configuration discovery, ``--select``/``--ignore``/``--rules``/``--kind``/
    ``--config``), in ``jobs`` processes, then add the diagnostics of ``extra_sources`` and
    work out each report's required parts.  ``on_error`` gets the one-line message of each
    file that could not be read."""
    options = options or RunOptions()
    session = session_for(options)
    rows: list[ReportRow] = []
    packs: dict[int, Pack] = {}
    columns_by_dir: dict[str, tuple[list[PartColumn], list[TableColumn]]] = {}
    used: set[str] = set()  # the packs that checked at least one report

    def columns_for(path: str) -> tuple[list[PartColumn], list[TableColumn]]:
        directory = str(Path(path).parent)
        if directory not in columns_by_dir:
            ruleset = session.ruleset(path)
            packs.update((id(p), p) for p in ruleset.packs)
            columns_by_dir[directory] = (part_columns(ruleset.packs), table_columns(ruleset.packs))
        return columns_by_dir[directory]

    # Titles and part headings are worked out while the worker processes lint the next files.
    for outcome in lint_paths(list(paths), options, jobs=jobs):
        if outcome.error and on_error:
            on_error(outcome.error)
        if outcome.result is None:
            rows.append(ReportRow(outcome.path, error=outcome.problem or outcome.error))
            continue
        doc = outcome.result.document
        ctx = LintContext(doc)
        row = ReportRow(doc.path, doc, outcome.result.diagnostics, title=ctx.outline.title)
        parts, tables = columns_for(outcome.path)
        checked = applicable_packs(ctx, session.config(outcome.path), session.ruleset(outcome.path).packs)
        row.packs = tuple(pack.name for pack in checked)
        ctx.mask_tables(checked)  # (as the engine does: a table's row labels are not headings)
        used.update(row.packs)
        row.parts = part_headings(ctx, [c for c in parts if c.pack in row.packs])
        row.tables = table_cells(ctx, tables, checked, row.diagnostics)
        rows.append(row)
    if not packs:  # nothing readable: still show the columns of the default rules
        columns_for(str(Path.cwd() / "-"))
    shown = used or {pack.name for pack in packs.values()}  # (only the packs that checked a report)
    columns = list({c.key: c for cs, _ in columns_by_dir.values() for c in cs if c.pack in shown}.values())
    tables = list({c.key: c for _, cs in columns_by_dir.values() for c in cs if c.pack in shown}.values())
    rules = {rule.code: rule for pack in packs.values() for rule in pack.rules}
    dashboard = Dashboard(rows, columns, rules, sorted({r.category for r in rules.values()}), tables)
    results = dashboard.results.files
    for source in extra_sources:
        for path, found in source(results).items():
            dashboard.add_diagnostics(path, found)
    for row in rows:
        _apply_fired(row.parts, columns, row.diagnostics)
    return dashboard
