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

CATEGORIES = frozenset(
    {
        "structure",
        "required-content",
        "formulation",
        "citation",
        "punctuation",
        "numbering",
        "dates",
        "evidence",
    }
)
SEVERITIES = ("error", "warning", "info", "hint")
RULE_FIELDS = {
    "code": str,
    "name": str,
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


class RuleError(Exception):
    """A mistake in a rule file, located at ``path:line``."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = str(path)
        self.line = line
        self.problem = message


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
        raise RuleError(path, 1, f"cannot read rule file: {exc}") from None
    try:
        return tomllib.loads(source), source
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(path, _toml_error_line(exc), f"invalid TOML: {exc}") from None


def _parse_examples(raw: Any, path: Path, source: str, key: str) -> tuple[Example, ...]:
    if raw is None:
        return ()
    examples = []
    for item in raw:
        if isinstance(item, str):
            examples.append(Example(item))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            unknown = set(item) - {"text", "fixed", "note", "severity"}
            if unknown:
                raise RuleError(path, find_key_line(source, key), f"unknown example field(s): {sorted(unknown)}")
            severity = item.get("severity")
            if severity is not None and severity not in SEVERITIES:
                raise RuleError(path, find_key_line(source, key), f"unknown example severity '{severity}'")
            examples.append(Example(item["text"], item.get("fixed"), item.get("note", ""), severity))
        else:
            raise RuleError(path, find_key_line(source, key), f"'{key}' entries need a 'text' string")
    return tuple(examples)


def _parse_scope(raw: Any, path: Path, source: str, pack: Pack) -> Scope:
    def line() -> int:  # looked up only when there is an error to report
        return find_key_line(source, "scope")

    if raw is None:
        return Scope()
    if isinstance(raw, str):
        if raw not in SCOPE_NAMES:
            raise RuleError(path, line(), f"unknown scope '{raw}' (one of {sorted(SCOPE_NAMES)})")
        return Scope(raw)
    unknown = set(raw) - set(SCOPE_FIELDS)
    if unknown:
        raise RuleError(path, line(), f"unknown scope field(s): {sorted(unknown)}")
    for key, expected in SCOPE_FIELDS.items():
        if key in raw and not isinstance(raw[key], expected):
            raise RuleError(path, line(), f"scope field '{key}' has the wrong type")
    part = raw.get("part")
    names: tuple[str, ...] = ()
    if isinstance(part, list):
        names, part = tuple(part), None
        if not names or not all(isinstance(name, str) for name in names):
            raise RuleError(path, line(), "scope 'part' is a part's name or a list of names")
    aliases = tuple(raw.get("section", ()))
    if part is None and not names and not aliases:
        raise RuleError(path, line(), "a section scope needs 'part' or 'section'")
    for name in (part,) if part is not None else names:
        if name not in pack.parts:
            raise RuleError(path, line(), f"unknown part '{name}' (pack.toml defines {sorted(pack.parts)})")
    for alias in aliases:
        _compile_or_fail(alias, path, line)
    within = raw.get("within", "all")
    if within not in ("all", "heading", "body"):
        raise RuleError(path, line(), "scope 'within' must be 'all', 'heading' or 'body'")
    level = raw.get("level")
    if level is None and part is not None:
        level = pack.parts[part].level
    return Scope("section", part, aliases, level, within, parts=names)


def _compile_or_fail(pattern: str, path: Path, line: int | Callable[[], int]) -> regex.Pattern[str]:
    try:
        return regex.compile(pattern)
    except regex.error as exc:
        where = line if isinstance(line, int) else line()
        raise RuleError(path, where, f"bad regular expression {pattern!r}: {exc}") from None


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
            raise RuleError(settings_path, line, f"part '{name}' needs 'aliases'")
        unknown = set(raw) - PART_FIELDS.keys()
        if unknown:
            raise RuleError(settings_path, line, f"unknown field(s) of part '{name}': {sorted(unknown)}")
        for key, expected in PART_FIELDS.items():
            if key in raw and not isinstance(raw[key], expected):
                where = find_key_line(source, f"parts.{name}.{key}")
                raise RuleError(settings_path, where, f"part '{name}': '{key}' has the wrong type")
        for alias in (*raw["aliases"], *raw.get("strong", ())):
            if not isinstance(alias, str):
                raise RuleError(settings_path, line, f"part '{name}': patterns must be strings")
            _compile_or_fail(alias, settings_path, line)
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
            raise RuleError(path, find_key_line(source, key), f"unknown field '{key}'")
    for key in REQUIRED_FIELDS:
        if key not in data:
            raise RuleError(path, 1, f"missing required field '{key}'")
    for key, value in data.items():
        expected = RULE_FIELDS[key]
        if not isinstance(value, expected):
            raise RuleError(path, find_key_line(source, key), f"field '{key}' has the wrong type")
    code = data["code"]
    if not CODE_PATTERN.match(code):
        raise RuleError(path, find_key_line(source, "code"), f"bad rule code '{code}' (e.g. FZ101)")
    if not NAME_PATTERN.match(data["name"]):
        raise RuleError(path, find_key_line(source, "name"), "rule name must be kebab-case ASCII")
    if data["category"] not in CATEGORIES and data["category"] not in pack.settings.get("categories", ()):
        raise RuleError(path, find_key_line(source, "category"), f"unknown category '{data['category']}'")
    if data["severity"] not in SEVERITIES:
        raise RuleError(
            path,
            find_key_line(source, "severity"),
            f"unknown severity '{data['severity']}' (one of {', '.join(SEVERITIES)})",
        )
    for key in ("message", "basis"):
        if not data[key].strip():
            raise RuleError(path, find_key_line(source, key), f"'{key}' must not be empty")
    if data.get("if_unfinished", "info") not in ("info", "skip"):
        raise RuleError(path, find_key_line(source, "if_unfinished"), "'if_unfinished' must be 'info' or 'skip'")
    check = dict(data["check"])
    kind = check.pop("kind", None)
    if not isinstance(kind, str):
        raise RuleError(path, find_key_line(source, "check"), "[check] needs a 'kind'")
    return Rule(
        code=code,
        name=data["name"],
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
        raise RuleError(directory, 1, "rule directory not found")
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
                f"duplicate rule code {rule.code} (also in {seen[rule.code]})",
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
                        f"duplicate rule code {rule.code} (also in {codes[rule.code]})",
                    )
                codes[rule.code] = rule.path
            packs.append(pack)
        if not found:  # a typo in rules = [...] must not lint with nothing
            raise RuleError(directory, 1, "规则目录中没有规则文件（<代码>-<名称>.toml）")
    return packs
