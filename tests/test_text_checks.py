"""Helpers of the text check kinds (src/reportlint/checks/text.py)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from reportlint.checks.context import LintContext
from reportlint.checks.text import context_around
from reportlint.core.document import Document
from reportlint.engine.lint import lint_text
from reportlint.engine.loader import load_pack
from reportlint.rules.model import Rule


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


SUBSTITUTE_RULE = """code = "XX301"
name = "table-terms"
category = "formulation"
severity = "warning"
message = "“{wrong}”应为“{right}”"
basis = "测试"

[check]
kind = "substitute"
table = "data/terms.tsv"
"""


def _substitute(tmp_path: Path, table: bytes) -> Path:
    directory = tmp_path / "pack"
    (directory / "data").mkdir(parents=True)
    (directory / "XX301.toml").write_text(SUBSTITUTE_RULE, encoding="utf-8")
    (directory / "data" / "terms.tsv").write_bytes(table)
    return directory


@pytest.mark.parametrize(
    ("table", "message"),
    [
        # (a short row loaded with a null suggestion and crashed while linting)
        (b"action\tpattern\tsuggestion\nflag\t\xe7\x94\xb2\n", "替换表 data/terms.tsv 第 2 行的列数不够"),
        (b"action\tpattern\nflag\t\xe7\x94\xb2\n", "替换表 data/terms.tsv 缺少列“suggestion”（表头应有 action、pattern、suggestion）"),
        (
            b"action\tpattern\tsuggestion\tseverity\nflag\t\xe7\x94\xb2\t\xe4\xb9\x99\tloud\n",
            "替换表 data/terms.tsv 第 2 行“severity”的值“loud”无效，应为 error、warning、info、hint 之一",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "无法读取替换表 data/terms.tsv：不是 UTF-8 编码的文本"),
        (b"action\tpattern\tsuggestion\n" + b"\x00" * 300_000, "无法读取替换表 data/terms.tsv：不是制表符分隔的文本表"),
    ],
)
def test_a_substitute_table_that_cannot_be_used_stops_the_load(tmp_path: Path, table: bytes, message: str) -> None:
    from reportlint.rules.model import RuleError

    directory = _substitute(tmp_path, table)
    with pytest.raises(RuleError) as caught:
        load_pack(directory)
    assert str(caught.value) == f"{directory / 'XX301.toml'}:10: {message}"


def test_a_substitute_table_is_read_inside_the_pack(tmp_path: Path) -> None:
    directory = _substitute(tmp_path, "action\tpattern\tsuggestion\nflag\t甲\t乙\nallow\t甲方\t\n".encode())
    _, diagnostics = lint_text("甲和甲方。\n", rules=load_pack(directory).rules)
    assert [d.message for d in diagnostics] == ["“甲”应为“乙”"]
