"""Reading PDF reports: pages and physical lines, joined paragraphs, headers and footers.

The fixtures in fixtures/documents/ were typeset once by make_pdf.py (reportlab,
STSong-Light) and are committed, so these tests need only pdfminer.six.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

pytest.importorskip("pdfminer")

from reportlint.core.document import SourcePosition
from reportlint.core.errors import InputError
from reportlint.frontends.cli import main
from reportlint.inputs.pdf.reader import PhysicalLine, pdf_document
from reportlint.inputs.reading import read_path, text_listing

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ROOT / "fixtures" / "documents"
REPORT_PDF = DOCUMENTS / "report.pdf"
REPORT_TXT = ROOT / "fixtures" / "reports" / "004_de61297b1667e9da.txt"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- the typeset report -------------------------------------------------------------------


def test_findings_carry_page_line_and_column(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", str(REPORT_PDF), "--select", "FZ106,FZ309,FZ501,FZ701,FZ107")
    assert (code, err) == (1, "")
    pdf = str(REPORT_PDF)
    assert out.splitlines() == [
        f"{pdf}:p1:1:1: FZ106 [提示] 标题分成了多行，检查时已合并为“南开区投资促进局2024年度法治政府建设情况报告”；回行时注意词意完整。",
        f"{pdf}:p2:10:6: FZ309 [错误] “正实现将权利关进制度”中的“权利”应为“权力”：把权力关进制度的笼子里。",
        f"{pdf}:p5:2:1: FZ501 [错误] 中文里用了半角标点“,”（“想为主线,利用微信”），应改为全角“，”。",
        f"{pdf}:p5:10:1: FZ701 [错误] 下一年度安排的标题写的是2024年，2024年度的报告应写2025年。",
        f"{pdf}:p5:12:17: FZ501 [错误] 中文里用了半角标点“,”（“工作计划,深刻领会”），应改为全角“，”。",
        f"{pdf}:p6:10:18: FZ107 [警告] 文末缺少发文机关署名和成文日期（如“××区司法局”“2025年1月20日”）。",
        "发现 6 个问题（错误 4，警告 1，提示 1），检查 1 个文件",
    ]


def test_pdf_findings_match_the_text_file(capsys: pytest.CaptureFixture[str]) -> None:
    """Joining layout lines gives back the report's paragraphs: the same findings, in the same
    order, as the text file it was typeset from (less the text file's stray trailing space)."""

    def codes(path: Path) -> list[str]:
        run(capsys, "check", "--format", "json", str(path))
        return [d["code"] for d in json.loads(capsys.readouterr().out or "{}").get("files", [{}])[0]["diagnostics"]]

    main(["check", "--format", "json", str(REPORT_TXT)])
    expected = [d["code"] for d in json.loads(capsys.readouterr().out)["files"][0]["diagnostics"]]
    main(["check", "--format", "json", str(REPORT_PDF)])
    found = [d["code"] for d in json.loads(capsys.readouterr().out)["files"][0]["diagnostics"]]
    assert expected[-1] == "FZ112"  # line 68 of the text file is a lone space
    assert found == expected[:-1]
    assert len(found) == 21


def test_json_has_page_and_line_on_that_page(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--format", "json", "--select", "FZ309", str(REPORT_PDF))
    assert code == 1
    (entry,) = json.loads(out)["files"]
    assert entry["format"] == "pdf"
    (diag,) = entry["diagnostics"]
    assert {k: diag[k] for k in ("page", "line", "column", "end_page", "end_line", "end_column", "context")} == {
        "page": 2,
        "line": 10,
        "column": 6,
        "end_page": 2,
        "end_line": 10,
        "end_column": 8,
        "context": None,
    }


def test_full_format_shows_the_physical_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--format", "full", "--select", "FZ309", str(REPORT_PDF))
    assert code == 1
    assert out.splitlines()[:4] == [
        f"{REPORT_PDF}:p2:10:6: FZ309 “权力”误写为“权利”（错误）",
        "  “正实现将权利关进制度”中的“权利”应为“权力”：把权力关进制度的笼子里。",
        "    10 | 真正实现将权利关进制度的笼子。与律师事务所签订法律顾问合",
        "       |           ^^^^",
    ]


def test_multi_page_paragraphs_are_joined_across_lines_and_pages() -> None:
    doc = read_path(REPORT_PDF)
    assert doc.source_map is not None and doc.source_map.page_count == 6
    # Paragraph (五) starts on the last body line of page 2 and ends on page 3 (the page
    # number "- 2 -" between them is not text).
    paragraph = "按照区政府统一部署要求，在门户网站上公开领导信息、机构职能和设置、财政预决算、"
    start = doc.text.index(paragraph)
    line = doc.line_of(start)
    assert doc.line_text(line).endswith("按照相关要求将年度法治政府建设情况报告上传至有关平台。")
    assert doc.source_position(start) == SourcePosition(22, 1, 2)
    assert doc.source_position(doc.text.index("构职能", start)) == SourcePosition(1, 1, 3)
    assert doc.source_position(doc.text.index("报告上传至", start)) == SourcePosition(3, 1, 3)
    assert "- 2 -" not in doc.text
    # Headings and the title lines stay lines of their own.
    assert doc.lines[:4] == [
        "南开区投资促进局2024年度法治政府建设",
        "情况报告",
        doc.lines[2],
        "一、2024年推进法治政府建设的主要举措和成效",
    ]
    assert doc.lines[2].startswith("2024年，在区委、区政府的正确领导下") and doc.lines[2].endswith(
        "现将2024年度法治政府建设情况报告如下："
    )
    assert len(doc.lines) == REPORT_TXT.read_text(encoding="utf-8").count("\n") - 31  # blank lines are gone


def test_text_command_lists_pages_and_lines(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "text", str(REPORT_PDF))
    assert (code, err) == (0, "")
    rows = out.splitlines()
    assert rows[:3] == [
        "p1:1   南开区投资促进局2024年度法治政府建设",
        "p1:2   情况报告",
        "p1:3   2024年，在区委、区政府的正确领导下，投资促进局党组坚",
    ]
    assert "p2:23  - 2 -    （页眉页脚，不检查）" in rows
    assert rows[-1] == "p6:11  - 6 -    （页眉页脚，不检查）"


# --- headers and footers ------------------------------------------------------------------


def test_running_headers_and_page_footers_are_left_out(capsys: pytest.CaptureFixture[str]) -> None:
    path = DOCUMENTS / "headers.pdf"
    doc = read_path(path)
    assert doc.text == (
        "某县司法局2024年法治政府建设情况报告\n"
        "2024年，我局坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，全面推进法治政府建设。\n"
        "一、主要举措和成效\n"
        "全年组织集中学法12次，开展“宪法宣传周”活动3场,覆盖群众5000余人次。\n"
        "二、存在的不足和原因\n"
        "一是学习的系统性还不够强。二是执法人员专业能力还有差距，原因是培训机制不健全。\n"
        "三、2025年主要安排\n"
        "继续加强法治教育培训，推进严格规范公正文明执法。\n"
    )
    assert text_listing(doc).splitlines()[:2] == [
        "p1:1  某县司法局    （页眉页脚，不检查）",
        "p1:2  某县司法局2024年法治政府建设情况报告",
    ]
    code, out, _ = run(capsys, "check", str(path), "--select", "FZ501")
    assert code == 1
    # Line 6 of page 1 counts the running header as line 1, as the reader sees the page.
    assert out.splitlines()[0] == (
        f"{path}:p1:6:26: FZ501 [错误] 中文里用了半角标点“,”（“活动3场,覆盖群众”），应改为全角“，”。"
    )


# --- scanned and broken PDFs --------------------------------------------------------------


def test_scanned_pdf_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.txt"
    good.write_text("某局2024年法治政府建设情况报告\n\n全年培训10次,覆盖全员。\n", encoding="utf-8")
    scanned = DOCUMENTS / "scanned.pdf"
    code, out, err = run(capsys, "check", "--select", "FZ501", str(good), str(scanned))
    assert code == 2
    assert err == f"reportlint: {scanned}: PDF 中没有可提取的文字（可能是扫描件），请用文字版 PDF 或 Word 文件\n"
    assert (
        out.splitlines()[0]
        == f"{good}:3:8: FZ501 [*] [错误] 中文里用了半角标点“,”（“训10次,覆盖全员”），应改为全角“，”。"
    )


def test_text_command_on_scanned_pdf(capsys: pytest.CaptureFixture[str]) -> None:
    scanned = DOCUMENTS / "scanned.pdf"
    code, out, err = run(capsys, "text", str(scanned))
    assert (code, out) == (2, "")
    assert err == f"reportlint: {scanned}: PDF 中没有可提取的文字（可能是扫描件），请用文字版 PDF 或 Word 文件\n"


def test_missing_pdfminer_is_one_line(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "pdfminer" or m.startswith("pdfminer.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "pdfminer", None)
    code, _, err = run(capsys, "check", str(REPORT_PDF))
    assert code == 2
    assert err == f'reportlint: {REPORT_PDF}: 读取 .pdf 文件需要 pdfminer.six（reportlint 的依赖），安装不完整：请在同一 Python 环境中重新安装 reportlint\n'


# --- joining rules on made-up layouts -------------------------------------------------------


def page(*rows: tuple[float, float, str], page_no: int = 1, top: float = 700, pitch: float = 28) -> list[PhysicalLine]:
    """Lines of one page: (x0, x1, text), 16 pt, ``pitch`` apart."""
    return [
        PhysicalLine(page_no, n, text, x0, x1, top - (n - 1) * pitch, top - (n - 1) * pitch - 16, 16)
        for n, (x0, x1, text) in enumerate(rows, start=1)
    ]


def test_block_paragraphs_join_unless_a_sentence_ends() -> None:
    # No first-line indentation: only the punctuation tells where a paragraph ends.
    lines = page(
        (72, 520, "全年组织集中学法12次，开展宪法宣传活动"),
        (72, 520, "3场。覆盖群众5000余人次，发放资料"),
        (72, 300, "2000份。"),
        (72, 520, "推进严格规范公正文明执法，全年办理案件"),
        (72, 520, "120件，行政复议纠错率下降。"),
        (72, 200, "二、存在问题"),
    )
    doc = pdf_document([lines], "x.pdf")
    assert doc.lines == [
        "全年组织集中学法12次，开展宪法宣传活动3场。覆盖群众5000余人次，发放资料2000份。",
        "推进严格规范公正文明执法，全年办理案件120件，行政复议纠错率下降。",
        "二、存在问题",
        "",
    ]


def test_indented_paragraphs_join_after_a_full_stop_at_the_line_end() -> None:
    # With first-line indentation, a sentence ending at the margin does not end the paragraph.
    lines = page(
        (104, 520, "全年组织集中学法12次，开展宪法宣传活动"),
        (72, 520, "3场，覆盖群众5000余人次，发放资料2千份。"),
        (72, 520, "推进严格规范公正文明执法，全年办理案件"),
        (72, 300, "120件。"),
        (104, 300, "一、主要举措"),
    )
    doc = pdf_document([lines], "x.pdf")
    assert (
        doc.lines[0]
        == "全年组织集中学法12次，开展宪法宣传活动3场，覆盖群众5000余人次，发放资料2千份。推进严格规范公正文明执法，全年办理案件120件。"
    )
    assert doc.lines[1] == "一、主要举措"


def test_heading_after_a_full_line_is_not_joined() -> None:
    lines = page(
        (104, 520, "全年组织集中学法12次，开展宪法宣传活动"),
        (72, 520, "3场，覆盖群众5000余人次，发放资料2千份。"),
        (72, 300, "二、存在问题"),
    )
    assert pdf_document([lines], "x.pdf").lines[1] == "二、存在问题"


def test_latin_words_broken_at_the_line_end_keep_a_space() -> None:
    lines = page(
        (104, 520, "依托12345热线和Government"),
        (72, 300, "Service平台办理。"),
        (104, 520, "全年受理群众诉求1200件，办结率达到98%，群众满意"),
    )
    doc = pdf_document([lines], "x.pdf")
    assert doc.lines[0] == "依托12345热线和Government Service平台办理。"
    # The joining space belongs to the end of the first physical line.
    assert doc.source_position(doc.text.index(" ")) == SourcePosition(1, 21, 1)
    assert doc.source_position(doc.text.index("Service")) == SourcePosition(2, 1, 1)


def test_a_mark_hanging_in_the_margin_does_not_move_the_column_edge() -> None:
    # LibreOffice and Word let a "，" hang past the right margin rather than start a line
    # with it: that line ends a character further right than the column.
    lines = page(
        (104, 520, "全年组织集中学法12次，开展宪法宣传活动"),
        (72, 538, "3场，覆盖群众5000余人次，发放资料2千份，"),
        (72, 520, "推进严格规范公正文明执法，全年办理案件"),
        (72, 300, "120件。"),
        (104, 520, "一是学习的系统性还不够强，二是执法人员"),
        (72, 300, "专业能力还有差距。"),
    )
    assert pdf_document([lines], "x.pdf").lines[:2] == [
        "全年组织集中学法12次，开展宪法宣传活动3场，覆盖群众5000余人次，发放资料2千份，"
        "推进严格规范公正文明执法，全年办理案件120件。",
        "一是学习的系统性还不够强，二是执法人员专业能力还有差距。",
    ]


def test_a_blank_line_of_space_ends_a_paragraph() -> None:
    lines = page(
        (72, 520, "第一段写满了一整行但没有标点"),
        (72, 520, "第一段的第二行"),
        (72, 520, "第二段写满一行"),
        (72, 300, "第二段完。"),
    )
    lines[2].top -= 40  # a blank line above the third line
    lines[2].bottom -= 40
    assert pdf_document([lines], "x.pdf").lines[:2] == [
        "第一段写满了一整行但没有标点第一段的第二行",
        "第二段写满一行第二段完。",
    ]


@pytest.mark.parametrize(
    "footer", ["- 3 -", "— 3 —", "3", "第 3 页", "第3页 共10页", "第 3 页，共 10 页", "3 / 10", "Page 3 of 10"]
)
def test_page_numbers_are_not_text(footer: str) -> None:
    lines = page(
        (104, 200, "一、主要举措"),
        (72, 520, "全年组织培训10次，覆盖全体干部职工，参训"),
        (72, 300, "率100%。"),
        (280, 310, footer),
    )
    doc = pdf_document([lines], "x.pdf")
    assert doc.text == "一、主要举措\n全年组织培训10次，覆盖全体干部职工，参训率100%。\n"
    assert doc.source_map is not None and doc.source_map.skipped == frozenset({(1, 4)})


def test_a_number_inside_the_body_is_text() -> None:
    lines = page(
        (104, 200, "一、主要举措"),
        (72, 110, "2024"),
        (72, 520, "全年组织培训10次，覆盖全体干部职工，参训"),
        (72, 300, "率100%。"),
        (300, 400, "某县司法局"),
    )
    assert pdf_document([lines], "x.pdf").lines == [
        "一、主要举措",
        "2024",
        "全年组织培训10次，覆盖全体干部职工，参训率100%。",
        "某县司法局",
        "",
    ]


def test_pdf_with_only_page_numbers_has_no_text(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        pdf_document([page((250, 300, "- 1 -")), page((250, 300, "- 2 -"), page_no=2)], "x.pdf")
    assert str(caught.value) == "x.pdf: PDF 中没有可提取的文字（可能是扫描件），请用文字版 PDF 或 Word 文件"


def test_fonts_without_unicode_mapping() -> None:
    lines = page((72, 300, "(cid:12)(cid:34)(cid:56)(cid:78)"), (72, 300, "(cid:90)(cid:91)"))
    with pytest.raises(InputError) as caught:
        pdf_document([lines], "x.pdf")
    assert str(caught.value) == "x.pdf: PDF 的字体缺少文字编码，提取不出文字；请用 Word 文件，或从 Word 重新导出 PDF"
