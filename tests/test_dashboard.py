"""``reportlint report``: the HTML dashboard and the CSV matrix, checked on the sample reports."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
import regex

from conftest import REPORTS
from reportlint.app.dashboard import collect
from reportlint.app.session import RunOptions
from reportlint.core.diagnostics import Diagnostic, Severity
from reportlint.core.document import Document
from reportlint.frontends.cli import build_parser, main
from reportlint.output.dashboard import render_csv, render_html

SAMPLE_000 = next(p for p in REPORTS if p.name.startswith("000_"))
SAMPLE_003 = next(p for p in REPORTS if p.name.startswith("003_"))
DATA_BLOCK = regex.compile(r'<script type="application/json" id="reportlint-data">(.*?)</script>', regex.S)
INLINE_SCRIPT = regex.compile(r"<script>(.*?)</script>", regex.S)


class MatrixParser(HTMLParser):
    """Rows of the matrix: for each <tr id="row-N">, its attributes and the cells' attributes and text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, object]] = []
        self.headers: list[dict[str, str | None]] = []
        self._cell: dict[str, object] | None = None
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "thead":
            self._in_head = True
        elif tag == "th" and self._in_head:
            self.headers.append(attributes)
        elif tag == "tr" and (attributes.get("id") or "").startswith("row-"):
            self.rows.append({"attrs": attributes, "cells": []})
        elif tag == "td" and self.rows:
            self._cell = {"attrs": attributes, "text": ""}
            self.rows[-1]["cells"].append(self._cell)  # type: ignore[union-attr]

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._in_head = False
        elif tag == "td":
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell["text"] = str(self._cell["text"]) + data


def report(tmp_path: Path, *args: str) -> tuple[int, str]:
    out = tmp_path / "dashboard.html"
    code = main(["report", *args, "--html", str(out)])
    return code, out.read_text(encoding="utf-8")


def data_of(page: str) -> dict[str, object]:
    found = DATA_BLOCK.search(page)
    assert found is not None
    return json.loads(found.group(1))


def check_json(capsys: pytest.CaptureFixture[str], *paths: Path) -> dict[str, list[dict[str, object]]]:
    main(["check", "--format", "json", "--exit-zero", "--duplicates", *map(str, paths)])
    payload = json.loads(capsys.readouterr().out)
    return {f["path"]: f["diagnostics"] for f in payload["files"]}


def test_dashboard_findings_equal_check_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, page = report(tmp_path, *map(str, REPORTS))
    assert code == 0
    expected = check_json(capsys, *REPORTS)
    data = data_of(page)
    reports = data["reports"]
    assert [r["path"] for r in reports] == [str(p) for p in REPORTS]
    for entry in reports:
        want = expected[entry["path"]]
        got = entry["diagnostics"]
        assert len(got) == len(want) > 0
        assert [(d["k"], d["l"], d["c"], d["m"]) for d in got] == [
            (d["code"], d["line"], d["column"], d["message"]) for d in want
        ]
        # The fix title goes with the finding; unsafe fixes are flagged.
        for d, w in zip(got, want, strict=True):
            assert d.get("f") == (w["fix"]["title"] if w["fix"] else None)
            assert bool(d.get("u")) == bool(w["fix"] and not w["fix"]["safe"])
        # Offsets are JavaScript string indices into the embedded text (all BMP here).
        text = entry["text"]
        assert text == Path(entry["path"]).read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        assert all(0 <= d["s"] <= d["e"] <= len(text) for d in got)
    # Every code has its basis once, in the code table.
    assert data["codes"]["FZ503"]["basis"] == next(d["basis"] for d in expected[str(SAMPLE_000)] if d["code"] == "FZ503")


def test_matrix_shows_missing_parts_and_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, page = report(tmp_path, *map(str, REPORTS))
    parser = MatrixParser()
    parser.feed(page)
    parts = [h["data-part"] for h in parser.headers if h.get("data-part")]
    assert parts == ["fazhi.achievements", "fazhi.shortcomings", "fazhi.responsibility", "fazhi.plan"]
    categories = [h["data-category"] for h in parser.headers if h.get("data-category")]
    assert categories[:3] == ["structure", "required-content", "formulation"]
    expected = check_json(capsys, *REPORTS)
    by_name = {}
    for row in parser.rows:
        cells = row["cells"]
        by_name[Path(cells[0]["attrs"]["data-v"]).name] = row
        path = cells[0]["attrs"]["data-v"]
        assert cells[1]["text"] == str(len(expected[path]))
        errors = sum(1 for d in expected[path] if d["severity"] == "error")
        assert cells[2]["text"] == str(errors)
    # 000, 001 and 002 have no part on the 第一责任人 duty (FZ203 / FZ204 fire); 003 and 004 have all four.
    first_part = 2 + 4  # report, total, four severities
    for name, row in by_name.items():
        cells = [c["text"] for c in row["cells"][first_part : first_part + 4]]
        if name[:3] in ("000", "001", "002"):
            assert cells == ["有", "有", "缺失", "有"], name
            assert "missing" in row["attrs"]["data-flags"].split()
        else:
            assert cells == ["有", "有", "有", "有"], name
    # The part cell names the heading it found.
    achievements = by_name[SAMPLE_003.name]["cells"][first_part]
    assert achievements["attrs"]["title"].startswith("2024年度推进法治政府建设的主要举措")
    # Rows can be found by code: the search text lists the codes of the report.
    assert "fz601" in by_name[SAMPLE_003.name]["attrs"]["data-search"].split()
    assert "fz601" not in by_name[SAMPLE_000.name]["attrs"]["data-search"].split()


