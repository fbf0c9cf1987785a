"""The table kinds (``table``, ``table-prose``, ``identity`` through the engine), cells in the
condition language, and the masking of tables' lines in the outline, on the test pack
tests/packs/tables (物资收发年报, two toy tables) read by the real extraction."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BUILTIN_HIDDEN, NEUTRAL_PACK, PACKS
from reportlint.checks.conditions import Target, compile_program, functions_for, parse_program
from reportlint.checks.context import LintContext, Span
from reportlint.core.document import Document
from reportlint.engine.config import Config
from reportlint.engine.lint import lint_document, lint_text
from reportlint.engine.loader import load_pack
from reportlint.rules.model import Pack, RuleError

TABLES_PACK = PACKS / "tables"
TABLE = """类别\t甲类\t乙类\t合计
一、本年收入物资\t10\t2\t12
二、上年结余物资\t1\t0\t1
三、本年支出物资\t（一）发放\t5\t1\t6
（二）调拨\t3\t1\t4
（三）支出合计\t8\t2\t10
四、年末结余物资\t3\t0\t3
"""
REPORT = f"""某局2024年物资收发年报

一、总体情况

2024年，本局共收入物资12件，年末结余物资3件。

二、物资收发情况

{TABLE}
三、下一步打算

继续做好物资管理。
"""


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(TABLES_PACK)


def findings(pack: Pack, text: str, codes: tuple[str, ...] | None = None) -> list[tuple[str, int, str, str]]:
    """(code, line, the text it covers, message) of the findings of the pack's rules."""
    rules = [r for r in pack.rules if codes is None or r.code in codes]
    doc = Document.from_text(text)
    found = lint_document(doc, rules, Config(builtin_rules=False))
    return [(d.code, doc.position(d.start).line, doc.text[d.start : d.end], d.message) for d in found]


def test_a_correct_report_has_no_finding(pack: Pack) -> None:
    assert findings(pack, REPORT) == []


def test_the_tables_are_found_once_per_document_and_pack(pack: Pack) -> None:
    ctx = LintContext(Document.from_text(REPORT))
    tables = ctx.tables(pack)
    assert list(tables) == ["TA"] and ctx.tables(pack) is tables
    assert tables["TA"].value("IN", "SUM") == 12
    assert ctx.tables(None) == {}
    assert ctx.tables(load_pack(NEUTRAL_PACK)) == {}  # a pack without tables.toml


def test_the_lines_of_a_table_are_no_headings(pack: Pack) -> None:
    doc = Document.from_text(REPORT)
    plain = LintContext(doc)
    assert "本年收入物资\t10\t2\t12" in [h.title for h in plain.outline.headings]  # 一、… read as a heading
    ctx = LintContext(doc)
    ctx.mask_tables([pack])
    assert [h.title for h in ctx.outline.headings] == ["总体情况", "物资收发情况", "下一步打算"]
    table_lines = ctx.tables(pack)["TA"].lines
    assert ctx.masked_lines == table_lines and min(table_lines) == 9
    assert all(p.lines == (line,) for p in ctx.outline.paragraphs for line in p.lines if line in table_lines)
    assert not any(h.line in table_lines for h in ctx.bare_headings)
    # The section of 二 runs over the table to 三.
    (section,) = [s for s in ctx.outline.section_list if s.title == "物资收发情况"]
    assert section.end_line == 16


def test_packs_without_tables_leave_the_outline_alone() -> None:
    ctx = LintContext(Document.from_text(REPORT))
    outline = ctx.outline
    ctx.mask_tables([load_pack(NEUTRAL_PACK)])
    assert ctx.outline is outline and ctx.masked_lines == frozenset()


def test_the_engine_masks_the_tables_of_the_packs_that_check_the_report(tmp_path: Path) -> None:
    """A rule on headings does not see the table's row labels (一、… 四、 amid 一、二、三、)."""
    directory = copy_pack(tmp_path)
    (directory / "TB502-r.toml").write_text(
        rule("TB502", "kind = \"forbid\"\npattern = '物资'", "标题“{match}”", 'scope = "headings"'), encoding="utf-8"
    )
    pack = load_pack(directory)
    assert [(c, line) for c, line, *_ in findings(pack, REPORT, ("TB502",))] == [("TB502", 7)]


