"""Reading a pack's ``tables.toml``: its ``[tables.<name>]`` tables into ``TableSchema``s.

Every field is checked (its type, the type of a list's items, the allowed values, that
patterns compile, that keys are unique and that the column keys a row or ``decimals`` names
exist); a mistake is a :class:`TableSchemaError` at ``path:line`` with one line of Chinese
naming the field as written.  The rule layer turns it into its ``RuleError`` (this layer may
not import it).  The file's shape is described in docs/writing-rules.md, "Tables".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from reportlint.support.toml_text import TomlError, parse_toml
from reportlint.tables.model import AxisItem, TableSchema

__all__ = ["LAYOUTS", "TableSchemaError", "load_tables", "parse_tables", "tables_json_schema"]

LAYOUTS = ("rows", "wide")
_NAME = regex.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_KEY = regex.compile(r"[A-Z][A-Z0-9_]*")


class TableSchemaError(Exception):
    """A mistake in a tables.toml, at ``path:line``; ``problem`` is one line of Chinese."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        message = " ".join(message.splitlines())
        super().__init__(f"{path}:{line}: {message}")
        self.path = str(path)
        self.line = line
        self.problem = message


@dataclass(frozen=True)
class _Spec:
    """What one key takes: its TOML type(s), a list's item type, allowed values."""

    types: type | tuple[type, ...]
    items: type | None = None
    choices: tuple[str, ...] | None = None
    regex: bool = False  # a string (or each item) is a regular expression


_TEXT = _Spec(str)
_TEXTS = _Spec(list, str)
_REGEXES = _Spec(list, str, regex=True)
_ITEMS = _Spec(list, dict)
TABLE_FIELDS: dict[str, _Spec] = {
    "title": _TEXT,
    "version": _TEXT,
    "family": _TEXT,
    "anchors": _REGEXES,
    "header": _REGEXES,
    "layout": _Spec(str, choices=LAYOUTS),
    "decimals": _TEXTS,
    "signed": _TEXTS,
    "units": _TEXTS,
    "groups": _ITEMS,
    "columns": _ITEMS,
    "rows": _ITEMS,
}
TABLE_REQUIRED = ("title", "anchors", "columns", "rows")
COLUMN_FIELDS: dict[str, _Spec] = {"key": _TEXT, "label": _TEXT, "variants": _REGEXES}
GROUP_FIELDS = COLUMN_FIELDS
ROW_FIELDS: dict[str, _Spec] = {**COLUMN_FIELDS, "group": _TEXT, "columns": _TEXTS}
ITEM_REQUIRED = ("key", "label")
_TYPE_NAMES: dict[type, str] = {str: "字符串", bool: "布尔值", int: "整数", float: "数", list: "列表", dict: "表"}
_ITEM_NOUNS = {"columns": "列", "rows": "行", "groups": "分组"}


def _type_name(types: type | tuple[type, ...]) -> str:
    return "或".join(_TYPE_NAMES.get(t, t.__name__) for t in (types if isinstance(types, tuple) else (types,)))


def _is(value: object, types: type | tuple[type, ...]) -> bool:
    if isinstance(value, bool):  # TOML's true is not a number
        return bool in (types if isinstance(types, tuple) else (types,))
    return isinstance(value, types)


