"""Tables in the document model: finding a pack's tables (rules/gongkai/tables.toml) in real
renderings of real reports and reading every cell with its position (reportlint.tables)."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest

from reportlint.core.document import Document, Grid
from reportlint.inputs.reading import read_bytes, read_path
from reportlint.tables import extract
from reportlint.tables.extract import find_tables, label_key, parse_value
from reportlint.tables.model import CellStatus, Table, TableSchema
from reportlint.tables.schema import load_tables

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "gongkai"
RENDERINGS = FIXTURES / "renderings"
SCHEMAS = load_tables(ROOT / "rules" / "gongkai" / "tables.toml")
BY_NAME = {schema.name: schema for schema in SCHEMAS}
# The excerpts of table-renderings.md hold a table's first rows only: their anchors are relaxed
# to the first one (the first row's label), so the rows they do hold are read.
EXCERPT_SCHEMAS = [dataclasses.replace(schema, anchors=schema.anchors[:1]) for schema in SCHEMAS]

# 沭阳县人民政府 2025 (fixtures/gongkai/renderings/README.md; worked-checks.md W1).
SHUYANG_T2 = {
    ("REG", "MADE"): 0, ("REG", "REPEALED"): 0, ("REG", "VALID"): 0,
    ("NORM", "MADE"): 6, ("NORM", "REPEALED"): 1, ("NORM", "VALID"): 32,
    ("LIC", "COUNT"): 517645, ("PEN", "COUNT"): 693957, ("COE", "COUNT"): 2154, ("FEE", "AMOUNT"): 4068.208,
}  # fmt: skip
SHUYANG_T3_ROWS = {  # NP, BIZ, SCI, NGO, LAW, OTH, SUM
    "NEW": [705, 3, 0, 0, 5, 0, 713],
    "CARRY_IN": [36, 0, 0, 0, 0, 0, 36],
    "R1": [290, 1, 0, 0, 3, 0, 294],
    "R2": [99, 0, 0, 0, 2, 0, 101],
    "R3_1": [0, 0, 0, 0, 0, 0, 0],
    "R3_2": [0, 0, 0, 0, 0, 0, 0],
    "R3_3": [2, 0, 0, 0, 0, 0, 2],
    "R3_4": [2, 0, 0, 0, 0, 0, 2],
    "R3_5": [13, 0, 0, 0, 0, 0, 13],
    "R3_6": [2, 0, 0, 0, 0, 0, 2],
    "R3_7": [4, 0, 0, 0, 0, 0, 4],
    "R3_8": [9, 0, 0, 0, 0, 0, 9],
    "R4_1": [111, 0, 0, 0, 0, 0, 111],
    "R4_2": [2, 0, 0, 0, 0, 0, 2],
    "R4_3": [0, 0, 0, 0, 0, 0, 0],
    "R5_1": [12, 0, 0, 0, 0, 0, 12],
    "R5_2": [6, 1, 0, 0, 0, 0, 7],
    "R5_3": [0, 0, 0, 0, 0, 0, 0],
    "R5_4": [0, 0, 0, 0, 0, 0, 0],
    "R5_5": [0, 0, 0, 0, 0, 0, 0],
    "R6_1": [9, 0, 0, 0, 0, 0, 9],
    "R6_2": [7, 0, 0, 0, 0, 0, 7],
    "R6_3": [142, 1, 0, 0, 0, 0, 143],
    "TOTAL": [710, 3, 0, 0, 5, 0, 718],
    "CARRY_OUT": [31, 0, 0, 0, 0, 0, 31],
}
SHUYANG_T4_ROWS = {"RV": [27, 10, 9, 15, 61], "LD": [3, 0, 0, 0, 3], "LR": [8, 0, 1, 1, 10]}
# The same report in every shape it reaches the linter: the OCR/LLM Markdown conversion (real),
# the browser copy of the page (TAB between cells), a crawler's " | " rows, a page pasted from
# Word (a <p> in each cell, NBSP in empty ones) as a browser and as a crawler keep it (one cell
# per line), the page saved as .docx by LibreOffice (its grid).
SHUYANG = [
    RENDERINGS / "shuyang-2025-ocr.md",
    RENDERINGS / "shuyang-2025-innertext.txt",
    RENDERINGS / "shuyang-2025-pipes.txt",
    RENDERINGS / "shuyang-2025-word-cells.txt",
    RENDERINGS / "shuyang-2025-cell-per-line.txt",
    FIXTURES / "shuyang-2025.docx",
]


def tables_of(path: Path, schemas: list[TableSchema] | tuple[TableSchema, ...] = SCHEMAS) -> dict[str, Table]:
    doc = read_path(path)
    return {table.name: table for table in find_tables(doc, schemas)}


def cells(table: Table) -> dict[tuple[str, str], tuple[CellStatus, int | float | None]]:
    return {key: (cell.status, cell.value) for key, cell in table.cells.items()}


def values(table: Table, row: str) -> list[int | float | None]:
    return [table.value(row, column) for column in table.schema.row_columns(row)]


# --- the schemas ------------------------------------------------------------------------------


def test_the_pack_declares_the_2021_and_2019_trial_tables() -> None:
    assert [s.name for s in SCHEMAS] == ["T2", "T2-2019", "T3", "T3-2019", "T4"]
    t3 = BY_NAME["T3"]
    assert t3.row_keys == (
        "NEW", "CARRY_IN", "R1", "R2", *(f"R3_{i}" for i in range(1, 9)), *(f"R4_{i}" for i in range(1, 4)),
        *(f"R5_{i}" for i in range(1, 6)), *(f"R6_{i}" for i in range(1, 4)), "TOTAL", "CARRY_OUT",
    )  # fmt: skip
    assert t3.column_keys == ("NP", "BIZ", "SCI", "NGO", "LAW", "OTH", "SUM")
    assert t3.group_rows("R3") == tuple(f"R3_{i}" for i in range(1, 9))
    assert t3.group("R6").label == "（六）其他处理"
    assert t3.row("R3_3").label == "3.危及“三安全一稳定”"
    assert BY_NAME["T3-2019"].family_name == "T3" and BY_NAME["T3-2019"].version == "2019-trial"
    assert "R6" in BY_NAME["T3-2019"].row_keys and "R6_1" not in BY_NAME["T3-2019"].row_keys
    t2 = BY_NAME["T2"]
    assert t2.row_columns("NORM") == ("MADE", "REPEALED", "VALID") and t2.row_columns("FEE") == ("AMOUNT",)
    assert t2.decimals == ("AMOUNT",)
    assert BY_NAME["T2-2019"].row_columns("PROC") == ("PROC_COUNT", "PROC_AMOUNT")
    t4 = BY_NAME["T4"]
    assert (t4.layout, t4.row_keys, t4.column_keys) == (
        "wide", ("RV", "LD", "LR"), ("KEEP", "FIX", "OTHER", "PENDING", "TOTAL")
    )
    assert [t4.row(key).group for key in t4.row_keys] == ["", "LIT", "LIT"]
    assert pickle.loads(pickle.dumps(SCHEMAS)) == SCHEMAS  # (packs are cached as pickles)


# --- one report, every rendering ------------------------------------------------------------


@pytest.mark.parametrize("path", SHUYANG, ids=lambda p: p.name)
def test_shuyang_2025_reads_the_same_in_every_rendering(path: Path) -> None:
    tables = tables_of(path)
    assert sorted(tables) == ["T2", "T3", "T4"]
    t2, t3, t4 = tables["T2"], tables["T3"], tables["T4"]
    assert {key: t2.value(*key) for key in SHUYANG_T2} == SHUYANG_T2
    assert {row: values(t3, row) for row in t3.schema.row_keys} == SHUYANG_T3_ROWS
    assert {row: values(t4, row) for row in t4.schema.row_keys} == SHUYANG_T4_ROWS
    for table in (t2, t3, t4):
        assert not table.uncertain_rows and not table.missing_rows and not table.blank_cells
        assert all(cell.status is CellStatus.NUMBER for cell in table.cells.values())
    assert isinstance(t2.value("FEE", "AMOUNT"), float) and isinstance(t2.value("LIC", "COUNT"), int)
    # The values reference worked-checks.md checks (W1): 713 + 36 = 718 + 31, per column too.
    assert (t3.value("NEW", "SUM"), t3.value("CARRY_IN", "SUM"), t3.value("TOTAL", "SUM")) == (713, 36, 718)
    assert t3.value("CARRY_OUT", "SUM") == 31
    for column in t3.schema.column_keys:
        new, carry_in = t3.value("NEW", column), t3.value("CARRY_IN", column)
        total, carry_out = t3.value("TOTAL", column), t3.value("CARRY_OUT", column)
        assert new + carry_in == total + carry_out  # type: ignore[operator]
        results = [row for row in t3.schema.row_keys if row not in ("NEW", "CARRY_IN", "TOTAL", "CARRY_OUT")]
        assert sum(t3.value(row, column) for row in results) == total  # type: ignore[misc]


def test_the_renderings_give_the_same_cells() -> None:
    first, *others = (tables_of(path) for path in SHUYANG)
    for other in others:
        assert {name: cells(table) for name, table in other.items()} == {
            name: cells(table) for name, table in first.items()
        }


def test_a_pdf_exported_by_libreoffice_is_read_as_well_as_it_can_be() -> None:
    # The PDF of shuyang-2025.docx: pdfminer text, cells a TAB or a space apart, numbers run
    # into the label before them ("行政规范性文件6"), labels wrapped inside their cells.
    tables = tables_of(FIXTURES / "shuyang-2025.pdf")
    assert sorted(tables) == ["T2", "T3", "T4"]
    assert {key: tables["T2"].value(*key) for key in SHUYANG_T2} == SHUYANG_T2
    assert {row: values(tables["T4"], row) for row in ("RV", "LD", "LR")} == SHUYANG_T4_ROWS
    t3 = tables["T3"]
    # （六）2. wraps over three lines between the cells of 其他处理: there, not readable.
    assert t3.uncertain_rows == {"R6_2"} and not t3.missing_rows
    assert values(t3, "R6_2") == [None] * 7
    assert {row: values(t3, row) for row in t3.schema.row_keys if row != "R6_2"} == {
        row: numbers for row, numbers in SHUYANG_T3_ROWS.items() if row != "R6_2"
    }


def test_a_row_a_pdf_hides_is_uncertain_not_missing() -> None:
    """上海 2019's PDF: rows whose labels the PDF text breaks up are not found; from PDF text
    that is no proof the report lacks them (the .docx has them all)."""
    pdf = tables_of(FIXTURES / "shanghai-2019.pdf")["T3-2019"]
    docx = tables_of(FIXTURES / "shanghai-2019.docx")["T3-2019"]
    assert not docx.missing_rows and not docx.uncertain_rows - {"R6"}
    assert not pdf.missing_rows
    hidden = [key for key in pdf.schema.row_keys if key not in pdf.row_labels]
    assert hidden and set(hidden) <= pdf.uncertain_rows
    assert all(pdf.value(key, "NP") is None for key in hidden)


def test_cell_and_label_offsets_point_at_the_text() -> None:
    doc = read_path(RENDERINGS / "shuyang-2025-ocr.md")
    tables = {table.name: table for table in find_tables(doc, SCHEMAS)}
    t3 = tables["T3"]
    cell = t3.cell("CARRY_OUT", "SUM")
    assert cell is not None and doc.text[cell.start : cell.end] == cell.raw == "31"
    assert doc.position(cell.start) == doc.position(doc.offset(156, 42))
    assert (doc.position(cell.start).line, doc.position(cell.start).column) == (156, 42)
    start, end = t3.row_labels["NEW"]  # the row's label, not the "###" heading above its table
    assert (doc.position(start).line, doc.text[start:end]) == (99, "本年新收政府信息公开申请数量")
    fee = tables["T2"].cell("FEE", "AMOUNT")
    assert fee is not None and (doc.position(fee.start).line, doc.position(fee.start).column) == (75, 13)
    assert doc.text[fee.start : fee.end] == "4068.208"


def test_table_lines_cover_the_tables_and_nothing_else() -> None:
    doc = read_path(RENDERINGS / "shuyang-2025-ocr.md")
    tables = {table.name: table for table in find_tables(doc, SCHEMAS)}
    line = {text: number for number, text in enumerate(doc.lines, start=1)}
    t2, t3, t4 = tables["T2"].lines, tables["T3"].lines, tables["T4"].lines
    assert (min(t2), max(t2)) == (line["### 第二十条第（一）项"], line["| 行政事业性收费 | 4068.208 |"])
    # From the caption to 四、结转下年度继续办理: the converter's headings "### 一、本年新收…" and
    # "### 三、本年度办理结果" are inside, so the outline does not take them for parts.
    assert (min(t3), max(t3)) == (79, line["| 四、结转下年度继续办理 | 31 | 0 | 0 | 0 | 0 | 0 | 31 |"])
    assert line["### 一、本年新收政府信息公开申请数量"] in t3 and line["### 三、本年度办理结果"] in t3
    assert t3 == frozenset(range(79, max(t3) + 1))
    assert (min(t4), max(t4)) == (line["### 行政复议"], line["| 8 | 0 | 1 | 1 | 10 |"])
    for heading in ("## 一、总体情况", "## 二、主动公开政府信息情况", "## 三、收到和处理政府信息公开申请情况",
                    "## 四、政府信息公开行政复议、行政诉讼情况", "## 五、政府信息公开工作存在的主要问题及改进情况"):  # fmt: skip
        assert line[heading] not in t2 | t3 | t4


def test_a_word_table_is_read_from_its_grid() -> None:
    doc = read_path(FIXTURES / "shuyang-2025.docx")
    assert [(grid.rows, grid.columns) for grid in doc.grids] == [(14, 4), (28, 10), (4, 15)]
    t3 = {table.name: table for table in find_tables(doc, SCHEMAS)}["T3"]
    cell = t3.cell("NEW", "SUM")
    assert cell is not None and doc.text[cell.start : cell.end] == "713"
    assert doc.context(cell.start) == "表2第4行第10列“713”"
    grid = doc.grids[1]
    assert (t3.start, t3.end) == (grid.start, grid.end)
    assert t3.lines == frozenset(range(doc.line_of(grid.start), doc.line_of(grid.end) + 1))


# --- blank cells, uncertain rows, the 2019 试行 format ----------------------------------------


@pytest.mark.parametrize(
    "path", [RENDERINGS / "shanghai-2019-innertext.txt", FIXTURES / "shanghai-2019.docx"], ids=lambda p: p.name
)
def test_shanghai_2019_is_read_as_the_2019_trial_format_with_its_blank_cells(path: Path) -> None:
    tables = tables_of(path)
    assert sorted(tables) == ["T2-2019", "T3-2019", "T4"]  # not T2 and T3 of the 2021 format
    t2, t3, t4 = tables["T2-2019"], tables["T3-2019"], tables["T4"]
    assert values(t2, "REG") == [13, 13, 524] and values(t2, "NORM") == [60, 60, 368]
    assert values(t2, "PROC") == [6, 251000]  # "251000元"
    # 总计 is left blank in every result row: BLANK cells (0 in sums), not numbers or text.
    for row in t3.schema.row_keys:
        cell = t3.cell(row, "SUM")
        assert cell is not None
        if row in ("NEW", "CARRY_IN", "TOTAL", "CARRY_OUT"):
            assert cell.status is CellStatus.NUMBER
        else:
            assert cell.status is CellStatus.BLANK and t3.value(row, "SUM") == 0
    assert values(t3, "NEW") == [821, 35, 0, 0, 2, 1, 859]
    assert [t3.cell("NEW", c).status for c in ("SCI", "NGO")] == [CellStatus.BLANK, CellStatus.BLANK]  # type: ignore[union-attr]
    assert values(t3, "R1") == [258, 12, 0, 0, 1, 1, 0] and values(t3, "R6") == [0] * 7
    assert (t3.value("TOTAL", "SUM"), t3.value("CARRY_OUT", "SUM")) == (805, 72)
    assert len(t3.blank_cells) == 126 and not t3.uncertain_rows and not t3.missing_rows
    # worked-checks.md W3: with blanks as 0 the per-column identities hold.
    for column in t3.schema.column_keys:
        assert t3.value("NEW", column) + t3.value("CARRY_IN", column) == (  # type: ignore[operator]
            t3.value("TOTAL", column) + t3.value("CARRY_OUT", column)  # type: ignore[operator]
        ) or column == "SUM"
    assert values(t4, "RV") == [5, 0, 0, 2, 7] and values(t4, "LD") == [8, 0, 0, 1, 9] and values(t4, "LR") == [0] * 5
    assert len(t4.blank_cells) == 9


def test_a_blank_cell_points_at_its_nbsp_or_where_it_stands() -> None:
    doc = read_path(RENDERINGS / "shanghai-2019-innertext.txt")
    t3 = {table.name: table for table in find_tables(doc, SCHEMAS)}["T3-2019"]
    cell = t3.cell("R1", "SUM")
    assert cell is not None and doc.text[cell.start : cell.end] == "\xa0"
    assert doc.position(cell.start).line == 391 and doc.line_text(391) == "\xa0"
    # R4 (区统计局 2023): a "|" line is an empty cell; the empty range is at that line's start.
    doc = read_path(RENDERINGS / "R4-stats-2023-blank-cells.txt")
    t3 = {table.name: table for table in find_tables(doc, EXCERPT_SCHEMAS)}["T3"]
    assert values(t3, "NEW") == [0] * 7
    assert [t3.cell("NEW", c).status for c in t3.schema.column_keys] == [CellStatus.BLANK] * 6 + [CellStatus.NUMBER]  # type: ignore[union-attr]
    blank = t3.cell("NEW", "NP")
    assert blank is not None and blank.start == blank.end == doc.offset(9, 1) and doc.line_text(9) == "|"
    total = t3.cell("NEW", "SUM")
    assert total is not None and doc.position(total.start) == doc.position(doc.offset(15, 1)) and total.raw == "0"


def test_a_missing_value_in_a_one_cell_per_line_text_makes_its_row_uncertain() -> None:
    path = RENDERINGS / "shuyang-2025-cell-per-line.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    label = lines.index("2.重复申请")
    assert lines[label + 2 : label + 5] == ["6", "", "1"]
    del lines[label + 4]  # its BIZ value, 1, left out: the other values may not shift left
    doc = Document.from_text("\n".join(lines), "cut.txt")
    t3 = {table.name: table for table in find_tables(doc, SCHEMAS)}["T3"]
    assert t3.uncertain_rows == {"R5_2"} and not t3.missing_rows
    assert values(t3, "R5_2") == [None] * 7
    assert all(t3.cell("R5_2", column).status is CellStatus.UNCERTAIN for column in t3.schema.column_keys)  # type: ignore[union-attr]
    assert values(t3, "R5_1") == SHUYANG_T3_ROWS["R5_1"] and values(t3, "R5_3") == SHUYANG_T3_ROWS["R5_3"]


def test_a_row_left_empty_without_marks_is_uncertain_not_shifted() -> None:
    text = RENDERINGS.joinpath("shuyang-2025-cell-per-line.txt").read_text(encoding="utf-8")
    old = "3.要求提供公开出版物\n\n0\n\n0\n\n0\n\n0\n\n0\n\n0\n\n0\n\n"
    assert old in text
    doc = Document.from_text(text.replace(old, "3.要求提供公开出版物\n\n"), "empty.txt")
    t3 = {table.name: table for table in find_tables(doc, SCHEMAS)}["T3"]
    assert t3.uncertain_rows == {"R5_3"} and "R5_3" in t3.row_labels
    assert values(t3, "R5_4") == [0] * 7 and t3.cell("R5_4", "NP").status is CellStatus.NUMBER  # type: ignore[union-attr]


# --- the real excerpts of table-renderings.md ---------------------------------------------------


def test_r1_rows_one_a_line_with_pipes() -> None:
    doc = read_path(RENDERINGS / "R1-lg-2024-pipes.txt")
    t3 = {table.name: table for table in find_tables(doc, EXCERPT_SCHEMAS)}["T3"]
    assert {row: values(t3, row) for row in t3.row_labels} == {
        "NEW": [58, 7, 0, 0, 1, 0, 66], "CARRY_IN": [2, 0, 0, 0, 0, 0, 2], "R1": [2, 1, 0, 0, 0, 0, 3],
        "R2": [16, 1, 0, 0, 0, 0, 17], "R3_1": [0] * 7, "R3_2": [0] * 7, "R3_3": [0] * 7,
    }  # fmt: skip
    cell = t3.cell("NEW", "SUM")
    assert cell is not None and (doc.position(cell.start).line, doc.position(cell.start).column) == (5, 45)
    start, _ = t3.row_labels["R3_1"]  # after the row-spanned "(三)不予公开 | "
    assert (doc.position(start).line, doc.position(start).column) == (9, 11)
    assert sorted(t3.lines) == list(range(2, 12))  # the caption and header rows, not the part heading


def test_r2_one_cell_a_line_with_labels_in_pieces() -> None:
    doc = read_path(RENDERINGS / "R2-taiping-2022-cell-per-line.txt")
    t3 = {table.name: table for table in find_tables(doc, EXCERPT_SCHEMAS)}["T3"]
    assert values(t3, "NEW") == [0] * 7
    # The excerpt stops after one value of 二、 and of 1.属于国家秘密: those rows are uncertain.
    assert t3.uncertain_rows == {"CARRY_IN", "R3_1"}
    assert min(t3.lines) == 3 and doc.line_text(3).startswith("(本列数据")  # "商业"/"企业" pieces are header


def test_r5_markdown_with_invented_headers_and_r7_browser_copy() -> None:
    t3 = tables_of(RENDERINGS / "R5-shuyang-2025-markdown.txt", EXCERPT_SCHEMAS)["T3"]
    assert {row: values(t3, row) for row in t3.row_labels} == {
        row: SHUYANG_T3_ROWS[row] for row in ("NEW", "R6_1", "R6_2", "R6_3", "TOTAL", "CARRY_OUT")
    }
    t4 = tables_of(RENDERINGS / "R5-shuyang-2025-markdown.txt", EXCERPT_SCHEMAS)["T4"]
    assert {row: values(t4, row) for row in t4.schema.row_keys} == SHUYANG_T4_ROWS
    t3 = tables_of(RENDERINGS / "R7a-innertext-tabs.txt", EXCERPT_SCHEMAS)["T3"]
    assert values(t3, "NEW") == [13612, 252, 0, 45, 128, 32, 14069] and values(t3, "R3_2") == [30, 0, 0, 0, 0, 0, 30]


def test_a_report_without_the_anchors_costs_no_tokenising(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> None:
        raise AssertionError("tokenised")

    monkeypatch.setattr(extract._Tokeniser, "run", fail)
    doc = read_path(ROOT / "fixtures" / "reports" / "004_de61297b1667e9da.txt")
    assert find_tables(doc, SCHEMAS) == []
    assert find_tables(Document.from_text("一、总体情况\n本年新收政府信息公开申请数量5件。\n"), SCHEMAS) == []


def test_prose_numbers_and_headings_are_not_cells() -> None:
    # The anchors are there (in prose), the table is not: no table.
    text = (
        "一、总体情况\n本年新收政府信息公开申请数量5件，结转下年度继续办理0件，无逾期不补正情形。\n"
        "二、上年结转政府信息公开申请数量\n2\n四、结转下年度继续办理\n"
    )
    tables = find_tables(Document.from_text(text), SCHEMAS)
    assert [(t.name, sorted(t.row_labels), sorted(t.uncertain_rows)) for t in tables] == []


# --- values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "options", "expected"),
    [
        ("713", {}, (CellStatus.NUMBER, 713)),
        ("７１３", {}, (CellStatus.NUMBER, 713)),
        ("1,234", {}, (CellStatus.NUMBER, 1234)),
        ("１，２３４", {}, (CellStatus.NUMBER, 1234)),
        ("0", {}, (CellStatus.NUMBER, 0)),
        ("4068.208", {"decimals": True}, (CellStatus.NUMBER, 4068.208)),
        ("4068.208", {}, (CellStatus.TEXT, None)),  # a count with decimals is no count
        ("-3", {"signed": True}, (CellStatus.NUMBER, -3)),
        ("-3", {}, (CellStatus.TEXT, None)),
        ("251000元", {"units": ("元",)}, (CellStatus.NUMBER, 251000)),
        ("251000元", {}, (CellStatus.TEXT, None)),
        ("若干", {}, (CellStatus.TEXT, None)),
        *((mark, {}, (CellStatus.BLANK, None)) for mark in ("", "/", "／", "-", "—", "——", "无", "不适用", "\xa0", " ")),
    ],
)
def test_parse_value(text: str, options: dict[str, object], expected: tuple[CellStatus, object]) -> None:
    assert parse_value(text, **options) == expected  # type: ignore[arg-type]


def test_label_key_normalises_widths_numbers_and_punctuation() -> None:
    assert label_key("（三）不予公开") == ("(三)", "不予公开")
    assert label_key("1. 属于国家秘密") == label_key("1．属于国家秘密") == label_key("1、属于国家秘密") == ("1.", "属于国家秘密")
    assert label_key("### (二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)") == label_key(
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    )
    assert label_key("3.危及“三安全一稳定”")[1] == label_key("3.危及三安全一稳定")[1] == "危及三安全一稳定"
    assert label_key("**一、本年新收政府信息公开申请数量：**") == ("一、", "本年新收政府信息公开申请数量")
    assert label_key("（三）4.保护第三方合法权益") == ("4.", "保护第三方合法权益")


def test_a_text_cell_in_a_row_of_cells_is_text() -> None:
    text = "信息内容\t本年制发件数\n规章\t0\t0\t0\n第二十条第（五）项\n信息内容\t本年处理决定数量\n行政许可\t若干\n"
    table = find_tables(Document.from_text(text), [BY_NAME["T2"]])[0]
    cell = table.cell("LIC", "COUNT")
    assert cell is not None and (cell.status, cell.raw) == (CellStatus.TEXT, "若干")
    assert table.value("LIC", "COUNT") is None and values(table, "REG") == [0, 0, 0]


def test_grid_model_of_a_word_table() -> None:
    pytest.importorskip("docx")
    from docx_builder import DocxBuilder

    builder = DocxBuilder()
    builder.paragraph("表前")
    table = builder.table([["指标", "2023年", "2024年"], ["培训", "8次", "10次"], ["", "覆盖", ""]])
    table.cell(0, 1).merge(table.cell(0, 2)).text = "年度"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "培训"
    builder.paragraph("表后")
    doc = read_bytes(builder.bytes(), "t.docx")
    assert doc.lines[:-1] == ["表前", "指标", "年度", "培训", "8次", "10次", "覆盖", "", "表后"]  # (as before)
    (grid,) = doc.grids
    assert isinstance(grid, Grid) and (grid.rows, grid.columns) == (3, 3)
    placed = [(c.row, c.column, c.rowspan, c.colspan, doc.text[c.start : c.end]) for c in grid.cells]
    assert placed == [
        (0, 0, 1, 1, "指标"), (0, 1, 1, 2, "年度"), (1, 0, 2, 1, "培训"), (1, 1, 1, 1, "8次"),
        (1, 2, 1, 1, "10次"), (2, 1, 1, 1, "覆盖"), (2, 2, 1, 1, ""),
    ]  # fmt: skip
    empty = grid.cells[-1]
    assert empty.start == empty.end == doc.offset(8, 1)
    assert (grid.start, grid.end) == (doc.offset(2, 1), doc.offset(8, 1))


def test_a_number_with_a_unit_its_column_does_not_take_is_a_text_cell() -> None:
    text = RENDERINGS.joinpath("shuyang-2025-pipes.txt").read_text(encoding="utf-8")
    old = "2.重复申请 | 6 | 1 |"
    assert old in text
    t3 = {t.name: t for t in find_tables(Document.from_text(text.replace(old, "2.重复申请 | 6件 | 1 |")), SCHEMAS)}["T3"]
    cell = t3.cell("R5_2", "NP")
    assert cell is not None and (cell.status, cell.raw) == (CellStatus.TEXT, "6件")
    assert not t3.uncertain_rows and values(t3, "R5_2") == [None, 1, 0, 0, 0, 0, 7]


def test_a_pipe_line_after_each_cell_is_read_as_r3() -> None:
    # R3 (镇 2023): one cell per line and a "|" line after each; the excerpt holds two values
    # only, so the whole 沭阳 table is written that way here.
    text = RENDERINGS.joinpath("shuyang-2025-cell-per-line.txt").read_text(encoding="utf-8")
    doc = Document.from_text(text.replace("\n\n", "\n|\n"), "r3.txt")
    tables = {table.name: table for table in find_tables(doc, SCHEMAS)}
    expected = {name: cells(table) for name, table in tables_of(SHUYANG[0]).items()}
    assert {name: cells(table) for name, table in tables.items()} == expected
    excerpt = read_path(RENDERINGS / "R3-xjnlk-2023-pipe-lines.txt")
    assert find_tables(excerpt, EXCERPT_SCHEMAS) == []  # one row of two values: not a table yet


# -- Markdown written by converters that pad merged cells ------------------------------------
PADDED_T3 = (
    "| 申请人情况 |  |  | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n"
    "|---|---|---|---|---|---|---|---|---|---|\n"
    "| 一、本年新收政府信息公开申请数量 |  |  | 86 | 9 | 0 | 1 | 3 | 0 | 99 |\n"
    "| 二、上年结转政府信息公开申请数量 |  |  | 4 | 1 | 0 | 0 | 0 | 0 | 5 |\n"
    "| 四、结转下年度继续办理 |  |  | 6 | 2 | 0 | 0 | 1 | 0 | 9 |\n"
    "逾期不补正\n"
)
PADDED_T4 = (
    "四、政府信息公开行政复议、行政诉讼情况\n\n"
    "| 行政复议 |  |  |  |  | 行政诉讼 |  |  |  |  |  |  |  |  |  |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 |  |  |  |  | 复议后起诉 |  |  |  |  |\n"
    "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 "
    "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n"
    "| 2 | 1 | 0 | 1 | 4 | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 |\n"
)


def test_a_label_padded_for_colspan_is_read() -> None:
    """``| 一、本年新收… |  |  | 86 | …``: the empty cells after a label that spans three
    columns are the label's, not blank numbers."""
    from reportlint.tables.schema import load_tables

    schemas = load_tables(ROOT / "rules" / "gongkai" / "tables.toml")
    (table,) = find_tables(Document.from_text(PADDED_T3, path="t.md"), schemas)
    assert not table.uncertain_rows
    assert [table.value("NEW", c) for c in ("NP", "BIZ", "SUM")] == [86, 9, 99]
    assert table.value("CARRY_OUT", "SUM") == 9


def test_a_padded_two_level_header_is_no_text_cell() -> None:
    """A header word where a number belongs ("行政诉讼") means the values are not aligned:
    the rows are uncertain (one hint), never text cells the report wrote (an error)."""
    from reportlint.tables.schema import load_tables

    schemas = load_tables(ROOT / "rules" / "gongkai" / "tables.toml")
    (table,) = find_tables(Document.from_text(PADDED_T4, path="t.md"), schemas)
    assert all(cell.status is not CellStatus.TEXT for cell in table.cells.values())
