"""The rule loader: every mistake in a rule file is ``path:line: message``."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from reportlint.engine.loader import load_pack
from reportlint.frontends.cli import main
from reportlint.rules.model import RuleError

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
    from reportlint.engine.config import Config
    from reportlint.engine.lint import load_ruleset

    rules = load_ruleset(Config()).rules
    assert len(rules) > 50
    for rule in rules:
        assert rule.title, f"{rule.code} has no title"
        assert len(rule.title) <= 20, f"{rule.code}: {rule.title}"
        assert regex.search(r"\p{Han}", rule.title), f"{rule.code}: {rule.title}"
        assert not regex.search(r"[A-Za-z\s]", rule.title), f"{rule.code}: {rule.title}"
    titles = [rule.title for rule in rules]
    assert len(set(titles)) == len(titles), sorted(t for t in titles if titles.count(t) > 1)


# --- issue 15: a bad rule directory or rule file is one line, exit 2, never a traceback ----


def _one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("reportlint: "), err
    return lines[0]


@pytest.mark.parametrize(
    "command",
    [["check", "r.txt"], ["report", "r.txt"], ["report", "r.txt", "--html", "o.html"], ["rules"], ["explain", "FZ101"]],
    ids=["check", "report", "report-html", "rules", "explain"],
)
@pytest.mark.parametrize("given", ["--rules missing", "--rules file", "config missing", "config file"])
def test_a_missing_or_wrong_rule_directory_is_one_line_on_every_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: list[str], given: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.txt").write_text("某局2024年度法治政府建设情况报告\n\n一、主要举措\n做了工作。\n", encoding="utf-8")
    (tmp_path / "somefile.txt").write_text("不是目录\n", encoding="utf-8")
    name = "nosuchdir" if "missing" in given else "somefile.txt"
    extra = ["--rules", name] if given.startswith("--rules") else []
    if given.startswith("config"):
        (tmp_path / "reportlint.toml").write_text(f'rules = ["{name}"]\n', encoding="utf-8")
    assert main([*command, *extra, "--no-cache"] if command[0] != "explain" else [*command, *extra]) == 2
    out, err = capsys.readouterr()
    expected = "规则目录不存在" if "missing" in given else "这不是规则目录，而是一个文件（规则目录应包含 <代码>-<名称>.toml 规则文件）"
    assert _one_error_line(err) == f"reportlint: {tmp_path / name}:1: {expected}"
    assert out == "" and not (tmp_path / "o.html").exists()


@pytest.mark.parametrize("name", ["nosuchdir", "somefile.txt"])
def test_a_wrong_rule_directory_stops_serve_before_it_starts(tmp_path: Path, name: str) -> None:
    import subprocess
    import sys

    (tmp_path / "somefile.txt").write_text("不是目录\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "reportlint", "serve", "--port", "0", "--rules", name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    line = _one_error_line(done.stderr)
    assert line.startswith(f"reportlint: {tmp_path / name}:1: ")
    assert ("规则目录不存在" if name == "nosuchdir" else "这不是规则目录") in line


@pytest.mark.parametrize("name", ["nosuchdir", "somefile.txt"])
def test_a_wrong_rule_directory_in_the_python_api_is_one_lint_error(tmp_path: Path, name: str) -> None:
    import reportlint
    from reportlint.app.api import LintError

    (tmp_path / "somefile.txt").write_text("不是目录\n", encoding="utf-8")
    with pytest.raises(LintError) as caught:
        reportlint.lint_text("某局2024年度报告\n", config={"rules": [str(tmp_path / name)]})
    assert str(caught.value).startswith(f"{tmp_path / name}:1: ")
    assert ("规则目录不存在" if name == "nosuchdir" else "这不是规则目录") in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_wrong_rule_directory_in_the_language_server_is_one_line_shown(tmp_path: Path) -> None:
    lsp = pytest.importorskip("reportlint.frontends.lsp")
    (tmp_path / "reportlint.toml").write_text('rules = ["house-rules"]\n', encoding="utf-8")
    settings, problem = lsp.ReportServer().settings_for(str(tmp_path / "r.txt"))
    assert problem is not None and "\n" not in problem
    assert problem.endswith(f"{tmp_path / 'house-rules'}:1: 规则目录不存在")
    assert settings.rules  # linted with the defaults meanwhile


RULE_ERRORS = [
    # wrong types, caught at load with the line (they crashed, at load or while linting)
    ("XX101-no-foo.toml", "pattern = '甲乙'", "terms = [1]", 10, "参数“terms”的每一项都应为字符串"),
    (
        "XX101-no-foo.toml",
        'basis = "测试"',
        'basis = "测试"\nscope = { section = [1] }',
        7,
        "字段“scope”中“section”的每一项都应为字符串",
    ),
    ("XX101-no-foo.toml", "pattern = '甲乙'", "pattern = '甲乙'\nfix_map = { ',' = 1 }", 11, "参数“fix_map”中“,”的类型不对，应为字符串"),
    ("XX101-no-foo.toml", "pattern = '甲乙'", "pattern = '甲乙'\nmax = true", 11, "参数“max”的类型不对，应为整数"),
    (
        "XX101-no-foo.toml",
        "kind = \"forbid\"\npattern = '甲乙'",
        'kind = "law-title"\nmode = "bare"\nmin_run = false',
        11,
        "参数“min_run”的类型不对，应为整数",
    ),
    (
        "XX101-no-foo.toml",
        "kind = \"forbid\"\npattern = '甲乙'",
        'kind = "law-title"\nmode = "short"\nunverified_severity = "loud"',
        11,
        "参数“unverified_severity”的值“loud”无效，应为 error、warning、info、hint 之一",
    ),
    (
        "XX101-no-foo.toml",
        "kind = \"forbid\"\npattern = '甲乙'",
        "kind = \"substitute\"\npairs = [{ wrong = 1, right = '乙' }]",
        10,
        "参数“pairs”的列表项中“wrong”的类型不对，应为字符串",
    ),
    ("XX101-no-foo.toml", "[[good]]", "[[good]]\nfixd = '丙丁'", 16, "[[good]] 中有未知的字段“fixd”，是否指“fixed”？"),
    # (found by the fuzzer: the template was read only at the first match)
    ("XX101-no-foo.toml", "pattern = '甲乙'", "pattern = '甲乙'\nfix = '\\g<g>'", 11, "修正模板有误（'\\\\g<g>'）：unknown group"),
    # message formats: plain {name} placeholders the rule's findings fill, nothing else
    ('XX101-no-foo.toml', 'message = "不要写“{match}”。"', 'message = "应为{0}"', 5, "字段“message”中的占位符“{0}”无效：只能写成 {名称}，不能用位置编号"),
    ('XX101-no-foo.toml', 'message = "不要写“{match}”。"', 'message = "{}"', 5, "字段“message”中的占位符“{}”无效：只能写成 {名称}，不能用位置编号"),
    (
        "XX101-no-foo.toml",
        'message = "不要写“{match}”。"',
        'message = "{context:>2000000000}"',
        5,
        "字段“message”中的占位符“{context:>2000000000}”无效：只能写成 {名称}，不能带格式说明或转换（“:”“!”）",
    ),
    (
        "XX101-no-foo.toml",
        'message = "不要写“{match}”。"',
        'message = "{match!r}"',
        5,
        "字段“message”中的占位符“{match!r}”无效：只能写成 {名称}，不能带格式说明或转换（“:”“!”）",
    ),
    (
        "XX101-no-foo.toml",
        'message = "不要写“{match}”。"',
        'message = "{match.__class__}"',
        5,
        "字段“message”中的占位符“{match.__class__}”无效：只能写成 {名称}，不能取属性或下标（“.”“[]”）",
    ),
    ("XX101-no-foo.toml", 'message = "不要写“{match}”。"', 'message = "{mtach}"', 5, "字段“message”中有未知的占位符“{mtach}”，是否指“match”？"),
    (
        "XX101-no-foo.toml",
        'message = "不要写“{match}”。"',
        'message = "写了 {match"',
        5,
        "字段“message”中的花括号用法有误：占位符只能写成 {名称}；要写花括号本身，请写成“{{”或“}}”",
    ),
    (
        "XX101-no-foo.toml",
        'name = "no-foo"',
        'name = "no-foo"\nfix_title = "改为{right}"',
        3,
        "字段“fix_title”中有未知的占位符“{right}”（可用：context、fix、match、next_year、report_year、title）",
    ),
    # a data file must be a readable table inside the pack folder
    ("XX101-no-foo.toml", "kind = \"forbid\"\npattern = '甲乙'", "kind = \"substitute\"\ntable = '../../etc/passwd'", 10, "参数“table”的数据文件“../../etc/passwd”在规则包目录之外；数据文件应放在规则包目录内"),
    ("XX101-no-foo.toml", "kind = \"forbid\"\npattern = '甲乙'", "kind = \"substitute\"\ntable = '/etc/passwd'", 10, "参数“table”的数据文件“/etc/passwd”是绝对路径；数据文件应放在规则包目录内，写相对于该目录的路径"),
    ("XX101-no-foo.toml", "kind = \"forbid\"\npattern = '甲乙'", "kind = \"substitute\"\ntable = 'data/binary.tsv'", 10, "无法读取替换表 data/binary.tsv：不是 UTF-8 编码的文本"),
    ("XX101-no-foo.toml", "kind = \"forbid\"\npattern = '甲乙'", "kind = \"substitute\"\ntable = 'data/blob.tsv'", 10, "无法读取替换表 data/blob.tsv：不是制表符分隔的文本表"),
    ("XX101-no-foo.toml", "kind = \"forbid\"\npattern = '甲乙'", "kind = \"substitute\"\ntable = 'data/short.tsv'", 10, "替换表 data/short.tsv 缺少列“suggestion”（表头应有 action、pattern、suggestion）"),
    ("XX101-no-foo.toml", "kind = \"forbid\"\npattern = '甲乙'", "kind = \"law-title\"\nmode = 'unknown'\ntitles = ['../x.txt']", 11, "参数“titles”中的数据文件“../x.txt”在规则包目录之外；数据文件应放在规则包目录内"),
    # pack.toml
    ("pack.toml", "\n[parts.plan]\nlabel = \"下一年度安排\"\naliases = ['安排']", "parts = 5", 2, "字段“parts”的类型不对，应为表"),
    ("pack.toml", 'name = "xx"', 'name = "xx"\nprofiles = true', 2, "字段“profiles”的类型不对，应为表"),
    ("pack.toml", 'name = "xx"', 'name = "xx"\nclosing_parts = ["plans"]', 2, "字段“closing_parts”中有未知的部分“plans”，是否指“plan”？"),
    ("pack.toml", 'name = "xx"', 'name = "xx"\nnmae = "yy"', 2, "未知的字段“nmae”，是否指“name”？"),
    ("pack.toml", 'name = "xx"', 'name = "xx"\nunfinished_note = "（{0}）"', 2, "字段“unfinished_note”中的占位符“{0}”无效：只能写成 {名称}，不能用位置编号"),
    ("pack.toml", "aliases = ['安排']", "aliases = ['安排']\nlevel = true", 6, "[parts.plan] 中字段“level”的类型不对，应为整数"),
    ("pack.toml", "aliases = ['安排']", "aliases = ['安排', 2]", 5, "[parts.plan] 中字段“aliases”的每一项都应为字符串"),
    (
        "pack.toml",
        "aliases = ['安排']",
        "aliases = ['安排']\n\n[years.2024]\nplenums = [{ label = '全会', pattern = '(' }]",
        8,
        "正则表达式有误（'('）：missing ) at position 1",
    ),
    ("pack.toml", "aliases = ['安排']", "aliases = ['安排']\n\n[years.x2024]\nplenums = ['全会']", 7, "字段“years”中的名称“x2024”无效，应为四位数的年份（[years.2024]）"),
    ("pack.toml", "aliases = ['安排']", "aliases = ['安排']\n\n[years.2024]\nplenums = [{ pattern = '全会' }]", 8, "[years.2024] 中字段“plenums”的列表项中缺少键“label”"),
    (
        "pack.toml",
        "aliases = ['安排']",
        "aliases = ['安排']\n\n[profiles.\"部门\"]\ndeadline = \"3/1\"",
        8,
        "[profiles.部门] 中字段“deadline”的值“3/1”无效，应为“月-日”，如 03-01",
    ),
    # a value with a line break does not split the error line
    ("XX101-no-foo.toml", 'severity = "warning"', 'severity = "warn\\ning"', 4, "字段“severity”的值“warn\\ning”无效，应为 error、warning、info、hint 之一"),
]  # fmt: skip


@pytest.mark.parametrize(("file", "old", "new", "line", "message"), RULE_ERRORS)
def test_wrong_types_formats_and_files_stop_the_load_at_their_line(
    tmp_path: Path, file: str, old: str, new: str, line: int, message: str
) -> None:
    texts = {"XX101-no-foo.toml": GOOD, "pack.toml": PACK_PARTS}
    assert old in texts[file]
    texts[file] = texts[file].replace(old, new)
    directory = pack_with(tmp_path, texts["XX101-no-foo.toml"])
    (directory / "pack.toml").write_text(texts["pack.toml"], encoding="utf-8")
    (directory / "data").mkdir()
    (directory / "data" / "binary.tsv").write_bytes(bytes(range(256)) * 4)
    (directory / "data" / "short.tsv").write_text("action\tpattern\nflag\t甲乙\n", encoding="utf-8")
    (directory / "data" / "blob.tsv").write_bytes(b"action\tpattern\tsuggestion\n" + b"\x00" * 300_000)  # one huge field
    (tmp_path / "x.txt").write_text("外面的文件\n", encoding="utf-8")
    assert error_of(directory) == f"{directory / file}:{line}: {message}"


def test_the_cli_shows_a_rule_file_mistake_as_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = pack_with(tmp_path, GOOD.replace('severity = "warning"', 'severity = "warn\\n\\u2028ing"'))
    report = tmp_path / "r.txt"
    report.write_text("甲乙\n", encoding="utf-8")
    assert main(["check", str(report), "--rules", str(directory), "--no-cache"]) == 2
    out, err = capsys.readouterr()
    assert _one_error_line(err) == (
        f"reportlint: {directory / 'XX101-no-foo.toml'}:4: "
        "字段“severity”的值“warn\\n\\u2028ing”无效，应为 error、warning、info、hint 之一"
    )
    assert out == ""


def test_every_check_kind_names_its_placeholders_and_the_shipped_messages_use_only_them() -> None:
    from reportlint.checks.base import KINDS
    from reportlint.engine.config import Config
    from reportlint.engine.lint import load_ruleset
    from reportlint.engine.loader import load_builtin_kinds
    from reportlint.rules.model import COMMON_PLACEHOLDERS, template_problem

    load_builtin_kinds()
    assert all(cls.placeholders for name, cls in KINDS.items()), [n for n, c in KINDS.items() if not c.placeholders]
    for rule in load_ruleset(Config()).rules:
        known = COMMON_PLACEHOLDERS | rule.check.placeholder_names()
        assert template_problem(rule.message, known, "message") is None, rule.code
        assert template_problem(rule.fix_title, known, "fix_title") is None, rule.code


def test_a_named_group_of_a_forbid_pattern_is_a_placeholder(tmp_path: Path) -> None:
    text = GOOD.replace("pattern = '甲乙'", "pattern = '(?P<first>甲)乙'").replace("{match}", "{first}")
    (rule,) = load_pack(pack_with(tmp_path, text)).rules
    from reportlint.engine.lint import lint_text

    _, diagnostics = lint_text("第一行\n甲乙\n", rules=[rule])
    assert [d.message for d in diagnostics] == ["不要写“甲”。"]


def test_the_field_tables_are_declarative() -> None:
    """One table per place, each entry a Field (what the later rule-file schema is built from)."""
    from reportlint.checks.base import KINDS
    from reportlint.engine.loader import load_builtin_kinds
    from reportlint.rules.model import PACK_FIELDS, PART_FIELDS, RULE_FIELDS, SCOPE_FIELDS, Field

    load_builtin_kinds()
    tables = [RULE_FIELDS, SCOPE_FIELDS, PACK_FIELDS, PART_FIELDS, *(cls.params for cls in KINDS.values())]
    for table in tables:
        assert all(isinstance(field, Field) for field in table.values())
    assert RULE_FIELDS["severity"].choices == ("error", "warning", "info", "hint")
    assert PACK_FIELDS["years"].values is not None
