"""Loading and validating declarative rule packs.

A pack is a directory ``rules/<pack>/`` holding one rule per ``*.toml`` file
(``FZ101-title-missing-organ.toml``), an optional ``pack.toml`` with pack-wide
settings (named report parts, year tables, profiles, extra dictionary words),
and data files the rules refer to (``data/*.tsv``).  Every mistake in a rule
file is reported as ``path:line: message`` through :class:`RuleError`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import regex

from reportlint.diagnostics import Severity
from reportlint.rxcache import LazyPattern

CATEGORY_NAMES = (  # in the order the docs list them
    "structure",
    "required-content",
    "formulation",
    "citation",
    "punctuation",
    "numbering",
    "dates",
    "evidence",
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
    "duplicate": "跨报告雷同",
    "internal": "内部",
}
SEVERITIES = ("error", "warning", "info", "hint")
RULE_FIELDS = {
    "code": str,
    "name": str,
    "title": str,
    "category": str,
    "severity": str,
    "message": str,
    "basis": str,
    "why": str,
    "fix_title": str,
    "fix_safe": bool,
    "enabled": bool,
    "status": str,
    "applies_if": str,
    "if_unfinished": str,
    "info_if": str,
    "scope": (str, dict),
    "check": dict,
    "bad": list,
    "good": list,
    "todo": list,
}
REQUIRED_FIELDS = ("code", "name", "category", "severity", "message", "basis", "check")
CODE_PATTERN = LazyPattern(r"^[A-Z]{1,4}[0-9]{3}$")
NAME_PATTERN = LazyPattern(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
SCOPE_NAMES = frozenset({"document", "title", "headings", "body", "main", "opening", "tail"})
PART_FIELDS: dict[str, type | tuple[type, ...]] = {
    "label": str,
    "aliases": list,
    "strong": list,
    "level": int,
    "unclaimed": bool,
    "required": bool,
}
SCOPE_FIELDS: dict[str, type | tuple[type, ...]] = {"part": (str, list), "section": list, "level": int, "within": str}
EXAMPLE_FIELDS = ("text", "fixed", "note", "severity")


class RuleError(Exception):
    """A mistake in a rule file, located at ``path:line``; ``message`` is one line of
    Chinese for the rule's author (field and key names as written in the file)."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = str(path)
        self.line = line
        self.problem = message


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
    _sources: dict[Path, str] = field(default_factory=dict, repr=False)

    def key_line(self, path: Path, key: str) -> int:
        """Line of ``key`` (dotted, e.g. ``check.pattern``) in ``path``; 1 if not found."""
        return find_key_line(self._sources.get(path, ""), key)

    def data_path(self, relative: str) -> Path:
        return self.directory / relative

    @property
    def words(self) -> tuple[str, ...]:
        """Extra dictionary words for word segmentation."""
        return tuple(self.settings.get("words", ()))


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


def _toml_error_line(error: tomllib.TOMLDecodeError) -> int:
    found = regex.search(r"line (\d+)", str(error))
    return int(found.group(1)) if found else 1


def _read_toml(path: Path) -> tuple[dict[str, Any], str]:
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(path, 1, f"无法读取规则文件：{os_reason(exc)}") from None
    try:
        return tomllib.loads(source), source
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(path, _toml_error_line(exc), f"TOML 格式错误：{exc}") from None


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


def _parse_examples(raw: Any, path: Path, source: str, key: str) -> tuple[Example, ...]:
    if raw is None:
        return ()
    examples = []
    for index, item in enumerate(raw):
        if isinstance(item, str):
            examples.append(Example(item))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            unknown = sorted(set(item) - set(EXAMPLE_FIELDS))
            if unknown:
                raise RuleError(
                    path,
                    _example_line(source, key, index, unknown[0]),
                    f"[[{key}]] 中有未知的字段“{unknown[0]}”{did_you_mean(unknown[0], EXAMPLE_FIELDS)}",
                )
            severity = item.get("severity")
            if severity is not None and severity not in SEVERITIES:
                raise RuleError(
                    path,
                    _example_line(source, key, index, "severity"),
                    invalid_value(f"[[{key}]] 中字段“severity”", severity, SEVERITIES),
                )
            examples.append(Example(item["text"], item.get("fixed"), item.get("note", ""), severity))
        else:
            raise RuleError(
                path,
                _example_line(source, key, index),
                f"[[{key}]] 的每一项都需要字符串字段“text”（或整项写成一个字符串）",
            )
    return tuple(examples)


