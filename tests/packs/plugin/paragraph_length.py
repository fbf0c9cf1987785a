"""A check kind from outside reportlint: ``paragraph-length`` (a paragraph longer than
``max`` characters).  Defining the class registers it; the pack beside this file names
the module in pack.toml (``check_kinds``), and the loader imports it before the pack's
rules are loaded (tests/test_packs.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from reportlint.checks.base import Check, Finding
from reportlint.checks.context import LintContext
from reportlint.rules.model import INTEGER


class ParagraphLength(Check):
    kind = "paragraph-length"
    params = {"max": INTEGER}
    required = ("max",)
    placeholders = frozenset({"length"})

    def compile(self, params: dict[str, Any]) -> None:
        self.max = params["max"]
        if self.max < 1:
            raise self.fail("max", "参数“max”应为正整数")

    def run(self, ctx: LintContext) -> Iterator[Finding]:
        for paragraph in ctx.outline.paragraphs:
            length = paragraph.end - paragraph.start
            if length > self.max:
                yield Finding(paragraph.start, paragraph.start, {"length": length})