# -- table ------------------------------------------------------------------------------------------


def test_table_missing_found_rows_values_blank_uncertain(pack: Pack) -> None:
    assert [code for code, *_ in findings(pack, "某局2024年物资收发年报\n\n2024年，本局加强物资管理。\n")] == ["TB101"]
    old = "某局2024年物资收发年报\n\n一、本年收入物资\t10\t2\t12\n二、本年支出物资总数\t8\t2\t10\n三、年末结余物资\t3\t0\t3\n"
    assert [(c, line) for c, line, *_ in findings(pack, old)] == [("TB401", 1), ("TB102", 3)]
    assert findings(pack, old.replace("2024年", "2023年"), ("TB101", "TB102")) == []
    # (TB401's cell TA[IN, SUM] is read from the old format's table: the same family)
    lacking = REPORT.replace("（二）调拨\t3\t1\t4\n", "").replace("（一）发放\t5\t1\t6", "（一）发放\t8\t2\t10")
    assert [m for c, _, _, m in findings(pack, lacking) if c == "TB103"] == ["“物资收发情况表”缺少“三、本年支出物资 （二）调拨”一行。"]
    text = REPORT.replace("二、上年结余物资\t1\t0\t1", "二、上年结余物资\t1\t若干\t1")
    assert [(c, covered, m) for c, _, covered, m in findings(pack, text, ("TB104",))] == [
        ("TB104", "若干", "“物资收发情况表”中“二、上年结余物资·乙类”应填数字，表中为“若干”。")
    ]
    blank = REPORT.replace("二、上年结余物资\t1\t0\t1", "二、上年结余物资\t1\t—\t1").replace("年末结余物资\t3\t0", "年末结余物资\t3\t/")
    assert [(c, covered, m) for c, _, covered, m in findings(pack, blank)] == [
        ("TB105", "—", "“物资收发情况表”有 2 个单元格为空（二、上年结余物资·乙类、四、年末结余物资·乙类），按 0 计算；没有数字的栏应填 0。")
    ]
    uncertain = REPORT.replace("二、上年结余物资\t1\t0\t1", "二、上年结余物资\t1\t1")
    assert [(c, covered) for c, _, covered, _ in findings(pack, uncertain)] == [("TB106", "二、上年结余物资")]


STAFF_TABLE = """
[tables.TP]
title = "人员情况表"
anchors = ['在编人数']
columns = [{ key = "N", label = "人数" }]
rows = [{ key = "STAFF", label = "在编人数" }, { key = "HIRED", label = "本年新进人数" }]
"""


def test_table_missing_reports_each_table_once(tmp_path: Path) -> None:
    directory = copy_pack(tmp_path)
    with (directory / "tables.toml").open("a", encoding="utf-8") as handle:
        handle.write(STAFF_TABLE)
    (directory / "TB901-r.toml").write_text(
        rule("TB901", 'kind = "table"\ntable = ["TA", "TA-OLD", "TP"]\ncheck = "missing"', "缺少{tables}（{count}）"),
        encoding="utf-8",
    )
    pack = load_pack(directory)
    # Both missing, no heading names either: one finding at the title naming both (TA and
    # TA-OLD are one table in two formats).
    text = "某局2024年物资收发年报\n\n一、总体情况\n\n正文。\n"
    assert [(line, m) for _, line, _, m in findings(pack, text, ("TB901",))] == [(1, "缺少物资收发情况表、人员情况表（2）")]
    # A heading that names a table: its finding goes there.
    text = "某局2024年物资收发年报\n\n一、物资收发情况表\n\n正文。\n"
    assert [(line, m) for _, line, _, m in findings(pack, text, ("TB901",))] == [
        (1, "缺少人员情况表（1）"),
        (3, "缺少物资收发情况表（1）"),
    ]
    # The old format's table is the table.
    old = "某局2024年物资收发年报\n\n一、本年收入物资\t10\t2\t12\n二、本年支出物资总数\t8\t2\t10\n三、年末结余物资\t3\t0\t3\n"
    assert [m for *_, m in findings(pack, old, ("TB901",))] == ["缺少人员情况表（1）"]


# -- identity through the engine -------------------------------------------------------------------


