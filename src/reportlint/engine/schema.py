"""JSON Schemas of rule files and pack.toml, generated from the loader's own field tables.

The field tables (:mod:`reportlint.rules.model`: ``RULE_FIELDS``, ``SCOPE_FIELDS``,
``PACK_FIELDS``, ``PART_FIELDS`` …) and each check kind's ``params`` are the one
description of what a rule file may hold: the loader checks every file against them, and
the schemas here are made from them, so an editor (with a TOML language server such as
Even Better TOML / taplo) validates and completes a rule file exactly as the loader reads
it.  ``reportlint schema`` prints them.

What a table cannot say (a regular expression that compiles, a part that pack.toml
defines, a message's placeholders) is left to the loader; such fields carry
``x-reportlint-format`` (``regex``, ``part``, ``template`` …) and a description.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reportlint.checks.base import KINDS, Check
from reportlint.engine.loader import load_builtin_kinds
from reportlint.rules.model import (
    CODE_PATTERN,
    NAME_PATTERN,
    PACK_FIELDS,
    REQUIRED_FIELDS,
    RULE_FIELDS,
    Field,
)

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_BASE = "https://reportlint.invalid/schema/"  # ($id only names the schema; nothing is fetched)
JSON_TYPES = {str: "string", bool: "boolean", int: "integer", list: "array", dict: "object"}
# What the loader checks of a string beyond its type (Field.format), as a description.
FORMATS = {
    "regex": "正则表达式（Python regex 模块的语法）",
    "condition": "条件表达式（expr 语言，如 report_year >= 2021）",
    "template": "消息模板，占位符写成 {名称}",
    "fix": "替换模板，\\g<名称> 或 \\1 引用分组",
    "path": "规则包目录内数据文件的相对路径",
    "part": "pack.toml 中 [parts.<名称>] 定义的部分名称",
    "month-day": "月-日，如 03-01",
}
_MONTH_DAY = "^(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12][0-9]|3[01])$"


def field_schema(field: Field) -> dict[str, Any]:
    """The JSON Schema of one field (several types: one alternative per type)."""
    types = field.types if isinstance(field.types, tuple) else (field.types,)
    alternatives = [_typed(field, t) for t in types]
    if len(alternatives) == 1:
        return alternatives[0]
    return {"anyOf": alternatives}


def _typed(field: Field, python_type: type) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": JSON_TYPES[python_type]}
    if python_type is list:
        if field.items is not None:
            schema["items"] = field_schema(field.items)
        return schema
    if python_type is dict:
        if field.fields is not None:
            schema.update(table_schema(field.fields, field.required))
        elif field.values is not None:
            schema["additionalProperties"] = field_schema(field.values)
            if field.keys is not None:
                schema["propertyNames"] = {"pattern": f"^(?:{field.keys})$"}
        return schema
    if field.choices is not None:
        schema["enum"] = list(field.choices)
    if python_type is str and field.format is not None:
        schema["x-reportlint-format"] = field.format
        schema["description"] = FORMATS.get(field.format, field.format)
        if field.format == "month-day":
            schema["pattern"] = _MONTH_DAY
    return schema


def table_schema(fields: Mapping[str, Field], required: tuple[str, ...] = ()) -> dict[str, Any]:
    """A table with fixed keys: each key's schema, no other key, the required ones."""
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {key: field_schema(field) for key, field in fields.items()},
        "additionalProperties": False,
    }
    if required:
        schema["required"] = list(required)
    return schema


def check_schema(kinds: Mapping[str, type[Check]]) -> dict[str, Any]:
    """The ``[check]`` table: ``kind`` one of ``kinds``, then that kind's parameters."""
    branches = []
    for name in sorted(kinds):
        cls = kinds[name]
        then = table_schema({"kind": Field(str), **cls.params}, ("kind", *cls.required))
        then["description"] = (cls.__doc__ or name).strip().split("\n\n")[0]
        branches.append({"if": {"properties": {"kind": {"const": name}}, "required": ["kind"]}, "then": then})
    return {
        "type": "object",
        "properties": {"kind": {"type": "string", "enum": sorted(kinds), "description": "检查类型"}},
        "required": ["kind"],
        "allOf": branches,
    }


def rule_file_schema(kinds: Mapping[str, type[Check]] | None = None) -> dict[str, Any]:
    """The JSON Schema of a rule file (``rules/<pack>/<CODE>-<name>.toml``), with the check
    kinds registered (the built-in ones, and any imported before the call) or ``kinds``."""
    if kinds is None:
        load_builtin_kinds()
        kinds = KINDS
    schema = table_schema(RULE_FIELDS, REQUIRED_FIELDS)
    properties = schema["properties"]
    properties["code"] = {**properties["code"], "pattern": CODE_PATTERN.pattern, "description": "规则代码，如 FZ101"}
    name = {"pattern": NAME_PATTERN.pattern, "description": "规则名称，如 title-missing-year"}
    properties["name"] = {**properties["name"], **name}
    properties["check"] = check_schema(kinds)
    return {"$schema": DRAFT, "$id": SCHEMA_BASE + "rule.json", "title": "reportlint 规则文件", **schema}


def pack_schema() -> dict[str, Any]:
    """The JSON Schema of a pack's ``pack.toml``."""
    schema = table_schema(PACK_FIELDS)
    return {"$schema": DRAFT, "$id": SCHEMA_BASE + "pack.json", "title": "reportlint 规则包设置（pack.toml）", **schema}
