"""An input format and an output format plug in from tests/plugins/ with no edit under src/.

Each plug-in is one module that registers itself (``register_reader``,
``register_format``); from then on ``reportlint check`` (directory walks, ``--jobs``,
``--fix``'s refusal, ``--format``), ``lint_path``, ``reportlint text``, the language
server and the web page know it.  The rules are the neutral test pack's, so the tests
do not depend on the 法治 pack.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import reportlint
from conftest import NEUTRAL_PACK
from plugins import toy_format, toy_reader
from reportlint.frontends.cli import build_parser, main
from reportlint.inputs import registry
from reportlint.output.registry import format_names

REPORT = "某单位2025年度工作总结\n\n一、主要工作\n\n全年完成任务共 5项。\n"


@pytest.fixture
def plugins() -> Iterator[None]:
    toy_reader.register()
    toy_format.register()
    try:
        yield
    finally:
        toy_reader.unregister()
        toy_format.unregister()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder configured to use the neutral pack only, with NT201 (space between a
    Chinese character and a digit) selected."""
    config = f"builtin-rules = false\nrules = ['{NEUTRAL_PACK.as_posix()}']\nselect = ['NT201']\n"
    (tmp_path / "reportlint.toml").write_text(config, encoding="utf-8")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_dummy_reader_is_read_by_check_and_lint_path(
    plugins: None, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = folder / "总结.rtxt"
    report.write_bytes(toy_reader.encode(REPORT))
    code, out, _ = run(capsys, "check", str(folder))  # found by the directory walk
    assert code == 1
    assert out.splitlines()[0] == f"{report}:5:8: NT201 [警告] “成任务共 5项。”中汉字与数字之间有空格。"
    # (not fixable: the reader does not declare it so; no [*] is shown, --fix says why)
    assert "[*]" not in out
    code, _, err = run(capsys, "check", "--fix", str(report))
    assert code == 1
    assert err == f"reportlint: {report}: 只能自动修正 .txt 和 .md 文件；Word、PDF、RTXT 文件中的问题请按提示在原文件中修改\n"
    assert report.read_bytes() == toy_reader.encode(REPORT)
    findings = reportlint.lint_path(report)
    assert [(f.code, f.line, f.column) for f in findings] == [("NT201", 5, 8)]


def test_the_dummy_reader_is_asked_by_content_whatever_the_name(
    plugins: None, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    renamed = folder / "总结.txt"
    renamed.write_bytes(toy_reader.encode(REPORT))
    assert [f.code for f in reportlint.lint_path(renamed)] == ["NT201"]
    code, out, _ = run(capsys, "text", str(renamed))
    assert (code, out.splitlines()[4]) == (0, "5  全年完成任务共 5项。")


def test_the_dummy_reader_in_worker_processes(plugins: None, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for number in range(8):
        (folder / f"{number}.rtxt").write_bytes(toy_reader.encode(REPORT))
    code, out, _ = run(capsys, "check", "--jobs", "2", "--format", "dummy", str(folder))
    assert code == 1
    assert out == "".join(f"{folder / f'{n}.rtxt'}\tNT201\t5\n" for n in range(8)) + "# 8\n"


def test_the_dummy_reader_errors_are_one_line(plugins: None, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = folder / "坏.rtxt"
    broken.write_bytes(b"not an rtxt file\n")
    code, _, err = run(capsys, "check", str(broken))
    assert (code, err) == (2, f"reportlint: {broken}: 不是 RTXT 文件（缺少 RTXT 文件头）\n")


def test_the_dummy_format_is_a_choice_of_check(plugins: None, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = folder / "总结.txt"
    report.write_text(REPORT, encoding="utf-8")
    assert "dummy" in format_names()
    code, out, _ = run(capsys, "check", "--format", "dummy", str(report))
    assert (code, out) == (1, f"{report}\tNT201\t5\n# 1\n")


def test_the_registries_feed_every_suffix_list(plugins: None) -> None:
    from reportlint.frontends.lsp import FILE, document_source
    from reportlint.frontends.serve import _page

    assert registry.suffixes() == (".txt", ".md", ".docx", ".pdf", ".rtxt")
    assert registry.fixable_suffixes() == (".txt", ".md")
    assert document_source("file:///tmp/a.rtxt", None) == FILE
    page = _page().decode("utf-8")
    assert 'accept=".txt,.md,.docx,.pdf,.rtxt"' in page
    assert "选择文件（.txt、.md、.docx、.pdf、.rtxt，不超过 5 MB）" in page
    assert 'data-formats=".txt、.md、.docx、.pdf 或 .rtxt"' in page
    help_text = build_parser().format_help()
    assert "检查报告文件（.txt、.md、.docx、.pdf、.rtxt；目录递归；- 表示标准输入）" in help_text


def test_unregistered_plugins_leave_nothing_behind(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert ".rtxt" not in registry.suffixes()
    assert "dummy" not in format_names()
    (folder / "a.rtxt").write_bytes(toy_reader.encode(REPORT))
    code, out, _ = run(capsys, "check", str(folder))  # not a report any more: not walked into
    assert (code, out) == (0, "没有检查任何文件\n")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["check", "--format", "dummy"])
