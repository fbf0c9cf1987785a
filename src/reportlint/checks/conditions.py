"""The condition language (grammar/expr.lark) of ``expr`` rules' ``when``, of rules'
``applies_if`` and ``info_if``, and of a pattern's or pair's ``applies_if``; e.g.
``heading_year() == report_year`` on the next-year plan section.

A condition is parsed with lark once, when the rule is loaded, and turned into a small
tuple program (``("call", name, args)``, ``("and", operands)`` …) that
:func:`compile_program` turns into closures; the program pickles with the cached rule
set, so running a rule needs neither lark nor the grammar."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from functools import cache, lru_cache
from typing import Any

import regex

from reportlint.checks.context import YEAR_IN_TEXT, LintContext, Span
from reportlint.rules.model import RuleError, did_you_mean
from reportlint.support import rxcache
from reportlint.support.resources import grammar_path

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

    return {
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


def to_program(tree: Any) -> Program:
    """The lark parse tree of a condition as nested tuples (see :func:`evaluate`)."""
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
        return ("call", str(children[0]), tuple(to_program(c) for c in children[1:]))
    if node == "not_":
        return ("not", to_program(children[0]))
    if node in ("and_", "or_"):
        return (node[:-1], tuple(to_program(c) for c in children))
    if node == "compare":
        if len(children) == 1:
            return to_program(children[0])
        return ("compare", to_program(children[0]), str(children[1]), to_program(children[2]))
    if node == "arith":
        operands = [c for c in children if not isinstance(c, Token)]
        operators = tuple(str(c) for c in children if isinstance(c, Token))
        return ("arith", tuple(to_program(c) for c in operands), operators)
    raise ValueError(f"unexpected expression node {node!r}")


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
    known = sorted(FUNCTION_NAMES if role == "function" else VARIABLES)
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
    return 1 + max((_depth(a) for a in program[1]), default=0)  # and, or, arith


def _single(program: Program) -> Program:
    """``program`` without the one-operand or/and/arith nodes around a single term."""
    while program[0] in ("or", "and", "arith") and len(program[1]) == 1:
        program = program[1][0]
    return program


def _string_operands(program: Program) -> Iterator[Program]:
    """The operands of ``+``/``-`` in ``program`` that are strings (a constant, ``kind``):
    arithmetic on them would fail (the functions give numbers, truth values or null)."""
    op = program[0]
    if op == "arith" and program[2]:
        for operand in program[1]:
            term = _single(operand)
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


def _calls(program: Program) -> Iterator[tuple[str, tuple[Program, ...]]]:
    """Every function call of ``program``: (name, argument programs)."""
    if program[0] == "call":
        yield program[1], program[2]
    for child in _children(program):
        yield from _calls(child)


def parse_program(source: str, pack: Any) -> Program:
    """``source`` parsed and checked: known names, each function given the arguments it
    takes (a constant, compilable pattern where it takes one), no deeper nesting than
    MAX_DEPTH.  ValueError says what is wrong (LarkError: where it does not parse)."""
    try:
        program = to_program(expression_parser().parse(source))
        depth = _depth(program)
    except RecursionError:
        raise ValueError(f"中的表达式嵌套过深（最多 {MAX_DEPTH} 层）") from None
    if depth > MAX_DEPTH:
        raise ValueError(f"中的表达式嵌套过深（最多 {MAX_DEPTH} 层）")
    for role, name in _names(program):
        known = FUNCTION_NAMES if role == "function" else VARIABLES
        if name not in known:
            raise ValueError(f"中有{_unknown_name(role, name)}")
    for term in _string_operands(program):
        shown = f"“{term[1]}”" if term[0] == "const" else "kind"
        raise ValueError(f"中的加减运算用到了字符串 {shown}（只能对年份、数目等数值加减）")
    for name, arguments in _calls(program):
        wanted = FUNCTION_ARGUMENTS[name]
        if len(arguments) != len(wanted):
            raise ValueError(f"中函数“{name}”应有 {len(wanted)} 个参数，这里有 {len(arguments)} 个")
        for argument, what in zip(arguments, wanted, strict=True):
            if what == "value":
                continue
            argument = _single(argument)  # (what a constant argument parses as)
            if argument[0] != "const" or not isinstance(argument[1], str):
                raise ValueError(f"中函数“{name}”的参数应为写在引号中的字符串")
            if what == "regex" or (what == "part" and (pack is None or argument[1] not in pack.parts)):
                try:
                    regex.compile(argument[1])
                except regex.error as exc:
                    raise ValueError(f"中函数“{name}”的正则表达式有误（{argument[1]!r}）：{exc}") from None
    return program


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