def _parse_scope(raw: Any, path: Path, source: str, pack: Pack) -> Scope:
    def line() -> int:  # looked up only when there is an error to report
        return find_key_line(source, "scope")

    if raw is None:
        return Scope()
    if isinstance(raw, str):
        if raw not in SCOPE_NAMES:
            raise RuleError(
                path,
                line(),
                invalid_value("字段“scope”", raw, sorted(SCOPE_NAMES)) + "，或为表 { part = … } / { section = […] }",
            )
        return Scope(raw)
    unknown = sorted(set(raw) - set(SCOPE_FIELDS))
    if unknown:
        raise RuleError(path, line(), f"字段“scope”中有未知的键“{unknown[0]}”{did_you_mean(unknown[0], SCOPE_FIELDS)}")
    for key, expected in SCOPE_FIELDS.items():
        if key in raw and not isinstance(raw[key], expected):
            raise RuleError(path, line(), f"字段“scope”中“{key}”的类型不对，应为{type_name(expected)}")
    part = raw.get("part")
    names: tuple[str, ...] = ()
    if isinstance(part, list):
        names, part = tuple(part), None
        if not names or not all(isinstance(name, str) for name in names):
            raise RuleError(path, line(), "字段“scope”中的“part”应为一个部分名称，或非空的部分名称列表")
    aliases = tuple(raw.get("section", ()))
    if part is None and not names and not aliases:
        raise RuleError(path, line(), "字段“scope”写成表时需要“part”或“section”")
    for name in (part,) if part is not None else names:
        if name not in pack.parts:
            raise RuleError(path, line(), unknown_part(name, pack))
    for alias in aliases:
        _compile_or_fail(alias, path, line)
    within = raw.get("within", "all")
    if within not in ("all", "heading", "body"):
        raise RuleError(path, line(), invalid_value("字段“scope”中“within”", within, ("all", "heading", "body")))
    level = raw.get("level")
    if level is None and part is not None:
        level = pack.parts[part].level
    return Scope("section", part, aliases, level, within, parts=names)


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
    pack.settings = data
    pack.name = data.get("name", pack.name)
    for name, raw in data.get("parts", {}).items():
        line = find_key_line(source, f"parts.{name}.aliases")
        if not isinstance(raw, dict) or not raw.get("aliases"):
            raise RuleError(settings_path, line, f"[parts.{name}] 需要非空的“aliases”（标题的正则表达式列表）")
        unknown = sorted(set(raw) - PART_FIELDS.keys())
        if unknown:
            raise RuleError(
                settings_path,
                find_key_line(source, f"parts.{name}.{unknown[0]}"),
                f"[parts.{name}] 中有未知的字段“{unknown[0]}”{did_you_mean(unknown[0], PART_FIELDS)}",
            )
        for key, expected in PART_FIELDS.items():
            if key in raw and not isinstance(raw[key], expected):
                where = find_key_line(source, f"parts.{name}.{key}")
                problem = f"[parts.{name}] 中字段“{key}”的类型不对，应为{type_name(expected)}"
                raise RuleError(settings_path, where, problem)
        for key in ("aliases", "strong"):
            for alias in raw.get(key, ()):
                where = find_key_line(source, f"parts.{name}.{key}")
                if not isinstance(alias, str):
                    raise RuleError(settings_path, where, f"[parts.{name}] 中“{key}”的每一项都应为字符串（正则表达式）")
                _compile_or_fail(alias, settings_path, where)
        level = raw.get("level", 1)
        pack.parts[name] = Part(
            name,
            raw.get("label", name),
            tuple(raw["aliases"]),
            level or None,
            tuple(raw.get("strong", ())),
            bool(raw.get("unclaimed", False)),
            bool(raw.get("required", True)),
        )


