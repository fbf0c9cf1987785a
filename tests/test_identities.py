"""The ``identity`` kind and its culprit solver (GK925), on tables built by hand (the
extraction is tested on its own): one wrong cell anywhere in a 25×7 table gives exactly one
finding, at that cell; two wrong cells, two findings; an unknown cell silences only the
identities that touch it; a blank cell counts as 0, a blank total is computed."""

from __future__ import annotations

import random
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest

import reportlint.tables.extract as extract
from reportlint.checks.identities import _gauss, show
from reportlint.core.diagnostics import Diagnostic
from reportlint.core.document import Document
from reportlint.engine.config import Config
from reportlint.engine.lint import lint_document
from reportlint.engine.loader import load_pack
from reportlint.rules.model import Pack, Rule, RuleError
from reportlint.tables.model import Cell, CellStatus, Table, TableSchema

COLUMNS = ["NP", "BIZ", "SCI", "NGO", "LAW", "OTH", "SUM"]
RESULTS = ["R1", "R2", *(f"R3_{i}" for i in range(1, 9)), *(f"R4_{i}" for i in range(1, 4))]
RESULTS += [*(f"R5_{i}" for i in range(1, 6)), *(f"R6_{i}" for i in range(1, 4))]
ROWS = ["NEW", "CARRY_IN", *RESULTS, "TOTAL", "CARRY_OUT"]
LABELS = {"NEW": "一、本年新收政府信息公开申请数量", "TOTAL": "（七）总计", "CARRY_OUT": "四、结转下年度继续办理"}
COLUMN_LABELS = {"NP": "自然人", "SUM": "总计"}

TABLES_TOML = "\n".join(
    [
        "[tables.T3]",
        'title = "收到和处理政府信息公开申请情况"',
        "anchors = ['本年新收']",
        "columns = [" + ", ".join(f'{{ key = "{c}", label = "{COLUMN_LABELS.get(c, c)}" }}' for c in COLUMNS) + "]",
        "rows = [",
        *(f'  {{ key = "{r}", label = "{LABELS.get(r, r)}" }},' for r in ROWS),
        "]",
        "",
        "[tables.T4]",
        'title = "政府信息公开行政复议、行政诉讼情况"',
        "anchors = ['结果维持']",
        'columns = [{ key = "KEEP", label = "结果维持" }, { key = "FIX", label = "结果纠正" },'
        ' { key = "OTHER", label = "其他结果" }, { key = "PENDING", label = "尚未审结" }, { key = "TOTAL", label = "总计" }]',
        'rows = [{ key = "RV", label = "行政复议" }, { key = "LD", label = "未经复议直接起诉" }, { key = "LR", label = "复议后起诉" }]',
        "",
    ]
)
MESSAGE = "{table}“{cell}”应为 {expected}，表中为 {actual}。{blank_note}"
IDENTITIES = {
    "GK921": "T3[NEW, c] + T3[CARRY_IN, c] == T3[TOTAL, c] + T3[CARRY_OUT, c] for c in columns",
    "GK922": "T3[r, SUM] == sum(T3[r, NP..OTH]) for r in rows",
    "GK923": "T3[TOTAL, c] == sum(T3[R1..R6_3, c]) for c in columns",
    "GK924": "T4[g, TOTAL] == sum(T4[g, KEEP..PENDING]) for g in rows",
}


def rule_file(code: str, identity: str, extra: str = "", message: str = MESSAGE) -> str:
    return (
        f'code = "{code}"\nname = "r{code.lower()}"\ncategory = "structure"\nseverity = "error"\n'
        f'message = "{message}"\nbasis = "测试"\n{extra}\n[check]\nkind = "identity"\nidentity = "{identity}"\n'
    )


def make_pack(tmp_path: Path, rules: dict[str, str], tables: str = TABLES_TOML) -> Pack:
    directory = tmp_path / "gk"
    directory.mkdir()
    (directory / "pack.toml").write_text('name = "gk"\n', encoding="utf-8")
    (directory / "tables.toml").write_text(tables, encoding="utf-8")
    for code, text in rules.items():
        (directory / f"{code}-r.toml").write_text(text, encoding="utf-8")
    return load_pack(directory)


@pytest.fixture
def pack(tmp_path: Path) -> Pack:
    return make_pack(tmp_path, {code: rule_file(code, identity) for code, identity in IDENTITIES.items()})


