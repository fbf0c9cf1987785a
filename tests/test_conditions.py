"""Rule-level conditions (applies_if, if_unfinished) and per-pattern options, on a pack of
the test's own (no pack's rules needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportlint.core.document import Document
from reportlint.engine.config import Config
from reportlint.engine.lint import lint_document
from reportlint.engine.loader import load_pack
from reportlint.rules.model import RuleError

PACK_TOML = """name = "t"
assumed_year = 2025
closing_parts = ["plan"]
unfinished_note = "（未写完）"

[parts.plan]
label = "安排"
aliases = ['安排']
"""


def make_pack(tmp_path: Path, rules: dict[str, str]) -> Path:
    directory = tmp_path / "t"
    directory.mkdir()
    (directory / "pack.toml").write_text(PACK_TOML, encoding="utf-8")
    for name, text in rules.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def rule(code: str, check: str, extra: str = "") -> str:
    return (
        f'code = "{code}"\nname = "r{code.lower()}"\ncategory = "formulation"\nseverity = "warning"\n'
        f'message = "“{{match}}”"\nbasis = "测试"\n{extra}\n[check]\n{check}\n'
    )


def findings(directory: Path, text: str) -> list[tuple[str, int, int, str]]:
    pack = load_pack(directory)
    doc = Document.from_text(text)
    found = lint_document(doc, pack.rules, Config(builtin_rules=False))
    return [(d.code, doc.position(d.start).line, doc.position(d.start).column, d.severity.label) for d in found]


def test_applies_if_on_the_report_year(tmp_path: Path) -> None:
    directory = make_pack(
        tmp_path, {"TT101-a.toml": rule("TT101", "kind = \"forbid\"\npattern = '旧称'", 'applies_if = "report_year >= 2021"')}
    )
    assert findings(directory, "某局2020年度工作报告\n\n沿用旧称。\n") == []
    assert findings(directory, "某局2022年度工作报告\n\n沿用旧称。\n") == [("TT101", 3, 3, "warning")]
    # No year anywhere: the pack's assumed_year (2025) decides.
    assert findings(directory, "沿用旧称。\n") == [("TT101", 1, 3, "warning")]


def test_if_unfinished_lowers_findings_of_a_report_without_its_closing_parts(tmp_path: Path) -> None:
    directory = make_pack(
        tmp_path,
        {
            "TT101-a.toml": rule("TT101", "kind = \"forbid\"\npattern = '缺'", 'if_unfinished = "info"'),
            "TT102-b.toml": rule("TT102", "kind = \"forbid\"\npattern = '缺'", 'if_unfinished = "skip"'),
        },
    )
    assert findings(directory, "一、情况\n\n缺了一部分。\n") == [("TT101", 3, 1, "info")]
    finished = "一、情况\n\n缺了一部分。\n\n二、安排\n\n继续。\n"
    assert findings(directory, finished) == [("TT101", 3, 1, "warning"), ("TT102", 3, 1, "warning")]
    dated = "一、情况\n\n缺了一部分。\n\n某局\n\n2025年1月20日\n"
    assert findings(directory, dated) == [("TT101", 3, 1, "warning"), ("TT102", 3, 1, "warning")]


def test_pattern_options_severity_condition_and_fix(tmp_path: Path) -> None:
    check = """kind = "forbid"
pattern = [
  '甲乙',
  { pattern = '丙丁', severity = "info" },
  { pattern = '戊己', applies_if = "report_year >= 2030", severity = "error" },
  { pattern = '(?P<x>庚)辛', fix = '\\g<x>壬' },
]
fix = '替换'
"""
    directory = make_pack(tmp_path, {"TT101-a.toml": rule("TT101", check)})
    text = "某局2024年度工作报告\n\n甲乙、丙丁、戊己、庚辛。\n"
    assert findings(directory, text) == [("TT101", 3, 1, "warning"), ("TT101", 3, 4, "info"), ("TT101", 3, 10, "warning")]
    pack = load_pack(directory)
    doc = Document.from_text(text)
    fixes = [edit.new_text for d in lint_document(doc, pack.rules, Config(builtin_rules=False)) for edit in d.fix.edits]
    assert fixes == ["替换", "替换", "庚壬"]


def test_substitute_pairs_with_a_condition(tmp_path: Path) -> None:
    check = """kind = "substitute"
