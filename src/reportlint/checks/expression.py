"""The ``expr`` kind: a condition in the condition language (:mod:`reportlint.checks.conditions`)
that, when true, produces a finding; e.g. ``heading_year() == report_year`` on the
next-year plan section."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Any

from reportlint.checks.base import Check, Finding
from reportlint.checks.conditions import (
    Compiled,
    Target,
    compile_program,
    functions_for,
    lead_of,
    parse_error_reason,
    parse_program,
)
from reportlint.checks.context import YEAR_IN_TEXT, LintContext, Span
from reportlint.checks.text import report_location
from reportlint.rules.model import CONDITION, Field


class Expr(Check):
    """``when``: a condition; true means a finding, reported at the section heading
    (section scopes, one evaluation per matching section) or at the title."""

    kind = "expr"
    params = {"when": CONDITION, "at": Field(str, choices=("scope", "title", "end", "lead"))}
    required = ("when",)
    placeholders = frozenset({"kind", "heading", "heading_year", "signature_date", "deadline"})

    def compile(self, params: dict[str, Any]) -> None:
        from lark.exceptions import LarkError

        try:
            self.program = parse_program(params["when"], self.rule.pack)
        except LarkError as exc:
            raise self.fail("when", f"无法解析“when”的表达式：{parse_error_reason(exc)}") from None
        except ValueError as exc:
            raise self.fail("when", f"“when”{exc}") from None
        self.at = params.get("at", "scope" if self.rule.scope.is_section else "title")

    @cached_property
    def compiled(self) -> Compiled:
        return compile_program(self.program)

    def __getstate__(self) -> dict[str, Any]:
        # Closures do not pickle (the rule cache pickles checks): compiled again on first use.
        state = dict(self.__dict__)
        state.pop("compiled", None)
        return state

    def run(self, ctx: LintContext) -> Iterator[Finding]:
        spans = ctx.spans(self.rule.scope, self.rule.pack)
        if self.rule.scope.is_section:
            targets: list[Span | None] = list(spans)
        else:
            targets = [spans[0] if spans else None]
        # One set of functions for all targets: they read the scope, which moves from span to span.
        scope = Target(ctx, self.rule.pack, None)
        functions = functions_for(scope)
        variables = {"report_year": ctx.report_year, "kind": ctx.report_kind}
        condition = self.compiled
        for span in targets:
            scope.span = span
            if not condition(functions, variables):
                continue
            if self.at == "lead" and span is not None:
                offset, lead = lead_of(ctx.text[span.start : span.end])
                start, end = span.start + offset, span.start + offset + len(lead)
            else:
                start, end = report_location(ctx, [span] if span else [], self.at)
            values: dict[str, Any] = {"kind": ctx.report_kind or ""}  # FZ705's message names it
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
