"""Configuration values are checked when the file is loaded: a wrong type or shape is one
Chinese line naming the file and the line (exit 2), never a traceback; a bad configuration
found for some files skips only those files."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

import reportlint
from reportlint.engine.config import ConfigError, config_from_mapping
from reportlint.frontends.cli import main

TITLE = "某区司法局2024年度法治政府建设情况报告\n\n"
REPORT = TITLE + "全年共 5 条。\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


KINDS = "部门、政府、乡镇街道"
SEVERITIES = "error、warning、info、hint"
DEADLINE = "无效，应为“月-日”（MM-DD），如“03-01”"
TOO_LARGE = "设置项“max-file-size”过大，应不超过 1024（单位 MB）"

# (file name, contents, line, message)
BAD_CONFIGS = [
    ("reportlint.toml", '[profile]\ndeadline = "2025-03-01"\n', 2, f"profile 设置项“deadline”的值“2025-03-01”{DEADLINE}"),
    ("reportlint.toml", '[profile]\ndeadline = "3月1日"\n', 2, f"profile 设置项“deadline”的值“3月1日”{DEADLINE}"),
    ("reportlint.toml", 'profile.deadline = "02-30"\n', 1, f"profile 设置项“deadline”的值“02-30”{DEADLINE}"),
    ("reportlint.toml", 'profile = { deadline = "13-01" }\n', 1, f"profile 设置项“deadline”的值“13-01”{DEADLINE}"),
    ("reportlint.toml", "[profile]\ndeadline = 2025-03-01\n", 2, "profile 设置项“deadline”的类型不对，应为字符串，而不是日期时间"),
    ("reportlint.toml", '[profile]\nkind = "外星"\n', 2, f"profile 设置项“kind”的值“外星”无效，应为 {KINDS} 之一"),
    ("reportlint.toml", "[profile]\nprovince = 5\n", 2, "profile 设置项“province”的类型不对，应为字符串，而不是整数"),
    ("reportlint.toml", 'ignore = []\nmax-file-size = 1e300\n', 2, TOO_LARGE),
    ("reportlint.toml", "max-file-size = inf\n", 1, TOO_LARGE),
    ("reportlint.toml", "max-file-size = nan\n", 1, "设置项“max-file-size”应为正数（单位 MB）"),
    ("reportlint.toml", "max-file-size = 1025\n", 1, TOO_LARGE),
    ("pyproject.toml", "[tool.reportlint]\nmax-file-size = inf\n", 2, TOO_LARGE),
    ("pyproject.toml", "tool = 5\n", 1, "“tool”应为表，而不是整数"),
    ("pyproject.toml", '[project]\nname = "x"\n\n[tool]\nreportlint = "yes"\n', 5, "“tool.reportlint”应为表，而不是字符串"),
    ("reportlint.toml", "select = [1]\n", 1, "设置项“select”的第 1 项应为字符串，而不是整数"),
    ("reportlint.toml", 'fail-on = "error"\nextend-select = ["FZ5", 2.5]\n', 2, "设置项“extend-select”的第 2 项应为字符串，而不是小数"),
    ("reportlint.toml", "ignore = [[]]\n", 1, "设置项“ignore”的第 1 项应为字符串，而不是列表"),
    ("reportlint.toml", "ignore = [{}]\n", 1, "设置项“ignore”的第 1 项应为字符串，而不是表"),
    ("reportlint.toml", "rules = [1]\n", 1, "设置项“rules”的第 1 项应为字符串，而不是整数"),
    ("reportlint.toml", 'rules = ["a\\u0000b"]\n', 1, "设置项“rules”的路径“a\\x00b”含空字符，不是有效的路径"),
    ("reportlint.toml", '[per-file-ignores]\n"a" = 5\n', 2, "per-file-ignores 中“a”的值应为规则代码的列表，而不是整数"),
    ("reportlint.toml", 'per-file-ignores = {"a" = 5}\n', 1, "per-file-ignores 中“a”的值应为规则代码的列表，而不是整数"),
    ("reportlint.toml", '[per-file-ignores]\n"*.txt" = "FZ5"\n', 2, "per-file-ignores 中“*.txt”的值应为规则代码的列表，而不是字符串"),
    ("reportlint.toml", '[per-file-ignores]\n"a" = ["FZ5", 1]\n', 2, "per-file-ignores 中“a”的第 2 项应为字符串，而不是整数"),
    ("reportlint.toml", "[severity]\nFZ503 = 1\n", 2, f"严重级别应为字符串（{SEVERITIES} 之一），而不是整数"),
    ("reportlint.toml", '[severity]\nFZ503 = ["info"]\n', 2, f"严重级别应为字符串（{SEVERITIES} 之一），而不是列表"),
    ("reportlint.toml", '\nseverity = { FZ503 = "loud\\nquiet" }\n', 2, f"严重级别“loud\\nquiet”无效，应为 {SEVERITIES} 之一"),
    ("reportlint.toml", 'fail-on = "a\\nb"\n', 1, f"fail-on 的值“a\\nb”无效，应为 {SEVERITIES} 之一"),
    ("reportlint.toml", 'fail-on = "x\\u2028y\\u0085z"\n', 1, f"fail-on 的值“x\\u2028y\\x85z”无效，应为 {SEVERITIES} 之一"),
    ("reportlint.toml", "fail-on = " + '"' + "很" * 200 + '"\n', 1, f"fail-on 的值“{'很' * 59}…”无效，应为 {SEVERITIES} 之一"),
    ("reportlint.toml", 'select = []\n"a\\nb" = 1\n', 2, "未知的设置项“a\\nb”（可用：select、extend-select、ignore、severity、rules、per-file-ignores、profile、fail-on、builtin-rules、max-file-size、duplicates、pack、packs）"),
    ("reportlint.toml", '[duplicates]\nignore-file = "\\u0000"\n', 2, "设置项“duplicates.ignore-file”的路径“\\x00”含空字符，不是有效的路径"),
    ("reportlint.toml", "a = " + "[" * 100_000 + "\n", 1, "TOML 格式错误：数组或表嵌套层数过多"),
    # A code that names no rule, in an inline table: the line of the table, not line 1.
    ("reportlint.toml", 'select = ["FZ5"]\nseverity = { FZ5O1 = "info" }\n', 2, "未知的规则代码 FZ5O1，是否指 FZ501？"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "contents", "line", "message"), BAD_CONFIGS)
def test_a_bad_value_is_one_line_naming_the_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, contents: str, line: int, message: str
) -> None:
    config = write(tmp_path / name, contents)
    report = write(tmp_path / "r.txt", REPORT)
    code, out, err = run(capsys, "check", str(report))
    assert (code, out) == (2, "")
    assert err == f"reportlint: {config}:{line}: {message}\n"
    assert report.read_text(encoding="utf-8") == REPORT


@pytest.mark.parametrize(("name", "contents", "line", "message"), BAD_CONFIGS[:12])
def test_a_bad_explicit_config_stops_before_standard_input_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    name: str, contents: str, line: int, message: str,
) -> None:  # fmt: skip
    config = write(tmp_path / "elsewhere" / name, contents)

    class Untouchable(io.StringIO):
        def read(self, *args: Any) -> str:
            raise AssertionError("standard input was read")

        @property
        def buffer(self) -> Any:
            raise AssertionError("standard input was read")

    monkeypatch.setattr("sys.stdin", Untouchable())
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "check", "--config", str(config), "-")
    assert (code, out) == (2, "")
    assert err == f"reportlint: {config}:{line}: {message}\n"


def test_a_bad_explicit_config_stops_before_any_file_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(tmp_path / "cfg.toml", "max-file-size = inf\n")
    reports = [write(tmp_path / f"r{i}.txt", REPORT) for i in range(10)]

    def no_reading(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a report was read")

    monkeypatch.setattr("reportlint.app.runner.read_path", no_reading)
    for jobs in ("1", "2"):
        code, out, err = run(capsys, "check", "--jobs", jobs, "--fix", "--config", str(config), *map(str, reports))
        assert (code, out) == (2, "")
        assert err == f"reportlint: {config}:1: {TOO_LARGE}\n"
    assert all(r.read_text(encoding="utf-8") == REPORT for r in reports)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bad_config_beside_some_files_skips_only_those(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    bad = write(tmp_path / "a" / "reportlint.toml", 'ignore = []\nselect = ["FZ503", 5]\n')
    skipped = [write(tmp_path / "a" / "r1.txt", REPORT), write(tmp_path / "a" / "sub" / "r2.txt", REPORT)]
    good = [write(tmp_path / "b" / f"r{i}.txt", REPORT) for i in range(9)]  # enough for two workers
    write(tmp_path / "b" / "reportlint.toml", 'select = ["FZ503"]\n')
    code, out, err = run(capsys, "check", "--jobs", jobs, "--format", "json", str(tmp_path))
    assert code == 2
    assert err == f"reportlint: {bad}:2: 设置项“select”的第 2 项应为字符串，而不是整数\n"  # once
    import json

    result = json.loads(out)
    assert [f["path"] for f in result["files"]] == [str(p) for p in good]
    assert all(len(f["diagnostics"]) == 2 for f in result["files"])
    # every file left unchecked is listed (the error itself is printed once)
    assert result["errors"] == [
        {"path": str(path), "message": f"配置文件有误，没有检查：{bad}:2: 设置项“select”的第 2 项应为字符串，而不是整数"}
        for path in skipped
    ]


def test_every_bad_config_is_reported_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = write(tmp_path / "a" / "reportlint.toml", "max-file-size = nan\n")
    second = write(tmp_path / "b" / "reportlint.toml", '[profile]\nkind = "外星"\n')
    for folder in ("a", "a/x", "b", "b/y"):
        write(tmp_path / folder / "r.txt", REPORT)
    good = write(tmp_path / "c" / "r.txt", REPORT)
    code, out, err = run(capsys, "check", "--select", "FZ503", str(tmp_path))
    assert code == 2
    assert err.splitlines() == [
        f"reportlint: {first}:1: 设置项“max-file-size”应为正数（单位 MB）",
        f"reportlint: {second}:2: profile 设置项“kind”的值“外星”无效，应为 {KINDS} 之一",
    ]
    assert out.startswith(f"{good}:3:4: FZ503")


def test_standard_input_under_a_bad_config_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(tmp_path / "reportlint.toml", "[severity]\nFZ503 = 1\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", None)  # any read would fail
    code, out, err = run(capsys, "check", "-")
    assert (code, out) == (2, "")
    assert err == f"reportlint: {config}:2: 严重级别应为字符串（{SEVERITIES} 之一），而不是整数\n"


def test_a_utf8_bom_in_the_config_is_fine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "reportlint.toml").write_bytes('\ufeffselect = ["FZ503"]\n'.encode())
    report = write(tmp_path / "r.txt", REPORT)
    code, out, _ = run(capsys, "check", str(report))
    assert code == 1 and out.splitlines()[-2] == "发现 2 个问题（警告 2），检查 1 个文件"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("inf", "过大，应不超过 1024（MB）：inf"),
        ("1e300", "过大，应不超过 1024（MB）：1e300"),
        ("nan", "应为正数（MB）：nan"),
        ("-inf", "应为正数（MB）：-inf"),
        ("1\n2", "应为正数（MB）：1\\n2"),
    ],
)
def test_max_file_size_option_out_of_range(capsys: pytest.CaptureFixture[str], value: str, message: str) -> None:
    for command in ("check", "text"):
        with pytest.raises(SystemExit) as exited:
            main([command, f"--max-file-size={value}", "x.txt"])
        assert exited.value.code == 2
        assert (
            capsys.readouterr().err.splitlines()[-1] == f"reportlint {command}: 错误：参数 --max-file-size：{message}"
        )


def test_max_file_size_at_the_limit_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "reportlint.toml", 'select = ["FZ503"]\nmax-file-size = 1024\n')
    report = write(tmp_path / "r.txt", REPORT)
    assert run(capsys, "check", str(report))[0] == 1
    assert run(capsys, "check", "--max-file-size", "1024", str(report))[0] == 1


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"select": [1]}, "配置项 select: 设置项“select”的第 1 项应为字符串，而不是整数"),
        ({"select": "FZ5"}, "配置项 select: 设置项“select”的类型不对，应为列表，而不是字符串"),
        ({"max-file-size": 10**400}, f"配置项 max-file-size: {TOO_LARGE}"),
        ({"max-file-size": float("nan")}, "配置项 max-file-size: 设置项“max-file-size”应为正数（单位 MB）"),
        ({"per-file-ignores": {"a": 5}}, "配置项 per-file-ignores.a: per-file-ignores 中“a”的值应为规则代码的列表，而不是整数"),
        ({"severity": {"FZ503": 1}}, f"配置项 severity.FZ503: 严重级别应为字符串（{SEVERITIES} 之一），而不是整数"),
        ({"profile": {"deadline": "3-1"}}, f"配置项 profile.deadline: profile 设置项“deadline”的值“3-1”{DEADLINE}"),
        ({1: 2}, "配置项 1: 未知的设置项“1”（可用：select、extend-select、ignore、severity、rules、per-file-ignores、profile、fail-on、builtin-rules、max-file-size、duplicates、pack、packs）"),
        ({"severity": {("a",): "info"}}, "配置项 severity.列表: severity 中的规则代码应为字符串，而不是列表"),
        ({"per-file-ignores": {3: ["FZ5"]}}, "配置项 per-file-ignores.3: per-file-ignores 中的文件模式应为字符串，而不是整数"),
    ],
)  # fmt: skip
def test_a_config_given_as_a_dict_is_checked_the_same(table: dict[Any, Any], message: str) -> None:
    with pytest.raises(ConfigError) as error:
        config_from_mapping(table)
    assert str(error.value) == message
    with pytest.raises(reportlint.LintError) as error:
        reportlint.lint_text(REPORT, config=table)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"profile": {"kind": "外星"}}, f"配置项 profile.kind: profile 设置项“kind”的值“外星”无效，应为 {KINDS} 之一"),
        ({"profile": {"kind": "部门\n"}}, f"配置项 profile.kind: profile 设置项“kind”的值“部门\\n”无效，应为 {KINDS} 之一"),
        (
            {"packs": {"fazhi": {"profile": {"kind": "外星"}}}},
            f"配置项 packs.fazhi.profile.kind: packs.fazhi.profile 设置项“kind”的值“外星”无效，应为 {KINDS} 之一",
        ),
        ({"pack": "nosuch"}, "配置项 pack: 设置项“pack”的值“nosuch”不是已安装的规则包（已安装：fazhi、gongkai）"),
        ({"packs": {"nosuch": {}}}, "配置项 packs.nosuch: packs 中的“nosuch”不是已安装的规则包（已安装：fazhi、gongkai）"),
    ],
)  # fmt: skip
def test_a_report_kind_is_checked_against_the_packs_once_they_are_loaded(table: dict[str, Any], message: str) -> None:
    config_from_mapping(table)  # (the kinds are the packs': known once they are loaded)
    with pytest.raises(reportlint.LintError) as error:
        reportlint.lint_text(REPORT, config=table)
    assert str(error.value) == message


def test_a_pack_profile_in_a_file_is_checked_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write(tmp_path / "pyproject.toml", '[tool.reportlint.packs.fazhi.profile]\nkind = "外星"\n')
    report = write(tmp_path / "r.txt", REPORT)
    code, out, err = run(capsys, "check", str(report))
    assert (code, out) == (2, "")
    message = f"packs.fazhi.profile 设置项“kind”的值“外星”无效，应为 {KINDS} 之一"
    assert err == f"reportlint: {config}:2: {message}\n"



def test_a_missing_rule_folder_in_a_config_skips_only_its_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by the fuzzer (regressions/config-86c3cc72a672.toml): a configuration naming a
    rule folder that does not exist stopped the whole run."""
    write(tmp_path / "sub" / "reportlint.toml", 'rules = ["rules"]\n')
    outside = write(tmp_path / "a.txt", REPORT)
    inside = write(tmp_path / "sub" / "b.txt", REPORT)
    code, out, err = run(capsys, "check", "--select", "FZ503", str(outside), str(inside))
    assert code == 2
    assert err == f"reportlint: {tmp_path / 'sub' / 'rules'}:1: 规则目录不存在\n"
    assert out.startswith(f"{outside}:3:4: FZ503") and str(inside) not in out


def test_the_summary_counts_every_file_a_bad_config_kept_from_being_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "bad" / "reportlint.toml", "select = [1]\n")
    for folder in ("bad", "good"):
        for name in ("a.txt", "b.txt"):
            write(tmp_path / folder / name, TITLE + "全年共5条。\n")
    code, out, err = run(capsys, "check", str(tmp_path / "bad"), str(tmp_path / "good"), "--select", "FZ503")
    assert code == 2
    assert out == "已检查的 2 个文件未发现问题；2 个文件的配置有误，没有检查\n"
    assert err.count("\n") == 1 and "设置项“select”的第 1 项应为字符串" in err
