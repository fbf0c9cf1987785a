"""The rule loader: every mistake in a rule file is ``path:line: message``."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from reportlint.cli import main
from reportlint.rules import RuleError, load_pack

GOOD = """code = "XX101"
name = "no-foo"
category = "formulation"
severity = "warning"
message = "不要写“{match}”。"
basis = "测试"

[check]
kind = "forbid"
pattern = '甲乙'

[[bad]]
text = "甲乙"

[[good]]
text = "丙丁"
"""


def pack_with(tmp_path: Path, text: str, name: str = "XX101-no-foo.toml") -> Path:
    directory = tmp_path / "pack"
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(text, encoding="utf-8")
    return directory


def error_of(directory: Path) -> str:
    with pytest.raises(RuleError) as caught:
        load_pack(directory)
    return str(caught.value)


def test_good_rule_loads(tmp_path: Path) -> None:
    pack = load_pack(pack_with(tmp_path, GOOD))
    (rule,) = pack.rules
    assert (rule.code, rule.check_kind, rule.severity.label) == ("XX101", "forbid", "warning")


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ('kind = "forbid"', 'kind = "forbidd"', 9, "未知的检查类型“forbidd”"),
        ("pattern = '甲乙'", "pattern = '甲(乙'", 10, "正则表达式有误"),
        ('message = "不要写“{match}”。"\n', "", 1, "缺少必填字段“message”"),
        ('severity = "warning"', 'severity = "warn"', 4, "字段“severity”的值“warn”无效"),
        ('basis = "测试"', 'basis = "测试"\nsevirity = "x"', 7, "未知的字段“sevirity”，是否指“severity”？"),
        (
            "pattern = '甲乙'",
            "pattern = '甲乙'\nmax_count = 3",
            11,
            "检查类型“forbid”没有参数“max_count”",
        ),
        ('code = "XX101"', 'code = "xx-1"', 1, "规则代码“xx-1”格式不对"),
        ('name = "no-foo"', 'name = "No Foo"', 2, "规则名称“No Foo”格式不对"),
        ('category = "formulation"', 'category = "misc"', 3, "字段“category”的值“misc”无效"),
        ("[[good]]", "[[good]\n", 15, "TOML 格式错误"),
    ],
)
def test_broken_rule_file_reports_file_and_line(tmp_path: Path, old: str, new: str, line: int, message: str) -> None:
    text = GOOD.replace(old, new)
    directory = pack_with(tmp_path, text)
    error = error_of(directory)
    assert error.startswith(f"{directory / 'XX101-no-foo.toml'}:{line}: "), error
    assert message in error


def test_bad_expression_is_reported(tmp_path: Path) -> None:
    text = GOOD.replace("kind = \"forbid\"\npattern = '甲乙'", 'kind = "expr"\nwhen = \'mentions("甲") and\'')
    directory = pack_with(tmp_path, text)
    assert error_of(directory).startswith(f"{directory / 'XX101-no-foo.toml'}:10: 无法解析“when”的表达式")
    text = GOOD.replace("kind = \"forbid\"\npattern = '甲乙'", 'kind = "expr"\nwhen = \'mentionz("甲")\'')
    directory = pack_with(tmp_path, text)
    assert "未知的函数“mentionz”，是否指“mentions”？" in error_of(directory)


def test_duplicate_code(tmp_path: Path) -> None:
    directory = pack_with(tmp_path, GOOD)
    pack_with(tmp_path, GOOD, "XX102-copy.toml")
    error = error_of(directory)
    assert error.startswith(f"{directory / 'XX102-copy.toml'}:1: 规则代码 XX101 重复")


def test_cli_reports_broken_rule_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = pack_with(tmp_path, GOOD.replace('kind = "forbid"', 'kind = "nope"'))
    report = tmp_path / "r.txt"
    report.write_text("甲乙\n", encoding="utf-8")
    code = main(["check", str(report), "--rules", str(directory)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().startswith(f"reportlint: {directory / 'XX101-no-foo.toml'}:9: 未知的检查类型“nope”")


def test_extra_pack_from_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = pack_with(tmp_path, GOOD)
    report = tmp_path / "r.txt"
    report.write_text("第一行\n写了甲乙。\n", encoding="utf-8")
    code = main(["check", str(report), "--rules", str(directory), "--select", "XX"])
    out = capsys.readouterr().out
    assert code == 1
    assert out.splitlines()[0] == f"{report}:2:3: XX101 [警告] 不要写“甲乙”。"




PACK_PARTS = """name = "xx"

