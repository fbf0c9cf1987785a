"""Configuration: ``[tool.reportlint]`` in pyproject.toml or a ``reportlint.toml``,
found by walking up from the checked file; command-line options override it."""

from __future__ import annotations

import calendar
import difflib
import tomllib
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field, replace
from fnmatch import fnmatch
from functools import cache
from pathlib import Path
from typing import Any

import regex

from reportlint.core.diagnostics import Severity
from reportlint.rules.model import SEVERITIES
from reportlint.support.toml_text import TomlError, parse_toml

CONFIG_FILES = ("reportlint.toml", "pyproject.toml")
FIELDS = {
    "select": list,
    "extend-select": list,
    "ignore": list,
    "severity": dict,
    "rules": list,
    "per-file-ignores": dict,
    "profile": dict,
    "fail-on": str,
    "builtin-rules": bool,
    "max-file-size": (int, float),  # MB; larger files are refused
    "duplicates": dict,
    "pack": str,  # the rule pack every report is checked by, whichever packs apply to it
    "packs": dict,  # [packs.<name>.profile]: each pack's profile
}
# A pack's profile: the report kind (one of the pack's [report_kinds] names, checked once
# the packs are loaded: RuleSet.check_config), a province, the deadline (MM-DD).
PROFILE_FIELDS = {"kind": str, "province": str, "deadline": str}
PACK_SETTINGS = ("profile",)  # the keys of [packs.<name>]
# The pack the old global [profile] table is the profile of (it was the only pack).
LEGACY_PROFILE_PACK = "fazhi"
MAX_FILE_SIZE_MB = 1024  # larger limits are mistakes (and would overflow the byte count)
LIST_FIELDS = ("select", "extend-select", "ignore", "rules")  # lists of strings
# [tool.reportlint.duplicates]: the cross-report duplicate finder (reportlint.app.duplicates, RL101).
DUPLICATE_FIELDS = {
    "threshold": (int, float),  # Jaccard similarity, 0 < t <= 1
    "min-length": int,  # characters compared
    "max-reports": int,  # a passage in more reports than this is common phrasing
    "max-share": (int, float),  # … and so is one in more than this share of the set
    "ignore-file": str,  # more common phrasings, relative to the config file
}


class ConfigError(Exception):
    """A mistake in a configuration: ``path:line: message``, or ``配置项 key: message`` for
    one given as a dict (the Python API), which has no file and no lines."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        text = f"{path}:{line}: {message}" if line is not None else f"{path}: {message}"
        super().__init__(one_line(text))


# Characters that end a line for str.splitlines (or a terminal), shown escaped in messages.
_LINE_BREAKING = regex.compile(r"[\p{Cc}\x85\u2028\u2029]")


def one_line(text: str) -> str:
    """``text`` with line breaks and other control characters escaped (``\\n``), so a
    message stays one line whatever the file or the value it quotes."""
    return _LINE_BREAKING.sub(lambda m: repr(m.group())[1:-1], text)


def show(value: object, limit: int = 60) -> str:
    """A value quoted in a message: a string escaped and cut to ``limit`` characters; a
    number as written; anything else by its type (never a repr of a nested structure)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float) and not (isinstance(value, int) and abs(value) >= 10**30):
        value = repr(value)
    if not isinstance(value, str):
        return value_type(value)
    text = one_line(value[: limit + 1])
    return text if len(text) <= limit else text[: limit - 1] + "…"


