"""--baseline / --write-baseline, --statistics and --output."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from reportlint.frontends.cli import main

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
    code, out, _ = run(capsys, "check", "--statistics", "--pack", "fazhi", "--select", "FZ503,FZ401,FZ101", str(report))
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


# -- a damaged baseline, or one that cannot be written: one line, exit 2, nothing written ---

FINDING = '{"path": "r.txt", "code": "FZ503", "text": "全年共 5 条。"'
COUNT = "第 1 条记录的“count”应为 1 到 1000000000 之间的整数，而不是"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"version": 1, "findings": 5}', "“findings”应为列表，而不是整数"),
        ('{"version": 1, "findings": null}', "“findings”应为列表，而不是null"),
        ('{"version": 1, "findings": {}}', "“findings”应为列表，而不是对象"),
        ('{"version": 1}', "缺少“findings”（记录的列表）"),
        ('{"version": true, "findings": []}', "不是 reportlint 第 1 版基线文件"),
        ('{"version": 1.0, "findings": []}', "不是 reportlint 第 1 版基线文件"),
        ("[1]", "不是 reportlint 第 1 版基线文件"),
        ('{"version": 1, "findings": [' + FINDING + ', "count": Infinity}]}', "不是有效的基线文件（不允许 Infinity）"),
        ('{"version": 1, "findings": [' + FINDING + ', "count": NaN}]}', "不是有效的基线文件（不允许 NaN）"),
        ('{"version": 1, "findings": [' + FINDING + ', "count": ' + "9" * 5000 + "}]}", "不是有效的基线文件（整数位数过多）"),
        ("[" * 100_000, "不是有效的基线文件（嵌套层数过多）"),
        ('{"version": 1, "findings": [5]}', "第 1 条记录应为对象，而不是整数"),
        ('{"version": 1, "findings": [[]]}', "第 1 条记录应为对象，而不是数组"),
        ('{"version": 1, "findings": [{"path": 1, "code": "FZ503", "text": ""}]}', "第 1 条记录的“path”应为字符串，而不是整数"),
        ('{"version": 1, "findings": [{"path": "r.txt", "code": null, "text": ""}]}', "第 1 条记录的“code”应为字符串，而不是null"),
        ('{"version": 1, "findings": [{"path": "r.txt", "code": "FZ503", "text": {}}]}', "第 1 条记录的“text”应为字符串，而不是对象"),
        ('{"version": 1, "findings": [{"path": "r.txt", "text": ""}]}', "第 1 条记录缺少“code”"),
        ('{"version": 1, "findings": [' + FINDING + ', "count": "2"}]}', COUNT + "字符串“2”"),
        ('{"version": 1, "findings": [' + FINDING + ', "count": true}]}', COUNT + "布尔值"),
        ('{"version": 1, "findings": [' + FINDING + ', "count": 1.5}]}', COUNT + "1.5"),
        ('{"version": 1, "findings": [' + FINDING + ', "count": 0}]}', COUNT + "0"),
        ('{"version": 1, "findings": [' + FINDING + ', "count": 1e400}]}', COUNT + "inf"),
        ('{"version": 1, "findings": [' + FINDING + ', "count": [[1]]}]}', COUNT + "数组"),
        (b"\xff\xfe{}", "不是有效的基线文件（不是 UTF-8 编码）"),
    ],
)  # fmt: skip
def test_a_damaged_baseline_is_one_line_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, problem: str
) -> None:
    baseline = tmp_path / "b.json"
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    baseline.write_bytes(data)
    report = tmp_path / "r.txt"
    report.write_text(TITLE + "全年共 5 条。\n", encoding="utf-8")
    for extra in ([], ["--write-baseline", str(baseline)], ["--fix"]):
        code, out, err = run(capsys, "check", "--baseline", str(baseline), *extra, str(report))
        assert (code, out) == (2, "")
        assert err.splitlines() == [f"reportlint: {baseline}: {problem}"]
        assert baseline.read_bytes() == data
        assert report.read_text(encoding="utf-8") == TITLE + "全年共 5 条。\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.json", "r.txt"]


def test_a_baseline_with_a_bom_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r.txt"
    report.write_text(TITLE + "全年共 5 条。\n", encoding="utf-8")
    baseline = tmp_path / "b.json"
    baseline.write_bytes(b"\xef\xbb\xbf" + ('{"version": 1, "findings": [' + FINDING + ', "count": 2}]}').encode())
    code, out, _ = run(capsys, "check", "--select", "FZ503", "--baseline", str(baseline), str(report))
    assert (code, out) == (0, "未发现问题（检查 1 个文件）\n")


def test_a_baseline_that_is_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r.txt"
    report.write_text(TITLE, encoding="utf-8")
    code, out, err = run(capsys, "check", "--baseline", str(tmp_path), str(report))
    assert (code, out, err) == (2, "", f"reportlint: {tmp_path}: 是文件夹，不是基线文件\n")


@pytest.mark.parametrize(
    ("target", "problem"),
    [("missing/b.json", "所在的文件夹不存在，无法写入基线文件"), ("folder", "是文件夹，无法写入基线文件")],
)
def test_write_baseline_where_it_cannot_be_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, target: str, problem: str
) -> None:
    (tmp_path / "folder").mkdir()
    report = tmp_path / "r.txt"
    report.write_text(TITLE + "全年共 5 条。\n", encoding="utf-8")

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("a report was read before the baseline's place was checked")

    monkeypatch.setattr("reportlint.app.runner.read_path", no_reading)
    code, out, err = run(capsys, "check", "--write-baseline", str(tmp_path / target), str(report))
    assert (code, out) == (2, "")
    assert err == f"reportlint: {tmp_path / target}: {problem}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "r.txt"]
    assert not list((tmp_path / "folder").iterdir())


def test_write_baseline_is_atomic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    report = tmp_path / "r.txt"
    report.write_text(TITLE + "全年共 5 条。\n", encoding="utf-8")
    baseline = tmp_path / "b.json"
    baseline.write_text('{"version": 1, "findings": []}\n', encoding="utf-8")

    def full_disk(source: object, target: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("reportlint.support.atomicfile.os.replace", full_disk)
    code, out, err = run(capsys, "check", "--select", "FZ503", "--write-baseline", str(baseline), str(report))
    assert (code, out) == (2, "")
    assert err == f"reportlint: {baseline}: 无法写入基线文件：{os.strerror(errno.ENOSPC)}\n"
    assert baseline.read_text(encoding="utf-8") == '{"version": 1, "findings": []}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.json", "r.txt"]  # no temporary file left
    monkeypatch.undo()
    umask = os.umask(0o022)
    os.umask(umask)
    fresh = tmp_path / "fresh.json"
    assert run(capsys, "check", "--select", "FZ503", "--write-baseline", str(fresh), str(report))[0] == 0
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask  # not the 0600 of a temporary file


def test_write_baseline_refuses_when_a_file_was_not_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A baseline without the unreadable file's findings would lose them: nothing is written."""
    report = tmp_path / "r.txt"
    report.write_text(TITLE + "全年共 5 条。\n", encoding="utf-8")
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"\x00\x01\x02\xff\xfe\x00" * 400)
    baseline = tmp_path / "b.json"
    baseline.write_text('{"version": 1, "findings": []}\n', encoding="utf-8")
    code, _, err = run(capsys, "check", "--write-baseline", str(baseline), str(report), str(broken))
    assert code == 2
    assert err.splitlines() == [
        f"reportlint: {broken}: 不是文本文件（含二进制数据）",
        f"reportlint: {baseline}: 1 个文件没有检查，未写入基线（请先解决上面的问题）",
    ]
    assert baseline.read_text(encoding="utf-8") == '{"version": 1, "findings": []}\n'


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
@pytest.mark.parametrize("target", ["loop", "loop/b.json", "r.txt/b.json"])
def test_write_baseline_through_a_symlink_loop_or_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    import errno
    import os

    report = tmp_path / "r.txt"
    report.write_text(TITLE + "全年共 5 条。\n", encoding="utf-8")
    (tmp_path / "loop").symlink_to("loop")
    code, out, err = run(capsys, "check", "--write-baseline", str(tmp_path / target), str(report))
    reason = os.strerror(errno.ENOTDIR if target.startswith("r.txt") else errno.ELOOP)
    assert (code, out, err) == (2, "", f"reportlint: {tmp_path / target}: 无法写入基线文件：{reason}\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loop", "r.txt"]
    assert (tmp_path / "loop").is_symlink()


def test_a_lone_surrogate_in_a_finding_is_written_and_read_back(tmp_path: Path) -> None:
    from reportlint.app.baseline import Baseline, finding_key, write_baseline
    from reportlint.core.diagnostics import Diagnostic, Severity
    from reportlint.core.document import Document

    doc = Document.from_text("全年\ud800共 5 条。\n", path=str(tmp_path / "r.txt"))
    diag = Diagnostic(code="FZ503", name="n", category="c", severity=Severity.WARNING, message="m", start=3, end=6)
    assert write_baseline(tmp_path / "b.json", [(doc, diag)]) == 1
    assert Baseline.load(tmp_path / "b.json").remaining == {finding_key(doc, diag, tmp_path): 1}