[parts.plan]
label = "下一年度安排"
aliases = ['安排']
"""


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ('basis = "测试"', 'basis = "测试"\ntitel = "某规则"', 7, "未知的字段“titel”，是否指“title”？"),
        ('message = "不要写“{match}”。"\n', "", 1, "缺少必填字段“message”"),
        (
            'severity = "warning"',
            'severity = "warn"',
            4,
            "字段“severity”的值“warn”无效，应为 error、warning、info、hint 之一",
        ),
        ("pattern = '甲乙'", "pattern = '甲(乙'", 10, "正则表达式有误（'甲(乙'）：missing ) at position 3"),
        ("pattern = '甲乙'", "", 9, "检查类型“forbid”需要参数“pattern”或“terms”"),
        ("kind = \"forbid\"\npattern = '甲乙'", 'kind = "expr"', 9, "检查类型“expr”需要参数“when”"),
        ('kind = "forbid"', 'kind = "forbidd"', 9, "未知的检查类型“forbidd”，是否指“forbid”？"),
        ("pattern = '甲乙'", "pattern = '甲乙'\nalow = ['甲乙丙']", 11, "检查类型“forbid”没有参数“alow”，是否指“allow”？"),
        ('name = "no-foo"', 'name = "no-foo"\nfix_safe = "yes"', 3, "字段“fix_safe”的类型不对，应为布尔值（true 或 false）"),
        ('name = "no-foo"', 'name = "no-foo"\ntitle = 3', 3, "字段“title”的类型不对，应为字符串"),
        ('basis = "测试"', 'basis = "测试"\nscope = { part = "plans" }', 7, "未知的部分“plans”，是否指“plan”？"),
        (
            'basis = "测试"',
            'basis = "测试"\nscope = { part = "plan", within = "head" }',
            7,
            "字段“scope”中“within”的值“head”无效，应为 all、heading、body 之一",
        ),
        (
            "kind = \"forbid\"\npattern = '甲乙'",
            "kind = \"expr\"\nwhen = 'mentions(\"甲\") and'",
            10,
            "无法解析“when”的表达式：表达式在结尾处不完整",
        ),
        (
            'basis = "测试"',
            'basis = "测试"\napplies_if = "year >= 2021"',
            7,
            "“applies_if”中有未知的变量“year”（可用：kind、report_year）",
        ),
    ],
    ids=[
        "unknown-field",
        "missing-field",
        "bad-severity",
        "bad-regex",
        "no-pattern",
        "missing-parameter",
        "unknown-kind",
        "unknown-parameter",
        "wrong-type",
        "title-wrong-type",
        "unknown-part",
        "bad-within",
        "unparsable-when",
        "unknown-variable",
    ],
)
def test_broken_rule_file_gives_one_chinese_line(tmp_path: Path, old: str, new: str, line: int, message: str) -> None:
    directory = pack_with(tmp_path, GOOD.replace(old, new))
    (directory / "pack.toml").write_text(PACK_PARTS, encoding="utf-8")
    assert error_of(directory) == f"{directory / 'XX101-no-foo.toml'}:{line}: {message}"


@pytest.mark.parametrize(
    ("pack_toml", "line", "message"),
    [
        (PACK_PARTS + "levle = 2\n", 6, "[parts.plan] 中有未知的字段“levle”，是否指“level”？"),
        (PACK_PARTS.replace("aliases = ['安排']", "aliases = []"), 5, "[parts.plan] 需要非空的“aliases”（标题的正则表达式列表）"),
        (PACK_PARTS + "level = '1'\n", 6, "[parts.plan] 中字段“level”的类型不对，应为整数"),
    ],
    ids=["unknown-field", "no-aliases", "wrong-type"],
)
def test_broken_pack_toml_gives_one_chinese_line(tmp_path: Path, pack_toml: str, line: int, message: str) -> None:
    directory = pack_with(tmp_path, GOOD)
    (directory / "pack.toml").write_text(pack_toml, encoding="utf-8")
    assert error_of(directory) == f"{directory / 'pack.toml'}:{line}: {message}"


def test_duplicate_code_in_chinese(tmp_path: Path) -> None:
    directory = pack_with(tmp_path, GOOD)
    pack_with(tmp_path, GOOD, "XX102-copy.toml")
    assert error_of(directory) == (
        f"{directory / 'XX102-copy.toml'}:1: 规则代码 XX101 重复（已用于 {directory / 'XX101-no-foo.toml'}）"
    )


def test_missing_rule_directory_in_chinese(tmp_path: Path) -> None:
    assert error_of(tmp_path / "nope") == f"{tmp_path / 'nope'}:1: 规则目录不存在"


def test_title_is_optional(tmp_path: Path) -> None:
    (rule,) = load_pack(pack_with(tmp_path, GOOD)).rules
    assert rule.title == ""
    (rule,) = load_pack(pack_with(tmp_path, GOOD.replace('name = "no-foo"', 'name = "no-foo"\ntitle = "甲乙"'))).rules
    assert rule.title == "甲乙"


def test_every_builtin_rule_has_a_short_unique_chinese_title() -> None:
    from reportlint.config import Config
    from reportlint.engine import load_ruleset

    rules = load_ruleset(Config()).rules
    assert len(rules) > 50
    for rule in rules:
        assert rule.title, f"{rule.code} has no title"
        assert len(rule.title) <= 20, f"{rule.code}: {rule.title}"
        assert regex.search(r"\p{Han}", rule.title), f"{rule.code}: {rule.title}"
        assert not regex.search(r"[A-Za-z\s]", rule.title), f"{rule.code}: {rule.title}"
    titles = [rule.title for rule in rules]
    assert len(set(titles)) == len(titles), sorted(t for t in titles if titles.count(t) > 1)