def test_html_is_self_contained_with_a_strict_policy(tmp_path: Path) -> None:
    _, page = report(tmp_path, *map(str, REPORTS))
    # Outside the data (where a basis may quote a web address), nothing refers to anything outside.
    lowered = DATA_BLOCK.sub("", page).lower()
    assert set(regex.findall(r'href="([^"#][^"]*)"', lowered)) == set()
    for external in ("src=", "http://", "https://", "url(", "@import", "<link"):
        if external == "http://":
            # The only http:// is the SVG namespace.
            assert lowered.count(external) == lowered.count('xmlns="http://www.w3.org/2000/svg"')
            continue
        assert external not in lowered, external
    # The one executable script is allowed by its hash, nothing else can run or load.
    (script,) = INLINE_SCRIPT.findall(page)
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    policy = regex.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert f"script-src 'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy
    # The chart is inline SVG, most frequent defect first.
    bars = regex.findall(r'<g class="bar" data-code="([^"]+)" data-count="(\d+)">', page)
    assert bars[0] == ("FZ503", "25")
    assert [int(n) for _, n in bars] == sorted((int(n) for _, n in bars), reverse=True)
    assert len(bars) == 15


def test_untrusted_text_and_names_are_escaped(tmp_path: Path) -> None:
    nasty = tmp_path / "<img src=x onerror=alert(1)>.txt"
    body = "某区司法局2024年度法治政府建设情况报告\n\n</script><script>alert(1)</script> & “<b>” 共 5 条。\n"
    nasty.write_text(body, encoding="utf-8")
    _, page = report(tmp_path, str(nasty))
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;.txt" in page
    (entry,) = data_of(page)["reports"]
    assert entry["text"] == body
    assert entry["path"] == str(nasty)
    # The data block holds no markup characters at all.
    block = DATA_BLOCK.search(page).group(1)
    assert "<" not in block and ">" not in block and "&" not in block


