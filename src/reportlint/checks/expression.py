"""The ``expr`` kind: a condition in a tiny language (grammar/expr.lark) that,
when true, produces a finding; e.g. ``heading_year() == report_year`` on the
next-year plan section."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import regex
from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import LarkError

from reportlint.checks import Check, Finding
from reportlint.checks.text import REGEX_TIMEOUT, report_location
from reportlint.context import YEAR_IN_TEXT, LintContext, Span
from reportlint.resources import grammar_path

COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@cache
def expression_parser() -> Lark:
    return Lark.open(str(grammar_path("expr.lark")), parser="lalr", maybe_placeholders=False)


class Scope:
    """What the functions of one evaluation look at: the scope's text and heading."""

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


def _mention_pattern(value: Any) -> str:
    if isinstance(value, int):
        return rf"(?<![0-9]){value}\s*年"
    return regex.escape(str(value))


def _functions(scope: Scope) -> dict[str, Callable[..., Any]]:
    ctx = scope.ctx

    def section(name: str) -> bool:
        part = scope.pack.parts.get(name)
        if part is not None:
            return bool(ctx.part_sections(part))
        return bool(ctx.matching_sections(regex.compile(name), None))

    def mentions(value: Any) -> bool:
        return value is not None and regex.search(_mention_pattern(value), scope.text) is not None

    def heading_mentions(value: Any) -> bool:
        return value is not None and regex.search(_mention_pattern(value), scope.heading) is not None

    def heading_year() -> int | None:
        found = YEAR_IN_TEXT.search(scope.heading)
        return int(found.group(1)) if found else None

    def matches(pattern: str) -> bool:
        return regex.search(pattern, scope.text, timeout=REGEX_TIMEOUT) is not None

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
        return regex.search(pattern, ctx.outline.title, timeout=REGEX_TIMEOUT) is not None

    def header_matches(pattern: str) -> bool:
        """The header lines that are not the title (版头), e.g. 中共…党组."""
        outline = ctx.outline
        lines = [ctx.doc.line_text(n) for n in outline.header_lines if n not in outline.title_lines]
        return any(regex.search(pattern, line, timeout=REGEX_TIMEOUT) for line in lines)

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
        "count": count,
        "signature_date": signature_date,
        "deadline": deadline,
    }


FUNCTION_NAMES = frozenset(_functions(Scope(None, None, None)))  # type: ignore[arg-type]
VARIABLES = frozenset({"report_year", "kind"})


@v_args(inline=True)
class _Evaluator(Transformer):
    def __init__(self, functions: dict[str, Callable[..., Any]], variables: dict[str, Any]) -> None:
        super().__init__()
        self.functions = functions
        self.variables = variables

    def int_(self, token: Token) -> int:
        return int(token)

    def string(self, token: Token) -> str:
        return str(token)[1:-1]

    def true(self) -> bool:
        return True

    def false(self) -> bool:
        return False

    def var(self, name: Token) -> Any:
        return self.variables.get(str(name))

    def call(self, name: Token, *args: Any) -> Any:
        return self.functions[str(name)](*args)

    def not_(self, value: Any) -> bool:
        return not value

    def and_(self, *values: Any) -> Any:
        return all(values) if len(values) > 1 else values[0]

    def or_(self, *values: Any) -> Any:
        return any(values) if len(values) > 1 else values[0]

    def compare(self, left: Any, op: Token | None = None, right: Any = None) -> Any:
        if op is None:
            return left
        if left is None or right is None:
            return False
        try:
            return COMPARE[str(op)](left, right)
        except TypeError:
            return False

    def arith(self, first: Any, *rest: Any) -> Any:
        value = first
        for op, operand in zip(rest[::2], rest[1::2], strict=True):
            if value is None or operand is None:
                return None
            value = value + operand if str(op) == "+" else value - operand
        return value


def _names(tree: Tree) -> Iterator[tuple[str, str]]:
    for node in tree.iter_subtrees():
        if node.data == "call":
            yield "function", str(node.children[0])
        elif node.data == "var":
            yield "variable", str(node.children[0])


class Expr(Check):
    """``when``: a condition; true means a finding, reported at the section heading
    (section scopes, one evaluation per matching section) or at the title."""

    kind = "expr"
    params = {"when": str, "at": str}
    required = ("when",)

    def compile(self, params: dict[str, Any]) -> None:
        try:
            self.tree = expression_parser().parse(params["when"])
        except LarkError as exc:
            first = str(exc).strip().splitlines()[0]
            raise self.fail("when", f"cannot parse expression: {first}") from None
        for kind, name in _names(self.tree):
            known = FUNCTION_NAMES if kind == "function" else VARIABLES
            if name not in known:
                raise self.fail("when", f"unknown {kind} '{name}' (known: {', '.join(sorted(known))})")
        self.at = params.get("at", "scope" if self.rule.scope.is_section else "title")

    def evaluate(self, ctx: LintContext, span: Span | None) -> Any:
        scope = Scope(ctx, self.rule.pack, span)
        variables = {"report_year": ctx.report_year, "kind": ctx.profile.get("kind")}
        return _Evaluator(_functions(scope), variables).transform(self.tree)

    def run(self, ctx: LintContext) -> Iterator[Finding]:
        spans = ctx.spans(self.rule.scope, self.rule.pack)
        if self.rule.scope.is_section:
            targets: list[Span | None] = list(spans)
        else:
            targets = [spans[0] if spans else None]
        for span in targets:
            if not self.evaluate(ctx, span):
                continue
            start, end = report_location(ctx, [span] if span else [], self.at)
            values: dict[str, Any] = {}
            if span is not None and span.section is not None:
                values["heading"] = span.section.title
                found = YEAR_IN_TEXT.search(span.section.title)
                if found:
                    values["heading_year"] = found.group(1)
            date = ctx.signature_date
            if date:
                values["signature_date"] = f"{date[0]}年{date[1]}月{date[2]}日"
            if ctx.profile.get("deadline") and ctx.report_year:
                month, day = (int(x) for x in str(ctx.profile["deadline"]).split("-"))
                values["deadline"] = f"{ctx.report_year + 1}年{month}月{day}日"
            yield Finding(start, end, values)