def value_type(value: object) -> str:
    """What a TOML (or Python) value is, in words."""
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, int):
        return "整数"
    if isinstance(value, float):
        return "小数"
    if isinstance(value, str):
        return "字符串"
    if isinstance(value, list | tuple):
        return "列表"
    if isinstance(value, dict):
        return "表"
    return "日期时间" if type(value).__module__ == "datetime" else type(value).__name__


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] | None = None  # None: the rules enabled by default
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    rule_dirs: tuple[Path, ...] = ()
    builtin_rules: bool = True
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    profile: dict[str, Any] = field(default_factory=dict)
    fail_on: str = "warning"
    max_file_size: float = 20.0  # MB
    duplicates: dict[str, Any] = field(default_factory=dict)  # DUPLICATE_FIELDS; ignore-file made absolute
    source: Path | None = None
    pack: str | None = None  # the pack that checks every report (None: the packs that apply to it)
    pack_profiles: dict[str, dict[str, Any]] = field(default_factory=dict)  # [packs.<name>.profile]

    def merged(self, **overrides: Any) -> Config:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

    def profile_for(self, pack: str) -> dict[str, Any]:
        """The profile the configuration gives the pack named ``pack``: its
        ``[packs.<pack>.profile]`` over, for the 法治 pack, the global ``[profile]``."""
        profile = dict(self.profile) if pack == LEGACY_PROFILE_PACK else {}
        profile.update(self.pack_profiles.get(pack, {}))
        return profile

    def with_report_kind(self, report_kind: str, packs: Iterable[Any]) -> Config:
        """This configuration with ``report_kind`` as the kind of every report for each of
        ``packs`` (rules.model.Pack) that knows that kind (``--kind`` on the command line)."""
        profiles = {name: dict(profile) for name, profile in self.pack_profiles.items()}
        for pack in packs:
            if report_kind in pack.report_kinds:
                profiles.setdefault(pack.name, {})["kind"] = report_kind
        return replace(self, pack_profiles=profiles)

    def ignored_for(self, path: str) -> tuple[str, ...]:
        extra: list[str] = []
        base = self.source.parent if self.source else Path.cwd()
        for pattern, codes in self.per_file_ignores.items():
            candidates = {path, Path(path).name}
            with suppress(ValueError):  # the file lies outside the config's folder
                candidates.add(str(Path(path).resolve().relative_to(base.resolve())))
            if any(fnmatch(c, pattern) for c in candidates):
                extra.extend(codes)
        return self.ignore + tuple(extra)

    @property
    def fail_severity(self) -> Severity:
        return Severity.parse(self.fail_on)

    @property
    def max_bytes(self) -> int:
        """The size limit for one input file, in bytes."""
        return int(self.max_file_size * 1024 * 1024)


TYPE_NAMES = {list: "列表", dict: "表", str: "字符串", bool: "true 或 false", (int, float): "数字", int: "整数"}


def _suggest(name: object, known: Any) -> str:
    close = difflib.get_close_matches(name[:100], list(known), n=1, cutoff=0.6) if isinstance(name, str) else []
    return f"，是否指“{close[0]}”？" if close else f"（可用：{'、'.join(known)}）"


# A TOML key as written: bare, "basic" or 'literal' parts joined by dots.
_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_DOTTED_KEY = rf"{_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART})*"
_HEADER_LINE = regex.compile(rf"[ \t]*\[\[?[ \t]*({_DOTTED_KEY})[ \t]*\]")
_ASSIGNMENT_LINE = regex.compile(rf"[ \t]*({_DOTTED_KEY})[ \t]*=")


def _parse_key(written: str) -> list[str] | None:
    """The parts of a dotted TOML key as written (quotes and escapes undone)."""
    try:
        data: Any = tomllib.loads(f"{written} = 0")
    except (tomllib.TOMLDecodeError, RecursionError):
        return None
    parts = []
    while isinstance(data, dict) and len(data) == 1:
        part, data = next(iter(data.items()))
        parts.append(part)
    return parts


