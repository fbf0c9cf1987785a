"""Kinds over a pack's tables (tables.toml): ``table`` (a table present or absent, its rows,
its cells' contents) and ``table-prose`` (a number written in the prose must agree with the
table).  The arithmetic inside tables is the ``identity`` kind's
(:mod:`reportlint.checks.identities`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from reportlint.checks.base import Check, Finding
from reportlint.checks.cells import exact
from reportlint.checks.conditions import (
    Compiled,
    Program,
    Target,
    compile_program,
    functions_for,
    parse_error_reason,
    parse_program,
    table_schemas,
)
from reportlint.checks.context import LintContext, Span
from reportlint.checks.identities import cell_name, row_name, show
from reportlint.checks.text import MatcherMixin, context_around, report_location
from reportlint.rules.model import CONDITION, INTEGER, REGEX, REGEXES, Field, did_you_mean
from reportlint.tables.model import CellStatus, Table

TABLE_NAMES = Field((str, list), items=Field(str))
EXPRESSIONS = Field(list, items=CONDITION)
# A table in a table-prose pattern list: the pattern with the values it must equal.
PROSE_PATTERN_FIELDS: dict[str, Field] = {"pattern": REGEX, "equals": EXPRESSIONS, "value": INTEGER}
PROSE_PATTERNS = Field(
    (str, list),
    items=Field((str, dict), fields=PROSE_PATTERN_FIELDS, required=("pattern",), format="regex"),
    format="regex",
)
_SHOWN_CELLS = 3  # cells a message names before “等”


def _first_line(ctx: LintContext, table: Table) -> tuple[int, int]:
    """Where a finding about a whole table goes: its first line (from the table's start)."""
    end = ctx.text.find("\n", table.start, table.end)
    return table.start, table.end if end == -1 else end


def _naming_heading(ctx: LintContext, title: str) -> tuple[int, int] | None:
    """The heading whose words hold a table's title (三、收到和处理政府信息公开申请情况), if any."""
    wanted = "".join(title.split())
    for heading in ctx.outline.headings:
        if wanted and wanted in "".join(heading.title.split()):
            return heading.start, heading.title_end
    return None


def _listed(names: list[str]) -> str:
    shown = "、".join(names[:_SHOWN_CELLS])
    return shown + ("等" if len(names) > _SHOWN_CELLS else "")


class TableCheck(Check):
    """``table``: the pack's tables named by ``table`` (one name or a list), checked by
    ``check``: ``missing`` (a table none of whose format versions is in the report: one
    finding per table, at the heading that names it, else at the title or the scope's
    heading; several there, one finding naming them all), ``found`` (one of them is: a
    finding at each, e.g. a superseded format's table), ``rows`` (a row of the schema the
    table lacks: one finding per row, at the table), ``values`` (a number cell holding text:
    at the cell), ``blank`` (blank cells, counted as 0: one finding per table, at the first)
    or ``uncertain`` (rows whose values could not be aligned with the columns: one finding
    per table)."""

    kind = "table"
    params = {
        "table": TABLE_NAMES,
        "check": Field(str, choices=("missing", "found", "rows", "values", "blank", "uncertain")),
        "at": Field(str, choices=("scope", "title")),
    }
    required = ("table", "check")
    placeholders = frozenset({"table", "tables", "row", "rows", "cell", "cells", "raw", "count", "heading"})

    def compile(self, params: dict[str, Any]) -> None:
        names = params["table"] if isinstance(params["table"], list) else [params["table"]]
        if not names:
            raise self.fail("table", "参数“table”应为表格名称，或非空的表格名称列表")
        schemas = table_schemas(self.rule.pack)
        for name in names:
            if schemas is not None and name not in schemas:
                if not schemas:
                    raise self.fail("table", f"参数“table”中有表格“{name}”，但规则包没有声明任何表格（tables.toml）")
                raise self.fail("table", f"参数“table”中有未知的表格“{name}”{did_you_mean(name, sorted(schemas))}")
        self.names = tuple(names)
        self.mode = params["check"]
        self.at = params.get("at", "scope" if self.rule.scope.is_section else "title")
        self.titles = {name: schemas[name][0].title for name in names} if schemas else {}
        # A table and its other format versions (tables.toml ``family``): present if one is.
        self.families = {name: schemas[name][0].family_name for name in names} if schemas else {}

    def run(self, ctx: LintContext) -> Iterator[Finding]:
        found = ctx.tables(self.rule.pack)
        if self.mode == "missing":
            yield from self._missing(ctx, found)
            return
        check = {
            "found": self._found,
            "rows": self._rows,
            "values": self._text_cells,
            "blank": self._blank,
            "uncertain": self._uncertain,
        }[self.mode]
        for table in [found[name] for name in self.names if name in found]:
            yield from check(ctx, table)

    def _missing(self, ctx: LintContext, found: dict[str, Table]) -> Iterator[Finding]:
        present = set(found) | {table.schema.family_name for table in found.values()}
        families: dict[str, list[str]] = {}
        for name in self.names:
            families.setdefault(self.families.get(name, name), []).append(name)
        missing = [names for family, names in families.items() if family not in present]
        if not missing:
            return
        spans = ctx.spans(self.rule.scope, self.rule.pack)
        fallback = report_location(ctx, spans, self.at)
        places: dict[tuple[int, int], list[str]] = {}
        for names in missing:
            title = self.titles.get(names[0], names[0])
            places.setdefault(_naming_heading(ctx, title) or fallback, []).append(title)
        for (start, end), titles in places.items():
            values: dict[str, Any] = {"table": titles[0], "tables": "、".join(titles), "count": len(titles)}
            if spans and spans[0].section is not None and spans[0].section.heading is not None:
                values["heading"] = spans[0].section.title
            yield Finding(start, end, values)

    def _values(self, table: Table, **values: Any) -> dict[str, Any]:
        return {"table": table.schema.title, **values}

    def _found(self, ctx: LintContext, table: Table) -> Iterator[Finding]:
        start, end = _first_line(ctx, table)
        yield Finding(start, end, self._values(table, tables=table.schema.title))

    def _rows(self, ctx: LintContext, table: Table) -> Iterator[Finding]:
        start, end = _first_line(ctx, table)
        for key in table.missing_rows:
            yield Finding(start, end, self._values(table, row=row_name(table.schema, key)))

    def _text_cells(self, ctx: LintContext, table: Table) -> Iterator[Finding]:
        schema = table.schema
        for cell in table.cells.values():
            if cell.status is CellStatus.TEXT and cell.row not in table.uncertain_rows:
                name = cell_name(schema, cell.row, cell.column)
                yield Finding(cell.start, cell.end, self._values(table, cell=name, raw=cell.raw.strip()))

    def _blank(self, ctx: LintContext, table: Table) -> Iterator[Finding]:
        cells = sorted(table.blank_cells, key=lambda cell: cell.start)
        if not cells:
            return
        names = [cell_name(table.schema, cell.row, cell.column) for cell in cells]
        values = self._values(table, count=len(cells), cells=_listed(names), cell=names[0])
        yield Finding(cells[0].start, cells[0].end, values)

    def _uncertain(self, ctx: LintContext, table: Table) -> Iterator[Finding]:
        if not table.uncertain_rows:
            return
        schema = table.schema
        rows = [key for key in schema.row_keys if key in table.uncertain_rows]
        labels = [row_name(schema, key) for key in rows]
        start, end = table.row_labels.get(rows[0], _first_line(ctx, table))
        yield Finding(start, end, self._values(table, count=len(rows), rows=_listed(labels), row=labels[0]))


_SENTENCE_ENDS = "。！？；\n"
_SENTENCE_MAX = 40  # characters of a sentence shown on either side of the match


def sentence_around(ctx: LintContext, start: int, end: int) -> str:
    """The clause or sentence holding ``[start, end)``: from the last 。！？； or line break
    before it to the next one after it (kept), at most _SENTENCE_MAX characters either side."""
    text = ctx.text
    low = max(0, start - _SENTENCE_MAX)
    begin = max([text.rfind(mark, low, start) for mark in _SENTENCE_ENDS] + [low - 1]) + 1
    high = min(len(text), end + _SENTENCE_MAX)
    stops = [at for at in (text.find(mark, end, high) for mark in _SENTENCE_ENDS) if at != -1]
    stop = min(stops) if stops else high
    if stop < len(text) and text[stop] != "\n" and stops:
        stop += 1  # (the sentence's own mark)
    return text[begin:stop].strip()


def _this_year(ctx: LintContext, written: str | None) -> bool:
    """Whether a year written in a claim (None: none) is the report's (or the report's is unknown)."""
    if not written:
        return True
    year = ctx.report_year
    digits = "".join(ch for ch in written if ch.isdigit())
    return year is None or not digits or int(digits) == year


class Alternatives:
    """The values a prose number may equal: expressions over cells, each compiled once."""

    def __init__(self, programs: list[Program]) -> None:
        self.programs = programs
        self._compiled: list[Compiled] | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"programs": self.programs, "_compiled": None}  # (closures do not pickle)

    def values(self, functions: dict[str, Any]) -> list[Any]:
        if self._compiled is None:
            self._compiled = [compile_program(program) for program in self.programs]
        return [compiled(functions, {}) for compiled in self._compiled]


