"""One 政府信息公开工作年度报告 in four forms (fixtures/gongkai/forms/, made by make_forms.py):
its tables one row a line with TABs between the cells, one cell a line, as Markdown tables,
and as real Word tables with merged label cells.  The forms are one report (same prose, same
cells), give the same findings (codes and messages; only positions differ), and a wrong cell
planted in each form gives the same single finding, at that cell in that form.  Then every
number cell of 表三 in turn: one wrong cell gives exactly one error, at that cell.

Where a cell is, the tests work out from the form's own text (the row's label, then its n-th
number), not from the linter's reading of the table; in the .docx the place is checked
again against the reader's label of the line ("表2第27行第10列": Word table, row, column).

The .docx variants are made in the test: the number inside the ``<w:t>`` of that cell in
``word/document.xml`` is replaced and the archive written again (no LibreOffice on CI, and
any cell can be planted without a committed file per cell)."""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import pytest
from lxml import etree

from conftest import BUILTIN_HIDDEN, FIXTURES
from reportlint.core.diagnostics import Diagnostic, Severity
from reportlint.core.document import Document
from reportlint.engine.config import Config
from reportlint.engine.lint import RuleList, lint_document, lint_text, load_ruleset
from reportlint.inputs.reading import read_bytes, read_path
from reportlint.tables.extract import find_tables

pytestmark = pytest.mark.skipif(BUILTIN_HIDDEN, reason="needs the built-in gongkai pack")

FORMS_DIR = FIXTURES / "gongkai" / "forms"
SOURCE = FIXTURES / "gongkai" / "reports" / "01-county-government-2024.txt"
TABS, CELLS, MARKDOWN, WORD = "county-2024-tabs.txt", "county-2024-cells.txt", "county-2024.md", "county-2024.docx"
FORMS = (TABS, CELLS, MARKDOWN, WORD)
CONFIG = Config(pack="gongkai")

# 表三's rows as the report labels them (the row's own label: the last label cell of its row).
T3_ROWS = (
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
)
T3_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T4_HEADING = "四、政府信息公开行政复议、行政诉讼情况"


@cache
def rules() -> RuleList:
    return load_ruleset(CONFIG).select(CONFIG)


@cache
def identities() -> frozenset[str]:
    """The codes of the pack's identity rules (GK921–GK924, GK926)."""
    return frozenset(rule.code for rule in rules() if rule.check_kind == "identity")


def lint(doc: Document) -> list[Diagnostic]:
    return lint_document(doc, rules(), CONFIG)


def comparable(found: list[Diagnostic]) -> list[tuple[str, str, str]]:
    """What must not differ between the forms: no message of the pack names a line or a
    column, so codes, severities and messages are compared whole (in the order of the
    text, which is the same report order in every form)."""
    return [(d.code, d.severity.label, d.message) for d in found]


# -- where a cell is, in each form's own text ---------------------------------------------------


@dataclass(frozen=True)
class Place:
    line: int  # 1-based
    column: int  # 1-based, code points
    text: str


def cells_of(form: str, lines: list[str]) -> list[Place]:
    """The cells (and paragraphs) of a form's text in reading order: TAB-separated pieces,
    Markdown table cells, or whole lines (one cell a line; a Word cell's paragraph)."""
    out = []
    for number, line in enumerate(lines, start=1):
        if form == TABS:
            pieces, separator = line.split("\t"), "\t"
        elif form == MARKDOWN and line.startswith("|"):
            if set(line) <= set("|-: "):
                continue  # the delimiter row
            pieces, separator = line.split("|"), "|"
        else:
            pieces, separator = [line], ""
        column = 1
        for piece in pieces:
            stripped = piece.strip()
            if stripped:
                out.append(Place(number, column + piece.index(stripped), stripped))
            column += len(piece) + len(separator)
    return out


def _after(cells: list[Place], label: str, start: int = 0) -> int:
    """The index after the first cell from ``start`` that is ``label`` (or ends with it:
    a Markdown label cell holds a row's labels a space apart, a heading its "## ")."""
    return (
        next(i for i in range(start, len(cells)) if cells[i].text == label or cells[i].text.endswith(f" {label}")) + 1
    )


def _numbers(cells: list[Place], start: int) -> list[Place]:
    return [cell for cell in cells[start:] if cell.text.replace(".", "", 1).isdigit()]