def consistent_values(seed: int = 7) -> dict[tuple[str, str], int]:
    """A 表三 whose every identity holds."""
    rng = random.Random(seed)
    values: dict[tuple[str, str], int] = {}
    for column in COLUMNS[:-1]:
        for row in RESULTS:
            values[row, column] = rng.choice([0, 0, 1, 2, 3, 5, 8, 13])
        values["TOTAL", column] = sum(values[row, column] for row in RESULTS)
        values["CARRY_IN", column] = rng.randint(0, 3)
        values["CARRY_OUT", column] = rng.randint(0, 3)
        values["NEW", column] = values["TOTAL", column] + values["CARRY_OUT", column] - values["CARRY_IN", column]
    for row in ROWS:
        values[row, "SUM"] = sum(values[row, column] for column in COLUMNS[:-1])
    return values


Written = dict[tuple[str, str], int | str | None]  # a number, "" for a blank cell, text, None: unread


def build(schema: TableSchema, values: Written, uncertain: frozenset[str] = frozenset()) -> tuple[str, Table]:
    """The text of a 表三 written one row a line, tab-separated, and its Table (by hand)."""
    text = "某局2024年政府信息公开工作年度报告\n\n"
    cells: dict[tuple[str, str], Cell] = {}
    start = len(text)
    labels = {}
    for row in ROWS:
        line_start = len(text)
        text += LABELS.get(row, row)
        labels[row] = (line_start, len(text))
        for column in COLUMNS:
            text += "\t"
            value = values.get((row, column))
            if value is None:
                continue
            at = len(text)
            text += str(value)
            if value == "":
                status, number = CellStatus.BLANK, None
            elif isinstance(value, int):
                status, number = CellStatus.NUMBER, value
            else:
                status, number = CellStatus.TEXT, None
            cells[row, column] = Cell(row, column, status, number, str(value), at, len(text))
        text += "\n"
    return text, Table(schema, start, len(text), cells, labels, uncertain, frozenset(range(3, 3 + len(ROWS))))


def run(pack: Pack, text: str, tables: list[Table], rules: list[Rule] | None = None) -> list[Diagnostic]:
    """Lint ``text`` with ``pack``'s rules (or ``rules``), its tables being ``tables``."""
    doc = Document.from_text(text)
    saved = extract.find_tables
    extract.find_tables = lambda doc, schemas: tables
    try:
        return lint_document(doc, pack.rules if rules is None else rules, Config(builtin_rules=False))
    finally:
        extract.find_tables = saved


Place = tuple[str, str, int]  # (code, row, offset)


def lint(
    pack: Pack, values: Written, rules: list[Rule] | None = None, uncertain: frozenset[str] = frozenset()
) -> tuple[Table, list[Diagnostic]]:
    schema = next(s for s in pack.tables if s.name == "T3")
    text, table = build(schema, values, uncertain)
    return table, run(pack, text, [table], rules)


def place(table: Table, code: str, row: str, column: str) -> Place:
    found = table.cell(row, column)
    assert found is not None
    return code, row, found.start


def places(table: Table, found: list[Diagnostic]) -> list[Place]:
    """(code, row, offset) of each finding, the row told by the cell at its offset."""
    rows = {cell.start: cell.row for cell in table.cells.values()}
    return [(d.code, rows.get(d.start, "?"), d.start) for d in found]


def cells() -> Iterator[tuple[str, str]]:
    for row in ROWS:
        for column in COLUMNS:
            yield row, column


def test_a_consistent_table_has_no_finding(pack: Pack) -> None:
    assert lint(pack, dict(consistent_values()))[1] == []


def test_one_wrong_cell_anywhere_gives_one_finding_at_that_cell(pack: Pack) -> None:
    values = consistent_values()
    rng = random.Random(3)
    for row, column in cells():
        wrong = dict(values)
        wrong[row, column] = values[row, column] + rng.randint(1, 4)
        table, found = lint(pack, wrong)
        assert len(found) == 1, (row, column, [d.message for d in found])
        cell = table.cell(row, column)
        assert cell is not None and (found[0].start, found[0].end) == (cell.start, cell.end), (row, column)
        message = found[0].message
        assert message.endswith(f"，表中为 {wrong[row, column]}。"), message
        assert f" = {values[row, column]}" in message or f"应为 {values[row, column]}，" in message, message


