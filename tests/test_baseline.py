"""--baseline / --write-baseline, --statistics and --output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportlint.cli import main

TITLE = "某区司法局2024年度法治政府建设情况报告\n\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_baseline_hides_recorded_findings_even_after_lines_move(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "r.txt"
    report.write_text(TITLE + "全年共 5 条。\n", encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    code, _, err = run(capsys, "check", "--select", "FZ503", "--write-baseline", str(baseline), str(report))
    assert code == 0
    assert err.strip() == f"已把 2 个问题写入基线 {baseline}"
    recorded = json.loads(baseline.read_text(encoding="utf-8"))
    assert recorded["findings"] == [
        {"path": "r.txt", "code": "FZ503", "text": "全年共 5 条。", "count": 2},
    ]

    # Lines inserted above: the old findings stay hidden.
    report.write_text(TITLE + "新增一段。\n\n全年共 5 条。\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "--select", "FZ503", "--baseline", str(baseline), str(report))
    assert code == 0
    assert out.splitlines() == ["未发现问题（检查 1 个文件）"]

    # A third occurrence of the same wording is new.
    report.write_text(TITLE + "全年共 5 条。\n全年共 5 条。\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "--select", "FZ503", "--baseline", str(baseline), str(report))
    assert code == 1
    assert [line.split(" [*]")[0] for line in out.splitlines()[:3]] == [
        f"{report}:4:4: FZ503",
        f"{report}:4:6: FZ503",
        "发现 2 个问题（警告 2），检查 1 个文件",
    ]


def test_baseline_paths_are_relative_to_the_baseline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "sub").mkdir()
    report = tmp_path / "sub" / "r.txt"
    report.write_text(TITLE + "全年共 5 条。\n", encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    run(capsys, "check", "--select", "FZ503", "--write-baseline", str(baseline), str(report))
    assert {f["path"] for f in json.loads(baseline.read_text(encoding="utf-8"))["findings"]} == {"sub/r.txt"}
    # The repository moved (a fresh clone elsewhere): the baseline still applies.
    moved = tmp_path.parent / (tmp_path.name + "-moved")
    tmp_path.rename(moved)
    code, _, _ = run(
        capsys, "check", "--select", "FZ503", "--baseline", str(moved / "baseline.json"), str(moved / "sub" / "r.txt")
    )
    assert code == 0


@pytest.mark.parametrize(
    "content,problem",
    [
        (None, "基线文件不存在（先用 --write-baseline 生成）"),
        ("{not json", "不是有效的基线文件（Expecting property name enclosed in double quotes: line 1 column 2 (char 1)）"),
        ('{"version": 9}', "不是 reportlint 第 1 版基线文件"),
    ],
)
def test_bad_baseline_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, problem: str
) -> None:
    baseline = tmp_path / "b.json"
    if content is not None:
        baseline.write_text(content, encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_text(TITLE, encoding="utf-8")
    code, out, err = run(capsys, "check", "--baseline", str(baseline), str(report))
    assert (code, out) == (2, "")
    assert err.splitlines() == [f"reportlint: {baseline}: {problem}"]


def test_statistics_counts_per_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r.txt"
    report.write_text("报告\n\n全年共 5 条，依据《行政处罚法》处理。\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "--statistics", "--select", "FZ503,FZ401,FZ101", str(report))
    assert code == 1
    assert out.splitlines() == [
        "    2  FZ503  [*] 汉字与数字间多余空格（警告）",
        "    1  FZ101      标题缺少机关名称（错误）",
        "    1  FZ401      首次引用法律法规未用全称（警告）",  # its fix needs --unsafe-fixes
        "发现 4 个问题（错误 1，警告 3），检查 1 个文件",
    ]


def test_statistics_count_each_finding_at_its_own_severity(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """FZ202 is a hint in a draft (no 落款 yet) and an error in a finished report."""
    head = "某区司法局2024年度法治政府建设情况报告\n\n一、主要举措和成效\n\n开展培训3次。\n"
    draft = tmp_path / "draft.txt"
    draft.write_text(head, encoding="utf-8")
    final = tmp_path / "final.txt"
    final.write_text(head + "\n二、2025年工作安排\n\n继续推进。\n\n某区司法局\n2025年1月20日\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "--statistics", "--select", "FZ202", str(draft), str(final))
    assert code == 1
    assert out.splitlines() == [
        "    1  FZ202      缺少不足和原因部分（错误）",
        "    1  FZ202      缺少不足和原因部分（提示）",
        "发现 2 个问题（错误 1，提示 1），检查 2 个文件",
    ]


def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r.txt"
    report.write_text(TITLE + "全年共 5 条。\n", encoding="utf-8")
    target = tmp_path / "out" / "result.json"
    code, out, err = run(capsys, "check", "--select", "FZ503", "--format", "json", "-o", str(target), str(report))
    assert (code, out) == (2, "")
    assert err.startswith(f"reportlint: {target}: 无法写入结果：")
    target.parent.mkdir()
    code, out, _ = run(capsys, "check", "--select", "FZ503", "--format", "json", "-o", str(target), str(report))
    assert (code, out) == (1, "")
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["diagnostics"] == 2