pairs = [{ wrong = "旧条例", right = "新条例", applies_if = "report_year >= 2022" }, { wrong = "错字", right = "对字" }]
"""
    directory = make_pack(tmp_path, {"TT101-a.toml": rule("TT101", check)})
    assert findings(directory, "某局2019年度工作报告\n\n依据旧条例，改正错字。\n") == [("TT101", 3, 9, "warning")]
    assert findings(directory, "某局2023年度工作报告\n\n依据旧条例，改正错字。\n") == [
        ("TT101", 3, 3, "warning"),
        ("TT101", 3, 9, "warning"),
    ]


@pytest.mark.parametrize(
    ("extra", "check", "message"),
    [
        ('applies_if = "report_year >="', "kind = \"forbid\"\npattern = '甲'", "无法解析“applies_if”的条件：表达式在结尾处不完整"),
        ('applies_if = "year >= 2021"', "kind = \"forbid\"\npattern = '甲'", "“applies_if”中有未知的变量“year”"),
        ('if_unfinished = "hide"', "kind = \"forbid\"\npattern = '甲'", "字段“if_unfinished”的值“hide”无效，应为 info、skip 之一"),
        ("", "kind = \"forbid\"\npattern = [{ pattern = '甲', colour = 'red' }]", "参数“pattern”的列表项中有未知的键“colour”"),
        ("", "kind = \"forbid\"\npattern = [{ pattern = '甲', severity = 'loud' }]", "“severity”的值“loud”无效"),
        ("", "kind = \"forbid\"\npattern = [{ pattern = '(甲', severity = 'info' }]", "正则表达式有误"),
        ("", "kind = \"substitute\"\npairs = [{ wrong = '甲', right = '乙', colour = 'red' }]", "参数“pairs”的列表项中有未知的键“colour”"),
    ],
)
def test_mistakes_in_conditions_and_options_stop_the_load(tmp_path: Path, extra: str, check: str, message: str) -> None:
    directory = make_pack(tmp_path, {"TT101-a.toml": rule("TT101", check, extra)})
    with pytest.raises(RuleError) as caught:
        load_pack(directory)
    assert str(caught.value).startswith(str(directory / "TT101-a.toml") + ":")
    assert message in str(caught.value)


def test_a_scope_over_several_parts(tmp_path: Path) -> None:
    toml = PACK_TOML + "\n[parts.review]\nlabel = \"回顾\"\naliases = ['情况']\n"
    directory = tmp_path / "t"
    directory.mkdir()
    (directory / "pack.toml").write_text(toml, encoding="utf-8")
    (directory / "TT101-a.toml").write_text(
        rule("TT101", "kind = \"forbid\"\npattern = '甲'", 'scope = { part = ["review", "plan"], within = "heading" }'),
        encoding="utf-8",
    )
    assert findings(directory, "一、甲情况\n\n甲。\n\n二、甲安排\n\n甲。\n\n三、其他甲\n") == [
        ("TT101", 1, 3, "warning"),
        ("TT101", 5, 3, "warning"),
    ]


@pytest.mark.parametrize(
    ("extra", "check", "message"),
    [
        # (each loaded before and then failed while linting, or did not fail at all)
        ('applies_if = "mentions()"', "kind = \"forbid\"\npattern = '甲'", "“applies_if”中函数“mentions”应有 1 个参数，这里有 0 个"),
        ('applies_if = "count(report_year) > 1"', "kind = \"forbid\"\npattern = '甲'", "“applies_if”中函数“count”的参数应为写在引号中的字符串"),
        ("applies_if = 'matches(\"(\")'", "kind = \"forbid\"\npattern = '甲'", "“applies_if”中函数“matches”的正则表达式有误（'('）"),
        ("", "kind = \"expr\"\nwhen = 'section(\"[\")'", "“when”中函数“section”的正则表达式有误（'['）"),
        ("", "kind = \"expr\"\nwhen = 'kind + 1 > 2'", "“when”中的加减运算用到了字符串 kind"),
        ("", "kind = \"expr\"\nwhen = 'report_year - \"1\" > 2'", "“when”中的加减运算用到了字符串 “1”"),
        ("", "kind = \"expr\"\nwhen = '" + "(" * 60 + "1" + ")" * 60 + " > 0'", "“when”中的表达式嵌套过深"),
        ("", "kind = \"require\"\nby_year = 'plenum'", "参数“by_year”的值“plenum”无效：pack.toml 中没有 [years.<年份>] 表"),
    ],
)
def test_conditions_that_would_fail_while_linting_stop_the_load(
    tmp_path: Path, extra: str, check: str, message: str
) -> None:
    directory = make_pack(tmp_path, {"TT101-a.toml": rule("TT101", check, extra)})
    with pytest.raises(RuleError) as caught:
        load_pack(directory)
    assert str(caught.value).startswith(str(directory / "TT101-a.toml") + ":")
    assert message in str(caught.value)


def test_a_section_condition_on_a_part_name_needs_no_pattern(tmp_path: Path) -> None:
    text = rule("TT101", "kind = \"expr\"\nwhen = 'not section(\"plan\")'").replace("{match}", "{heading}")
    directory = make_pack(tmp_path, {"TT101-a.toml": text})
    assert [r.code for r in load_pack(directory).rules] == ["TT101"]


def test_by_year_terms_come_from_the_years_table(tmp_path: Path) -> None:
    text = rule("TT101", 'kind = "require"\nby_year = "plenums"').replace("{match}", "{missing}")
    directory = make_pack(tmp_path, {"TT101-a.toml": text})
    toml = PACK_TOML + "\n[years.2024]\nplenums = [{ label = \"三中全会\", pattern = '二十届[一二三中]*三中全会' }, \"四中全会\"]\n"
    (directory / "pack.toml").write_text(toml, encoding="utf-8")
    assert findings(directory, "某局2024年度工作报告\n\n学习二十届三中全会精神。\n\n一、安排\n") == [("TT101", 1, 1, "warning")]
    assert findings(directory, "某局2024年度工作报告\n\n学习二十届三中全会和四中全会精神。\n\n一、安排\n") == []
    toml = toml.replace("plenums = [", "plenum = [")
    (directory / "pack.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_pack(directory)
    assert "参数“by_year”的值“plenums”无效：pack.toml 的 [years.2024] 中都没有“plenums”" in str(caught.value)