def locate(form: str, lines: list[str], table: str, row: int, column: int) -> Place:
    """Where (表三 row, column) or (表四 row, column) is in a form: the ``column``-th number
    after the row's label (表三), or the (5·row + column)-th number after the 表四 heading."""
    cells = cells_of(form, lines)
    if table == "T3":
        at = _after(cells, T3_ROWS[row], _after(cells, T3_NOTE))
        return _numbers(cells, at)[column]
    return _numbers(cells, _after(cells, T4_HEADING))[5 * row + column]


# The cell of the Word table that holds a number: (table, row, grid column), 0-based.  表三:
# 3 header rows, then its 25 rows; 3 label columns, then the 7 numbers.  表四: 3 header rows,
# then one row of 15 numbers.
def word_cell(table: str, row: int, column: int) -> tuple[int, int, int]:
    return (1, 3 + row, 3 + column) if table == "T3" else (2, 3, 5 * row + column)


# -- planting a wrong cell ----------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _rezip(data: bytes, edit: Callable[[etree._Element], None]) -> bytes:
    """The .docx ``data`` with ``word/document.xml`` changed by ``edit``; every other part
    (and the order and compression of the parts) as it was."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "word/document.xml":
                root = etree.fromstring(content)
                edit(root)
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(info, content)
    return out.getvalue()


def plant_word_cell(data: bytes, table: str, row: int, column: int, old: str, new: str) -> bytes:
    """Replace the number of one cell of a Word table: the single ``<w:t>`` of the ``<w:tc>``
    at that grid column (columns counted with each cell's ``w:gridSpan``)."""
    number, tr_index, wanted = word_cell(table, row, column)

    def edit(root: etree._Element) -> None:
        tbl = root.find(f"{W}body").findall(f"{W}tbl")[number]
        tr = tbl.findall(f"{W}tr")[tr_index]
        assert tr.find(f"{W}trPr/{W}gridBefore") is None
        place = 0
        for tc in tr.findall(f"{W}tc"):
            if place == wanted:
                texts = tc.findall(f".//{W}t")
                assert [t.text for t in texts] == [old]
                texts[0].text = new
                return
            span = tc.find(f"{W}tcPr/{W}gridSpan")
            place += int(span.get(f"{W}val")) if span is not None else 1
        raise AssertionError(f"no cell at grid column {wanted}")

    return _rezip(data, edit)


def plant_word_text(data: bytes, before: str, old: str, new: str) -> bytes:
    """Replace the run of text ``old`` that follows a run ending with ``before`` (Word splits
    a paragraph's text into runs where digits begin and end)."""

    def edit(root: etree._Element) -> None:
        texts = list(root.iter(f"{W}t"))
        found = [
            t for previous, t in itertools.pairwise(texts) if (previous.text or "").endswith(before) and t.text == old
        ]
        assert len(found) == 1
        found[0].text = new

    return _rezip(data, edit)


@cache
def source_bytes(form: str) -> bytes:
    return (FORMS_DIR / form).read_bytes()


def read(form: str, data: bytes | None = None) -> Document:
    """The form as the linter reads it (``data``: a changed copy of the file)."""
    if data is None:
        return read_path(FORMS_DIR / form)
    return read_bytes(data, str(FORMS_DIR / form))


def with_cell(form: str, table: str, row: int, column: int) -> tuple[Document, Place]:
    """The form with one number cell plus 1, and where that cell is."""
    lines = read(form).lines
    place = locate(form, lines, table, row, column)
    new = str(int(place.text) + 1)
    if form == WORD:
        doc = read(form, plant_word_cell(source_bytes(form), table, row, column, place.text, new))
    else:
        doc = lint_text_document(replaced(lines, place, new), form)
    return doc, Place(place.line, place.column, new)


def replaced(lines: list[str], place: Place, new: str) -> str:
    """The text of ``lines`` with the cell at ``place`` written ``new``."""
    line = lines[place.line - 1]
    start = place.column - 1
    assert line[start : start + len(place.text)] == place.text
    return "\n".join(
        [*lines[: place.line - 1], line[:start] + new + line[start + len(place.text) :], *lines[place.line :]]
    )


def with_text(form: str, before: str, old: str, new: str) -> Document:
    """The form with the text ``old`` right after ``before`` (in a paragraph) changed."""
    if form == WORD:
        return read(form, plant_word_text(source_bytes(form), before, old, new))
    text = source_bytes(form).decode("utf-8")
    assert text.count(before + old) == 1
    return lint_text_document(text.replace(before + old, before + new), form)


def lint_text_document(text: str, form: str) -> Document:
    """The Document a text form's file with ``text`` is read as (the path says Markdown)."""
    return Document.from_text(text, path=str(FORMS_DIR / form))


# -- the forms are one report -------------------------------------------------------------------


def test_the_tab_form_is_the_report_it_was_made_from() -> None:
    assert (FORMS_DIR / TABS).read_bytes() == SOURCE.read_bytes()


def test_the_word_form_has_real_merged_tables() -> None:
    doc = read(WORD)
    assert doc.source_format == "docx"
    assert [(grid.rows, grid.columns) for grid in doc.grids] == [(14, 4), (28, 10), (4, 15)]
    t3 = {(cell.row, cell.column): (cell.rowspan, cell.colspan) for cell in doc.grids[1].cells}
    assert t3[(0, 0)] == (3, 3)  # the note: 3 rows × the 3 label columns
    assert t3[(5, 0)] == (22, 1)  # 三、本年度办理结果
    assert t3[(7, 1)] == (8, 1)  # （三）不予公开
    assert t3[(3, 0)] == (1, 3)  # 一、本年新收…
    t4 = {(cell.row, cell.column): (cell.rowspan, cell.colspan) for cell in doc.grids[2].cells}
    assert t4[(0, 0)] == (1, 5) and t4[(0, 5)] == (1, 10) and t4[(1, 0)] == (2, 1)


def _tables(doc: Document) -> dict[str, dict[tuple[str, str], tuple[str, int | float | None]]]:
    pack = load_ruleset(CONFIG).pack_named("gongkai")
    assert pack is not None
    return {
        table.name: {key: (cell.status.name, cell.value) for key, cell in table.cells.items()}
        for table in find_tables(doc, pack.tables)
    }


def _prose(doc: Document) -> list[str]:
    """The lines outside the tables, without blank lines and Markdown heading marks."""
    pack = load_ruleset(CONFIG).pack_named("gongkai")
    assert pack is not None
    inside = {line for table in find_tables(doc, pack.tables) for line in table.lines}
    lines = [text for number, text in enumerate(doc.lines, start=1) if number not in inside and text.strip()]
    return [text.lstrip("#").strip() if doc.is_markdown else text for text in lines]


def test_the_forms_have_the_same_cells_and_the_same_prose() -> None:
    docs = {form: read(form) for form in FORMS}
    cells = {form: _tables(doc) for form, doc in docs.items()}
    reference = cells[TABS]
    assert {name: len(found) for name, found in reference.items()} == {"T2": 10, "T3": 175, "T4": 15}
    assert all(status == "NUMBER" for found in reference.values() for status, _ in found.values())
    assert reference["T3"][("TOTAL", "SUM")] == ("NUMBER", 95)
    for form in FORMS:
        assert cells[form] == reference, form
    prose = {form: _prose(doc) for form, doc in docs.items()}
    assert prose[TABS][0] == "青石县人民政府2024年政府信息公开工作年度报告"
    assert prose[TABS][-1] == "2025年3月18日"
    for form in FORMS:
        assert prose[form] == prose[TABS], form


# -- findings -----------------------------------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
def test_clean_form_has_no_error_or_warning(form: str) -> None:
    found = lint(read(form))
    assert [d for d in found if d.severity >= Severity.WARNING] == []


def test_the_forms_give_identical_findings() -> None:
    """On the clean report (nothing, in every form), and with a figure of the prose changed
    (正文 "收到政府信息公开申请99件" → 98: the prose-vs-table rule, in every form)."""
    clean = {form: comparable(lint(read(form))) for form in FORMS}
    assert all(found == clean[TABS] for found in clean.values()), clean
    changed = {form: comparable(lint(with_text(form, "全年共收到政府信息公开申请", "99", "98"))) for form in FORMS}
    assert [code for code, _, _ in changed[TABS]] == ["GK941"]
    assert "98件" in changed[TABS][0][2]
    for form in FORMS:
        assert changed[form] == changed[TABS], form


@dataclass(frozen=True)
class Plant:
    table: str
    row: int
    column: int
    code: str  # the identity rule that reports it
    shown: str  # what its message shows (the cell's name and the arithmetic)
    at: tuple[str, int, int] | None = None  # where it is reported, when not at the cell itself


PLANTS = {
    # （七）总计·总计 95 → 96: in three identities (its row's total, its column's carry identity
    # and results total); reported by the lowest code, with that identity's arithmetic.
    "t3-total-total": Plant("T3", 23, 6, "GK921", "“（七）总计·总计”应为99+5-9 = 95，表中为96"),
    # A body cell, （四）无法提供 1.本机关不掌握相关政府信息·自然人 18 → 19: in its row's total
    # and its column's results total.
    "t3-body": Plant("T3", 12, 0, "GK922", "1.本机关不掌握相关政府信息·自然人”应为22-2-0-1-1-0 = 18，表中为19"),
    # 表四 行政复议·总计 4 → 5.
    "t4-total": Plant("T4", 0, 4, "GK924", "“行政复议·总计”应为2+1+0+1 = 4，表中为5"),
    # 表四 复议后起诉·结果纠正 0 → 1: a cell of 表四 is in one identity only, its row's total,
    # with the four other cells of that row: any one of the five could be the wrong one, so
    # the broken identity is reported on its left side, at the 总计 (which still reads 0).
    "t4-part": Plant("T4", 2, 1, "GK924", "“行政诉讼 复议后起诉·总计”应为0+1+0+0 = 1，表中为0", at=("T4", 2, 4)),
}


@pytest.mark.parametrize("plant", PLANTS)
def test_a_planted_cell_gives_one_finding_at_that_cell_in_every_form(plant: str) -> None:
    case = PLANTS[plant]
    at = case.at or (case.table, case.row, case.column)
    found: dict[str, list[tuple[str, str, str]]] = {}
    for form in FORMS:
        doc, planted = with_cell(form, case.table, case.row, case.column)
        diagnostics = lint(doc)
        found[form] = comparable(diagnostics)
        identity = [d for d in diagnostics if d.code in identities()]
        assert [d.code for d in identity] == [case.code], (form, found[form])
        (finding,) = identity
        assert case.shown in finding.message, (form, finding.message)
        where = planted if case.at is None else locate(form, doc.lines, *at)
        position = doc.position(finding.start)
        assert (position.line, position.column) == (where.line, where.column), form
        assert doc.text[finding.start : finding.end] == where.text, form
        if form == WORD:
            number, tr, grid_column = word_cell(*at)
            label = doc.line_labels[position.line]
            assert label.startswith(f"表{number + 1}第{tr + 1}行第{grid_column + 1}列“"), label
    for form in FORMS:
        assert found[form] == found[TABS], form


# -- every cell of 表三 ---------------------------------------------------------------------------


def test_every_cell_of_table_three_is_found_alone_at_its_place() -> None:
    """Each of the 175 number cells of 表三 (tab form) plus 1: exactly one error, an
    identity's, at that cell, its message naming the cell and showing the arithmetic that
    gives the cell's right value.

    Every such cell can be told apart by arithmetic: it stands in its row's identity (GK922,
    总计 = the six kinds of applicant) and in one or two of its column's (GK921 for 一、二、
    （七）、四; GK923 for （一）…（七）), and it is the only cell the broken ones share; the
    other cells of the broken identities also stand in identities that still hold.  (In 表四,
    by contrast, each cell is in one identity only: see ``t4-part`` above.)"""
    text = (FORMS_DIR / TABS).read_text(encoding="utf-8")
    lines = text.split("\n")
    failures = []
    places = set()
    for row, label in enumerate(T3_ROWS):
        for column, name in enumerate(T3_COLUMNS):
            place = locate(TABS, lines, "T3", row, column)
            new = str(int(place.text) + 1)
            doc, found = lint_text(replaced(lines, place, new), path=TABS, config=CONFIG, rules=rules())
            errors = [d for d in found if d.severity is Severity.ERROR]
            where = [(d.code, doc.position(d.start).line, doc.position(d.start).column) for d in errors]
            right = (
                len(errors) == 1
                and errors[0].code in identities()
                and where[0][1:] == (place.line, place.column)
                and doc.text[errors[0].start : errors[0].end] == new
                and f"{label}·{name}”应为" in errors[0].message
                and f"= {place.text}" in errors[0].message
                and f"表中为{new}" in errors[0].message
            )
            places.add((place.line, place.column))
            if not right:
                failures.append((f"{label}·{name}", place.text, new, (place.line, place.column), where))
    assert len(places) == 175
    assert failures == []