def test_one_wrong_cell_of_the_report_gives_one_finding(pack: Pack) -> None:
    wrong = REPORT.replace("（三）支出合计\t8\t2\t10", "（三）支出合计\t8\t2\t11")
    assert [(c, covered, m) for c, _, covered, m in findings(pack, wrong)] == [
        ("TB201", "11", "“物资收发情况表”中“（三）支出合计·合计”应为 8+2 = 10，表中为 11。")
    ]
    wrong = REPORT.replace("（一）发放\t5\t1\t6", "（一）发放\t6\t1\t6")
    assert [(c, covered, m) for c, _, covered, m in findings(pack, wrong)] == [
        ("TB201", "6", "“物资收发情况表”中“三、本年支出物资 （一）发放·甲类”应为 6-1 = 5，表中为 6。")
    ]


def test_an_ignored_identity_takes_no_part(pack: Pack) -> None:
    wrong = REPORT.replace("（一）发放\t5\t1\t6", "（一）发放\t6\t1\t6")
    # Without the row totals (TB201 ignored), 发放 or 调拨 may be wrong: reported at the total.
    without_rows = tuple(r.code for r in pack.rules if r.code != "TB201")
    assert [(c, line, covered) for c, line, covered, _ in findings(pack, wrong, without_rows)] == [("TB203", 14, "8")]


# -- table-prose ------------------------------------------------------------------------------------


def test_prose_numbers_against_the_table(pack: Pack) -> None:
    text = REPORT.replace("共收入物资12件", "共收入物资11件")
    assert [(c, covered, m) for c, _, covered, m in findings(pack, text)] == [
        ("TB301", "11", "正文写“，本局共收入物资11件，年末结”，与物资收发情况表不符（表中为 12 或 13 件）。")
    ]
    assert findings(pack, REPORT.replace("共收入物资12件", "共收入物资13件")) == []  # with the remainder
    # The table's own row label is no prose.
    assert findings(pack, REPORT.replace("一、本年收入物资\t10", "一、本年收入物资 9件\t10"), ("TB301",)) == []


def test_prose_claims_without_a_number(pack: Pack) -> None:
    text = REPORT.replace("共收入物资12件，年末结余物资3件", "未收入物资，年末无结余")
    assert [(c, covered) for c, _, covered, _ in findings(pack, text, ("TB302",))] == [
        ("TB302", "2024年，本局未收入物资"),
        ("TB302", "年末无结余"),
    ]
    # The same claim about another year is not checked.
    assert findings(pack, text.replace("2024年，本局未收入", "2023年，本局未收入"), ("TB302",))[0][2] == "年末无结余"


def test_prose_and_conditions_read_a_blank_total_as_computed(pack: Pack) -> None:
    """A 合计 left blank is the sum its identity defines (TB201), for the prose checks and
    conditions too, not 0 (上海 2019 left its 总计 column blank)."""
    blank = REPORT.replace("一、本年收入物资\t10\t2\t12", "一、本年收入物资\t10\t2\t—")
    assert findings(pack, blank, ("TB201", "TB202", "TB301")) == []
    wrong = blank.replace("共收入物资12件", "共收入物资15件")
    assert [(c, m) for c, _, _, m in findings(pack, wrong, ("TB301",))] == [
        ("TB301", "正文写“，本局共收入物资15件，年末结”，与物资收发情况表不符（表中为 12 或 13 件）。")
    ]
    ctx = LintContext(Document.from_text(blank))
    functions = functions_for(Target(ctx, pack, Span(0, len(ctx.text))))
    assert compile_program(parse_program("TA[IN, SUM]", pack))(functions, {}) == 12


def test_prose_is_quiet_when_the_table_tells_nothing() -> None:
    pack = load_pack(TABLES_PACK)
    uncertain = REPORT.replace("一、本年收入物资\t10\t2\t12", "一、本年收入物资\t10\t12").replace("12件", "11件")
    assert findings(pack, uncertain, ("TB301",)) == []  # IN unknown: neither alternative is known


# -- cells in conditions ----------------------------------------------------------------------------


