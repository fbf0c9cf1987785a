"""Configuration: ``[tool.reportlint]`` in pyproject.toml or a ``reportlint.toml``,
found by walking up from the checked file; command-line options override it."""

from __future__ import annotations

import difflib
import tomllib
from contextlib import suppress
from dataclasses import dataclass, field, replace
from fnmatch import fnmatch
from functools import cache
from pathlib import Path
from typing import Any

import regex

from reportlint.diagnostics import Severity
from reportlint.rules import SEVERITIES, find_table_key_line

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
}
PROFILE_FIELDS = {"kind": str, "province": str, "deadline": str}
# [tool.reportlint.duplicates]: the cross-report duplicate finder (reportlint.crossdup, RL101).
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
        super().__init__(f"{path}:{line}: {message}" if line is not None else f"{path}: {message}")


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

    def merged(self, **overrides: Any) -> Config:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

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


def _suggest(name: str, known: Any) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"，是否指“{close[0]}”？" if close else f"（可用：{'、'.join(known)}）"


def _table(path: Path) -> tuple[dict[str, Any], str] | None:
    try:
        source = path.read_text(encoding="utf-8")
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        found = regex.search(r"line (\d+)", str(exc))
        raise ConfigError(path, int(found.group(1)) if found else 1, f"TOML 格式错误：{exc}") from None
    except FileNotFoundError:
        raise ConfigError(path, 1, "配置文件不存在") from None
    except UnicodeDecodeError:
        raise ConfigError(path, 1, "配置文件不是 UTF-8 编码，无法读取") from None
    except OSError as exc:
        raise ConfigError(path, 1, f"无法读取配置文件：{exc.strerror or exc}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("reportlint")
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
    return config_from_table(table, path, lambda *keys: find_table_key_line(source, [*tables, *keys[:-1]], keys[-1]))


def config_from_mapping(table: dict[str, Any], base: Path | None = None) -> Config:
    """A configuration given as a plain dict of the file's keys (``{"select": ["FZ5"],
    "severity": {"FZ503": "info"}}``), as the Python API takes it; relative paths
    (``rules``, ``duplicates.ignore-file``) are taken from ``base`` (default: the current
    folder).  ConfigError names the key."""
    base = (base or Path.cwd()).resolve()
    return replace(config_from_table(table, base / "<配置>", None), source=None)


def config_from_table(table: dict[str, Any], path: Path, line_of: Any) -> Config:
    """Check and convert one configuration table; ``line_of(*keys)`` gives a key's line in
    the file ``path`` (None: a dict, whose errors name the key instead)."""

    def fail(message: str, *keys: str) -> ConfigError:
        if line_of is None:
            return ConfigError(f"配置项 {'.'.join(keys) or '（整体）'}", None, message)
        return ConfigError(path, line_of(*keys) if keys else 1, message)

    for key, value in table.items():
        if key not in FIELDS:
            raise fail(f"未知的设置项“{key}”{_suggest(key, FIELDS)}", key)
        if not isinstance(value, FIELDS[key]) or (key == "max-file-size" and isinstance(value, bool)):
            raise fail(f"设置项“{key}”的类型不对，应为{TYPE_NAMES[FIELDS[key]]}", key)
        if key == "max-file-size" and value <= 0:
            raise fail("设置项“max-file-size”应为正数（单位 MB）", key)
    for code, level in table.get("severity", {}).items():
        if level not in SEVERITIES:
            raise fail(f"严重级别“{level}”无效，应为 {'、'.join(SEVERITIES)} 之一", "severity", code)
    profile = table.get("profile", {})
    for key in profile:
        if key not in PROFILE_FIELDS:
            raise fail(f"未知的 profile 设置项“{key}”{_suggest(key, PROFILE_FIELDS)}", "profile", key)
    fail_on = table.get("fail-on", "warning")
    if fail_on not in SEVERITIES:
        raise fail(f"fail-on 的值“{fail_on}”无效，应为 {'、'.join(SEVERITIES)} 之一", "fail-on")
    return Config(
        select=tuple(table["select"]) if "select" in table else None,
        extend_select=tuple(table.get("extend-select", ())),
        ignore=tuple(table.get("ignore", ())),
        severity=dict(table.get("severity", {})),
        rule_dirs=tuple((path.parent / d).resolve() for d in table.get("rules", ())),
        builtin_rules=table.get("builtin-rules", True),
        per_file_ignores={k: tuple(v) for k, v in table.get("per-file-ignores", {}).items()},
        profile=dict(profile),
        fail_on=fail_on,
        max_file_size=float(table.get("max-file-size", 20.0)),
        duplicates=_duplicates(path, table.get("duplicates", {}), fail),
        source=path,
    )


def _duplicates(path: Path, table: dict[str, Any], fail: Any) -> dict[str, Any]:
    """The checked ``[duplicates]`` table, with ``ignore-file`` resolved against the config's folder."""
    for key, value in table.items():
        if key not in DUPLICATE_FIELDS:
            raise fail(f"未知的 duplicates 设置项“{key}”{_suggest(key, DUPLICATE_FIELDS)}", "duplicates", key)
        if not isinstance(value, DUPLICATE_FIELDS[key]) or isinstance(value, bool):
            wanted = TYPE_NAMES[DUPLICATE_FIELDS[key]]
            raise fail(f"duplicates 设置项“{key}”的类型不对，应为{wanted}", "duplicates", key)
        low = {"min-length": 0, "max-reports": 1}.get(key)
        if (low is not None and value < low) or (key in ("threshold", "max-share") and not 0 < value <= 1):
            allowed = "大于 0、不超过 1" if key in ("threshold", "max-share") else f"不小于 {low}"
            raise fail(f"duplicates 设置项“{key}”超出范围，应{allowed}", "duplicates", key)
    result = dict(table)
    if "ignore-file" in result:
        result["ignore-file"] = str((path.parent / result["ignore-file"]).resolve())
    return result


def setting_line(config: Config, table: str, key: str) -> int:
    """The line of a setting (``select``; in a table: ``severity``, ``FZ503``) in the config's
    file; 1 if unknown."""
    if config.source is None:
        return 1
    try:
        source = config.source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return 1
    tables = ["tool", "reportlint"] if config.source.name == "pyproject.toml" else []
    return find_table_key_line(source, [*tables, table] if table else tables, key)


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