def test_the_finding_is_the_lowest_code_and_shows_its_arithmetic(pack: Pack) -> None:
    values = consistent_values()
    values.update({("NEW", c): v for c, v in zip(COLUMNS, [58, 7, 0, 0, 1, 0, 66], strict=True)})
    values = consistent_from_new(values)
    wrong = dict(values)
    wrong["NEW", "SUM"] = 67
    table, found = lint(pack, wrong)
    assert places(table, found) == [place(table, "GK921", "NEW", "SUM")]  # GK921 (column SUM) and GK922 (row NEW)
    total, carry_in, carry_out = values["TOTAL", "SUM"], values["CARRY_IN", "SUM"], values["CARRY_OUT", "SUM"]
    name = "“一、本年新收政府信息公开申请数量·总计”"
    assert found[0].message == f"收到和处理政府信息公开申请情况{name}应为 {total}+{carry_out}-{carry_in} = 66，表中为 67。"
    # With GK921 not run (ignored by the user), GK922 names the same cell with the row's arithmetic.
    table, found = lint(pack, wrong, rules=[r for r in pack.rules if r.code != "GK921"])
    assert places(table, found) == [place(table, "GK922", "NEW", "SUM")]
    assert found[0].message.endswith(f"{name}应为 58+7+0+0+1+0 = 66，表中为 67。")


