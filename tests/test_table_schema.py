"""A pack's tables.toml: its schemas, its mistakes (path:line, one line of Chinese), and a
pack that has one (loaded, cached, pickled) or none (unchanged)."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from conftest import NEUTRAL_PACK
from reportlint.engine.loader import fingerprint, load_pack, load_packs_cached
from reportlint.rules.model import RuleError, discover_packs, open_pack
from reportlint.tables.model import AxisItem
from reportlint.tables.schema import TableSchemaError, parse_tables, tables_json_schema

ROOT = Path(__file__).resolve().parent.parent
GONGKAI_TABLES = ROOT / "rules" / "gongkai" / "tables.toml"

GOOD = """\
# A small table.
[tables.T9]
title = "测试表"
version = "2021"
anchors = ['测试项目']
header = ['申请人情况']
decimals = ["AMOUNT"]
columns = [
    { key = "COUNT", label = "件数" },
    { key = "AMOUNT", label = "金额（万元）", variants = ['金额.*'] },
]
groups = [{ key = "G", label = "（一）分组" }]
rows = [
    { key = "A", label = "一、测试项目", group = "G", columns = ["COUNT"] },
    { key = "B", label = "二、收费", variants = ['收费金额'], columns = ["AMOUNT"] },
]
"""


def test_a_tables_toml_becomes_schemas() -> None:
    (schema,) = parse_tables(GOOD)
    assert (schema.name, schema.title, schema.version, schema.anchors) == ("T9", "测试表", "2021", ("测试项目",))
    assert schema.family_name == "T9" and schema.layout == "rows" and schema.header == ("申请人情况",)
    assert schema.rows == (
        AxisItem("A", "一、测试项目", (), "G", ("COUNT",)),
        AxisItem("B", "二、收费", ("收费金额",), "", ("AMOUNT",)),
    )
    assert schema.columns[1] == AxisItem("AMOUNT", "金额（万元）", ("金额.*",))
    assert schema.groups == (AxisItem("G", "（一）分组"),)
    assert schema.decimals == ("AMOUNT",)


BROKEN = {
    "toml syntax": ('title = "测试表"', 'title = "测试表', 3, "TOML 格式错误"),
    "unknown top-level key": ("# A small table.", 'tabels = 1', 1, "未知的字段“tabels”，是否指“tables”？"),
    "unknown key": ('version = "2021"', 'version = "2021"\ntitel = "x"', 5, "[tables.T9] 中有未知的字段“titel”，是否指“title”？"),
    "missing title": ('title = "测试表"\n', "", 2, "[tables.T9] 中缺少字段“title”"),
    "wrong type": ('version = "2021"', "version = 2021", 4, "[tables.T9] 中字段“version”的类型不对，应为字符串"),
    "bool is no string": ('version = "2021"', "version = true", 4, "[tables.T9] 中字段“version”的类型不对，应为字符串"),
    "items of a list": ("anchors = ['测试项目']", "anchors = ['测试项目', 3]", 5, "[tables.T9] 中字段“anchors”的每一项都应为字符串"),
    "empty anchors": ("anchors = ['测试项目']", "anchors = []", 5, "[tables.T9] 中字段“anchors”不能为空"),
    "bad regex": ("anchors = ['测试项目']", "anchors = ['测试(项目']", 5, "[tables.T9] 中字段“anchors”中的正则表达式有误"),
    "layout": ('version = "2021"', 'version = "2021"\nlayout = "tall"', 5, "[tables.T9] 中字段“layout”的值“tall”无效，应为 rows、wide 之一"),
    "row without key": ('{ key = "B", label = "二、收费"', '{ label = "二、收费"', 15, "[tables.T9] 中“rows”的第2项（行）中缺少字段“key”"),
    "row key form": ('{ key = "B",', '{ key = "b",', 15, "[tables.T9] 中“rows”的第2项（行）的键“b”无效"),
    "duplicate row key": ('{ key = "B",', '{ key = "A",', 15, "[tables.T9] 中行的键“A”重复"),
    "unknown row field": ('group = "G", columns', 'grup = "G", columns', 14, "[tables.T9] 中“rows”的第1项（行）中有未知的字段“grup”，是否指“group”？"),
    "unknown column of a row": ('columns = ["COUNT"] }', 'columns = ["COUNTS"] }', 14, "[tables.T9] 中行“A”的列“COUNTS”不是本表的列，应为 COUNT、AMOUNT 之一"),
    "unknown group": ('group = "G"', 'group = "H"', 14, "[tables.T9] 中行“A”的分组“H”未定义，应为 G"),
    "unknown decimals column": ('decimals = ["AMOUNT"]', 'decimals = ["AMT"]', 7, "[tables.T9] 中字段“decimals”中的“AMT”不是本表的列"),
    "variant regex": ("variants = ['金额.*']", "variants = ['金额(']", 10, "“columns”的第2项（列）中字段“variants”中的正则表达式有误"),
    "empty label": ('label = "件数"', 'label = " "', 9, "[tables.T9] 中“columns”的第1项（列）中字段“label”不能为空"),
    "no rows": (GOOD[GOOD.index("rows = ["):], "rows = []\n", 13, "[tables.T9] 中字段“rows”不能为空"),
    "table name": ("[tables.T9]", "[tables.9T]", 2, "表名“9T”无效"),
}


@pytest.mark.parametrize(("old", "new", "line", "message"), list(BROKEN.values()), ids=list(BROKEN))
def test_a_mistake_is_reported_at_its_line(old: str, new: str, line: int, message: str) -> None:
    assert old in GOOD
    source = GOOD.replace(old, new, 1)
    with pytest.raises(TableSchemaError) as caught:
        parse_tables(source, "p/tables.toml")
    error = caught.value
    assert (error.path, error.line) == ("p/tables.toml", line), error
    assert message in error.problem
    assert "\n" not in str(error) and str(error).startswith(f"p/tables.toml:{line}: ")


def test_an_array_of_tables_is_located_too() -> None:
    source = '[tables.T]\ntitle = "t"\nanchors = ["a"]\ncolumns = [{ key = "C", label = "c" }]\n\n'
    source += '[[tables.T.rows]]\nkey = "A"\nlabel = "a"\n\n[[tables.T.rows]]\nkey = "B"\nlabel = "b"\ncolumns = ["X"]\n'
    with pytest.raises(TableSchemaError) as caught:
        parse_tables(source)
    assert caught.value.line == 11 and "行“B”的列“X”不是本表的列" in caught.value.problem  # its key's line


# --- a pack with tables.toml --------------------------------------------------------------------


def pack_with_tables(tmp_path: Path, tables: str | None) -> Path:
    pack = tmp_path / "neutral"
    shutil.copytree(NEUTRAL_PACK, pack)
    if tables is not None:
        (pack / "tables.toml").write_text(tables, encoding="utf-8")
    return pack


def test_a_pack_without_tables_toml_is_unchanged(tmp_path: Path) -> None:
    pack = load_pack(pack_with_tables(tmp_path, None))
    assert pack.tables == ()
    assert [rule.code for rule in pack.rules] == [rule.code for rule in load_pack(NEUTRAL_PACK).rules]


def test_a_pack_loads_its_tables_and_they_pickle(tmp_path: Path) -> None:
    directory = pack_with_tables(tmp_path, GOOD)
    pack = load_pack(directory)
    assert [schema.name for schema in pack.tables] == ["T9"]
    assert "tables.toml" not in {rule.path.name for rule in pack.rules}  # not read as a rule
    assert pickle.loads(pickle.dumps(pack)).tables == pack.tables
    assert discover_packs(directory) == [directory]


def test_the_gongkai_tables_load_through_the_rule_layer() -> None:
    # (open_pack reads pack.toml and tables.toml only: the rule files are another matter)
    pack = open_pack(GONGKAI_TABLES.parent)
    assert [schema.name for schema in pack.tables] == ["T2", "T2-2019", "T3", "T3-2019", "T4"]


def test_a_mistake_in_tables_toml_is_a_rule_error_at_its_line(tmp_path: Path) -> None:
    directory = pack_with_tables(tmp_path, GOOD.replace('version = "2021"', "version = 2021"))
    with pytest.raises(RuleError) as caught:
        load_pack(directory)
    assert caught.value.line == 4 and caught.value.path == str(directory / "tables.toml")
    assert str(caught.value) == f"{directory / 'tables.toml'}:4: [tables.T9] 中字段“version”的类型不对，应为字符串"


def test_the_rule_cache_is_keyed_on_tables_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTLINT_CACHE_DIR", str(tmp_path / "cache"))
    directory = pack_with_tables(tmp_path, GOOD)
    before = fingerprint([directory])
    (packs,) = [load_packs_cached([directory])]
    assert [schema.name for schema in packs[0].tables] == ["T9"]
    assert [schema.name for schema in load_packs_cached([directory])[0].tables] == ["T9"]  # from the cache
    (directory / "tables.toml").write_text(GOOD.replace("[tables.T9]", "[tables.T8]"), encoding="utf-8")
    assert fingerprint([directory]) != before
    assert [schema.name for schema in load_packs_cached([directory])[0].tables] == ["T8"]


def test_the_json_schema_of_tables_toml() -> None:
    import tomllib

    jsonschema = pytest.importorskip("jsonschema")
    schema = tables_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(tomllib.loads(GONGKAI_TABLES.read_text(encoding="utf-8")))) == []
    assert list(validator.iter_errors(tomllib.loads(GOOD))) == []
    broken = tomllib.loads(GOOD.replace('version = "2021"', 'version = "2021"\nlayout = "tall"'))
    assert [error.message for error in validator.iter_errors(broken)] == ["'tall' is not one of ['rows', 'wide']"]