class TableProse(MatcherMixin):
    """``table-prose``: a number written in the prose (the named group ``n`` of ``pattern``,
    or ``value`` for a claim without a number such as 未收到政府信息公开申请) must equal one of
    the ``equals`` expressions over the pack's tables (T3[NEW, SUM], sums) whose value is
    known; a finding when it equals none, nothing when none is known.  A match inside one of
    the pack's tables is skipped, and so is one whose named group ``year`` holds a year other
    than the report's (a statement about another year: 2023年未收到…).  ``pattern`` may be a
    list whose items are tables ``{ pattern, equals, value }`` with values of their own."""

    kind = "table-prose"
    params = {
        "pattern": PROSE_PATTERNS,
        "equals": EXPRESSIONS,
        "value": INTEGER,
        "allow": REGEXES,
        "max": INTEGER,
    }
    required = ("pattern",)
    # (and the patterns' named groups)
    placeholders = frozenset({"number", "expected", "context", "match", "sentence"})

    def placeholder_names(self) -> frozenset[str]:
        groups = {name for search in self.searches for name in search.pattern.compiled.groupindex}
        return self.placeholders | groups

    def compile(self, params: dict[str, Any]) -> None:
        items = params["pattern"] if isinstance(params["pattern"], list) else [params["pattern"]]
        if not items:
            raise self.fail("pattern", "参数“pattern”应为字符串或非空列表")
        self.options: dict[str, tuple[Alternatives, int | None]] = {}
        default = self._alternatives(params.get("equals"))
        sources = []
        for item in items:
            source = item if isinstance(item, str) else item["pattern"]
            own = item if isinstance(item, dict) else {}
            alternatives = self._alternatives(own["equals"]) if "equals" in own else default
            if alternatives is None:
                raise self.fail("equals", "检查类型“table-prose”需要参数“equals”（表格中应等于的值）")
            value = own.get("value", params.get("value"))
            self.options[source] = (alternatives, value)
            sources.append(source)
        self.compile_matcher({**params, "pattern": sources})
        for search in self.searches:
            source = search.pattern.pattern
            if self.options[source][1] is None and "n" not in search.pattern.compiled.groupindex:
                message = f"参数“pattern”的正则表达式需要命名分组 (?P<n>…)（数字），或给出“value”（{source!r}）"
                raise self.fail("pattern", message)
        self.max = params.get("max")

    def _alternatives(self, sources: list[str] | None) -> Alternatives | None:
        if sources is None:
            return None
        if not sources:
            raise self.fail("equals", "参数“equals”应为非空列表")
        from lark.exceptions import LarkError

        programs = []
        for source in sources:
            try:
                programs.append(parse_program(source, self.rule.pack))
            except LarkError as exc:
                reason = parse_error_reason(exc)
                raise self.fail("equals", f"无法解析“equals”中的表达式（{source}）：{reason}") from None
            except ValueError as exc:
                raise self.fail("equals", f"“equals”{exc}") from None
        return Alternatives(programs)

    def run(self, ctx: LintContext) -> Iterator[Finding]:
        pack = self.rule.pack
        spans = ctx.spans(self.rule.scope, pack)
        if not spans:
            return
        tables = list(ctx.tables(pack).values())
        regions = [(table.start, table.end) for table in tables]
        functions = functions_for(Target(ctx, pack, Span(0, len(ctx.text))))
        count = 0
        for match in self.matches(ctx, spans):
            if any(start <= match.start() < end for start, end in regions):
                continue
            if "year" in match.re.groupindex and not _this_year(ctx, match.group("year")):
                continue
            alternatives, value = self.options[match.re.pattern]
            number = value
            if number is None:
                written = (match.group("n") or "").replace(",", "").replace("，", "")
                try:
                    number = int(written)
                except ValueError:
                    continue
            known = [v for v in alternatives.values(functions) if type(v) in (int, float)]
            if not known or any(exact(v) == number for v in known):
                continue
            if self.max is not None and count >= self.max:
                return
            count += 1
            start, end = match.span("n") if "n" in match.re.groupindex and match.group("n") else match.span()
            values = {k: v or "" for k, v in match.groupdict().items()}
            expected = list(dict.fromkeys(show(exact(v)) for v in known))
            values.update(
                number=str(number),
                expected=" 或 ".join(expected),
                match=match.group(),
                context=context_around(ctx, match.start(), match.end()),
                sentence=sentence_around(ctx, match.start(), match.end()),
            )
            yield Finding(start, end, values)