def consistent_from_new(values: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """``values`` with NEW kept and the rest made consistent (CARRY_OUT, else R1, absorbs it)."""
    for column in COLUMNS[:-1]:
        values["CARRY_IN", column] = 0
        values["TOTAL", column] = sum(values[row, column] for row in RESULTS)
        excess = values["TOTAL", column] - values["NEW", column]
        while excess > 0:
            row = next(r for r in RESULTS if values[r, column] > 0)
            taken = min(excess, values[row, column])
            values[row, column] -= taken
            excess -= taken
        values["TOTAL", column] = sum(values[row, column] for row in RESULTS)
        values["CARRY_OUT", column] = values["NEW", column] - values["TOTAL", column]
    assert all(values[row, column] >= 0 for row in ROWS for column in COLUMNS[:-1])
    for row in ROWS:
        values[row, "SUM"] = sum(values[row, column] for column in COLUMNS[:-1])
    return values


def test_two_wrong_cells_give_two_findings(pack: Pack) -> None:
    values = consistent_values()
    wrong = dict(values)
    wrong["R1", "NP"] += 1
    wrong["R5_2", "LAW"] += 2
    table, found = lint(pack, wrong)
    assert places(table, found) == [place(table, "GK922", "R1", "NP"), place(table, "GK922", "R5_2", "LAW")]
    # Two wrong cells of one row: each named, with the arithmetic of its column (the row's
    # identity holds both).
    wrong = dict(values)
    wrong["R2", "BIZ"] += 1
    wrong["R2", "OTH"] += 3
    table, found = lint(pack, wrong)
    assert places(table, found) == [place(table, "GK923", "R2", "BIZ"), place(table, "GK923", "R2", "OTH")]
    assert all("+" in d.message or "-" in d.message for d in found)


def test_two_wrong_cells_that_cannot_be_told_apart_are_reported_identity_by_identity(pack: Pack) -> None:
    values = consistent_values()
    wrong = dict(values)
    wrong["R1", "NP"] += 1
    wrong["R2", "BIZ"] += 1  # (R1·BIZ and R2·NP, each one up, explain the sums as well)
    table, found = lint(pack, wrong)
    assert places(table, found) == [
        place(table, "GK922", "R1", "SUM"),
        place(table, "GK922", "R2", "SUM"),
        place(table, "GK923", "TOTAL", "NP"),
        place(table, "GK923", "TOTAL", "BIZ"),
    ]
    # Each at the total its identity names (its left side), with both sides.
    assert found[0].message.endswith(f"= {values['R1', 'SUM'] + 1}，表中为 {values['R1', 'SUM']}。")


def test_an_unknown_cell_silences_only_the_identities_it_is_in(pack: Pack) -> None:
    values = consistent_values()
    wrong: Written = dict(values)
    wrong["R1", "NP"] = "若干"  # text: unknown
    assert lint(pack, wrong)[1] == []
    wrong["R1", "BIZ"] = values["R1", "BIZ"] + 2  # its row's identity is unknown; its column's tells
    table, found = lint(pack, wrong)
    assert places(table, found) == [place(table, "GK923", "R1", "BIZ")]
    # A cell not read at all, or a row not aligned, is unknown too.
    wrong = dict(values)
    wrong["R3_1", "SCI"] = None
    wrong["R3_2", "SCI"] = values["R3_2", "SCI"] + 1
    table, found = lint(pack, wrong)
    assert places(table, found) == [place(table, "GK922", "R3_2", "SCI")]
    wrong = dict(values)
    wrong["R4_2", "NGO"] = values["R4_2", "NGO"] + 1
    assert lint(pack, wrong, uncertain=frozenset({"R4_2"}))[1] == []


def test_a_blank_cell_counts_as_zero(pack: Pack) -> None:
    values = consistent_values()
    zero = next((row, column) for row, column in cells() if values[row, column] == 0 and column != "SUM")
    blank: Written = dict(values)
    blank[zero] = ""
    assert lint(pack, blank)[1] == []
    # A blank cell where a number belongs is the culprit, shown as 空白.
    nonzero = next((row, column) for row, column in cells() if row in RESULTS and column != "SUM" and values[row, column])
    blank = dict(values)
    blank[nonzero] = ""
    table, found = lint(pack, blank)
    assert places(table, found) == [place(table, "GK922", *nonzero)] and found[0].start == found[0].end
    assert found[0].message.endswith(f"= {values[nonzero]}，表中为 空白。（空白单元格按 0 计算）")


def test_a_blank_total_is_computed_not_checked(pack: Pack) -> None:
    """上海 2019: the 总计 column left blank for every result row: no finding (the blanks are
    the table kind's to report), and the column's own identities use the computed totals."""
    values = consistent_values()
    blank: Written = dict(values)
    for row in RESULTS:
        blank[row, "SUM"] = ""
    assert lint(pack, blank)[1] == []
    # A wrong cell in a row whose total is blank breaks its column's sum and, through the
    # computed totals, the 总计 column's; which row is wrong cannot be told (the row totals
    # are blank): each broken identity is reported at its total.
    blank["R3_4", "OTH"] = values["R3_4", "OTH"] + 1
    table, found = lint(pack, blank)
    assert places(table, found) == [place(table, "GK923", "TOTAL", "OTH"), place(table, "GK923", "TOTAL", "SUM")]
    # A wrong cell of a row whose total is written is found.
    blank["R3_4", "OTH"] = values["R3_4", "OTH"]
    blank["R3_4", "SUM"] = values["R3_4", "SUM"]
    blank["R3_4", "NP"] = values["R3_4", "NP"] + 1
    table, found = lint(pack, blank)
    assert places(table, found) == [place(table, "GK922", "R3_4", "NP")]


def test_blank_left_zero_reads_a_blank_total_as_zero(tmp_path: Path) -> None:
    rules = {code: rule_file(code, identity) for code, identity in IDENTITIES.items() if code != "GK922"}
    rules["GK922"] = rule_file("GK922", IDENTITIES["GK922"]) + 'blank_left = "zero"\n'
    pack = make_pack(tmp_path, rules)
    values = consistent_values()
    blank: Written = dict(values)
    row = next(r for r in RESULTS if values[r, "SUM"] > 0)
    blank[row, "SUM"] = ""
    table, found = lint(pack, blank)
    assert places(table, found) == [place(table, "GK922", row, "SUM")]
    assert found[0].message.endswith(f"= {values[row, 'SUM']}，表中为 空白。（空白单元格按 0 计算）")


def test_rules_that_do_not_run_take_no_part(tmp_path: Path) -> None:
    rules = {code: rule_file(code, identity) for code, identity in IDENTITIES.items()}
    rules["GK921"] = rule_file("GK921", IDENTITIES["GK921"], 'applies_if = "report_year >= 2030"')
    pack = make_pack(tmp_path, rules)
    wrong = dict(consistent_values())
    wrong["NEW", "NP"] += 2  # in GK921 (column NP) and GK922 (row NEW)
    # GK921 does not apply to a 2024 report: only the row's identity is broken, and any of
    # its cells may be wrong: it is reported at the total it names.
    table, found = lint(pack, wrong)
    assert places(table, found) == [place(table, "GK922", "NEW", "SUM")]
    # GK922 ignored too: nothing is left to tell.
    assert lint(pack, wrong, rules=[r for r in pack.rules if r.code != "GK922"])[1] == []


def test_all_identities_apply_the_cell_is_named(pack: Pack) -> None:
    wrong = dict(consistent_values())
    wrong["NEW", "NP"] += 2
    table, found = lint(pack, wrong)
    assert places(table, found) == [place(table, "GK921", "NEW", "NP")]


def test_table_four_review_totals(pack: Pack) -> None:
    lines = ["行政复议\t27\t10\t9\t15\t60", "未经复议直接起诉\t3\t0\t0\t0\t3", "复议后起诉\t8\t0\t1\t1\t10"]
    text = "某局2024年政府信息公开工作年度报告\n\n" + "".join(line + "\n" for line in lines)
    schema = next(s for s in pack.tables if s.name == "T4")
    cells: dict[tuple[str, str], Cell] = {}
    offset = text.index(lines[0])
    for row, line in zip(["RV", "LD", "LR"], lines, strict=True):
        label, *raws = line.split("\t")
        position = offset + len(label) + 1
        for column, raw in zip(["KEEP", "FIX", "OTHER", "PENDING", "TOTAL"], raws, strict=True):
            cells[row, column] = Cell(row, column, CellStatus.NUMBER, int(raw), raw, position, position + len(raw))
            position += len(raw) + 1
        offset += len(line) + 1
    table = Table(schema, text.index(lines[0]), len(text), cells, {r: (0, 0) for r in ["RV", "LD", "LR"]})
    found = run(pack, text, [table])
    assert [(d.code, text[d.start : d.end]) for d in found] == [("GK924", "60")]
    assert found[0].message == "政府信息公开行政复议、行政诉讼情况“行政复议·总计”应为 27+10+9+15 = 61，表中为 60。"


@pytest.mark.parametrize(
    ("identity", "problem"),
    [
        ("T5[NEW, c] == 1 for c in columns", "“identity”中有未知的表格“T5”（可用：T3、T4）"),
        ("T3[NWE, c] == 1 for c in columns", "“identity”中表格“T3”没有行“NWE”，是否指“NEW”？"),
        ("T3[TOTAL, c] == sum(T3[R6_3..R1, c]) for c in columns", "“identity”中表格“T3”的行范围“R6_3..R1”前后颠倒"),
        ("T3[c, SUM] == 1 for c in columns", "“identity”中的循环变量“c”取表格的列（in columns），却用作了行"),
        ("T3[NEW, SUM] == 1 for c in columns", "“identity”中的循环变量“c”没有用作单元格的行或列"),
        ("T3[NEW, c] == 1 for c in cols", "“identity”中“for c in cols”的范围应为 rows、columns 或 [名称, …]"),
        ("T3[NEW, c] == 1 for c in [NP, XX]", "“identity”中表格“T3”没有列“XX”"),
        ("T3[NEW, c] > 1 for c in columns", "“identity”应为一个等式“左边 == 右边”"),
        ("T3[NEW, SUM] == count('件')", "“identity”应为一个等式“左边 == 右边”"),
        ("T3[NEW, SUM] ==", "无法解析“identity”的等式：表达式在结尾处不完整"),
    ],
)
def test_mistakes_in_an_identity_stop_the_load(tmp_path: Path, identity: str, problem: str) -> None:
    with pytest.raises(RuleError) as caught:
        make_pack(tmp_path, {"GK921": rule_file("GK921", identity)})
    assert problem in caught.value.problem, caught.value.problem
    assert caught.value.line == 10  # (the identity's line)


def test_an_identity_on_a_pack_without_tables_stops_the_load(tmp_path: Path) -> None:
    directory = tmp_path / "plain"
    directory.mkdir()
    (directory / "pack.toml").write_text('name = "plain"\n', encoding="utf-8")
    (directory / "XX101-r.toml").write_text(rule_file("XX101", IDENTITIES["GK922"]), encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_pack(directory)
    assert "但规则包没有声明任何表格" in caught.value.problem


def test_the_linear_solver() -> None:
    one = Fraction(1)
    assert _gauss([[one, one, Fraction(3)], [one, -one, Fraction(1)]], 2) == [2, 1]
    assert _gauss([[one, one, Fraction(3)], [2 * one, 2 * one, Fraction(6)]], 2) is True  # many
    assert _gauss([[one, one, Fraction(3)], [one, one, Fraction(4)]], 2) is None  # none
    assert show(Fraction(4068208, 1000)) == "4068.208" and show(Fraction(66)) == "66"
