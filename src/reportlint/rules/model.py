"""Reading and validating declarative rule packs (their TOML, not their checks).

A pack is a directory ``rules/<pack>/`` holding one rule per ``*.toml`` file
(``FZ101-title-missing-organ.toml``), an optional ``pack.toml`` with pack-wide
settings, an optional ``tables.toml`` declaring the tables its reports hold
(:mod:`reportlint.tables.schema`), and data files the rules refer to (``data/*.tsv``).
pack.toml is the pack's profile: which reports it applies to (``[applies_to]``), its
report kinds and how to infer them (``[report_kinds]``), the deadline of each
(``[profiles.<kind>]``), the named parts of a report (``[parts.<name>]``), year tables,
basis texts, extra dictionary words.
Every mistake in a rule file is reported as ``path:line: message`` through
:class:`RuleError`.  The checks are compiled by the engine's loader
(:mod:`reportlint.engine.loader`), the one place rules meet checks.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import regex

from reportlint.core.diagnostics import Severity
from reportlint.support.rxcache import LazyPattern
from reportlint.support.toml_text import TomlError, parse_toml
from reportlint.tables.model import TableSchema

CATEGORY_NAMES = (  # in the order the docs list them
    "structure",
    "required-content",
    "formulation",
    "citation",
    "punctuation",
    "numbering",
    "dates",
    "evidence",
    "tables",  # a table's presence, shape and arithmetic (the table check kinds)
    "consistency",  # figures in the prose against the tables
)
CATEGORIES = frozenset(CATEGORY_NAMES)
# Their Chinese names, as `reportlint rules` and the dashboard show them (with the
# categories of reportlint's own findings); an unknown category shows as itself.
CATEGORY_TITLES = {
    "structure": "结构",
    "required-content": "必备内容",
    "formulation": "规范表述",
    "citation": "法规引用",
    "punctuation": "标点",
    "numbering": "序号",
    "dates": "日期",
    "evidence": "实证",
    "tables": "表格",
    "consistency": "表文一致",
    "duplicate": "跨报告雷同",
    "internal": "内部",
}
SEVERITIES = ("error", "warning", "info", "hint")
SCOPE_NAMES = ("document", "title", "headings", "body", "main", "opening", "tail")  # in the docs' order
CODE_PATTERN = LazyPattern(r"^[A-Z]{1,4}[0-9]{3}$")
NAME_PATTERN = LazyPattern(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
# The values the engine passes to every message (``{report_year}`` …); each check kind adds
# its own (``Check.placeholders``).
COMMON_PLACEHOLDERS = frozenset({"report_year", "next_year", "title"})


@dataclass(frozen=True)
class Field:
    """What one key of a rule file or pack.toml takes.  The field tables below (and each
    check kind's ``params``) are the one description of each place: the loader checks every
    file against them, and the rule-file schema is generated from them.

    ``types``: the TOML type(s) of the value (a bool is never taken for an integer);
    ``items``: for a list, what each item takes; ``fields``: for a table with fixed keys,
    what each key takes (``required``: the keys it must have); ``values``: for a table whose
    keys are names (parts, years), what each value takes, ``keys`` a regular expression the
    names must match; ``choices``: the values a string or integer may have (``hint``: added
    to the message when it has none of them); ``format``: what a string means — "regex",
    "condition" (the expr language), "template" (a message with ``{name}`` placeholders),
    "fix" (a regex replacement, ``\\g<name>``), "path" (a data file inside the pack folder),
    "part" (a part of pack.toml), "month-day" (``03-01``)."""

    types: type | tuple[type, ...]
    items: Field | None = None
    fields: Mapping[str, Field] | None = None
    required: tuple[str, ...] = ()
    values: Field | None = None
    keys: str | None = None
    choices: tuple[Any, ...] | None = None
    hint: str = ""
    format: str | None = None


TEXT = Field(str)
FLAG = Field(bool)
INTEGER = Field(int)
REGEX = Field(str, format="regex")
TEXTS = Field(list, items=TEXT)
REGEXES = Field(list, items=REGEX)
CONDITION = Field(str, format="condition")
SEVERITY = Field(str, choices=SEVERITIES)
DATA_FILE = Field(str, format="path")
PART_NAME = Field(str, format="part")
EXAMPLE_FIELDS: dict[str, Field] = {"text": TEXT, "fixed": TEXT, "note": TEXT, "severity": SEVERITY}
EXAMPLES = Field(list, items=Field((str, dict), fields=EXAMPLE_FIELDS, required=("text",)))
SCOPE_FIELDS: dict[str, Field] = {
    "part": Field((str, list), items=PART_NAME, format="part"),
    "section": REGEXES,
    "level": INTEGER,
    "within": Field(str, choices=("all", "heading", "body")),
}
RULE_FIELDS: dict[str, Field] = {
    "code": TEXT,
    "name": TEXT,
    "title": TEXT,
    "category": TEXT,  # CATEGORY_NAMES or the pack's own ``categories``
    "severity": SEVERITY,
    "message": Field(str, format="template"),
    "basis": TEXT,
    "why": TEXT,
    "fix_title": Field(str, format="template"),
    "fix_safe": FLAG,
    "enabled": FLAG,
    "status": TEXT,
    "applies_if": CONDITION,
    "if_unfinished": Field(str, choices=("info", "skip")),
    "info_if": CONDITION,
    "scope": Field(
        (str, dict), fields=SCOPE_FIELDS, choices=SCOPE_NAMES, hint="，或为表 { part = … } / { section = […] }"
    ),
    "check": Field(dict),  # ``kind`` and the kind's own ``params`` (reportlint.checks)
    "bad": EXAMPLES,
    "good": EXAMPLES,
    "todo": EXAMPLES,
}
REQUIRED_FIELDS = ("code", "name", "category", "severity", "message", "basis", "check")
# pack.toml: [parts.<name>] tables, [years.<YYYY>] tables and [profiles.<kind>] tables.
PART_FIELDS: dict[str, Field] = {
    "label": TEXT,
    "short": TEXT,  # a short label (a dashboard column's header); default: the label
    "aliases": REGEXES,
    "strong": REGEXES,
    "level": Field(int, choices=(0, 1, 2, 3, 4)),
    "unclaimed": FLAG,
    "required": FLAG,
}
YEAR_ITEM_FIELDS: dict[str, Field] = {"label": TEXT, "pattern": REGEX}
# One year's table: a list of terms per name (``by_year = "<name>"`` in a require rule),
# each a string or { label, pattern }.
YEAR_TABLE = Field(dict, values=Field(list, items=Field((str, dict), fields=YEAR_ITEM_FIELDS, required=("label",))))
PROFILE_FIELDS: dict[str, Field] = {"deadline": Field(str, format="month-day")}
# [applies_to]: which reports the pack applies to (see Applicability).
APPLIES_TO_FIELDS: dict[str, Field] = {"titles": REGEXES, "signals": REGEXES, "min_signals": INTEGER}
# [report_kinds]: the kinds of report the pack knows, and [[report_kinds.infer]] how a
# report's kind is told when the configuration names none (see Pack.infer_report_kind).
KIND_INFERENCE_FIELDS: dict[str, Field] = {"name": TEXT, "title": REGEXES, "signature": REGEXES}
REPORT_KINDS_FIELDS: dict[str, Field] = {
    "names": TEXTS,
    "default": TEXT,
    "infer": Field(list, items=Field(dict, fields=KIND_INFERENCE_FIELDS, required=("name",))),
}
# [basis]: the basis the pack gives reportlint's own findings about its reports.
BASIS_FIELDS: dict[str, Field] = {"duplicate": TEXT}  # RL101, a passage copied from another report
PACK_FIELDS: dict[str, Field] = {
    "name": TEXT,
    "description": TEXT,
    "applies_to": Field(dict, fields=APPLIES_TO_FIELDS),
    "report_kinds": Field(dict, fields=REPORT_KINDS_FIELDS, required=("names",)),
    "basis": Field(dict, fields=BASIS_FIELDS),
    "check_kinds": TEXTS,  # modules to import for the pack's own check kinds
    "closing_parts": Field(list, items=PART_NAME),
    "unfinished_note": Field(str, format="template"),
    "assumed_year": INTEGER,
    "words": TEXTS,
    "categories": TEXTS,
    "parts": Field(dict, values=Field(dict, fields=PART_FIELDS, required=("aliases",))),
    "years": Field(dict, values=YEAR_TABLE, keys=r"[0-9]{4}", hint="，应为四位数的年份（[years.2024]）"),
    "profiles": Field(dict, values=Field(dict, fields=PROFILE_FIELDS)),
}


class RuleError(Exception):
    """A mistake in a rule file, located at ``path:line``; ``message`` is one line of
    Chinese for the rule's author (field and key names as written in the file)."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        path, message = one_line(str(path)), one_line(message)  # a value's line break never splits it
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.problem = message


_LINE_BREAKS = {ord(c): c.encode("unicode_escape").decode("ascii") for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"}


def one_line(text: str) -> str:
    """``text`` with every character that would start a new line written as an escape (\\n)."""
    return text.translate(_LINE_BREAKS) if not text.isprintable() else text


TYPE_NAMES: dict[type, str] = {str: "字符串", bool: "布尔值（true 或 false）", int: "整数", list: "列表", dict: "表"}


def type_name(expected: type | tuple[type, ...]) -> str:
    """The TOML type(s) a field takes, in Chinese (``(str, list)`` → 字符串或列表)."""
    types = expected if isinstance(expected, tuple) else (expected,)
    return "或".join(TYPE_NAMES.get(t, t.__name__) for t in types)


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """The tail of an "unknown name" message: the closest known name, or the known ones."""
    import difflib  # late: only a broken rule file needs it

    names = list(known)
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if close:
        return f"，是否指“{close[0]}”？"
    return f"（可用：{'、'.join(names)}）" if names else ""


def one_of(allowed: Iterable[object]) -> str:
    """``应为 a、b、c 之一`` (one allowed value: ``应为 a``)."""
    values = [str(value) for value in allowed]
    return f"应为 {values[0]}" if len(values) == 1 else f"应为 {'、'.join(values)} 之一"


def invalid_value(label: str, value: object, allowed: Iterable[object]) -> str:
    """``字段“severity”的值“warn”无效，应为 error、warning、info、hint 之一``."""
    return f"{label}的值“{value}”无效，{one_of(allowed)}"


def os_reason(exc: OSError | ValueError) -> str:
    """Why a file could not be read, in Chinese where the cause is a common one."""
    if isinstance(exc, UnicodeDecodeError):
        return "不是 UTF-8 编码的文本"
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    if isinstance(exc, IsADirectoryError):
        return "这是一个目录，不是文件"
    if isinstance(exc, PermissionError):
        return "权限不足"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


def is_of(value: object, types: type | tuple[type, ...]) -> bool:
    """Whether a TOML value has one of ``types`` (a bool is never taken for an integer)."""
    if isinstance(value, bool):
        return bool in (types if isinstance(types, tuple) else (types,))
    return isinstance(value, types)


@dataclass(frozen=True)
class Place:
    """A table of a rule file or pack.toml checked against its field table: where its
    mistakes are reported and how their messages name it.  ``keys``: the table's key path
    in the file (``("check",)``, ``("parts", "plan")``; list indexes as ints); ``prefix``:
    how a message names the table ("" at a file's top level, "字段“scope”中",
    "[parts.plan] 中"); ``noun``: what its keys are called ("字段", "参数", "" for 键);
    ``owner``: the subject of a check kind's messages (检查类型“forbid”没有参数…);
    ``home``: the key path a missing key is reported at; ``base``: the pack folder."""

    path: Path
    locate: Callable[[tuple[Any, ...]], int]  # the line of a key path
    keys: tuple[Any, ...] = ()
    prefix: str = ""
    noun: str = "字段"
    owner: str = ""
    home: tuple[Any, ...] | None = None
    base: Path | None = None

    def label(self, key: object) -> str:
        return f"{self.prefix}{self.noun}“{key}”"

    def fail(self, key: object, message: str) -> RuleError:
        return RuleError(self.path, self.locate((*self.keys, key)), message)

    def unknown(self, key: str, known: Iterable[str]) -> RuleError:
        hint = did_you_mean(key, known)
        if self.owner:
            return self.fail(key, f"{self.owner}没有{self.noun}“{key}”{hint}")
        if self.prefix:
            return self.fail(key, f"{self.prefix}有未知的{self.noun or '键'}“{key}”{hint}")
        return self.fail(key, f"未知的{self.noun}“{key}”{hint}")

    def missing(self, key: str) -> RuleError:
        home = self.keys if self.home is None else self.home
        line = self.locate(home) if home else 1
        if self.owner:
            return RuleError(self.path, line, f"{self.owner}需要{self.noun}“{key}”")
        if self.prefix:
            return RuleError(self.path, line, f"{self.prefix}缺少{self.noun or '键'}“{key}”")
        return RuleError(self.path, line, f"缺少必填{self.noun}“{key}”")

    def inside(self, keys: tuple[Any, ...], prefix: str, noun: str = "") -> Place:
        """The place of a table nested at ``keys`` below this one (an index: a list's item)."""
        return Place(self.path, self.locate, (*self.keys, *keys), prefix, noun, base=self.base)


def check_table(
    table: Mapping[str, Any], fields: Mapping[str, Field], place: Place, required: Sequence[str] = ()
) -> None:
    """Check a table against its field table: no unknown key, every required key, each
    value of its field's type, choices and format; RuleError at the first mistake."""
    for key in table:
        if key not in fields:
            raise place.unknown(key, fields)
    for key in required:
        if key not in table:
            raise place.missing(key)
    for key, value in table.items():
        check_value(value, fields[key], place, key, place.label(key))


def check_value(value: Any, field: Field, place: Place, key: Any, label: str) -> None:
    """Check the value of ``key`` in ``place`` against ``field``; ``label`` names it in
    messages (参数“pattern”, [parts.plan] 中字段“level”)."""
    if not is_of(value, field.types):
        raise place.fail(key, f"{label}的类型不对，应为{type_name(field.types)}")
    if isinstance(value, list):
        items = field.items
        if items is None:
            return
        if items.format == "regex" and all(isinstance(item, str) for item in value) and _compiles(value):
            return  # (their alternation compiles, as the kinds compile it: each is checked only if not)
        for index, item in enumerate(value):
            if not is_of(item, items.types):
                raise place.fail(key, f"{label}的每一项都应为{type_name(items.types)}")
            if isinstance(item, dict) and items.fields is not None:
                if place.keys:
                    inner = place.inside((key, index), f"{label}的列表项中")
                else:  # an array of tables at a file's top level: [[bad]]
                    inner = place.inside((key, index), f"[[{key}]] 中", "字段")
                check_table(item, items.fields, inner, items.required)
            else:
                check_value(item, items, place, key, f"{label}中")
        return
    if isinstance(value, dict):
        if field.fields is not None:
            check_table(value, field.fields, place.inside((key,), f"{label}中"), field.required)
        elif field.values is not None:
            _check_named_values(value, field, place, key, label)
        return
    if field.choices is not None and value not in field.choices:
        raise place.fail(key, invalid_value(label, value, field.choices) + field.hint)
    if field.format == "regex":
        _compile_or_fail(value, place.path, lambda: place.locate((*place.keys, key)))
    elif field.format == "path" and place.base is not None:
        try:
            data_file(place.base, value)
        except ValueError as exc:
            raise place.fail(key, f"{label}的数据文件“{value}”{exc}") from None
    elif field.format == "month-day" and not MONTH_DAY.fullmatch(value):
        raise place.fail(key, f"{label}的值“{value}”无效，应为“月-日”，如 03-01")


def _compiles(patterns: list[str]) -> bool:
    """Whether the alternation of ``patterns`` compiles (``(?:a)|(?:b)``, as the kinds and
    the parts join a list; the ``regex`` module keeps it for their own compile)."""
    try:
        regex.compile("|".join(f"(?:{p})" for p in patterns))
    except regex.error:
        return False
    return True


MONTH_DAY = LazyPattern(r"(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12][0-9]|3[01])")


def _check_named_values(value: dict[str, Any], field: Field, place: Place, key: Any, label: str) -> None:
    """A table whose keys are names (``[parts.plan]``, ``fix_map``): each value against
    ``field.values``.  At a file's top level each is a section of its own ([parts.plan])."""
    values = field.values
    assert values is not None
    for name, item in value.items():
        if field.keys is not None and not regex.fullmatch(field.keys, name):
            raise place.inside((key,), "").fail(name, f"{label}中的名称“{name}”无效{field.hint}")
        if place.keys or values.types is not dict:
            check_value(item, values, place.inside((key,), f"{label}中"), name, f"{label}中“{name}”")
            continue
        section = f"[{key}.{name}]"
        if not isinstance(item, dict):
            raise place.fail(key, f"{section} 的类型不对，应为表")
        inner = place.inside((key, name), f"{section} 中", "字段")
        if values.fields is not None:
            check_table(item, values.fields, inner, values.required)
        elif values.values is not None:
            for inner_key, inner_value in item.items():
                check_value(inner_value, values.values, inner, inner_key, inner.label(inner_key))


def data_file(base: Path, name: str) -> Path:
    """The data file ``name`` of the pack in ``base``: a relative path to a regular file
    inside the pack folder (a link may not lead out of it); ValueError says why not."""
    if not name.strip():
        raise ValueError("无效：文件名为空")
    relative = Path(name)
    if relative.is_absolute() or name.startswith(("/", "\\")) or relative.drive:
        raise ValueError("是绝对路径；数据文件应放在规则包目录内，写相对于该目录的路径")
    try:
        root = base.resolve()
        resolved = (base / relative).resolve()
    except (OSError, RuntimeError, ValueError):
        raise ValueError("无法解析") from None
    if not resolved.is_relative_to(root):
        raise ValueError("在规则包目录之外；数据文件应放在规则包目录内")
    if not resolved.exists():
        raise ValueError("不存在")
    if not resolved.is_file():
        raise ValueError("不是普通文件")
    return resolved


@dataclass(frozen=True)
class Example:
    text: str
    fixed: str | None = None  # expected text after applying the rule's fixes
    note: str = ""
    severity: str | None = None  # a bad example's expected severity, when not the rule's own


@dataclass(frozen=True)
class Scope:
    """Where a rule looks.  ``name`` is one of SCOPE_NAMES or "section"."""

    name: str = "document"
    part: str | None = None  # a named part from pack.toml
    aliases: tuple[str, ...] = ()  # or heading patterns given inline
    level: int | None = None  # restrict matching sections to one heading level
    within: str = "all"  # "all" | "heading" | "body" of the matched section
    parts: tuple[str, ...] = ()  # several named parts (scope = { part = ["achievements", "plan"] })

    @property
    def is_section(self) -> bool:
        return self.name == "section"

    @cached_property
    def pattern(self) -> LazyPattern:
        """The inline heading patterns (``aliases``) as one expression."""
        return LazyPattern("|".join(f"(?:{a})" for a in self.aliases))


@dataclass(eq=False)
class Rule:
    code: str
    name: str
    category: str
    severity: Severity
    message: str
    basis: str
    check_kind: str
    params: dict[str, Any]
    scope: Scope
    path: Path
    pack: Pack
    title: str = ""  # a short Chinese name (`reportlint rules`); "" when the rule file gives none
    why: str = ""
    fix_title: str = ""
    fix_safe: bool = True
    enabled: bool = True
    status: str = "stable"
    bad: tuple[Example, ...] = ()
    good: tuple[Example, ...] = ()
    todo: tuple[Example, ...] = ()
    # A condition on the report (the expr language: report_year, kind, …) for the rule to
    # apply at all, e.g. "report_year >= 2021" for wording that changed that year.
    applies_if: str = ""
    # What happens to its findings in a report that looks unfinished (no 落款, none of the
    # pack's closing parts): "info" (reported as a hint) or "skip".
    if_unfinished: str = ""
    # A condition under which its findings are only hints: the report shows what the rule
    # asks for in a weaker form (e.g. the leaders' own acts told inside another part).
    info_if: str = ""
    check: Any = None  # the compiled check object, set by the loader
    condition: Any = None  # applies_if as a program, set by the loader
    info_condition: Any = None  # info_if as a program, set by the loader

    def key_line(self, key: str) -> int:
        return self.pack.key_line(self.path, key)

    def place(self) -> Place:
        """The rule file's top level, for checking its tables against the field tables."""
        path, pack = self.path, self.pack
        return Place(path, lambda keys: pack.locate(path, keys), base=pack.directory)


@dataclass(frozen=True)
class Part:
    """A named part of a report (e.g. the 不足 part), found by heading patterns."""

    name: str
    label: str
    aliases: tuple[str, ...]
    level: int | None = 1
    # Headings that name this part clearly enough to be found one level below the top (the
    # review parts under one 一、2024年法治政府建设情况 heading); none: top level only.
    strong: tuple[str, ...] = ()
    # Found by structure too: the top-level sections no other part claims (thematic headings).
    unclaimed: bool = False
    # Whether the report must have it (a part such as 其他需要报告的情况 only claims sections).
    required: bool = True
    short: str = ""  # a short label (a dashboard column's header); "" when the pack gives none

    def __post_init__(self) -> None:
        if not self.short:
            object.__setattr__(self, "short", self.label)

    @cached_property
    def pattern(self) -> LazyPattern:
        return LazyPattern("|".join(f"(?:{a})" for a in self.aliases))

    @cached_property
    def strong_pattern(self) -> LazyPattern | None:
        return LazyPattern("|".join(f"(?:{a})" for a in self.strong)) if self.strong else None

    def pattern_for(self, year: int | None) -> LazyPattern:
        """The aliases with ``<report_year>`` and ``<next_year>`` filled in for a report of
        ``year`` (an alias naming a year never matches when the year is unknown)."""
        if not any("<report_year>" in a or "<next_year>" in a for a in self.aliases):
            return self.pattern
        return _year_pattern(self.aliases, year)


@lru_cache(maxsize=256)
def _year_pattern(aliases: tuple[str, ...], year: int | None) -> LazyPattern:
    def fill(alias: str) -> str:
        if year is None:
            return alias if "<report_year>" not in alias and "<next_year>" not in alias else "(?!)"
        return alias.replace("<report_year>", str(year)).replace("<next_year>", str(year + 1))

    return LazyPattern("|".join(f"(?:{fill(a)})" for a in aliases))


@dataclass(eq=False)
class Pack:
    name: str
    directory: Path
    settings: dict[str, Any] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    parts: dict[str, Part] = field(default_factory=dict)
    # pack.toml's [years.YYYY] tables, compiled: year -> name -> (label, pattern) per term
    year_terms: dict[str, dict[str, tuple[tuple[str, LazyPattern], ...]]] = field(default_factory=dict)
    # [applies_to]: which reports the pack applies to; None: every report
    applies_to: Applicability | None = None
    # [report_kinds]: the kinds of report it knows (in the order messages list them), the
    # kind of a report nothing tells, and how a report's kind is told
    report_kinds: tuple[str, ...] = ()
    default_report_kind: str | None = None
    kind_inference: tuple[KindInference, ...] = ()
    # tables.toml beside pack.toml: the tables its reports hold (reportlint.tables); () if none
    tables: tuple[TableSchema, ...] = ()
    # The text of its files as loaded, for the line of a key in an error message.  Not kept
    # in the rule cache (half its size: loading it cost every cold start): read again from
    # disk on the rare later question (an example's line in a test).
    _sources: dict[Path, str] = field(default_factory=dict, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_sources"] = {}
        return state

    def _source(self, path: Path) -> str:
        source = self._sources.get(path)
        if source is None:
            try:
                source = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                source = ""
            self._sources[path] = source
        return source

    def key_line(self, path: Path, key: str) -> int:
        """Line of ``key`` (dotted, e.g. ``check.pattern``) in ``path``; 1 if not found."""
        return find_key_line(self._source(path), key)

    def locate(self, path: Path, keys: tuple[Any, ...]) -> int:
        """Line of a key path in one of the pack's files (an example: its [[bad]] table)."""
        source = self._source(path)
        if len(keys) >= 2 and keys[0] in ("bad", "good", "todo") and isinstance(keys[1], int):
            key = keys[2] if len(keys) > 2 and isinstance(keys[2], str) else None
            return _example_line(source, keys[0], keys[1], key)
        return locate_key(source, keys)

    def data_path(self, relative: str) -> Path:
        """A data file of the pack (checked at load by ``data_file``: inside the pack folder)."""
        return data_file(self.directory, relative)

    @property
    def words(self) -> tuple[str, ...]:
        """Extra dictionary words for word segmentation."""
        return tuple(self.settings.get("words", ()))

    @property
    def description(self) -> str:
        return str(self.settings.get("description", ""))

    def basis(self, name: str) -> str | None:
        """The pack's basis text for reportlint's own finding ``name`` ([basis]; None: none)."""
        return self.settings.get("basis", {}).get(name)

    def deadline(self, report_kind: str | None) -> str | None:
        """The deadline (``MM-DD`` of the next year) of a report of ``report_kind``."""
        if report_kind is None:
            return None
        return self.settings.get("profiles", {}).get(report_kind, {}).get("deadline") or None

    def infer_report_kind(self, title: str, signature: Sequence[str], timeout: float | None = None) -> str | None:
        """The kind of a report: the first [[report_kinds.infer]] entry whose ``title``
        pattern the title matches, else the first whose ``signature`` pattern one of the
        last lines (the 落款) matches, else the pack's default."""
        for entry in self.kind_inference:
            if entry.title is not None and entry.title.search(title, timeout=timeout):
                return entry.name
        for entry in self.kind_inference:
            if entry.signature is not None and any(entry.signature.search(line, timeout=timeout) for line in signature):
                return entry.name
        return self.default_report_kind


@dataclass(frozen=True)
class Applicability:
    """Which reports a pack applies to (pack.toml ``[applies_to]``): those whose title
    matches one of ``titles``, and, for drafts and excerpts without such a title, those
    whose text matches at least ``min_signals`` of the ``signals`` patterns."""

    titles: tuple[str, ...] = ()
    signals: tuple[str, ...] = ()
    min_signals: int = 1

    @cached_property
    def title_pattern(self) -> LazyPattern | None:
        return LazyPattern("|".join(f"(?:{t})" for t in self.titles)) if self.titles else None

    @cached_property
    def signal_patterns(self) -> tuple[LazyPattern, ...]:
        return tuple(LazyPattern(signal) for signal in self.signals)

    def title_matches(self, title: str, timeout: float | None = None) -> bool:
        pattern = self.title_pattern
        return bool(title and pattern is not None and pattern.search(title, timeout=timeout))

    def applies(self, title: str, text: str, timeout: float | None = None) -> bool:
        return self.title_matches(title, timeout) or self.signal_count(text, timeout) >= self.min_signals

    def signal_count(self, text: str, timeout: float | None = None) -> int:
        """How many of the signals the text holds (counting stops at ``min_signals``)."""
        found = 0
        for signal in self.signal_patterns:
            if signal.search(text, timeout=timeout):
                found += 1
                if found >= self.min_signals:
                    break
        return found


@dataclass(frozen=True)
class KindInference:
    """One entry of ``[[report_kinds.infer]]``: a report kind and the title and 落款
    patterns that tell it."""

    name: str
    title: LazyPattern | None = None
    signature: LazyPattern | None = None


def find_key_line(source: str, dotted: str) -> int:
    """Best-effort line number of a TOML key such as ``check.kind`` or ``message``."""
    *tables, key = dotted.split(".")
    return find_table_key_line(source, tables, key)


def find_table_key_line(source: str, tables: Sequence[str], key: str) -> int:
    """Best-effort line number of ``key`` (bare or quoted, e.g. ``"*.txt"``) in the table
    ``tables`` (e.g. ``["tool", "reportlint", "per-file-ignores"]``); the table's header line
    if the key is not found in it."""
    lines = source.splitlines()
    start = 0
    if tables:
        header = regex.compile(r"^\s*\[+\s*" + regex.escape(".".join(tables)) + r"\s*\]+")
        for i, line in enumerate(lines):
            if header.match(line):
                start = i
                break
    quoted = regex.escape(key)
    key_re = regex.compile(rf"""^\s*(?:{quoted}|"{quoted}"|'{quoted}')\s*=""")
    for i in range(start, len(lines)):
        if key_re.match(lines[i]):
            return i + 1
    if tables:
        return start + 1
    return 1


_HEADER = LazyPattern(r"^\s*\[")


def _key_pattern(key: str) -> str:
    quoted = regex.escape(key)
    return rf"""(?:{quoted}|"{quoted}"|'{quoted}')"""


def locate_key(source: str, keys: Sequence[Any]) -> int:
    """Best-effort line of a key path in a TOML source (``("check", "pattern")``,
    ``("parts", "plan", "level")``; list indexes are skipped): the deepest key found in its
    own table (under a ``[table]`` header, or before any header at the top level) or as a
    table of its own (``[parts.plan]``), else the nearest enclosing key found (an inline
    table's key); 1 when none is found."""
    names = [key for key in keys if isinstance(key, str)]
    lines = source.splitlines()

    def header(tables: Sequence[str]) -> int | None:  # the index of the [a.b] line
        dotted = r"\s*\.\s*".join(_key_pattern(table) for table in tables)
        pattern = regex.compile(rf"^\s*\[\[?\s*{dotted}\s*\]\]?\s*(?:#.*)?$")
        return next((i for i, line in enumerate(lines) if pattern.match(line)), None)

    for depth in range(len(names), 0, -1):
        tables, key = names[: depth - 1], names[depth - 1]
        start = header(tables) if tables else -1
        if start is not None:
            key_re = regex.compile(rf"^\s*{_key_pattern(key)}\s*=")
            for i in range(start + 1, len(lines)):
                if _HEADER.match(lines[i]) and not key_re.match(lines[i]):
                    break
                if key_re.match(lines[i]):
                    return i + 1
        found = header(names[:depth])
        if found is not None:
            return found + 1
    return 1


def _read_toml(path: Path) -> tuple[dict[str, Any], str]:
    try:
        if path.exists() and not path.is_dir() and not path.is_file():
            raise RuleError(path, 1, "无法读取规则文件：不是普通文件")  # (a FIFO would block the read)
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(path, 1, f"无法读取规则文件：{os_reason(exc)}") from None
    try:
        return parse_toml(source), source
    except TomlError as exc:
        raise RuleError(path, exc.line, exc.problem) from None


def _example_line(source: str, table: str, index: int, key: str | None = None) -> int:
    """Line of the ``index``-th ``[[table]]`` example (of its ``key`` when given and found);
    for examples written inline (``bad = [...]``), the line of ``table``."""
    lines = source.splitlines()
    header = regex.compile(r"^\s*\[\[\s*" + regex.escape(table) + r"\s*\]\]")
    starts = [i for i, line in enumerate(lines) if header.match(line)]
    if index >= len(starts):
        return find_key_line(source, table)
    start = starts[index]
    if key is not None:
        key_re = regex.compile(rf"""^\s*(?:{regex.escape(key)}|"{regex.escape(key)}")\s*=""")
        for i in range(start + 1, len(lines)):
            if lines[i].lstrip().startswith("["):
                break
            if key_re.match(lines[i]):
                return i + 1
    return start + 1


def _parse_examples(raw: list[Any] | None) -> tuple[Example, ...]:
    """The examples of one list (checked against EXAMPLE_FIELDS already)."""
    return tuple(
        Example(item)
        if isinstance(item, str)
        else Example(item["text"], item.get("fixed"), item.get("note", ""), item.get("severity"))
        for item in raw or ()
    )


def _parse_scope(raw: Any, path: Path, source: str, pack: Pack) -> Scope:
    """The rule's scope (its types, keys and choices checked against SCOPE_FIELDS already)."""

    def line() -> int:  # looked up only when there is an error to report
        return find_key_line(source, "scope")

    if raw is None:
        return Scope()
    if isinstance(raw, str):
        return Scope(raw)
    part = raw.get("part")
    names: tuple[str, ...] = ()
    if isinstance(part, list):
        names, part = tuple(part), None
        if not names:
            raise RuleError(path, line(), "字段“scope”中的“part”应为一个部分名称，或非空的部分名称列表")
    aliases = tuple(raw.get("section", ()))
    if part is None and not names and not aliases:
        raise RuleError(path, line(), "字段“scope”写成表时需要“part”或“section”")
    for name in (part,) if part is not None else names:
        if name not in pack.parts:
            raise RuleError(path, line(), unknown_part(name, pack))
    within = raw.get("within", "all")
    level = raw.get("level")
    if level is None and part is not None:
        level = pack.parts[part].level
    scope = Scope("section", part, aliases, level, within, parts=names)
    if aliases:  # (each alias compiles: so does their alternation, but make sure)
        _compile_or_fail(scope.pattern.pattern, path, line)
    return scope


def unknown_part(name: str, pack: Pack) -> str:
    """The message for a part name that ``pack.toml`` does not define."""
    if not pack.parts:
        return f"未知的部分“{name}”（pack.toml 中没有用 [parts.<名称>] 定义任何部分）"
    return f"未知的部分“{name}”{did_you_mean(name, sorted(pack.parts))}"


def _compile_or_fail(pattern: str, path: Path, line: int | Callable[[], int]) -> regex.Pattern[str]:
    try:
        return regex.compile(pattern)
    except regex.error as exc:
        where = line if isinstance(line, int) else line()
        raise RuleError(path, where, f"正则表达式有误（{pattern!r}）：{exc}") from None


def compile_pattern(rule: Rule, key: str, pattern: str) -> LazyPattern:
    """Compile a pattern from ``rule``'s ``key``; a bad one is a RuleError at its line."""
    compiled = _compile_or_fail(pattern, rule.path, lambda: rule.key_line(key))
    return LazyPattern(pattern, compiled=compiled)


def _load_pack_settings(directory: Path, pack: Pack) -> None:
    settings_path = directory / "pack.toml"
    if not settings_path.exists():
        return
    data, source = _read_toml(settings_path)
    pack._sources[settings_path] = source
    place = Place(settings_path, lambda keys: pack.locate(settings_path, keys), base=directory)
    check_table(data, PACK_FIELDS, place)
    pack.settings = data
    pack.name = data.get("name", pack.name)
    for name, raw in data.get("parts", {}).items():
        if not raw["aliases"]:
            where = pack.locate(settings_path, ("parts", name, "aliases"))
            raise RuleError(settings_path, where, f"[parts.{name}] 需要非空的“aliases”（标题的正则表达式列表）")
        part = Part(
            name,
            raw.get("label", name),
            tuple(raw["aliases"]),
            raw.get("level", 1) or None,
            tuple(raw.get("strong", ())),
            raw.get("unclaimed", False),
            raw.get("required", True),
            raw.get("short", ""),
        )
        for key, pattern in (("aliases", part.pattern), ("strong", part.strong_pattern)):
            if pattern is not None:  # (each alias compiles: so does their alternation, but make sure)
                where = ("parts", name, key)
                _compile_or_fail(pattern.pattern, settings_path, lambda where=where: pack.locate(settings_path, where))
        pack.parts[name] = part
    for name in data.get("closing_parts", ()):
        if name not in pack.parts:
            raise place.fail("closing_parts", f"字段“closing_parts”中有{unknown_part(name, pack)}")
    problem = template_problem(data.get("unfinished_note", ""), COMMON_PLACEHOLDERS, "字段“unfinished_note”")
    if problem:
        raise place.fail("unfinished_note", problem)
    for year, table in data.get("years", {}).items():
        pack.year_terms[year] = {
            name: tuple(
                (item, LazyPattern(regex.escape(item)))
                if isinstance(item, str)
                else (item["label"], LazyPattern(item.get("pattern", regex.escape(item["label"]))))
                for item in items
            )
            for name, items in table.items()
        }
    _load_profile(data, pack, place)


def _load_profile(data: dict[str, Any], pack: Pack, place: Place) -> None:
    """[applies_to] and [report_kinds] (checked against their field tables already)."""
    applies = data.get("applies_to")
    if applies is not None:
        if not applies.get("titles") and not applies.get("signals"):
            message = "[applies_to] 需要非空的“titles”（标题的正则表达式）或“signals”（正文的正则表达式）"
            raise place.fail("applies_to", message)
        signals = tuple(applies.get("signals", ()))
        least = applies.get("min_signals", 1)
        if not 1 <= least <= max(len(signals), 1):
            where = place.inside(("applies_to",), "[applies_to] 中", "字段")
            message = f"[applies_to] 中字段“min_signals”的值 {least} 无效，应在 1 到 signals 的项数之间"
            raise where.fail("min_signals", message)
        pack.applies_to = Applicability(tuple(applies.get("titles", ())), signals, least)
    kinds = data.get("report_kinds")
    if kinds is not None:
        names = tuple(kinds["names"])
        inner = place.inside(("report_kinds",), "[report_kinds] 中", "字段")
        if not names or len(set(names)) != len(names) or not all(name.strip() for name in names):
            raise inner.fail("names", "[report_kinds] 中的“names”应为不重复、非空的报告类型名称列表")
        default = kinds.get("default")
        if default is not None and default not in names:
            raise inner.fail("default", invalid_value("[report_kinds] 中字段“default”", default, names))
        inference = []
        for index, entry in enumerate(kinds.get("infer", ())):
            item = inner.inside(("infer", index), "[[report_kinds.infer]] 中", "字段")
            if entry["name"] not in names:
                raise item.fail("name", invalid_value("[[report_kinds.infer]] 中字段“name”", entry["name"], names))
            patterns = {}
            for key in ("title", "signature"):
                if entry.get(key):
                    pattern = "|".join(f"(?:{p})" for p in entry[key])
                    _compile_or_fail(pattern, place.path, lambda item=item, key=key: item.locate((*item.keys, key)))
                    patterns[key] = LazyPattern(pattern)
            inference.append(KindInference(entry["name"], patterns.get("title"), patterns.get("signature")))
        pack.report_kinds, pack.default_report_kind, pack.kind_inference = names, default, tuple(inference)
        for name in data.get("profiles", {}):
            if name not in names:
                message = f"[profiles.{name}] 不是 [report_kinds] 中的报告类型（{one_of(names)}）"
                raise place.inside(("profiles",), "").fail(name, message)
    elif data.get("profiles"):
        pack.report_kinds = tuple(data["profiles"])  # (the kinds a pack gives deadlines for)


def template_problem(text: str, known: Iterable[str], label: str) -> str | None:
    """Why ``text`` is not a valid message template (None if it is).  A message may hold only
    plain ``{name}`` placeholders whose names are in ``known`` (the values the engine and
    the check kind give it): no positional ``{0}`` or ``{}``, format spec or conversion
    (``{context:>2000000000}`` would ask for gigabytes), attribute or index (``{a.b}``)."""
    if "{" not in text and "}" not in text:
        return None
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return f"{label}中的花括号用法有误：占位符只能写成 {{名称}}；要写花括号本身，请写成“{{{{”或“}}}}”"
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        if name == "" or name.isdigit():
            return f"{label}中的占位符“{shown}”无效：只能写成 {{名称}}，不能用位置编号"
        if spec or conversion:
            return f"{label}中的占位符“{shown}”无效：只能写成 {{名称}}，不能带格式说明或转换（“:”“!”）"
        if "." in name or "[" in name:
            return f"{label}中的占位符“{shown}”无效：只能写成 {{名称}}，不能取属性或下标（“.”“[]”）"
        if name not in known:
            return f"{label}中有未知的占位符“{shown}”{did_you_mean(name, sorted(known))}"
    return None


def parse_rule(data: dict[str, Any], source: str, path: Path, pack: Pack) -> Rule:
    """Validate one rule table and build a :class:`Rule` (its check not yet compiled)."""
    place = Place(path, lambda keys: pack.locate(path, keys), base=pack.directory)
    check_table(data, RULE_FIELDS, place, REQUIRED_FIELDS)
    code = data["code"]
    if not CODE_PATTERN.match(code):
        raise RuleError(
            path, find_key_line(source, "code"), f"规则代码“{code}”格式不对，应为 1–4 个大写字母加 3 位数字（如 FZ101）"
        )
    if not NAME_PATTERN.match(data["name"]):
        raise RuleError(
            path,
            find_key_line(source, "name"),
            f"规则名称“{data['name']}”格式不对，应为小写英文字母、数字和连字符（如 title-missing-year）",
        )
    categories = (*CATEGORY_NAMES, *pack.settings.get("categories", ()))
    if data["category"] not in categories:
        problem = invalid_value("字段“category”", data["category"], categories)
        raise RuleError(path, find_key_line(source, "category"), problem)
    for key in ("message", "basis"):
        if not data[key].strip():
            raise RuleError(path, find_key_line(source, key), f"字段“{key}”不能为空")
    check = dict(data["check"])
    check_kind = check.pop("kind", None)
    if check_kind is None:
        raise RuleError(path, find_key_line(source, "check.kind"), "[check] 中缺少检查类型“kind”")
    if not isinstance(check_kind, str):
        raise RuleError(path, find_key_line(source, "check.kind"), "[check] 中的“kind”应为字符串（检查类型名称）")
    return Rule(
        code=code,
        name=data["name"],
        title=data.get("title", "").strip(),
        category=data["category"],
        severity=Severity.parse(data["severity"]),
        message=data["message"].strip(),
        basis=data["basis"].strip(),
        check_kind=check_kind,
        params=check,
        scope=_parse_scope(data.get("scope"), path, source, pack),
        path=path,
        pack=pack,
        why=data.get("why", "").strip(),
        fix_title=data.get("fix_title", ""),
        fix_safe=data.get("fix_safe", True),
        enabled=data.get("enabled", True),
        status=data.get("status", "stable"),
        bad=_parse_examples(data.get("bad")),
        good=_parse_examples(data.get("good")),
        todo=_parse_examples(data.get("todo")),
        applies_if=data.get("applies_if", "").strip(),
        if_unfinished=data.get("if_unfinished", ""),
        info_if=data.get("info_if", "").strip(),
    )


def open_pack(directory: Path | str) -> Pack:
    """The pack in ``directory`` with its pack.toml read and checked, no rule yet (see
    :func:`read_rules`); RuleError for a directory that is not one."""
    directory = Path(directory)
    check_directory(directory)
    pack = Pack(name=directory.name, directory=directory)
    _load_pack_settings(directory, pack)
    _load_tables(directory, pack)
    return pack


# The files of a pack folder that are not rules.
PACK_FILES = ("pack.toml", "tables.toml")


def _load_tables(directory: Path, pack: Pack) -> None:
    """The pack's tables.toml, when it has one (its mistakes as RuleError, path:line)."""
    path = directory / "tables.toml"
    if not path.exists():
        return
    from reportlint.tables.schema import TableSchemaError, load_tables  # (only packs with tables)

    try:
        pack.tables = load_tables(path)
    except TableSchemaError as exc:
        raise RuleError(exc.path, exc.line, exc.problem) from None


def read_rules(pack: Pack) -> Iterator[Rule]:
    """Each rule file of ``pack``, in file-name order, parsed and checked against the field
    tables (its check not compiled: that is the engine's loader's job, rule by rule, so
    the first mistake in file order is the one reported)."""
    seen: dict[str, Path] = {}
    for path in sorted(pack.directory.glob("*.toml")):
        if path.name in PACK_FILES:
            continue
        data, source = _read_toml(path)
        pack._sources[path] = source
        rule = parse_rule(data, source, path, pack)
        if rule.code in seen:
            raise RuleError(
                path,
                find_key_line(source, "code"),
                f"规则代码 {rule.code} 重复（已用于 {seen[rule.code]}）",
            )
        seen[rule.code] = path
        yield rule


def check_templates(rule: Rule, placeholders: Iterable[str]) -> None:
    """The message and fix title may hold only the placeholders the rule's findings fill:
    the common ones and ``placeholders`` (its check's)."""
    known = COMMON_PLACEHOLDERS | frozenset(placeholders)
    for key in ("message", "fix_title"):
        problem = template_problem(getattr(rule, key), known, f"字段“{key}”")
        if problem:
            raise RuleError(rule.path, rule.key_line(key), problem)


def check_directory(directory: Path) -> None:
    """A rule directory must be a readable directory: RuleError saying what it is instead."""
    try:
        if directory.is_dir():
            return
        exists = directory.exists()
    except (OSError, ValueError):  # (a name with a NUL character, a path too long)
        exists = False
    if exists:
        raise RuleError(directory, 1, "这不是规则目录，而是一个文件（规则目录应包含 <代码>-<名称>.toml 规则文件）")
    raise RuleError(directory, 1, "规则目录不存在")


def discover_packs(root: Path) -> list[Path]:
    """Pack directories under ``root``: ``root`` itself if it holds rules, else its subdirectories."""
    try:
        if any(p.name not in PACK_FILES for p in root.glob("*.toml")):
            return [root]
        return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError as exc:
        raise RuleError(root, 1, f"无法读取规则目录：{os_reason(exc)}") from None
