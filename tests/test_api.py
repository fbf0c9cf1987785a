"""The Python API (reportlint.lint_text / lint_path): the fields of JSON schema v1,
configuration as a path or a dict, one pack only, errors as LintError; and the example
in docs/api.md, run as written."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest

import reportlint
from reportlint.frontends.cli import main

ROOT = Path(__file__).resolve().parent.parent
TEXT = "某区司法局2024年度法治政府建设情况报告\n\n全年共 5 条。\n"


def test_docs_example_runs_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    page = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```python\n(.*?)```", page, flags=re.S)
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(example, "docs/api.md", "exec"), {})
    lines = out.getvalue().splitlines()
    assert lines[:4] == [
        "18:88 FZ309 “正实现将权利关进制度”中的“权利”应为“权力”：把权力关进制度的笼子里。",
        "50:197 FZ501 中文里用了半角标点“,”（“想为主线,利用微信”），应改为全角“，”。",
        "55:1 FZ701 下一年度安排的标题写的是2024年，2024年度的报告应写2025年。",
        "59:17 FZ501 中文里用了半角标点“,”（“工作计划,深刻领会”），应改为全角“，”。",
    ]
    assert lines[4] == "{'title': '删除空格', 'safe': True, 'edits': [{'line': 3, 'column': 4, 'end_line': 3, 'end_column': 5, 'new_text': ''}]}"
    assert lines[-1] == "配置项 select: 未知的规则代码 FZ5O3，是否指 FZ503？"


def test_findings_carry_the_json_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r.txt"
    report.write_text(TEXT, encoding="utf-8")
    findings = reportlint.lint_path(report, config={"select": ["FZ503"]})
    (config := tmp_path / "reportlint.toml").write_text('select = ["FZ503"]\n', encoding="utf-8")
    assert main(["check", str(report), "--format", "json", "--config", str(config)]) == 1
    printed = json.loads(capsys.readouterr().out)["files"][0]["diagnostics"]
    assert [f.to_dict() for f in findings] == printed
    first = findings[0]
    assert (first.code, first.severity, first.line, first.column, first.end) == ("FZ503", "warning", 3, 4, (3, 5))
    assert first.page is None and first.context is None
    assert first.fix is not None and first.fix.safe and first.fix.edits[0].new_text == ""


def test_config_as_a_file_and_as_a_dict_agree(tmp_path: Path) -> None:
    config = tmp_path / "reportlint.toml"
    config.write_text('select = ["FZ503"]\n[severity]\nFZ503 = "error"\n', encoding="utf-8")
    from_file = reportlint.lint_text(TEXT, config=config)
    from_dict = reportlint.lint_text(TEXT, config={"select": ["FZ503"], "severity": {"FZ503": "error"}})
    assert from_file == from_dict and [f.severity for f in from_dict] == ["error", "error"]


def test_lint_path_uses_the_nearest_configuration_like_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "reportlint.toml").write_text('ignore = ["FZ503"]\n', encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_text(TEXT, encoding="utf-8")
    assert "FZ503" not in {f.code for f in reportlint.lint_path(report)}
    assert "FZ503" in {f.code for f in reportlint.lint_text(TEXT)}  # text: defaults, no search


def test_docx_and_pdf_positions() -> None:
    documents = ROOT / "fixtures" / "documents"
    word = reportlint.lint_path(documents / "parity-1.docx", config={"select": ["FZ503"]})
    pdf = reportlint.lint_path(documents / "parity-1.pdf", config={"select": ["FZ503"]})
    assert word and all(f.context and f.page is None for f in word)
    assert pdf and all(f.page and f.page >= 1 for f in pdf)


def test_one_pack_only_and_an_unknown_pack(tmp_path: Path) -> None:
    pack = tmp_path / "mine"
    pack.mkdir()
    (pack / "XY001-five.toml").write_text(
        'code = "XY001"\nname = "five"\ncategory = "formulation"\nseverity = "warning"\n'
        'message = "出现了“5”"\nbasis = "测试"\n[check]\nkind = "forbid"\npattern = "5"\n'
        '[[bad]]\ntext = "5"\n[[good]]\ntext = "6"\n',
        encoding="utf-8",
    )
    both = {f.code for f in reportlint.lint_text(TEXT, config={"rules": [str(pack)]})}
    assert {"XY001", "FZ503"} <= both
    assert {f.code for f in reportlint.lint_text(TEXT, config={"rules": [str(pack)]}, pack="mine")} == {"XY001"}
    with pytest.raises(reportlint.LintError, match=r"^未知的规则包 fazi（已安装：fazhi、gongkai、mine）$"):
        reportlint.lint_text(TEXT, config={"rules": [str(pack)]}, pack="fazi")


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"select": ["FZ5O3"]}, "配置项 select: 未知的规则代码 FZ5O3，是否指 FZ503？"),
        ({"selcet": ["FZ503"]}, "配置项 selcet: 未知的设置项“selcet”，是否指“select”？"),
        ({"severity": {"FZ503": "loud"}}, "配置项 severity.FZ503: 严重级别“loud”无效，应为 error、warning、info、hint 之一"),
        ({"rules": ["/nowhere"]}, "/nowhere:1: 规则目录不存在"),
    ],
)
def test_mistakes_are_one_chinese_line(config: dict[str, object], message: str) -> None:
    with pytest.raises(reportlint.LintError) as raised:
        reportlint.lint_text(TEXT, config=config)
    assert str(raised.value) == message


def test_unreadable_file_is_a_lint_error(tmp_path: Path) -> None:
    with pytest.raises(reportlint.LintError) as raised:
        reportlint.lint_path(tmp_path / "missing.txt")
    assert str(raised.value) == f"{tmp_path / 'missing.txt'}: 文件不存在"
    with pytest.raises(reportlint.LintError, match=r"配置文件不存在$"):
        reportlint.lint_text(TEXT, config=tmp_path / "none.toml")


def test_the_version_is_the_package_version() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert reportlint.__version__ == project["version"]
    assert tuple(map(int, project["version"].split("."))) >= (0, 2, 0)  # the API is stable from 0.2.0


def test_a_bad_configuration_near_the_file_is_a_lint_error(tmp_path: Path) -> None:
    (tmp_path / "reportlint.toml").write_text("select = [1]\n", encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_text(TEXT, encoding="utf-8")
    with pytest.raises(reportlint.LintError) as raised:
        reportlint.lint_path(report)
    assert str(raised.value).startswith(f"{tmp_path / 'reportlint.toml'}:1: ")
