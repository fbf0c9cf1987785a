"""The JSON Schemas of rule files and pack.toml (reportlint.engine.schema), generated from the
loader's field tables: every shipped file validates, and broken ones do not (the loader
refuses them too)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import BUILTIN_HIDDEN, NEUTRAL_PACK, PACKS
from reportlint.engine.loader import load_pack
from reportlint.engine.schema import pack_schema, rule_file_schema
from reportlint.rules.model import RuleError
from reportlint.support.resources import builtin_rules_dir
from reportlint.tables.schema import tables_json_schema

load_pack(PACKS / "plugin")  # registers its check kind (paragraph-length) before the schema is made
RULE_SCHEMA = rule_file_schema()
PACK_SCHEMA = pack_schema()
TABLES_SCHEMA = tables_json_schema()
PACK_DIRS = [*([] if BUILTIN_HIDDEN else sorted(p for p in builtin_rules_dir().iterdir() if p.is_dir()))]
PACK_DIRS += sorted(p for p in PACKS.iterdir() if (p / "pack.toml").is_file())
FILES = [path for directory in PACK_DIRS for path in sorted(directory.glob("*.toml"))]


def errors(schema: dict[str, Any], data: dict[str, Any]) -> list[str]:
    return [error.message for error in jsonschema.Draft202012Validator(schema).iter_errors(data)]


def test_the_schemas_are_valid_json_schemas() -> None:
    for schema in (RULE_SCHEMA, PACK_SCHEMA, TABLES_SCHEMA):
        jsonschema.Draft202012Validator.check_schema(schema)
        json.dumps(schema, ensure_ascii=False)  # (plain JSON: printable by `reportlint schema`)
    assert set(RULE_SCHEMA["properties"]["check"]["properties"]["kind"]["enum"]) >= {
        "require", "forbid", "substitute", "section", "sequence", "heading-marker",
        "heading-punctuation", "broken-line", "law-title", "expr", "paragraph-length",
    }  # fmt: skip


@pytest.mark.parametrize("path", [pytest.param(p, id=f"{p.parent.name}/{p.name}") for p in FILES])
def test_every_rule_file_and_pack_toml_validates(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    schema = {"pack.toml": PACK_SCHEMA, "tables.toml": TABLES_SCHEMA}.get(path.name, RULE_SCHEMA)
    assert errors(schema, data) == []


RULE = NEUTRAL_PACK / "NT201-space-between-chinese-and-digits.toml"
BROKEN_RULES = {
    "unknown key": ('basis = "测试依据"', 'basis = "测试依据"\nbasiss = "x"'),
    "wrong type": ('severity = "warning"', "severity = 2"),
    "bad severity": ('severity = "warning"', 'severity = "warn"'),
    "missing message": ('message = "“{context}”中汉字与数字之间有空格。"\n', ""),
    "unknown kind": ('kind = "forbid"', 'kind = "forbidd"'),
    "unknown parameter": ('fix = ""', 'fixx = ""'),
    "parameter of another kind": ('fix = ""', 'fix = ""\nby_year = "themes"'),
    "bad code": ('code = "NT201"', 'code = "nt201"'),
    "bad scope": ('[check]', 'scope = "everywhere"\n\n[check]'),
    "scope table key": ('[check]', 'scope = { parts = "plan" }\n\n[check]'),
    "example without text": ('[[good]]\ntext = "全年完成任务共5项。\\n"', '[[good]]\nnote = "x"'),
}


@pytest.mark.parametrize(("old", "new"), list(BROKEN_RULES.values()), ids=list(BROKEN_RULES))
def test_a_broken_rule_file_does_not_validate_and_does_not_load(tmp_path: Path, old: str, new: str) -> None:
    source = RULE.read_text(encoding="utf-8")
    assert old in source
    broken = source.replace(old, new, 1)
    assert errors(RULE_SCHEMA, tomllib.loads(broken))
    pack = tmp_path / "p"
    pack.mkdir()
    (pack / RULE.name).write_text(broken, encoding="utf-8")
    with pytest.raises(RuleError):
        load_pack(pack)


BROKEN_PACKS = {
    "unknown key": ('name = "neutral"', 'name = "neutral"\nnmae = "x"'),
    "part without aliases": ("[parts.other]\nlabel = \"其他事项\"\naliases = ['其他事项']", '[parts.other]\nlabel = "其他事项"'),
    "part key": ('short = "问题"', 'shorty = "问题"'),
    "year name": ("[years.2024]", "[years.24]"),
    "deadline": ('deadline = "01-31"', 'deadline = "1月31日"'),
    "report kinds without names": ('names = ["单位", "个人"]\n', ""),
    "applies_to key": ("min_signals = 2", "min_signal = 2"),
}


@pytest.mark.parametrize(("old", "new"), list(BROKEN_PACKS.values()), ids=list(BROKEN_PACKS))
def test_a_broken_pack_toml_does_not_validate_and_does_not_load(tmp_path: Path, old: str, new: str) -> None:
    source = (NEUTRAL_PACK / "pack.toml").read_text(encoding="utf-8")
    assert old in source
    broken = source.replace(old, new, 1)
    assert errors(PACK_SCHEMA, tomllib.loads(broken))
    pack = tmp_path / "p"
    pack.mkdir()
    (pack / "pack.toml").write_text(broken, encoding="utf-8")
    (pack / RULE.name).write_bytes(RULE.read_bytes())
    with pytest.raises(RuleError):
        load_pack(pack)
