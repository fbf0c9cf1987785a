"""Reading Word (.docx) reports: paragraphs, tables, Word's automatic numbering, positions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import regex

pytest.importorskip("docx")

from docx_builder import GOVERNMENT_LEVELS, DocxBuilder, Level
from reportlint.core.errors import InputError
from reportlint.frontends.cli import main
from reportlint.inputs.docx.reader import format_number
from reportlint.inputs.reading import read_bytes, read_path, text_listing

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "fixtures" / "reports" / "004_de61297b1667e9da.txt"
# The heading markers of GB/T 9704, by level, as written in the text file.
MARKERS = [
    regex.compile(p) for p in (r"[一二三四五六七八九十]+、", r"（[一二三四五六七八九十]+）", r"[0-9]+\.", r"（[0-9]+）")
]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def lines_of(builder: DocxBuilder) -> list[str]:
    return text_listing(read_bytes(builder.bytes(), "t.docx")).splitlines()


def text_of(builder: DocxBuilder) -> str:
    return read_bytes(builder.bytes(), "t.docx").text


def auto_numbered(text: str) -> tuple[DocxBuilder, int]:
    """The report as a .docx whose headings are numbered by Word instead of typed.

    A heading's marker is stripped and replaced by list numbering only when the
    list would show exactly that marker (so a report with a wrong sequence keeps
    its wrong marker as text, as a clerk's document would).
    """
    builder = DocxBuilder()
    builder.abstract(0, GOVERNMENT_LEVELS)
    builder.num(1, 0)
    counters = [0] * 4
    numbered = 0
    for line in text.split("\n"):
        for level, pattern in enumerate(MARKERS):
            number_format, template = GOVERNMENT_LEVELS[level]
            marker = template.replace(f"%{level + 1}", format_number(counters[level] + 1, number_format))
            if pattern.match(line) and line.startswith(marker):
                counters[level] += 1
                counters[level + 1 :] = [0] * (3 - level)
                builder.paragraph(line[len(marker) :], num=1, ilvl=level)
                numbered += 1
                break
        else:
            builder.paragraph(line)
    return builder, numbered


# --- a real report with auto-numbered headings ----------------------------------------------


def test_auto_numbered_report_reads_as_the_text_file() -> None:
    text = REPORT.read_text(encoding="utf-8")
    builder, numbered = auto_numbered(text)
    assert numbered == 18  # 4 level-1 and 14 level-2 headings are Word numbering, not text
    doc = read_bytes(builder.bytes(), "r.docx")
    # One line per paragraph; the file's last line (" ") gets the newline a text file would end with.
    assert doc.text == text + "\n"
    assert doc.source_format == "docx"


def test_check_docx_gives_the_same_findings_as_the_text_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = REPORT.read_text(encoding="utf-8")
    txt = tmp_path / "report.txt"
    txt.write_text(text, encoding="utf-8")
    builder, _ = auto_numbered(text)
    docx_path = builder.save(tmp_path / "report.docx")

    def findings(path: Path) -> list[tuple[str, int, int, int, int]]:
        code, out, err = run(capsys, "check", "--format", "json", str(path))
        assert (code, err) == (1, "")
        (entry,) = json.loads(out)["files"]
        return [(d["code"], d["line"], d["column"], d["end_line"], d["end_column"]) for d in entry["diagnostics"]]

    expected = findings(txt)
    assert len(expected) == 22
    assert ("FZ701", 55, 1, 55, 21) in expected  # the heading "四、2024年…" is auto-numbered in the .docx
    assert findings(docx_path) == expected


def test_text_output_carries_paragraph_context(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    builder, _ = auto_numbered(REPORT.read_text(encoding="utf-8"))
    path = builder.save(tmp_path / "report.docx")
    code, out, _ = run(capsys, "check", str(path), "--select", "FZ701,FZ309")
    assert code == 1
    assert out.splitlines() == [
        f"{path}:18:88: FZ309 [错误] “正实现将权利关进制度”中的“权利”应为“权力”：把权力关进制度的笼子里。"
        "（位置：“严格贯彻执行“三重一大”制度，涉…”）",
        f"{path}:55:1: FZ701 [错误] 下一年度安排的标题写的是2024年，2024年度的报告应写2025年。"
        "（位置：“四、2024年推进法治政府建设的…”）",
        "发现 2 个问题（错误 2），检查 1 个文件",
    ]  # no [*]: a Word file is not rewritten by --fix


def test_json_has_format_and_context(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    builder = DocxBuilder()
    builder.paragraph("某局2024年法治政府建设情况报告")
    builder.table([["项目", "说明"], ["培训", "全年培训10次,覆盖全员。"]])
    path = builder.save(tmp_path / "t.docx")
    code, out, _ = run(capsys, "check", "--format", "json", "--select", "FZ501", str(path))
    assert code == 1
    (entry,) = json.loads(out)["files"]
    assert (entry["format"], entry["encoding"]) == ("docx", "utf-8")
    (diag,) = entry["diagnostics"]
    assert (diag["page"], diag["line"], diag["column"]) == (None, 5, 8)
    assert diag["context"] == "表1第2行第2列“全年培训10次,覆盖全员。”"


def test_json_context_is_null_for_text_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.txt"
    path.write_text("某局2024年法治政府建设情况报告\n\n全年培训10次,覆盖全员。\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "--format", "json", "--select", "FZ501", str(path))
    assert code == 1
    (entry,) = json.loads(out)["files"]
    assert entry["format"] == "text"
    (diag,) = entry["diagnostics"]
    assert (diag["page"], diag["line"], diag["column"], diag["context"]) == (None, 3, 8, None)


def test_text_command_numbers_paragraphs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    builder = DocxBuilder()
    builder.abstract(0, GOVERNMENT_LEVELS)
    builder.num(1, 0)
    builder.paragraph("某局2024年法治政府建设情况报告")
    builder.paragraph("")
    builder.paragraph("主要举措和成效", num=1)
    builder.paragraph("全年开展培训10次。")
    path = builder.save(tmp_path / "t.docx")
    code, out, err = run(capsys, "text", str(path))
    assert (code, err) == (0, "")
    assert out == "1  某局2024年法治政府建设情况报告\n2  \n3  一、主要举措和成效\n4  全年开展培训10次。\n"


# --- numbering ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number_format", "values", "expected"),
    [
        (
            "chineseCounting",
            [1, 9, 10, 11, 20, 35, 99, 100],
            ["一", "九", "十", "十一", "二十", "三十五", "九十九", "一〇〇"],
        ),
        (
            "chineseCountingThousand",
            [10, 12, 101, 110, 1200, 2005],
            ["十", "十二", "一百零一", "一百一十", "一千二百", "二千零五"],
        ),
        ("chineseLegalSimplified", [3, 10, 12], ["叁", "壹拾", "壹拾贰"]),
        ("ideographTraditional", [1, 4, 10, 11], ["甲", "丁", "癸", "11"]),
        ("ideographZodiac", [1, 12], ["子", "亥"]),
        ("decimalEnclosedCircle", [1, 20, 21], ["①", "⑳", "21"]),
        ("decimalEnclosedCircleChinese", [3], ["③"]),
        ("decimalEnclosedParen", [1, 20], ["⑴", "⒇"]),
        ("decimalEnclosedFullstop", [2], ["⒉"]),
        ("ideographEnclosedCircle", [1, 10], ["㊀", "㊉"]),
        ("decimalFullWidth", [7, 12], ["７", "１２"]),
        ("decimal", [3, 12], ["3", "12"]),
        ("decimalZero", [5, 12], ["05", "12"]),
        ("upperRoman", [4, 9, 14], ["IV", "IX", "XIV"]),
        ("lowerRoman", [3], ["iii"]),
        ("upperLetter", [1, 26, 27], ["A", "Z", "AA"]),
        ("lowerLetter", [2, 28], ["b", "bb"]),
        ("none", [1], [""]),
        ("someFutureFormat", [7], ["7"]),
    ],
)
def test_format_number(number_format: str, values: list[int], expected: list[str]) -> None:
    assert [format_number(v, number_format) for v in values] == expected


def test_government_levels_reset_deeper_levels() -> None:
    builder = DocxBuilder()
    builder.abstract(0, GOVERNMENT_LEVELS)
    builder.num(1, 0)
    for text, level in [
        ("甲", 0),
        ("乙", 1),
        ("丙", 2),
        ("丁", 2),
        ("戊", 3),
        ("己", 1),
        ("庚", 2),
        ("辛", 0),
        ("壬", 1),
    ]:
        builder.paragraph(text, num=1, ilvl=level)
    assert text_of(builder) == "一、甲\n（一）乙\n1.丙\n2.丁\n（1）戊\n（二）己\n1.庚\n二、辛\n（一）壬\n"


def test_multi_level_text_start_and_numbered_empty_paragraph() -> None:
    builder = DocxBuilder()
    builder.abstract(0, [Level("decimal", "第%1章", start=3), Level("decimal", "%1.%2")])
    builder.num(1, 0)
    builder.paragraph("总则", num=1, ilvl=0)
    builder.paragraph("目的", num=1, ilvl=1)
    builder.paragraph("", num=1, ilvl=1)  # Word shows the number of an empty list paragraph
    builder.paragraph("")  # not in the list: an empty line
    builder.paragraph("依据", num=1, ilvl=1)
    assert text_of(builder) == "第3章总则\n3.1目的\n3.2\n\n3.3依据\n"


def test_legal_numbering_shows_decimals() -> None:
    builder = DocxBuilder()
    builder.abstract(0, [("chineseCounting", "%1、"), Level("chineseCounting", "%1.%2", legal=True)])
    builder.num(1, 0)
    builder.paragraph("甲", num=1, ilvl=0)
    builder.paragraph("乙", num=1, ilvl=1)
    assert text_of(builder) == "一、甲\n1.1乙\n"


def test_lists_sharing_an_abstract_continue_and_start_override_restarts() -> None:
    builder = DocxBuilder()
    builder.abstract(0, [("decimal", "%1.")])
    builder.num(1, 0)
    builder.num(2, 0)  # the same list definition: Word continues the numbering
    builder.num(3, 0, starts={0: 1})  # "restart at 1"
    builder.abstract(1, [("decimalEnclosedCircle", "%1")])
    builder.num(4, 1, starts={0: 5})  # "set numbering value to 5"
    builder.paragraph("甲", num=1)
    builder.paragraph("乙", num=1)
    builder.paragraph("丙", num=2)
    builder.paragraph("丁", num=3)
    builder.paragraph("戊", num=3)
    builder.paragraph("己", num=4)
    builder.paragraph("庚", num=4)
    assert text_of(builder) == "1.甲\n2.乙\n3.丙\n1.丁\n2.戊\n⑤己\n⑥庚\n"


def test_lvl_restart_zero_never_restarts() -> None:
    builder = DocxBuilder()
    builder.abstract(0, [("chineseCounting", "%1、"), Level("decimal", "（%2）", restart=0)])
    builder.num(1, 0)
    for text, level in [("甲", 0), ("乙", 1), ("丙", 1), ("丁", 0), ("戊", 1)]:
        builder.paragraph(text, num=1, ilvl=level)
    assert text_of(builder) == "一、甲\n（1）乙\n（2）丙\n二、丁\n（3）戊\n"


def test_numbering_from_paragraph_styles() -> None:
    builder = DocxBuilder()
    builder.abstract(0, [Level("chineseCounting", "%1、", style="H1"), Level("chineseCounting", "（%2）", style="H2")])
    builder.num(1, 0)
    builder.numbered_style("H1", 1, ilvl=None)  # the level comes from the list's w:pStyle link
    builder.numbered_style("H2", 1, ilvl=1)
    builder.plain_style("H2Red", based_on="H2")  # inherits the numbering through w:basedOn
    builder.paragraph("主要举措", style="H1")
    builder.paragraph("加强领导", style="H2")
    builder.paragraph("完善制度", style="H2Red")
    builder.paragraph("不编号的标题", style="H2", num=0)  # numId 0 switches the style's numbering off
    builder.paragraph("存在问题", style="H1")
    builder.paragraph("问题一", style="H2")
    assert (
        text_of(builder) == "一、主要举措\n（一）加强领导\n（二）完善制度\n不编号的标题\n二、存在问题\n（一）问题一\n"
    )


def test_numbering_style_link() -> None:
    builder = DocxBuilder()
    builder.abstract(0, GOVERNMENT_LEVELS)
    builder.abstract(1, [], link="GovList")  # levels come from the list style's own definition
    builder.num(1, 0)
    builder.num(2, 1)
    builder.numbered_style("GovList", 1)
    builder.paragraph("主要举措", num=2, ilvl=0)
    builder.paragraph("加强领导", num=2, ilvl=1)
    assert text_of(builder) == "一、主要举措\n（一）加强领导\n"


def test_bullets_and_unknown_lists() -> None:
    builder = DocxBuilder()
    builder.abstract(0, [("bullet", "\uf0b7"), ("bullet", "—")])
    builder.num(1, 0)
    builder.paragraph("要点", num=1, ilvl=0)
    builder.paragraph("细节", num=1, ilvl=1)
    builder.paragraph("未定义的编号", num=99)
    assert text_of(builder) == "•要点\n—细节\n未定义的编号\n"


# --- text and tables ------------------------------------------------------------------------


def test_runs_revisions_fields_and_breaks() -> None:
    builder = DocxBuilder()
    builder.raw_paragraph(
        "<w:r><w:t>全年</w:t></w:r>"
        "<w:ins><w:r><w:t>开展</w:t></w:r></w:ins>"
        "<w:del><w:r><w:delText>删除的字</w:delText></w:r></w:del>"
        "<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏文字</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>培训</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        "<w:r><w:tab/><w:t>10次</w:t><w:br/><w:t>第二行</w:t>"
        '<w:br w:type="page"/><w:t>。</w:t></w:r>'
    )
    assert text_of(builder) == "全年开展培训\t10次\n第二行。\n"


def test_content_controls_and_text_boxes() -> None:
    builder = DocxBuilder()
    sdt = (
        '<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:sdtContent>'
        "<w:p><w:r><w:t>控件里的段落</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    from docx.oxml import parse_xml

    builder.paragraph("第一段")
    builder.body.insert(len(builder.body) - 1, parse_xml(sdt))
    builder.raw_paragraph(
        '<w:r><w:t>正文</w:t></w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        '<mc:Choice Requires="wps"><w:r><w:t>文本框</w:t></w:r></mc:Choice>'
        "<mc:Fallback><w:r><w:t>文本框</w:t></w:r></mc:Fallback></mc:AlternateContent>"
    )
    assert text_of(builder) == "第一段\n控件里的段落\n正文\n"


def test_table_cells_in_order_without_duplicated_merged_cells() -> None:
    builder = DocxBuilder()
    builder.paragraph("表前")
    table = builder.table([["指标", "2023年", "2024年"], ["培训", "8次", "10次"], ["", "覆盖", ""]])
    table.cell(0, 1).merge(table.cell(0, 2)).text = "年度"  # horizontal merge: one cell
    table.cell(1, 0).merge(table.cell(2, 0)).text = "培训"  # vertical merge: the lower part is not read again
    builder.paragraph("表后")
    doc = read_bytes(builder.bytes(), "t.docx")
    assert doc.lines[:-1] == ["表前", "指标", "年度", "培训", "8次", "10次", "覆盖", "", "表后"]
    assert doc.line_labels[3] == "表1第1行第2列“年度”"
    assert doc.line_labels[7] == "表1第3行第2列“覆盖”"
    assert doc.line_labels[8] == "表1第3行第3列"
    assert doc.context(doc.offset(6, 1)) == "表1第2行第3列“10次”"


def test_nested_tables_are_read_where_they_stand() -> None:
    builder = DocxBuilder()
    outer = builder.table([["外层", "X"]])
    inner = outer.cell(0, 1).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "内层"
    # python-docx ends the cell with an empty paragraph after the inner table, as Word does.
    assert text_of(builder) == "外层\nX\n内层\n\n"


def test_soft_break_splits_lines_and_labels() -> None:
    builder = DocxBuilder()
    builder.raw_paragraph("<w:r><w:t>一、主要举措</w:t><w:br/><w:t>全年开展培训10次。</w:t></w:r>")
    doc = read_bytes(builder.bytes(), "t.docx")
    assert doc.lines == ["一、主要举措", "全年开展培训10次。", ""]
    assert doc.line_labels == {1: "“一、主要举措”", 2: "“全年开展培训10次。”"}


def test_docx_without_text(tmp_path: Path) -> None:
    builder = DocxBuilder()
    builder.paragraph("")
    builder.table([["", ""]])
    path = builder.save(tmp_path / "blank.docx")
    with pytest.raises(InputError) as caught:
        read_path(path)
    assert str(caught.value) == f"{path}: Word 文件中没有文字"


def test_renamed_docx_is_read_by_content(tmp_path: Path) -> None:
    builder = DocxBuilder()
    builder.paragraph("某局2024年法治政府建设情况报告")
    for name in ("saved-by-wps.doc", "report.txt"):
        doc = read_path(builder.save(tmp_path / name))
        assert (doc.text, doc.source_format) == ("某局2024年法治政府建设情况报告\n", "docx")


def test_missing_python_docx_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    builder = DocxBuilder()
    builder.paragraph("某局2024年法治政府建设情况报告")
    path = builder.save(tmp_path / "r.docx")
    monkeypatch.setitem(sys.modules, "docx", None)  # import docx now raises ImportError
    code, out, err = run(capsys, "check", str(path))
    assert code == 2
    assert err == f'reportlint: {path}: 读取 .docx 文件需要 python-docx（reportlint 的依赖），安装不完整：请在同一 Python 环境中重新安装 reportlint\n'
    assert out == "没有检查任何文件；1 个文件无法读取，没有检查\n"


def test_hostile_numbering_cannot_amplify() -> None:
    """A 2 KB file must not expand into megabytes: huge values fall back to decimal, markers are capped."""
    assert format_number(1_000_000, "lowerLetter") == "1000000"
    assert format_number(2**31 - 1, "upperRoman") == "2147483647"
    builder = DocxBuilder()
    builder.abstract(0, [Level("lowerLetter", "%1)", start=2**31 - 1), Level("decimal", "%2" * 1000)])
    builder.num(1, 0)
    builder.paragraph("甲", num=1, ilvl=0)
    builder.paragraph("乙", num=1, ilvl=1)
    lines = read_bytes(builder.bytes(), "t.docx").lines
    assert lines[0] == "2147483647)甲"
    assert lines[1] == "1" * 64 + "乙"


def test_a_list_linked_through_a_numbering_style_continues_the_style_list() -> None:
    builder = DocxBuilder()
    builder.abstract(0, GOVERNMENT_LEVELS)
    builder.abstract(1, [], link="GovList")
    builder.num(1, 0)
    builder.num(2, 1)
    builder.numbered_style("GovList", 1)
    builder.paragraph("主要举措", num=1, ilvl=0)
    builder.paragraph("存在问题", num=2, ilvl=0)  # the same list, reached through the style
    assert text_of(builder) == "一、主要举措\n二、存在问题\n"
