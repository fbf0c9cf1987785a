"""End-to-end tests of ``reportlint check``/``rules``/``explain`` through ``main()``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportlint.frontends.cli import main

TITLE = "某区司法局2024年度法治政府建设情况报告\n\n"
# Two characters outside the BMP before the finding: code-point column 4, UTF-16 character 5.
NON_BMP = TITLE + "𠀋𠀋共 5 条。\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def test_text_output_line_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = write(tmp_path / "r.txt", NON_BMP)
    code, out, _ = run(capsys, "check", str(report), "--select", "FZ503")
    assert code == 1
    assert out.splitlines()[0] == (
        f"{report}:3:4: FZ503 [*] [警告] “𠀋𠀋共 5 条。”中汉字与数字之间有空格，公文排版不加空格。"
    )
    assert out.splitlines()[2] == "发现 2 个问题（警告 2），检查 1 个文件"


def test_json_positions_outside_bmp(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = write(tmp_path / "r.txt", NON_BMP)
    code, out, _ = run(capsys, "check", str(report), "--select", "FZ503", "--format", "json")
    assert code == 1
    payload = json.loads(out)
    assert payload["version"] == 1
    first, second = payload["files"][0]["diagnostics"]
    assert (first["line"], first["column"], first["end_line"], first["end_column"]) == (3, 4, 3, 5)
    assert (second["line"], second["column"]) == (3, 6)
    assert first["code"] == "FZ503" and first["severity"] == "warning"
    assert first["fix"]["edits"] == [{"line": 3, "column": 4, "end_line": 3, "end_column": 5, "new_text": ""}]
    assert payload["summary"] == {
        "files": 1,
        "diagnostics": 2,
        "by_severity": {"warning": 2},
        "by_code": {"FZ503": 2},
    }


def test_lsp_positions_are_utf16(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = write(tmp_path / "r.txt", NON_BMP)
    run_code, out, _ = run(capsys, "check", str(report), "--select", "FZ503", "--format", "lsp")
    assert run_code == 1
    (entry,) = json.loads(out)
    first = entry["diagnostics"][0]
    assert first["range"] == {
        "start": {"line": 2, "character": 5},
        "end": {"line": 2, "character": 6},
    }
    assert first["severity"] == 2  # LSP Warning
    assert first["source"] == "reportlint"
    assert first["code"] == "FZ503"


@pytest.mark.parametrize(
    ("encoding", "bom", "newline"),
    [
        ("utf-8", b"", "\n"),
        ("utf-8", b"\xef\xbb\xbf", "\r\n"),
        ("gbk", b"", "\r\n"),
        ("utf-16-le", b"\xff\xfe", "\n"),
        ("utf-16-be", b"\xfe\xff", "\r"),
    ],
)
def test_encodings_and_line_endings_keep_positions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str, bom: bytes, newline: str
) -> None:
    text = TITLE.replace("\n", newline) + "全年共 5 条。" + newline
    report = write(tmp_path / "r.txt", bom + text.encode(encoding))
    code, out, _ = run(capsys, "check", str(report), "--select", "FZ503", "--format", "json")
    assert code == 1
    diagnostics = json.loads(out)["files"][0]["diagnostics"]
    assert [(d["line"], d["column"]) for d in diagnostics] == [(3, 4), (3, 6)]


def test_bad_inputs_are_one_line_errors_and_others_still_linted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "a_binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(tmp_path / "b_empty.txt", b"")
    write(tmp_path / "c_good.txt", TITLE + "全年共 5 条。\n")
    code, out, err = run(capsys, "check", str(tmp_path), "--select", "FZ503")
    assert code == 2
    assert err.splitlines() == [
        f"reportlint: {tmp_path / 'a_binary.txt'}: 不是文本文件（含二进制数据）",
        f"reportlint: {tmp_path / 'b_empty.txt'}: 文件为空",
    ]
    assert f"{tmp_path / 'c_good.txt'}:3:4: FZ503" in out
    assert "2 个文件无法读取" in out


def test_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", str(tmp_path / "nope.txt"))
    assert code == 2
    assert err.strip() == f"reportlint: {tmp_path / 'nope.txt'}: 文件不存在"


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io
    import sys

    stdin = io.TextIOWrapper(io.BytesIO((TITLE + "全年共 5 条。\n").encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, _ = run(capsys, "check", "-", "--select", "FZ503")
    assert code == 1
    assert out.startswith("<stdin>:3:4: FZ503")


def test_select_ignore_and_exit_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = write(tmp_path / "r.txt", TITLE + "全年共 5 条。\n")
    assert run(capsys, "check", str(report), "--select", "FZ5", "--ignore", "FZ503")[0] == 0
    assert run(capsys, "check", str(report), "--select", "FZ503", "--exit-zero")[0] == 0
    # info findings do not fail the run at the default fail level (warning)
    assert run(capsys, "check", str(report), "--select", "FZ706")[0] == 0
    code, out, _ = run(capsys, "check", str(report), "--select", "FZ503", "--fail-on", "error")
    assert code == 0 and "FZ503" in out


def test_disabled_rules_need_explicit_selection(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "某镇人民政府2024年法治政府建设情况报告\n\n一、主要举措和成效\n\n扎实推进依法行政。\n"
    report = write(tmp_path / "r.txt", text)
    _, out, _ = run(capsys, "check", str(report))
    assert "FZ801" not in out
    _, out, _ = run(capsys, "check", str(report), "--extend-select", "FZ801")
    assert f"{report}:3:1: FZ801" in out


def test_config_file_is_found_walking_up(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "reportlint.toml").write_text('select = ["FZ503"]\nignore = []\n', encoding="utf-8")
    sub = tmp_path / "reports" / "2024"
    sub.mkdir(parents=True)
    report = write(sub / "r.txt", TITLE + "全年共 5 条。今年以来。\n")
    _, out, _ = run(capsys, "check", str(report))
    assert {line.split(": ")[1].split()[0] for line in out.splitlines()[:-2]} == {"FZ503"}


def test_pyproject_config_and_per_file_ignores(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.reportlint]\nselect = ["FZ503", "FZ706"]\n[tool.reportlint.per-file-ignores]\n"old/*" = ["FZ503"]\n',
        encoding="utf-8",
    )
    (tmp_path / "old").mkdir()
    report = write(tmp_path / "old" / "r.txt", TITLE + "全年共 5 条。今年以来。\n")
    _, out, _ = run(capsys, "check", str(report))
    assert "FZ503" not in out and "FZ706" in out


def test_config_error_names_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "reportlint.toml").write_text('select = ["FZ503"]\nselcet = []\n', encoding="utf-8")
    report = write(tmp_path / "r.txt", TITLE)
    code, _, err = run(capsys, "check", str(report))
    assert code == 2
    assert err.strip() == f"reportlint: {tmp_path / 'reportlint.toml'}:2: 未知的设置项“selcet”，是否指“select”？"


def test_rules_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    lines = out.splitlines()
    # code, Chinese title (padded to one column), Chinese category, Chinese severity
    rows = {line.split()[0]: line.split()[1:] for line in lines}
    assert rows["FZ503"] == ["汉字与数字间多余空格", "标点", "警告"]
    assert rows["FZ801"] == ["成效部分缺少量化事实", "实证", "提示（默认关闭）"]
    assert rows["RL003"] == ["抑制注释中的规则代码不存在", "内部", "警告"]
    assert [line.split()[0] for line in lines[-6:]] == ["RL001", "RL002", "RL003", "RL004", "RL005", "RL101"]
    # the categories line up (a Chinese character is two columns wide)
    from reportlint.output.text import display_width

    assert len({display_width(line.rsplit("  ", 2)[0]) for line in lines}) == 1
    assert not any(c.isascii() and c.isalpha() for line in lines for c in line.split(None, 1)[1])
    code, out, _ = run(capsys, "explain", "fz503")
    assert code == 0
    assert out.splitlines()[0] == "FZ503 space-between-chinese-and-digits"
    assert "## 依据" in out and "## 错误示例" in out and "## 自动修正" in out
    code, _, err = run(capsys, "explain", "FZ999")
    assert code == 2 and "FZ999" in err
    # reportlint's own findings have explanations too.
    for internal in ("RL001", "rl002", "RL101"):
        code, out, _ = run(capsys, "explain", internal)
        assert code == 0 and out.startswith(internal.upper() + " ") and "## 检查什么" in out


def test_samples_exit_with_findings(capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(__file__).resolve().parent.parent
    code, out, err = run(capsys, "check", str(root / "fixtures" / "reports"))
    assert code == 1 and err == ""
    assert "检查 5 个文件" in out.splitlines()[-2] or "检查 5 个文件" in out.splitlines()[-1]


# -- unknown codes are errors, never an empty selection that passes ------------------------


@pytest.mark.parametrize("option", ["--select", "--extend-select", "--ignore"])
def test_unknown_code_on_the_command_line_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str
) -> None:
    report = write(tmp_path / "r.txt", NON_BMP)
    code, out, err = run(capsys, "check", str(report), option, "FZ503,FZ5O1")
    assert (code, out) == (2, "")
    assert err == "reportlint: 未知的规则代码 FZ5O1，是否指 FZ501？\n"


def test_unknown_prefix_and_known_prefixes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = write(tmp_path / "r.txt", NON_BMP)
    code, _, err = run(capsys, "check", str(report), "--select", "FZ9")
    assert code == 2 and err.startswith("reportlint: 未知的规则代码 FZ9")
    for known in ("FZ", "FZ5", "FZ50", "RL", "RL002", "ALL"):
        assert run(capsys, "check", str(report), "--select", known)[0] in (0, 1), known


@pytest.mark.parametrize(
    ("config", "line"),
    [
        ('select = ["FZ5O1"]\n', 1),
        ('ignore = ["FZ109"]\nextend-select = ["FZ8O1"]\n', 2),
        ('[per-file-ignores]\n"*.txt" = ["FZ5O1"]\n', 2),
        ('[severity]\nFZ503 = "info"\nFZ5O1 = "info"\n', 3),
    ],
)
def test_unknown_code_in_the_configuration_names_the_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str, line: int
) -> None:
    write(tmp_path / "reportlint.toml", config)
    report = write(tmp_path / "r.txt", NON_BMP)
    code, out, err = run(capsys, "check", str(report))
    assert (code, out) == (2, "")
    assert err == f"reportlint: {tmp_path / 'reportlint.toml'}:{line}: 未知的规则代码 {'FZ8O1' if '8O1' in config else 'FZ5O1'}，是否指 {'FZ801' if '8O1' in config else 'FZ501'}？\n"


def test_a_rules_folder_without_rules_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    report = write(tmp_path / "r.txt", NON_BMP)
    code, out, err = run(capsys, "check", str(report), "--rules", str(tmp_path / "empty"))
    assert (code, out) == (2, "")
    assert "规则目录中没有规则文件" in err and str(tmp_path / "empty") in err
    code, _, err = run(capsys, "check", str(report), "--rules", str(tmp_path / "nowhere"))
    assert code == 2 and "规则目录不存在" in err


# -- the summary says what happened --------------------------------------------------------


def test_summary_never_says_no_problems_when_a_file_was_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path / "good.txt", TITLE + "全年共5条。\n")
    bad = write(tmp_path / "bad.txt", b"\x00\x01\x02\xff\xfe\x00" * 400)
    code, out, err = run(capsys, "check", str(bad), "--select", "FZ503")
    assert code == 2 and out == "没有检查任何文件；1 个文件无法读取，没有检查\n"
    assert err == f"reportlint: {bad}: 不是文本文件（含二进制数据）\n"
    code, out, _ = run(capsys, "check", str(good), str(bad), "--select", "FZ503")
    assert code == 2 and out == "已检查的 1 个文件未发现问题；1 个文件无法读取，没有检查\n"


# -- everything a user reads is Chinese ---------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "last_line"),
    [
        (["chek"], "reportlint: 错误：参数 命令：无效的取值 'chek'（可选：'check', 'text', 'rules', 'explain', 'lsp', 'report', 'serve', 'schema', 'new-rule'）"),
        ([], "reportlint: 错误：缺少必需的参数：命令"),
        (["check", "--formt", "json"], "reportlint: 错误：无法识别的参数：--formt"),
        (["check", "--select"], "reportlint check: 错误：参数 --select：需要一个值"),
        (["check", "--max-file-size", "0"], "reportlint check: 错误：参数 --max-file-size：应为正数（MB）：0"),
    ],
)
def test_usage_errors_are_chinese(capsys: pytest.CaptureFixture[str], argv: list[str], last_line: str) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：reportlint")
    assert err.splitlines()[-1] == last_line


def test_help_headings_are_chinese_and_argparse_is_left_as_it_was(capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    with pytest.raises(SystemExit):
        main(["check", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("用法：reportlint check") and "\n选项:\n" in out and "显示本帮助并退出" in out
    assert argparse._("usage: ") == "usage: "  # other users of argparse in the process


def test_text_output_severities_are_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = write(tmp_path / "r.txt", TITLE + "全年共 5 条, 完成。\n")
    code, out, _ = run(capsys, "check", str(report), "--select", "FZ503,FZ501")
    assert code == 1
    assert out.splitlines() == [
        f"{report}:3:4: FZ503 [*] [警告] “全年共 5 条,”中汉字与数字之间有空格，公文排版不加空格。",
        f"{report}:3:6: FZ503 [*] [警告] “年共 5 条, 完”中汉字与数字之间有空格，公文排版不加空格。",
        f"{report}:3:8: FZ501 [*] [错误] 中文里用了半角标点“, ”（“ 5 条, 完成。”），应改为全角“，”。",
        "发现 3 个问题（错误 1，警告 2），检查 1 个文件",
        "标有 [*] 的 3 个问题可用 --fix 自动修正。",
    ]


def test_full_format_shows_a_window_of_a_long_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """As rustc and Ruff: not the whole paragraph (a report's paragraph is one long line)."""
    line = "开展培训" * 500 + "全年共 5 条" + "完成任务" * 500
    report = write(tmp_path / "r.txt", TITLE + line + "\n")
    code, out, _ = run(capsys, "check", str(report), "--select", "FZ503", "--format", "full")
    assert code == 1
    block = out.split("\n\n")[0].splitlines()
    # 24 characters either side of the space, … where the line goes on
    assert block[2] == "     3 | …" + ("开展培训" * 6)[-21:] + "全年共 5 条" + "完成任务" * 5 + "完…"
    assert block[3] == "       | " + " " * (1 + 2 * 24) + "^"
    assert len(out) < 2000


def test_rules_json_lists_internal_codes_too(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "--format", "json")
    assert code == 0
    rules = {r["code"]: r for r in json.loads(out)}
    assert rules["FZ503"]["title"] == "汉字与数字间多余空格" and rules["FZ503"]["category"] == "punctuation"
    assert {"RL001", "RL002", "RL003", "RL004", "RL101"} <= set(rules)


def test_a_closed_pipe_is_no_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        f"{sys.executable} -m reportlint rules | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.startswith("FZ101") and done.stderr == ""
