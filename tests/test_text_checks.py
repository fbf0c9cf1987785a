"""Helpers of the text check kinds (src/reportlint/checks/text.py)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from reportlint.checks.text import context_around
from reportlint.context import LintContext
from reportlint.document import Document
from reportlint.engine import lint_text
from reportlint.rules import Rule, load_pack


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


REQUIRE_RULE = """code = "XX201"
name = "needs-terms"
category = "structure"
severity = "warning"
message = "{{terms}}：{{count}}{{missing}}"
basis = "测试"

[check]
kind = "require"
{params}
"""


def _require(tmp_path: Path, params: str) -> list[Rule]:
    directory = tmp_path / "pack"
    directory.mkdir()
    (directory / "XX201.toml").write_text(REQUIRE_RULE.format(params=params), encoding="utf-8")
    return load_pack(directory).rules


@pytest.mark.parametrize(
    ("params", "text", "messages"),
    [
        # ``min``: the search may stop at the min-th match; a shortfall reports the full count.
        ('any = ["甲", "乙"]\nmin = 3', "甲乙。\n", ["甲、乙：2{missing}"]),
        ('any = ["甲", "乙"]\nmin = 3', "甲乙甲。\n", []),
        ('any = ["甲", "乙"]\nmin = 3', "甲乙甲乙甲。\n", []),
        ('any = ["甲"]\nmin = 0', "无。\n", []),
        ('any = ["甲"]', "无。\n", ["甲：0{missing}"]),
        # ``all``: the missing terms in the rule's order; the search may stop once all are found.
        ('all = ["丙", "甲", "乙"]', "乙。\n", ["丙、甲、乙：{count}丙、甲"]),
        ('all = ["丙", "甲", "乙"]', "乙丙甲乙。\n", []),
    ],
)
def test_require_counts_what_it_needs(tmp_path: Path, params: str, text: str, messages: list[str]) -> None:
    _, diagnostics = lint_text(text, rules=_require(tmp_path, params))
    assert [d.message for d in diagnostics] == messages