def test_cells_in_conditions(pack: Pack) -> None:
    ctx = LintContext(Document.from_text(REPORT))
    functions = functions_for(Target(ctx, pack, Span(0, len(ctx.text))))

    def value(source: str) -> object:
        return compile_program(parse_program(source, pack))(functions, {})

    assert value("TA[IN, SUM]") == 12
    assert value("sum(TA[OUT1..OUT2, A])") == 8
    assert value("sum(TA[IN, A..B]) + TA[CARRY, SUM] - 1") == 12
    assert value("TA[IN, SUM] == TA[IN, A] + TA[IN, B]") is True
    empty = LintContext(Document.from_text("某局2024年物资收发年报\n"))
    functions = functions_for(Target(empty, pack, Span(0, 1)))
    assert compile_program(parse_program("TA[IN, SUM]", pack))(functions, {}) is None
    assert compile_program(parse_program("TA[IN, SUM] >= 0", pack))(functions, {}) is False  # null: false
    assert compile_program(parse_program("TA[IN, SUM] + 1", pack))(functions, {}) is None


def test_a_cell_in_applies_if(tmp_path: Path) -> None:
    directory = copy_pack(tmp_path)
    (directory / "TB501-r.toml").write_text(
        'code = "TB501"\nname = "r"\ncategory = "tables"\nseverity = "info"\nmessage = "有结余。"\nbasis = "测试"\n'
        'applies_if = "TA[LEFT, SUM] > 0"\n[check]\nkind = "forbid"\npattern = \'下一步打算\'\n',
        encoding="utf-8",
    )
    pack = load_pack(directory)
    assert [c for c, *_ in findings(pack, REPORT, ("TB501",))] == ["TB501"]
    assert findings(pack, REPORT.replace("年末结余物资\t3\t0\t3", "年末结余物资\t0\t0\t0"), ("TB501",)) == []


# -- mistakes in rule files -------------------------------------------------------------------------


def copy_pack(tmp_path: Path) -> Path:
    directory = tmp_path / "tables"
    directory.mkdir()
    for name in ("pack.toml", "tables.toml"):
        (directory / name).write_text((TABLES_PACK / name).read_text(encoding="utf-8"), encoding="utf-8")
    return directory


def rule(code: str, check: str, message: str = "“{table}”。", extra: str = "") -> str:
    return (
        f'code = "{code}"\nname = "r{code.lower()}"\ncategory = "tables"\nseverity = "warning"\n'
        f'message = "{message}"\nbasis = "测试"\n{extra}\n[check]\n{check}\n'
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (rule("TB901", 'kind = "table"\ntable = "TX"\ncheck = "missing"'), "参数“table”中有未知的表格“TX”"),
        (rule("TB901", 'kind = "table"\ntable = "TA"\ncheck = "absent"'), "参数“check”的值“absent”无效"),
        (rule("TB901", 'kind = "table"\ntable = []\ncheck = "missing"'), "参数“table”应为表格名称"),
        (rule("TB901", 'kind = "table"\ntable = "TA"\ncheck = "rows"', "{number}"), "未知的占位符“{number}”"),
        (
            rule("TB901", "kind = \"table-prose\"\npattern = '收入(?P<n>[0-9]+)件'\nequals = [\"TA[INN, SUM]\"]", "{number}"),
            "“equals”中表格“TA”没有行“INN”，是否指“IN”？",
        ),
        (
            rule("TB901", "kind = \"table-prose\"\npattern = '收入(?P<n>[0-9]+)件'\nequals = [\"TA[IN, c] for c in columns\"]"),
            "“equals”中不能用“for c in …”",
        ),
        (
            rule("TB901", "kind = \"table-prose\"\npattern = '收入物资'\nequals = [\"TA[IN, SUM]\"]"),
            "需要命名分组 (?P<n>…)",
        ),
        (rule("TB901", "kind = \"table-prose\"\npattern = '收入(?P<n>[0-9]+)件'"), "需要参数“equals”"),
        (
            rule("TB901", 'kind = "expr"\nwhen = "TA[IN, SUM] > TB[IN, SUM]"', "无"),
            "“when”中有未知的表格“TB”",
        ),
        (
            rule("TB901", 'kind = "forbid"\npattern = "甲"', "无", 'applies_if = "sum(TA[LEFT..IN, SUM]) > 0"'),
            "“applies_if”中表格“TA”的行范围“LEFT..IN”前后颠倒",
        ),
    ],
)
def test_mistakes_stop_the_load(tmp_path: Path, text: str, problem: str) -> None:
    directory = copy_pack(tmp_path)
    (directory / "TB901-r.toml").write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_pack(directory)
    assert problem in caught.value.problem, caught.value.problem