def key_line(source: str, keys: list[str]) -> int:
    """Best-effort line of the setting ``keys`` (e.g. ``["tool", "reportlint", "severity",
    "FZ503"]``) in TOML ``source``: the line that defines the longest leading part of it
    (the key itself, or the inline table or ``[table]`` header holding it); 1 if none."""
    best, best_depth = 1, 0
    table: list[str] = []
    for number, line in enumerate(source.split("\n"), 1):
        if header := _HEADER_LINE.match(line):
            parsed = _parse_key(header.group(1))
            if parsed is None:
                continue
            table = path = parsed
        elif assignment := _ASSIGNMENT_LINE.match(line):
            parsed = _parse_key(assignment.group(1))
            if parsed is None:
                continue
            path = table + parsed
        else:
            continue
        if len(path) > best_depth and keys[: len(path)] == path:
            best, best_depth = number, len(path)
            if best_depth == len(keys):
                break
    return best


def _table(path: Path) -> tuple[dict[str, Any], str] | None:
    try:
        source = path.read_text(encoding="utf-8-sig")  # (a BOM, as Windows Notepad writes it, is fine)
        data = parse_toml(source)
    except TomlError as exc:
        raise ConfigError(path, exc.line, exc.problem) from None
    except FileNotFoundError:
        raise ConfigError(path, 1, "配置文件不存在") from None
    except UnicodeDecodeError:
        raise ConfigError(path, 1, "配置文件不是 UTF-8 编码，无法读取") from None
    except OSError as exc:
        raise ConfigError(path, 1, f"无法读取配置文件：{exc.strerror or exc}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(path, key_line(source, ["tool"]), f"“tool”应为表，而不是{value_type(tool)}")
        table = tool.get("reportlint")
        if table is not None and not isinstance(table, dict):
            line = key_line(source, ["tool", "reportlint"])
            raise ConfigError(path, line, f"“tool.reportlint”应为表，而不是{value_type(table)}")
        return (table, source) if table is not None else None
    return data, source


def load_config(path: Path) -> Config:
    """The configuration in ``path`` (a reportlint.toml, or a pyproject.toml's
    [tool.reportlint]); ConfigError, at the setting's line, for a mistake in it."""
    found = _table(path)
    if found is None:  # a pyproject.toml without [tool.reportlint]: not a config
        return Config()
    table, source = found
    tables = ["tool", "reportlint"] if path.name == "pyproject.toml" else []
    return config_from_table(table, path, lambda *keys: key_line(source, [*tables, *keys]))


def config_from_mapping(table: dict[str, Any], base: Path | None = None) -> Config:
    """A configuration given as a plain dict of the file's keys (``{"select": ["FZ5"],
    "severity": {"FZ503": "info"}}``), as the Python API takes it; relative paths
    (``rules``, ``duplicates.ignore-file``) are taken from ``base`` (default: the current
    folder).  ConfigError names the key."""
    base = (base or Path.cwd()).resolve()
    return replace(config_from_table(table, base / "<配置>", None), source=None)


def config_from_table(table: dict[str, Any], path: Path, line_of: Any) -> Config:
    """Check and convert one configuration table; ``line_of(*keys)`` gives a key's line in
    the file ``path`` (None: a dict, whose errors name the key instead).  Every value is
    checked here, element by element, so nothing downstream meets a wrong type."""

    def fail(message: str, *keys: object) -> ConfigError:
        names = [k if isinstance(k, str) else show(k) for k in keys]
        if line_of is None:
            return ConfigError(f"配置项 {show('.'.join(names), 80) or '（整体）'}", None, message)
        return ConfigError(path, line_of(*names) if names else 1, message)

    if not isinstance(table, dict):
        raise fail(f"配置应为表，而不是{value_type(table)}")
    for key, value in table.items():
        if key not in FIELDS:
            raise fail(f"未知的设置项“{show(key)}”{_suggest(key, FIELDS)}", key)
        if not isinstance(value, FIELDS[key]) or (key == "max-file-size" and isinstance(value, bool)):
            raise fail(f"设置项“{key}”的类型不对，应为{TYPE_NAMES[FIELDS[key]]}，而不是{value_type(value)}", key)
        if key in LIST_FIELDS:
            _check_strings(value, f"设置项“{key}”", fail, key)
        if key == "max-file-size" and not value > 0:  # (also NaN)
            raise fail("设置项“max-file-size”应为正数（单位 MB）", key)
        if key == "max-file-size" and not value <= MAX_FILE_SIZE_MB:
            raise fail(f"设置项“max-file-size”过大，应不超过 {MAX_FILE_SIZE_MB}（单位 MB）", key)
    for code, level in table.get("severity", {}).items():
        if not isinstance(code, str):  # (only a dict from the Python API can have one)
            raise fail(f"severity 中的规则代码应为字符串，而不是{value_type(code)}", "severity", code)
        if not isinstance(level, str):
            message = f"严重级别应为字符串（{'、'.join(SEVERITIES)} 之一），而不是{value_type(level)}"
            raise fail(message, "severity", code)
        if level not in SEVERITIES:
            raise fail(f"严重级别“{show(level)}”无效，应为 {'、'.join(SEVERITIES)} 之一", "severity", code)
    for pattern, codes in table.get("per-file-ignores", {}).items():
        if not isinstance(pattern, str):
            message = f"per-file-ignores 中的文件模式应为字符串，而不是{value_type(pattern)}"
            raise fail(message, "per-file-ignores", pattern)
        if not isinstance(codes, list):
            message = f"per-file-ignores 中“{show(pattern)}”的值应为规则代码的列表，而不是{value_type(codes)}"
            raise fail(message, "per-file-ignores", pattern)
        _check_strings(codes, f"per-file-ignores 中“{show(pattern)}”", fail, "per-file-ignores", pattern)
    profile = table.get("profile", {})
    _check_profile(profile, fail, "profile")
    pack_profiles = {}
    for name, settings in table.get("packs", {}).items():
        if not isinstance(name, str):  # (only a dict from the Python API can have one)
            raise fail(f"packs 中的规则包名称应为字符串，而不是{value_type(name)}", "packs", name)
        if not isinstance(settings, dict):
            raise fail(f"packs 中“{show(name)}”的值应为表，而不是{value_type(settings)}", "packs", name)
        for key, value in settings.items():
            if key not in PACK_SETTINGS:
                message = f"未知的 packs.{show(name)} 设置项“{show(key)}”{_suggest(key, PACK_SETTINGS)}"
                raise fail(message, "packs", name, key)
            if not isinstance(value, dict):
                message = f"packs.{show(name)} 设置项“{key}”的类型不对，应为表，而不是{value_type(value)}"
                raise fail(message, "packs", name, key)
        pack_profiles[name] = dict(settings.get("profile", {}))
        _check_profile(pack_profiles[name], fail, "packs", name, "profile")
    fail_on = table.get("fail-on", "warning")
    if fail_on not in SEVERITIES:
        raise fail(f"fail-on 的值“{show(fail_on)}”无效，应为 {'、'.join(SEVERITIES)} 之一", "fail-on")
    return Config(
        select=tuple(table["select"]) if "select" in table else None,
        extend_select=tuple(table.get("extend-select", ())),
        ignore=tuple(table.get("ignore", ())),
        severity=dict(table.get("severity", {})),
        rule_dirs=tuple(_resolve(path, d, fail, "rules") for d in table.get("rules", ())),
        builtin_rules=table.get("builtin-rules", True),
        per_file_ignores={k: tuple(v) for k, v in table.get("per-file-ignores", {}).items()},
        profile=dict(profile),
        fail_on=fail_on,
        max_file_size=float(table.get("max-file-size", 20.0)),
        duplicates=_duplicates(path, table.get("duplicates", {}), fail),
        source=path,
        pack=table.get("pack"),
        pack_profiles=pack_profiles,
    )


def _check_profile(profile: dict[str, Any], fail: Any, *keys: str) -> None:
    """A profile's keys and values (the report kind is checked against its pack's kinds
    once the packs are loaded: RuleSet.check_config)."""
    what = "profile" if keys == ("profile",) else ".".join(show(key) for key in keys)
    for key, value in profile.items():
        if key not in PROFILE_FIELDS:
            raise fail(f"未知的 {what} 设置项“{show(key)}”{_suggest(key, PROFILE_FIELDS)}", *keys, key)
        if not isinstance(value, str):
            raise fail(f"{what} 设置项“{key}”的类型不对，应为字符串，而不是{value_type(value)}", *keys, key)
        if key == "deadline" and not _month_day(value):
            message = f"{what} 设置项“deadline”的值“{show(value)}”无效，应为“月-日”（MM-DD），如“03-01”"
            raise fail(message, *keys, key)


def _check_strings(values: list[Any], what: str, fail: Any, *keys: object) -> None:
    for number, value in enumerate(values, 1):
        if not isinstance(value, str):
            raise fail(f"{what}的第 {number} 项应为字符串，而不是{value_type(value)}", *keys)


def _month_day(value: str) -> bool:
    """Whether ``value`` is a day of the year written ``MM-DD`` (02-29 included)."""
    found = regex.fullmatch(r"([0-9]{2})-([0-9]{2})", value)
    if found is None:
        return False
    month, day = int(found.group(1)), int(found.group(2))
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2024, month)[1]  # 2024: a leap year