def parse_rule(data: dict[str, Any], source: str, path: Path, pack: Pack) -> Rule:
    """Validate one rule table and build a :class:`Rule` (its check not yet compiled)."""
    for key in data:
        if key not in RULE_FIELDS:
            raise RuleError(path, find_key_line(source, key), f"未知的字段“{key}”{did_you_mean(key, RULE_FIELDS)}")
    for key in REQUIRED_FIELDS:
        if key not in data:
            raise RuleError(path, 1, f"缺少必填字段“{key}”")
    for key, value in data.items():
        expected = RULE_FIELDS[key]
        if not isinstance(value, expected):
            raise RuleError(path, find_key_line(source, key), f"字段“{key}”的类型不对，应为{type_name(expected)}")
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
    if data["severity"] not in SEVERITIES:
        problem = invalid_value("字段“severity”", data["severity"], SEVERITIES)
        raise RuleError(path, find_key_line(source, "severity"), problem)
    for key in ("message", "basis"):
        if not data[key].strip():
            raise RuleError(path, find_key_line(source, key), f"字段“{key}”不能为空")
    if data.get("if_unfinished", "info") not in ("info", "skip"):
        raise RuleError(
            path,
            find_key_line(source, "if_unfinished"),
            invalid_value("字段“if_unfinished”", data["if_unfinished"], ("info", "skip")),
        )
    check = dict(data["check"])
    kind = check.pop("kind", None)
    if kind is None:
        raise RuleError(path, find_key_line(source, "check.kind"), "[check] 中缺少检查类型“kind”")
    if not isinstance(kind, str):
        raise RuleError(path, find_key_line(source, "check.kind"), "[check] 中的“kind”应为字符串（检查类型名称）")
    return Rule(
        code=code,
        name=data["name"],
        title=data.get("title", "").strip(),
        category=data["category"],
        severity=Severity.parse(data["severity"]),
        message=data["message"].strip(),
        basis=data["basis"].strip(),
        check_kind=kind,
        params=check,
        scope=_parse_scope(data.get("scope"), path, source, pack),
        path=path,
        pack=pack,
        why=data.get("why", "").strip(),
        fix_title=data.get("fix_title", ""),
        fix_safe=data.get("fix_safe", True),
        enabled=data.get("enabled", True),
        status=data.get("status", "stable"),
        bad=_parse_examples(data.get("bad"), path, source, "bad"),
        good=_parse_examples(data.get("good"), path, source, "good"),
        todo=_parse_examples(data.get("todo"), path, source, "todo"),
        applies_if=data.get("applies_if", "").strip(),
        if_unfinished=data.get("if_unfinished", ""),
        info_if=data.get("info_if", "").strip(),
    )


def load_pack(directory: Path | str) -> Pack:
    """Load and validate every rule file of one pack directory."""
    from reportlint.checks import compile_check  # late import: checks import this module
    from reportlint.checks.expression import compile_condition

    directory = Path(directory)
    if not directory.is_dir():
        raise RuleError(directory, 1, "规则目录不存在")
    pack = Pack(name=directory.name, directory=directory)
    _load_pack_settings(directory, pack)
    seen: dict[str, Path] = {}
    for path in sorted(directory.glob("*.toml")):
        if path.name == "pack.toml":
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
        rule.check = compile_check(rule)
        if rule.applies_if:
            rule.condition = compile_condition(rule, "applies_if", rule.applies_if)
        if rule.info_if:
            rule.info_condition = compile_condition(rule, "info_if", rule.info_if)
        pack.rules.append(rule)
    return pack


def discover_packs(root: Path) -> list[Path]:
    """Pack directories under ``root``: ``root`` itself if it holds rules, else its subdirectories."""
    if any(p.name != "pack.toml" for p in root.glob("*.toml")):
        return [root]
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def load_packs(directories: Iterable[Path]) -> list[Pack]:
    packs = []
    codes: dict[str, Path] = {}
    for directory in directories:
        if not Path(directory).is_dir():
            raise RuleError(directory, 1, "规则目录不存在")
        found = 0
        for pack_dir in discover_packs(Path(directory)):
            pack = load_pack(pack_dir)
            found += len(pack.rules)
            for rule in pack.rules:
                if rule.code in codes:
                    raise RuleError(
                        rule.path,
                        rule.key_line("code"),
                        f"规则代码 {rule.code} 重复（已用于 {codes[rule.code]}）",
                    )
                codes[rule.code] = rule.path
            packs.append(pack)
        if not found:  # a typo in rules = [...] must not lint with nothing
            raise RuleError(directory, 1, "规则目录中没有规则文件（<代码>-<名称>.toml）")
    return packs
