"""Helpers of the text check kinds (src/reportlint/checks/text.py)."""

from __future__ import annotations

import random

from reportlint.checks.text import context_around
from reportlint.context import LintContext
from reportlint.document import Document


def _context_by_lines(ctx: LintContext, start: int, end: int, width: int) -> str:
    """The definition: the match with ``width`` characters either side, cut at its line's ends."""
    line = ctx.doc.line_of(start)
    line_start, line_end = ctx.doc.line_start(line), ctx.doc.line_end(line)
    return ctx.text[max(line_start, start - width) : min(line_end, max(end, start) + width)]


def test_context_around_is_cut_at_the_line_ends() -> None:
    ctx = LintContext(Document.from_text("第一行\n全年开展 2024 年培训。\n第三行"))
    start = ctx.text.index("2024")
    assert context_around(ctx, start, start + 4) == "年开展 2024 年培训"
    assert context_around(ctx, 0, 1) == "第一行"
    assert context_around(ctx, start, start + 4, width=0) == "2024"


def test_context_around_agrees_with_the_line_definition_on_random_text() -> None:
    rng = random.Random(5)
    for _ in range(20000):
        ctx = LintContext(Document.from_text("".join(rng.choice("ab\n字 ") for _ in range(rng.randint(0, 30)))))
        size = len(ctx.text)
        start, end = rng.randint(0, size), rng.randint(0, size)
        for width in (0, 1, 4):
            assert context_around(ctx, start, end, width) == _context_by_lines(ctx, start, end, width), ctx.text