def _resolve(path: Path, relative: str, fail: Any, *keys: str) -> Path:
    """``relative`` (a setting's folder or file) taken from the config's folder."""
    if "\0" in relative:
        raise fail(f"设置项“{'.'.join(keys)}”的路径“{show(relative)}”含空字符，不是有效的路径", *keys)
    try:
        return (path.parent / relative).resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # a symlink loop, a name too long
        raise fail(f"设置项“{'.'.join(keys)}”的路径“{show(relative)}”无效：{show(str(exc), 120)}", *keys) from None


def _duplicates(path: Path, table: dict[str, Any], fail: Any) -> dict[str, Any]:
    """The checked ``[duplicates]`` table, with ``ignore-file`` resolved against the config's folder."""
    for key, value in table.items():
        if key not in DUPLICATE_FIELDS:
            raise fail(f"未知的 duplicates 设置项“{show(key)}”{_suggest(key, DUPLICATE_FIELDS)}", "duplicates", key)
        if not isinstance(value, DUPLICATE_FIELDS[key]) or isinstance(value, bool):
            wanted = TYPE_NAMES[DUPLICATE_FIELDS[key]]
            raise fail(f"duplicates 设置项“{key}”的类型不对，应为{wanted}", "duplicates", key)
        low = {"min-length": 0, "max-reports": 1}.get(key)
        if (low is not None and value < low) or (key in ("threshold", "max-share") and not 0 < value <= 1):
            allowed = "大于 0、不超过 1" if key in ("threshold", "max-share") else f"不小于 {low}"
            raise fail(f"duplicates 设置项“{key}”超出范围，应{allowed}", "duplicates", key)
    result = dict(table)
    if "ignore-file" in result:
        result["ignore-file"] = str(_resolve(path, result["ignore-file"], fail, "duplicates", "ignore-file"))
    return result


def setting_line(config: Config, table: str, key: str) -> int:
    """The line of a setting (``select``; in a table: ``severity``, ``FZ503``) in the config's
    file; 1 if unknown."""
    if config.source is None:
        return 1
    try:
        source = config.source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return 1
    tables = ["tool", "reportlint"] if config.source.name == "pyproject.toml" else []
    return key_line(source, [*tables, table, key] if table else [*tables, key])


@cache
def find_config(directory: Path) -> Config:
    """The nearest configuration at or above ``directory`` (a default one if none)."""
    for folder in (directory, *directory.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file():
                config = load_config(candidate)
                if config.source is not None:
                    return config
    return Config()