def test_unreadable_files_are_error_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    out = tmp_path / "d.html"
    code = main(["report", str(SAMPLE_000), str(empty), str(binary), str(tmp_path / "missing.txt"), "--html", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"reportlint: {empty}: 文件为空" in err.splitlines()
    assert f"已生成看板：{out}（1 份报告，36 个问题）" in err.splitlines()
    page = out.read_text(encoding="utf-8")
    parser = MatrixParser()
    parser.feed(page)
    errors = {Path(r["cells"][0]["attrs"]["data-v"]).name: r for r in parser.rows if r["attrs"].get("class") == "err"}
    assert sorted(errors) == ["empty.txt", "image.txt", "missing.txt"]
    assert "无法读取：文件为空" in errors["empty.txt"]["cells"][0]["text"]
    assert "无法读取：文件不存在" in errors["missing.txt"]["cells"][0]["text"]
    assert errors["image.txt"]["attrs"]["data-flags"] == "unreadable"
    reports = {Path(r["path"]).name: r for r in data_of(page)["reports"]}
    assert reports["empty.txt"]["error"] == "文件为空"
    assert reports["empty.txt"]["diagnostics"] == []


def test_csv_matrix_for_excel(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    formula = tmp_path / "formula.txt"
    formula.write_text("=HYPERLINK(\"http://x\")2024年度法治政府建设情况报告\n\n一、主要举措和成效\n\n开展培训3次。\n", encoding="utf-8")
    out = tmp_path / "m.csv"
    code = main(["report", str(SAMPLE_000), str(SAMPLE_003), str(formula), "--format", "csv", "-o", str(out)])
    assert code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    header = rows[0]
    assert header[:8] == ["文件", "标题", "状态", "问题总数", "错误", "警告", "提示", "建议"]
    assert header[8:12] == [
        "主要举措和成效",
        "存在的不足和原因",
        "党政主要负责人履行推进法治建设第一责任人职责情况",
        "下一年度推进法治政府建设的主要安排",
    ]
    assert header[-1] == "问题代码"
    first = dict(zip(header, rows[1], strict=True))
    expected = check_json(capsys, SAMPLE_000, SAMPLE_003)[str(SAMPLE_000)]
    assert first["文件"] == str(SAMPLE_000)
    # 36 findings of the rules, and the 依法执政 passage 000 shares with 003 (RL101).
    assert first["问题总数"] == str(len(expected)) == "37"
    assert "RL101×1" in first["问题代码"].split()
    assert first["党政主要负责人履行推进法治建设第一责任人职责情况"] == "缺失"
    assert first["标点"] == str(sum(1 for d in expected if d["category"] == "punctuation"))
    assert "FZ503×11" in first["问题代码"].split()
    third = dict(zip(header, rows[3], strict=True))
    assert third["标题"].startswith("'=HYPERLINK")  # not a formula in Excel


def test_csv_to_stdout(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code = main(["report", str(SAMPLE_003), "--format", "csv"])
    out = capsysbinary.readouterr().out
    assert code == 0
    lines = out.decode("utf-8-sig").split("\r\n")
    assert lines[1].startswith(f"{SAMPLE_003},鲁山县张官营镇人民政府关于2024年法治政府建设情况的报告,正常,14,4,5,5,0,有,有,有,有")


def test_usage_and_output_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(SAMPLE_000), "--html", str(tmp_path / "a.html"), "--format", "csv"]) == 2
    assert "--html 不能与 --format csv" in capsys.readouterr().err
    assert main(["report", str(SAMPLE_000), "--html", str(tmp_path / "no" / "such" / "dir.html")]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"reportlint: {tmp_path / 'no' / 'such' / 'dir.html'}: 无法写入：")


def _args(*argv: str) -> RunOptions:
    """The options ``reportlint report`` gives the dashboard for these arguments."""
    return RunOptions.from_arguments(vars(build_parser().parse_args(["report", *argv])))


def test_extra_diagnostics_of_any_code_are_shown(tmp_path: Path) -> None:
    """The hook for checks outside the rule engine (e.g. cross-report duplicates)."""
    seen: list[list[str]] = []

    def duplicates(files):  # type: ignore[no-untyped-def]
        seen.append([f.document.path for f in files])
        doc = files[0].document
        start = doc.text.index("法治")
        return {
            doc.path: [
                Diagnostic(
                    "XX101",
                    "copied-passage",
                    "copy-check",
                    Severity.INFO,
                    "与另一份报告的段落雷同。",
                    start,
                    start + 2,
                    basis="自定义检查",
                    data={"other_path": "b.txt"},
                )
            ]
        }

    dashboard = collect([str(SAMPLE_003), str(SAMPLE_000)], _args(str(SAMPLE_003)), extra_sources=[duplicates])
    assert seen == [[str(SAMPLE_003), str(SAMPLE_000)]]
    row = dashboard.rows[0]
    assert len(row.diagnostics) == 15
    assert [d.code for d in row.diagnostics].count("XX101") == 1
    assert dashboard.categories[-1] == "copy-check"
    page = render_html(dashboard)
    entry = data_of(page)["reports"][0]
    (extra,) = [d for d in entry["diagnostics"] if d["k"] == "XX101"]
    assert extra["x"] == {"other_path": "b.txt"}
    assert data_of(page)["codes"]["XX101"] == {
        "name": "copied-passage",
        "category": "copy-check",
        "basis": "自定义检查",
        "gist": "与另一份报告的段落雷同",
    }
    assert 'data-category="copy-check"' in page
    header = next(csv.reader(io.StringIO(render_csv(dashboard))))
    assert header[-2] == "copy-check"
    with pytest.raises(KeyError):
        dashboard.add_diagnostics("not-linted.txt", [])


def test_offsets_are_utf16_for_characters_outside_the_bmp(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("某区司法局2024年度法治政府建设情况报告\n\n𠀋𠀋共 5 条。\n", encoding="utf-8")
    dashboard = collect([str(path)], _args("--select", "FZ503"))
    (diag, _) = dashboard.rows[0].diagnostics
    entry = data_of(render_html(dashboard))["reports"][0]
    first = entry["diagnostics"][0]
    assert (first["l"], first["c"]) == (3, 4)
    assert (first["s"], first["e"]) == (diag.start + 2, diag.end + 2)
    # JavaScript's index of the space (UTF-16): the text before it is 2 surrogate pairs + 共.
    assert entry["text"].encode("utf-16-le")[first["s"] * 2 : first["e"] * 2].decode("utf-16-le") == " "
    to16 = Document.from_text("a𠀋b𠀋c").utf16_offset
    assert [to16(i) for i in range(6)] == [0, 1, 3, 4, 6, 7]


def test_config_selection_is_the_same_as_check(tmp_path: Path) -> None:
    (tmp_path / "reportlint.toml").write_text('ignore = ["FZ5"]\n', encoding="utf-8")
    copy = tmp_path / SAMPLE_000.name
    copy.write_bytes(SAMPLE_000.read_bytes())
    _, page = report(tmp_path, str(copy))
    codes = {d["k"] for d in data_of(page)["reports"][0]["diagnostics"]}
    assert "FZ503" not in codes and "FZ111" in codes
    _, page = report(tmp_path, str(copy), "--select", "FZ111")
    assert {d["k"] for d in data_of(page)["reports"][0]["diagnostics"]} == {"FZ111"}


def test_parts_one_level_down_are_found_as_the_rules_find_them(tmp_path: Path) -> None:
    """Without level-1 headings the parts sit one level down: the section rules (FZ201/FZ202)
    and the matrix both find them there, and only the really missing parts are reported."""
    path = tmp_path / "r.txt"
    path.write_text(
        "某区司法局2024年度法治政府建设情况报告\n\n（一）主要举措和成效\n\n开展培训3次。\n\n（二）存在的问题和不足\n\n原因是重视不够。\n",
        encoding="utf-8",
    )
    dashboard = collect([str(path)], _args())
    row = dashboard.rows[0]
    codes = {d.code for d in row.diagnostics}
    assert "FZ205" in codes and not {"FZ201", "FZ202"} & codes
    assert row.parts == {
        "fazhi.achievements": "主要举措和成效",
        "fazhi.shortcomings": "存在的问题和不足",
        "fazhi.responsibility": None,
        "fazhi.plan": None,
    }


def test_report_without_an_output_writes_the_default_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 400 KB page is no terminal output: it goes to 报告总览.html, whose path is printed."""
    monkeypatch.chdir(tmp_path)
    assert main(["report", str(SAMPLE_000)]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    page = (tmp_path / "报告总览.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and SAMPLE_000.name in page
    assert err.startswith("已生成看板：报告总览.html（1 份报告，")


def test_a_mixed_folder_shows_each_packs_columns_only_for_its_reports(tmp_path: Path) -> None:
    """法治 and 政府信息公开 reports side by side: each row fills its own pack's part columns
    ("—" under the other pack's), the 政府信息公开 rows say which tables they have and how many
    of their numbers do not add up."""
    root = Path(__file__).resolve().parent.parent
    fazhi = sorted(REPORTS)[0]
    clean = root / "fixtures" / "gongkai" / "reports" / "01-county-government-2024.txt"
    (tmp_path / "fazhi.txt").write_text(fazhi.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "gongkai.txt").write_text(clean.read_text(encoding="utf-8"), encoding="utf-8")
    text = clean.read_text(encoding="utf-8")
    wrong = text.replace("（七）总计\t84\t8\t0\t1\t2\t0\t95", "（七）总计\t84\t8\t0\t1\t2\t0\t96")
    assert wrong != text
    (tmp_path / "wrong.txt").write_text(wrong, encoding="utf-8")
    dashboard = collect([str(tmp_path)], RunOptions(), jobs=1)
    rows = {Path(row.path).name: row for row in dashboard.rows}
    assert rows["fazhi.txt"].packs == ("fazhi",) and rows["gongkai.txt"].packs == ("gongkai",)
    gongkai_parts = [c.key for c in dashboard.columns if c.pack == "gongkai"]
    assert len(gongkai_parts) == 6 and not any(key in rows["fazhi.txt"].parts for key in gongkai_parts)
    assert all(rows["gongkai.txt"].parts[key] for key in gongkai_parts)
    tables = {c.key: c for c in dashboard.table_columns}
    assert set(tables) == {"gongkai.T2", "gongkai.T3", "gongkai.T4", "gongkai.arithmetic"}
    assert rows["gongkai.txt"].tables == {"gongkai.T2": True, "gongkai.T3": True, "gongkai.T4": True,
                                          "gongkai.arithmetic": 0}  # fmt: skip
    assert rows["wrong.txt"].tables["gongkai.arithmetic"] == 1
    assert rows["fazhi.txt"].tables == {}
    table = list(csv.reader(io.StringIO(render_csv(dashboard))))
    header, by_name = table[0], {Path(r[0]).name: r for r in table[1:]}
    column = header.index("表格：收到和处理政府信息公开申请情况")
    assert (by_name["gongkai.txt"][column], by_name["fazhi.txt"][column]) == ("有", "—")
    assert by_name["wrong.txt"][header.index("表格数字不符（勾稽关系）")] == "1"
    html = render_html(dashboard)
    assert '<th class="group-part" colspan="4">表格</th>' in html and 'title="不适用">—</td>' in html