def test_the_kinds_are_in_the_rule_schema() -> None:
    from reportlint.engine.schema import rule_file_schema

    kinds = rule_file_schema()["properties"]["check"]["properties"]["kind"]["enum"]
    assert {"table", "table-prose", "identity"} <= set(kinds)


def test_lint_text_of_a_report_of_the_pack_alone(pack: Pack) -> None:
    _, found = lint_text(REPORT.replace("共收入物资12件", "共收入物资11件"), rules=pack.rules)
    assert [d.code for d in found] == ["TB301"]


# -- the 政府信息公开 pack's table rules on real reports (fixtures/gongkai) ------------------------------

needs_gongkai = pytest.mark.skipif(BUILTIN_HIDDEN, reason="needs the built-in gongkai pack")
GONGKAI = PACKS.parent.parent / "fixtures" / "gongkai"


def gongkai_table_rules() -> list:
    from reportlint.engine.lint import load_ruleset

    pack = load_ruleset(Config()).pack_named("gongkai")
    assert pack is not None
    return [r for r in pack.rules if r.code.startswith("GK9") or r.code == "GK405"]


def gongkai_findings(path: Path, text: str | None = None) -> list[tuple[str, int, str]]:
    from reportlint.inputs.reading import read_path

    doc = read_path(path) if text is None else Document.from_text(text, path=str(path))
    found = lint_document(doc, gongkai_table_rules(), Config(pack="gongkai"))
    return [(d.code, doc.position(d.start).line, d.message) for d in found]


@needs_gongkai
@pytest.mark.parametrize("name", ["renderings/shuyang-2025-innertext.txt", "shuyang-2025.docx", "reports/01-county-government-2024.txt"])
def test_a_report_whose_tables_and_prose_agree_has_no_table_finding(name: str) -> None:
    assert gongkai_findings(GONGKAI / name) == []


@needs_gongkai
@pytest.mark.parametrize("name", ["renderings/shanghai-2019-innertext.txt", "shanghai-2019.docx"])
def test_shanghai_2019_prose_against_its_tables(name: str) -> None:
    """上海 2019 (W3 of the reference): the 总计 column blank in the result rows is computed,
    not an error; the prose's 258 (R1+R2 = 275), 265 (（四） = 337) and 均获维持 (3 cases
    尚未审结) are; 不予公开35件 and 不予处理158件 agree."""
    found = gongkai_findings(GONGKAI / name)
    assert [code for code, _, _ in found if code.startswith("GK92")] == []
    messages = [m for code, _, m in found if code in ("GK945", "GK949")]
    assert messages[0] == "正文“予以公开及部分公开258件”与表三不符：表中相应各项合计为275件。"
    assert messages[1] == "正文“无法提供265件”与表三不符：表中相应各项合计为337件。"
    assert messages[2].startswith("正文“信息公开类行政复议7件，诉讼9件，均获维持，") and messages[2].endswith("共3件。")
    assert len(messages) == 3
    assert [code for code, _, _ in found if code == "GK904"] == ["GK904", "GK904"]  # (表三 and 表四, once each)


@needs_gongkai
def test_one_wrong_cell_of_a_real_table_three_gives_one_finding_at_it() -> None:
    path = GONGKAI / "renderings" / "shuyang-2025-innertext.txt"
    text = path.read_text(encoding="utf-8")
    rules = [r for r in gongkai_table_rules() if r.check_kind == "identity"]
    pack = rules[0].pack
    table = LintContext(Document.from_text(text)).tables(pack)["T3"]
    for (row, column), cell in list(table.cells.items())[::3]:
        mutated = text[: cell.start] + str(int(cell.value or 0) + 2) + text[cell.end :]
        found = lint_document(Document.from_text(mutated), rules, Config(pack="gongkai"))
        assert [d.start for d in found] == [cell.start], (row, column, [d.message for d in found])