def _did_you_mean(name: str, known: Sequence[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"，是否指“{close[0]}”？" if close else f"（可用：{'、'.join(known)}）"


def _one_of(values: Sequence[str]) -> str:
    return f"应为 {'、'.join(values)} 之一" if len(values) > 1 else f"应为 {values[0]}"


def _quoted(name: str) -> str:
    """A TOML key as a pattern: bare or quoted."""
    return rf"[\"']?{regex.escape(name)}[\"']?"


class _Locator:
    """Best-effort lines of a table's keys in the source (tables.toml is written by hand:
    ``[tables.T3]`` headers, inline items ``{ key = "NEW", … }`` one a line, or
    ``[[tables.T3.rows]]`` arrays of tables)."""

    def __init__(self, source: str) -> None:
        self.lines = source.splitlines()

    def _header(self, name: str) -> int | None:
        pattern = regex.compile(rf"^\s*\[\[?\s*tables\s*\.\s*[\"']?{regex.escape(name)}[\"']?\s*[\].]")
        return next((i for i, line in enumerate(self.lines) if pattern.match(line)), None)

    def table(self, name: str) -> int:
        found = self._header(name)
        if found is None:  # an inline table: tables = { T3 = {…} } or a dotted key
            pattern = regex.compile(rf"(?:^|[\s.{{,])[\"']?{regex.escape(name)}[\"']?\s*[=.]")
            found = next((i for i, line in enumerate(self.lines) if pattern.search(line)), None)
        return 1 if found is None else found + 1

    def key(self, name: str, key: str) -> int:
        """The line of ``key`` in ``[tables.<name>]`` (its ``[[tables.<name>.key]]`` header,
        for an array of tables); the table's line when not found."""
        start = self.table(name) - 1
        own = regex.compile(rf"^\s*[\"']?{regex.escape(key)}[\"']?\s*=")
        for i in range(start + 1, len(self.lines)):
            if regex.match(r"^\s*\[", self.lines[i]):
                break
            if own.match(self.lines[i]):
                return i + 1
        nested = regex.compile(rf"^\s*\[\[?\s*tables\s*\.\s*{_quoted(name)}\s*\.\s*{regex.escape(key)}\s*\]")
        found = next((i for i, line in enumerate(self.lines) if nested.match(line)), None)
        return start + 1 if found is None else found + 1

    def item(self, name: str, key: str, index: int, item: object, occurrence: int = 0) -> int:
        """The line of item ``index`` of ``key`` (found by its own ``key = "…"``, the
        ``occurrence``-th of that key after the first)."""
        start = self.key(name, key) - 1
        item_key = item.get("key") if isinstance(item, dict) else None
        if isinstance(item_key, str) and item_key:
            pattern = regex.compile(rf"\bkey\s*=\s*[\"']{regex.escape(item_key)}[\"']")
            for i in range(start, len(self.lines)):
                if pattern.search(self.lines[i]):
                    if not occurrence:
                        return i + 1
                    occurrence -= 1
        # Without a usable key: count the items' openings ("{" of inline tables, or headers).
        header = regex.compile(rf"^\s*\[\[\s*tables\s*\.\s*{_quoted(name)}\s*\.\s*{regex.escape(key)}\s*\]\]")
        seen = -1
        for i in range(start, len(self.lines)):
            line = self.lines[i]
            count = len(header.findall(line)) or _item_openings(line if i > start else line.split("=", 1)[-1])
            if seen + count >= index:
                return i + 1
            seen += count
        return start + 1


def _item_openings(line: str) -> int:
    """The inline tables that open on ``line`` outside strings (a rough count)."""
    count, depth, quote = 0, 0, ""
    for ch in line:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        elif ch == "{":
            if depth == 0:
                count += 1
            depth += 1
        elif ch == "}":
            depth = max(depth - 1, 0)
    return count


class _Reader:
    def __init__(self, path: Path | str, source: str) -> None:
        self.path = path
        self.where = _Locator(source)

    def fail(self, line: int | Callable[[], int], message: str) -> TableSchemaError:
        return TableSchemaError(self.path, line if isinstance(line, int) else line(), message)

    def check_fields(
        self,
        data: Mapping[str, Any],
        fields: Mapping[str, _Spec],
        required: Sequence[str],
        prefix: str,
        line: Callable[[str], int],
    ) -> None:
        for key in data:
            if key not in fields:
                raise self.fail(line(key), f"{prefix}有未知的字段“{key}”{_did_you_mean(key, list(fields))}")
        for key in required:
            if key not in data:
                raise self.fail(line(""), f"{prefix}缺少字段“{key}”")
        for key, value in data.items():
            spec, label = fields[key], f"{prefix}字段“{key}”"
            if not _is(value, spec.types):
                raise self.fail(line(key), f"{label}的类型不对，应为{_type_name(spec.types)}")
            if spec.items is not None and not all(_is(item, spec.items) for item in value):
                raise self.fail(line(key), f"{label}的每一项都应为{_type_name(spec.items)}")
            if spec.choices is not None and value not in spec.choices:
                raise self.fail(line(key), f"{label}的值“{value}”无效，{_one_of(spec.choices)}")
            for pattern in value if isinstance(value, list) and spec.regex else ():
                try:
                    regex.compile(pattern)
                except regex.error as exc:
                    raise self.fail(line(key), f"{label}中的正则表达式有误（{pattern!r}）：{exc}") from None
            if isinstance(value, str) and not value.strip() and key in ("title", "key", "label"):
                raise self.fail(line(key), f"{label}不能为空")

    def items(self, name: str, table: Mapping[str, Any], key: str, fields: Mapping[str, _Spec]) -> list[AxisItem]:
        noun = _ITEM_NOUNS[key]
        out: list[AxisItem] = []
        seen: set[str] = set()
        for index, raw in enumerate(table.get(key, ())):
            prefix = f"[tables.{name}] 中“{key}”的第{index + 1}项（{noun}）"
            again = int(isinstance(raw, dict) and raw.get("key") in seen)

            def line(name: str = name, key: str = key, index: int = index, raw: Any = raw, again: int = again) -> int:
                return self.where.item(name, key, index, raw, again)  # (looked up only for an error)

            self.check_fields(raw, fields, ITEM_REQUIRED, f"{prefix}中", lambda _key, line=line: line())
            item_key = raw["key"]
            if not _KEY.fullmatch(item_key):
                message = f"{prefix}的键“{item_key}”无效，应为大写英文字母开头的大写字母、数字和下划线（如 NEW、R3_1）"
                raise self.fail(line, message)
            if item_key in seen:
                raise self.fail(line, f"[tables.{name}] 中{noun}的键“{item_key}”重复")
            seen.add(item_key)
            out.append(
                AxisItem(
                    item_key,
                    raw["label"].strip(),
                    tuple(raw.get("variants", ())),
                    raw.get("group", ""),
                    tuple(raw.get("columns", ())),
                )
            )
        if key in TABLE_REQUIRED and not out:
            raise self.fail(self.where.key(name, key), f"[tables.{name}] 中字段“{key}”不能为空")
        return out

    def table(self, name: str, table: Any) -> TableSchema:
        if not _NAME.fullmatch(name):
            message = f"表名“{name}”无效，应为英文字母开头的字母、数字、下划线和连字符（如 T3、T3-2019）"
            raise self.fail(self.where.table(name), message)
        if not isinstance(table, dict):
            raise self.fail(self.where.table(name), f"[tables.{name}] 的类型不对，应为表")
        prefix = f"[tables.{name}] 中"
        self.check_fields(table, TABLE_FIELDS, TABLE_REQUIRED, prefix, lambda key: self.where.key(name, key))
        if not table["anchors"]:
            raise self.fail(self.where.key(name, "anchors"), f"{prefix}字段“anchors”不能为空（表格出现时必有的文字）")
        columns = self.items(name, table, "columns", COLUMN_FIELDS)
        groups = self.items(name, table, "groups", GROUP_FIELDS)
        rows = self.items(name, table, "rows", ROW_FIELDS)
        column_keys = [column.key for column in columns]
        group_keys = [group.key for group in groups]
        for index, row in enumerate(rows):

            def line(index: int = index, key: str = row.key) -> int:
                return self.where.item(name, "rows", index, {"key": key})

            if row.group and row.group not in group_keys:
                hint = _one_of(group_keys) if group_keys else "须先在“groups”中定义"
                raise self.fail(line, f"{prefix}行“{row.key}”的分组“{row.group}”未定义，{hint}")
            for column in row.columns:
                if column not in column_keys:
                    raise self.fail(line, f"{prefix}行“{row.key}”的列“{column}”不是本表的列，{_one_of(column_keys)}")
        for key in ("decimals", "signed"):
            for column in table.get(key, ()):
                if column not in column_keys:
                    message = f"{prefix}字段“{key}”中的“{column}”不是本表的列，{_one_of(column_keys)}"
                    raise self.fail(self.where.key(name, key), message)
        return TableSchema(
            name=name,
            title=table["title"].strip(),
            anchors=tuple(table["anchors"]),
            rows=tuple(rows),
            columns=tuple(columns),
            decimals=tuple(table.get("decimals", ())),
            version=table.get("version", ""),
            family=table.get("family", ""),
            header=tuple(table.get("header", ())),
            layout=table.get("layout", "rows"),
            groups=tuple(groups),
            signed=tuple(table.get("signed", ())),
            units=tuple(table.get("units", ())),
        )


def parse_tables(source: str, path: Path | str = "tables.toml") -> tuple[TableSchema, ...]:
    """The schemas of a tables.toml's text, in the order the file declares them."""
    try:
        data = parse_toml(source)
    except TomlError as exc:
        raise TableSchemaError(path, exc.line, exc.problem) from None
    reader = _Reader(path, source)
    for key in data:
        if key != "tables":
            line = _top_line(source, key)
            hint = "（tables.toml 只有 [tables.<表名>] 表）"
            raise reader.fail(line, f"未知的字段“{key}”{_did_you_mean(key, ['tables'])}{hint}")
    tables = data.get("tables", {})
    if not isinstance(tables, dict):
        raise reader.fail(_top_line(source, "tables"), "字段“tables”的类型不对，应为表（[tables.<表名>]）")
    return tuple(reader.table(name, table) for name, table in tables.items())


def _top_line(source: str, key: str) -> int:
    pattern = regex.compile(rf"^\s*\[*\s*[\"']?{regex.escape(key)}[\"']?\s*[=\].]")
    return next((i + 1 for i, line in enumerate(source.splitlines()) if pattern.match(line)), 1)


def load_tables(path: Path | str) -> tuple[TableSchema, ...]:
    """The schemas of the tables.toml at ``path`` (TableSchemaError for an unreadable or
    invalid file)."""
    path = Path(path)
    try:
        if path.exists() and not path.is_file():
            raise TableSchemaError(path, 1, "无法读取表格定义文件：不是普通文件")
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise TableSchemaError(path, 1, "无法读取表格定义文件：不是 UTF-8 编码的文本") from None
    except OSError as exc:
        raise TableSchemaError(path, 1, f"无法读取表格定义文件：{exc.strerror or exc}") from None
    return parse_tables(source, path)


_JSON_TYPES = {str: "string", list: "array", dict: "object"}


def _json(spec: _Spec, fields: Mapping[str, _Spec] | None = None, required: Sequence[str] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {"type": _JSON_TYPES[spec.types] if isinstance(spec.types, type) else "string"}
    if spec.choices is not None:
        out["enum"] = list(spec.choices)
    if spec.items is str:
        out["items"] = {"type": "string", **({"format": "regex"} if spec.regex else {})}
    elif spec.items is dict and fields is not None:
        out["items"] = _object(fields, required)
    return out


def _object(fields: Mapping[str, _Spec], required: Sequence[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {key: _json(spec) for key, spec in fields.items()},
        "required": list(required),
        "additionalProperties": False,
    }


def tables_json_schema() -> dict[str, Any]:
    """The JSON Schema of a tables.toml (for editors and tests), made from the field tables
    the reader checks against; what it cannot say (patterns that compile, unique keys, the
    columns a row names) the reader still checks."""
    table = _object(TABLE_FIELDS, TABLE_REQUIRED)
    items = {"columns": COLUMN_FIELDS, "groups": GROUP_FIELDS, "rows": ROW_FIELDS}
    for key, fields in items.items():
        table["properties"][key] = _json(TABLE_FIELDS[key], fields, ITEM_REQUIRED)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "reportlint tables.toml",
        "type": "object",
        "properties": {"tables": {"type": "object", "additionalProperties": table}},
        "additionalProperties": False,
    }
