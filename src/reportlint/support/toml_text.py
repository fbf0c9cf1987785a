"""TOML text to data, with the line of a syntax error: one wording of the mistake for
every file reportlint reads (rule files, pack.toml, tables.toml, configurations)."""

from __future__ import annotations

import tomllib
from typing import Any

import regex


class TomlError(ValueError):
    """A TOML text that does not parse: ``line`` (1-based) and a Chinese ``problem``."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(line, problem)
        self.line = line
        self.problem = problem


def parse_toml(source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        found = regex.search(r"line (\d+)", str(exc))
        raise TomlError(int(found.group(1)) if found else 1, f"TOML 格式错误：{exc}") from None
    except RecursionError:  # (tomllib reads nested arrays and tables by recursion)
        raise TomlError(1, "TOML 格式错误：数组或表嵌套层数过多") from None
