"""The condition language (grammar/expr.lark) of ``expr`` rules' ``when``, of rules'
``applies_if`` and ``info_if``, and of a pattern's or pair's ``applies_if``; e.g.
``heading_year() == report_year`` on the next-year plan section.

A condition is parsed with lark once, when the rule is loaded, and turned into a small
tuple program (``("call", name, args)``, ``("and", operands)`` …) that
:func:`compile_program` turns into closures; the program pickles with the cached rule
set, so running a rule needs neither lark nor the grammar.

Cells of a pack's tables (tables.toml) are written ``T3[NEW, SUM]``, sums over a range of
rows or columns in the schema's order ``sum(T3[R1..R6_3, c])``; their programs are calls of
two functions a rule cannot name (``$cell``, ``$sum``), so a condition on cells compiles and
evaluates as any other.  ``… for c in columns`` (also ``rows``, or ``[RV, LD, LR]``) makes a
condition a family of instances, one per key: only an ``identity`` rule takes it
(:mod:`reportlint.checks.identities`).  Table, row and column names are checked against the
pack's table schemas when the rule is loaded."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from functools import cache, lru_cache
from typing import Any

import regex

from reportlint.checks.cells import CELL, SUM, TABLE_FUNCTIONS, cell_uses, cells_of, single_term
from reportlint.checks.context import YEAR_IN_TEXT, LintContext, Span
from reportlint.rules.model import RuleError, did_you_mean
from reportlint.support import rxcache
from reportlint.support.resources import grammar_path
from reportlint.tables.model import TableSchema

COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@cache
def expression_parser() -> Any:
    """The condition parser (lark, imported here: only loading a rule needs it)."""
    from lark import Lark

    return Lark.open(str(grammar_path("expr.lark")), parser="lalr", maybe_placeholders=False, cache=_lark_cache())


def _lark_cache() -> str | bool:
    from reportlint.support.cache import lark_cache_file

    return lark_cache_file("expr.lark")


class Target:
    """What the functions of one evaluation look at: a span's text and its section's
    heading (the span moves from section to section as an ``expr`` rule runs)."""

    def __init__(self, ctx: LintContext, rule_pack: Any, span: Span | None) -> None:
        self.ctx = ctx
        self.pack = rule_pack
        self.span = span

    @property
    def text(self) -> str:
        if self.span is None:
            return ""
        return self.ctx.text[self.span.start : self.span.end]

    @property
    def heading(self) -> str:
        if self.span is None or self.span.section is None:
            return ""
        return self.span.section.title


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> regex.Pattern[str]:
    """``regex.compile`` memoised (and kept across processes, see :mod:`reportlint.support.rxcache`)."""
    return rxcache.compile(pattern)


# The year a section's first sentence opens with ("2025年，我局将……"), not a span or a
# retrospective (2024年以来, 2024年底).
LEAD_YEAR = rxcache.compile(
    r"(?:在|于|到)?((?:19|20)[0-9]{2})\s*年(?:度)?(?![0-9]|以来|来|初|底|末|上半年|下半年|前|中)"
)
_LEAD_SKIP = " \t\u3000\n#*_"
_LEAD_MAX = 150


def lead_of(text: str) -> tuple[int, str]:
    """The offset and text of the first sentence of ``text`` (a section body)."""
    start = len(text) - len(text.lstrip(_LEAD_SKIP))
    rest = text[start : start + _LEAD_MAX]
    ends = [at for at in (rest.find(mark) for mark in "。！？\n") if at != -1]
    return start, rest[: min(ends)] if ends else rest


def _mention_pattern(value: Any) -> str:
    if isinstance(value, int):
        return rf"(?<![0-9]){value}\s*年"
    return regex.escape(str(value))


def functions_for(scope: Target) -> dict[str, Callable[..., Any]]:
    ctx = scope.ctx

    def section(name: str) -> bool:
        part = scope.pack.parts.get(name)
        if part is not None:
            return bool(ctx.part_sections(part, scope.pack))
        return bool(ctx.matching_sections(_compiled(name), None))

    def mentions(value: Any) -> bool:
        return value is not None and _compiled(_mention_pattern(value)).search(scope.text) is not None

    def heading_mentions(value: Any) -> bool:
        return value is not None and _compiled(_mention_pattern(value)).search(scope.heading) is not None

    def heading_year() -> int | None:
        found = YEAR_IN_TEXT.search(scope.heading)
        return int(found.group(1)) if found else None

    def matches(pattern: str) -> bool:
        return _compiled(pattern).search(scope.text, timeout=ctx.regex_timeout) is not None

    def lead_year() -> int | None:
        found = LEAD_YEAR.match(lead_of(scope.text)[1])
        return int(found.group(1)) if found else None

    def lead_matches(pattern: str) -> bool:
        return _compiled(pattern).search(lead_of(scope.text)[1], timeout=ctx.regex_timeout) is not None

    def count(term: str) -> int:
        return scope.text.count(term)

    def signature_date() -> int | None:
        date = ctx.signature_date
        return date[0] * 10000 + date[1] * 100 + date[2] if date else None

    def deadline() -> int | None:
        year = ctx.report_year
        month_day = ctx.profile.get("deadline")
        if year is None or not month_day:
            return None
        month, day = (int(x) for x in str(month_day).split("-"))
        return (year + 1) * 10000 + month * 100 + day

    def title_matches(pattern: str) -> bool:
        return _compiled(pattern).search(ctx.outline.title, timeout=ctx.regex_timeout) is not None

    def header_matches(pattern: str) -> bool:
        """The header lines that are not the title (版头), e.g. 中共…党组."""
        outline = ctx.outline
        lines = [ctx.doc.line_text(n) for n in outline.header_lines if n not in outline.title_lines]
        return any(_compiled(pattern).search(line, timeout=ctx.regex_timeout) for line in lines)

    def title_lines() -> int:
        return len(ctx.outline.title_lines)

    def has_title() -> bool:
        return bool(ctx.outline.title)

    def cell(table: str, row: Any, column: Any) -> int | float | None:
        return cells_of(ctx, scope.pack).number(table, row, column)

    def total(table: str, rows: Any, columns: Any) -> int | float | None:
        return cells_of(ctx, scope.pack).total(table, rows, columns)

    return {
        CELL: cell,
        SUM: total,
        "title_matches": title_matches,
        "header_matches": header_matches,
        "title_lines": title_lines,
        "has_title": has_title,
        "section": section,
        "mentions": mentions,
        "heading_mentions": heading_mentions,
        "heading_year": heading_year,
        "matches": matches,
        "lead_year": lead_year,
        "lead_matches": lead_matches,
        "count": count,
        "signature_date": signature_date,
        "deadline": deadline,
    }


FUNCTION_NAMES = frozenset(functions_for(Target(None, None, None)))  # type: ignore[arg-type]
VARIABLES = frozenset({"report_year", "kind"})
# What each function's arguments are: "regex" (a string constant, a regular expression),
# "part" (a string constant: a part of pack.toml, else a regular expression on headings),
# "text" (a string constant) or "value" (any expression: an int means "<n>年").
FUNCTION_ARGUMENTS: dict[str, tuple[str, ...]] = {
    "section": ("part",),
    "mentions": ("value",),
    "heading_mentions": ("value",),
    "heading_year": (),
    "matches": ("regex",),
    "lead_year": (),
    "lead_matches": ("regex",),
    "count": ("text",),
    "title_matches": ("regex",),
    "header_matches": ("regex",),
    "title_lines": (),
    "has_title": (),
    "signature_date": (),
    "deadline": (),
}
MAX_DEPTH = 100  # nesting of an expression's program (evaluated by recursion)


Program = tuple[Any, ...]


def to_program(tree: Any, loop: str | None = None) -> Program:
    """The lark parse tree of a condition as nested tuples (see :func:`evaluate`).  ``loop``:
    the variable of an enclosing ``for``, which a cell's row or column may name.

    A cell ``T3[NEW, c]`` is ``("call", "$cell", (("const", "T3"), ("const", "NEW"),
    ("var", "c")))``; a sum's span is a key or ``("const", ("R1", "R6_3"))`` for a range;
    ``… for c in columns`` is ``("for", "c", ("axis", "columns") or ("names", keys), body)``."""
    from lark import Token

    node = str(tree.data)  # the grammar rule that built it
    children = tree.children
    if node == "int_":
        return ("const", int(children[0]))
    if node == "string":
        return ("const", str(children[0])[1:-1])
    if node in ("true", "false"):
        return ("const", node == "true")
    if node == "var":
        return ("var", str(children[0]))
    if node == "call":
        return ("call", str(children[0]), tuple(to_program(c, loop) for c in children[1:]))
    if node == "cell":
        table, row, column = (str(c) for c in children)
        return ("call", CELL, (("const", table), _key(row, loop), _key(column, loop)))
    if node == "sum_":
        table, rows, columns = children
        return ("call", SUM, (("const", str(table)), _span(rows, loop), _span(columns, loop)))
    if node == "for_":
        body, name, domain = children
        keys = tuple(str(c) for c in domain.children)
        over = ("axis", keys[0]) if str(domain.data) == "axis" else ("names", keys)
        return ("for", str(name), over, to_program(body, str(name)))
    if node == "not_":
        return ("not", to_program(children[0], loop))
    if node in ("and_", "or_"):
        return (node[:-1], tuple(to_program(c, loop) for c in children))
    if node == "compare":
        if len(children) == 1:
            return to_program(children[0], loop)
        return ("compare", to_program(children[0], loop), str(children[1]), to_program(children[2], loop))
    if node == "arith":
        operands = [c for c in children if not isinstance(c, Token)]
        operators = tuple(str(c) for c in children if isinstance(c, Token))
        return ("arith", tuple(to_program(c, loop) for c in operands), operators)
    raise ValueError(f"unexpected expression node {node!r}")


def _key(name: str, loop: str | None) -> Program:
    """A cell's row or column: the loop's variable, else a key of the table."""
    return ("var", name) if name == loop else ("const", name)


def _span(tree: Any, loop: str | None) -> Program:
    names = [str(c) for c in tree.children]
    if len(names) == 1:
        return _key(names[0], loop)
    return ("const", (names[0], names[1]))


Compiled = Callable[[dict[str, Callable[..., Any]], dict[str, Any]], Any]


def compile_program(program: Program) -> Compiled:
    """``program`` as nested closures, ``compiled(functions, variables)`` giving its value
    (built once per rule: an ``expr`` rule is evaluated once per document or section).
    ``and``/``or``/``not`` use Python truthiness, a comparison with null (None) or of
    mismatched types is false, arithmetic on null is null."""
    op = program[0]
    if op == "const":
        value = program[1]
        return lambda functions, variables: value
    if op == "var":
        name = program[1]
        return lambda functions, variables: variables.get(name)
    if op == "call":
        function, arguments = program[1], [compile_program(a) for a in program[2]]
        if not arguments:
            return lambda functions, variables: functions[function]()
        if len(arguments) == 1 and program[2][0][0] == "const":
            argument = program[2][0][1]  # a constant argument (a pattern, a part's name): the usual call
            return lambda functions, variables: functions[function](argument)
        return lambda functions, variables: functions[function](*[a(functions, variables) for a in arguments])
    if op == "not":
        operand = compile_program(program[1])
        return lambda functions, variables: not operand(functions, variables)
    if op in ("and", "or"):
        operands = [compile_program(a) for a in program[1]]
        if len(operands) == 1:
            return operands[0]
        if op == "and":
            return lambda functions, variables: all(o(functions, variables) for o in operands)
        return lambda functions, variables: any(o(functions, variables) for o in operands)
    if op == "compare":
        left, compare, right = compile_program(program[1]), COMPARE[program[2]], compile_program(program[3])

        def compared(functions: dict[str, Callable[..., Any]], variables: dict[str, Any]) -> bool:
            a, b = left(functions, variables), right(functions, variables)
            if a is None or b is None:
                return False
            try:
                return compare(a, b)
            except TypeError:
                return False

        return compared
    if op == "arith":
        operands, operators = [compile_program(a) for a in program[1]], program[2]
        if not operators:
            return operands[0]  # every operand of a comparison is an "arith" node, most a single term

        def arithmetic(functions: dict[str, Callable[..., Any]], variables: dict[str, Any]) -> Any:
            values = [o(functions, variables) for o in operands]
            value = values[0]
            for operator_, operand in zip(operators, values[1:], strict=True):
                if value is None or operand is None:
                    return None
                value = value + operand if operator_ == "+" else value - operand
            return value

        return arithmetic
    raise ValueError(f"unknown program node {op!r}")


def _names(program: Program) -> Iterator[tuple[str, str]]:
    op = program[0]
    if op == "var":
        yield "variable", program[1]
    elif op == "call":
        yield "function", program[1]
        for arg in program[2]:
            yield from _names(arg)
    elif op == "not":
        yield from _names(program[1])
    elif op in ("and", "or"):
        for operand in program[1]:
            yield from _names(operand)
    elif op == "compare":
        yield from _names(program[1])
        yield from _names(program[3])
    elif op == "arith":
        for operand in program[1]:
            yield from _names(operand)
    elif op == "for":
        yield from _names(program[3])


NAME_ROLES = {"function": "函数", "variable": "变量"}


def parse_error_reason(exc: Exception) -> str:
    """Where and why an expression does not parse, in Chinese (lark's own text as a fallback)."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        return "表达式在结尾处不完整"
    if isinstance(exc, UnexpectedToken | UnexpectedCharacters):
        where = f"第 {exc.column} 个字符"
        if exc.line > 1:
            where = f"第 {exc.line} 行{where}"
        if isinstance(exc, UnexpectedToken):
            return f"{where}处不应出现“{exc.token}”"
        return f"{where}“{exc.char}”不合语法"
    return str(exc).strip().splitlines()[0]


def _unknown_name(role: str, name: str) -> str:
    known = sorted(FUNCTION_NAMES - TABLE_FUNCTIONS if role == "function" else VARIABLES)
    return f"未知的{NAME_ROLES[role]}“{name}”{did_you_mean(name, known)}"


def _condition_label(key: str, owner: str = "中") -> str:
    """``applies_if`` as the rule file names it: a rule's own (``applies_if``) or one given to
    a pattern or pair of ``[check]`` (key ``check.pattern``: 参数“pattern”中“applies_if”)."""
    if key.startswith("check."):
        return f"参数“{key.removeprefix('check.')}”{owner}“applies_if”"
    return f"“{key}”"


def _depth(program: Program) -> int:
    op = program[0]
    if op in ("const", "var"):
        return 1
    if op == "call":
        return 1 + max((_depth(a) for a in program[2]), default=0)
    if op == "not":
        return 1 + _depth(program[1])
    if op == "compare":
        return 1 + max(_depth(program[1]), _depth(program[3]))
    if op == "for":
        return 1 + _depth(program[3])
    return 1 + max((_depth(a) for a in program[1]), default=0)  # and, or, arith


def _string_operands(program: Program) -> Iterator[Program]:
    """The operands of ``+``/``-`` in ``program`` that are strings (a constant, ``kind``):
    arithmetic on them would fail (the functions give numbers, truth values or null)."""
    op = program[0]
    if op == "arith" and program[2]:
        for operand in program[1]:
            term = single_term(operand)
            if (term[0] == "const" and isinstance(term[1], str)) or term == ("var", "kind"):
                yield term
    for child in _children(program):
        yield from _string_operands(child)


def _children(program: Program) -> Iterator[Program]:
    """The sub-programs of ``program``: a call's arguments, the operands of the others."""
    op = program[0]
    if op == "call":
        yield from program[2]
    elif op == "not":
        yield program[1]
    elif op == "compare":
        yield program[1]
        yield program[3]
    elif op in ("and", "or", "arith"):
        yield from program[1]
    elif op == "for":
        yield program[3]


def _calls(program: Program) -> Iterator[tuple[str, tuple[Program, ...]]]:
    """Every function call of ``program``: (name, argument programs)."""
    if program[0] == "call":
        yield program[1], program[2]
    for child in _children(program):
        yield from _calls(child)


def parse_program(source: str, pack: Any, loops: bool = False) -> Program:
    """``source`` parsed and checked: known names, each function given the arguments it
    takes (a constant, compilable pattern where it takes one), cells of the pack's tables
    (see :func:`check_cells`), no deeper nesting than MAX_DEPTH; ``… for c in columns`` only
    where ``loops`` allows it.  ValueError says what is wrong (LarkError: where it does not
    parse)."""
    try:
        program = to_program(expression_parser().parse(source))
        depth = _depth(program)
    except RecursionError:
        raise ValueError(f"中的表达式嵌套过深（最多 {MAX_DEPTH} 层）") from None
    if depth > MAX_DEPTH:
        raise ValueError(f"中的表达式嵌套过深（最多 {MAX_DEPTH} 层）")
    loop = program[1] if program[0] == "for" else None
    if loop is not None and not loops:
        raise ValueError(f"中不能用“for {loop} in …”：只有检查类型 identity 的等式可以逐行、逐列检查")
    for role, name in _names(program):
        known = FUNCTION_NAMES if role == "function" else VARIABLES  # ($cell, $sum: written as cells)
        if name not in known and not (role == "variable" and name == loop):
            raise ValueError(f"中有{_unknown_name(role, name)}")
    for term in _string_operands(program):
        shown = f"“{term[1]}”" if term[0] == "const" else "kind"
        raise ValueError(f"中的加减运算用到了字符串 {shown}（只能对年份、数目等数值加减）")
    for name, arguments in _calls(program):
        if name in TABLE_FUNCTIONS:
            continue  # (check_cells)
        wanted = FUNCTION_ARGUMENTS[name]
        if len(arguments) != len(wanted):
            raise ValueError(f"中函数“{name}”应有 {len(wanted)} 个参数，这里有 {len(arguments)} 个")
        for argument, what in zip(arguments, wanted, strict=True):
            if what == "value":
                continue
            argument = single_term(argument)  # (what a constant argument parses as)
            if argument[0] != "const" or not isinstance(argument[1], str):
                raise ValueError(f"中函数“{name}”的参数应为写在引号中的字符串")
            if what == "regex" or (what == "part" and (pack is None or argument[1] not in pack.parts)):
                try:
                    regex.compile(argument[1])
                except regex.error as exc:
                    raise ValueError(f"中函数“{name}”的正则表达式有误（{argument[1]!r}）：{exc}") from None
    check_cells(program, pack)
    return program


AXIS_NAMES = {"row": "行", "column": "列"}
AXES = {"rows": "row", "columns": "column"}  # for c in columns: c is a column key


def table_schemas(pack: Any) -> dict[str, list[TableSchema]] | None:
    """The pack's table schemas by the names a rule may use: a table's own schema first,
    then those of its family in other format versions (T3: T3, T3-2019; see
    :func:`find_table`); None when the pack's schemas are not known (no pack, or a pack
    model without tables)."""
    schemas = getattr(pack, "tables", None) if pack is not None else None
    if schemas is None:
        return None
    found: dict[str, list[TableSchema]] = {schema.name: [schema] for schema in schemas}
    for schema in schemas:
        family = found.get(schema.family_name)
        if family is not None and schema not in family:
            family.append(schema)
    return found


def _axis_keys(schemas: list[TableSchema], axis: str) -> list[str]:
    """The keys of one axis of a table's schemas (of every version), in order."""
    keys: dict[str, None] = {}
    for schema in schemas:
        keys.update(dict.fromkeys(schema.row_keys if axis == "row" else schema.column_keys))
    return list(keys)


def check_cells(program: Program, pack: Any) -> None:
    """The cells of ``program`` name tables, rows and columns of the pack's schemas (when
    they are known), ranges run forwards, and a ``for`` variable is used, as the row or the
    column its range says, with keys the tables have: ValueError otherwise."""
    schemas = table_schemas(pack)
    loop = program[1] if program[0] == "for" else None
    used: list[tuple[str, str]] = []  # (table, axis) where the loop variable stands
    for table, axis, span in cell_uses(program):
        if span[0] == "var":
            used.append((table, axis))
            continue
        if schemas is None:
            continue
        if table not in schemas:
            if not schemas:
                raise ValueError(f"中有表格“{table}”，但规则包没有声明任何表格（tables.toml 中的 [tables.<名称>]）")
            raise ValueError(f"中有未知的表格“{table}”{did_you_mean(table, sorted(schemas))}")
        keys = _axis_keys(schemas[table], axis)
        names = span[1] if isinstance(span[1], tuple) else (span[1],)
        for name in names:
            if name not in keys:
                raise ValueError(f"中表格“{table}”没有{AXIS_NAMES[axis]}“{name}”{did_you_mean(name, keys)}")
        if len(names) == 2 and keys.index(names[0]) > keys.index(names[1]):
            shown = f"{names[0]}..{names[1]}"
            raise ValueError(f"中表格“{table}”的{AXIS_NAMES[axis]}范围“{shown}”前后颠倒（应按表格中的顺序由前到后）")
    if loop is None:
        return
    over = program[2]
    if not used:
        raise ValueError(f"中的循环变量“{loop}”没有用作单元格的行或列")
    if over[0] == "axis":
        if over[1] not in AXES:
            raise ValueError(f"中“for {loop} in {over[1]}”的范围应为 rows、columns 或 [名称, …]")
        wrong = next((axis for _, axis in used if axis != AXES[over[1]]), None)
        if wrong is not None:
            raise ValueError(
                f"中的循环变量“{loop}”取表格的{AXIS_NAMES[AXES[over[1]]]}（in {over[1]}），却用作了{AXIS_NAMES[wrong]}"
            )
        return
    if len(set(over[1])) != len(over[1]):
        raise ValueError(f"中“for {loop} in […]”的名称有重复")
    if schemas is None:
        return
    for table, axis in used:
        keys = _axis_keys(schemas.get(table, []), axis)
        for name in over[1]:
            if keys and name not in keys:
                raise ValueError(f"中表格“{table}”没有{AXIS_NAMES[axis]}“{name}”{did_you_mean(name, keys)}")


def compile_condition(rule: Any, key: str, source: str) -> Program:
    """A rule-level condition (``applies_if``) parsed and checked like an ``expr`` rule's
    ``when``; a mistake is a RuleError at the key's line."""
    from lark.exceptions import LarkError

    try:
        return parse_program(source, rule.pack)
    except LarkError as exc:
        reason = parse_error_reason(exc)
        raise RuleError(rule.path, rule.key_line(key), f"无法解析{_condition_label(key)}的条件：{reason}") from None
    except ValueError as exc:
        raise RuleError(rule.path, rule.key_line(key), f"{_condition_label(key, '的')}{exc}") from None


@lru_cache(maxsize=512)
def _compiled_condition(program: Program) -> Compiled:
    return compile_program(program)


def condition_holds(ctx: LintContext, pack: Any, program: Program) -> bool:
    """Whether a rule-level condition is true of the document (evaluated over the whole
    text).  A report that names no year is taken to be of the pack's ``assumed_year`` (the
    latest report year it knows); without one, a comparison with the year is false."""
    scope = Target(ctx, pack, Span(0, len(ctx.text)))
    year = ctx.report_year
    if year is None:  # a text naming no year (a paragraph pasted in an editor): the pack's
        year = pack.settings.get("assumed_year") if pack is not None else None  # latest year
    variables = {"report_year": year, "kind": ctx.report_kind}
    return bool(_compiled_condition(program)(functions_for(scope), variables))
