"""Locate the data shipped with reportlint: rule packs and lark grammars.

In a wheel they live inside the package (``reportlint/_data``); in a source
checkout or editable install they are the top-level ``rules/`` and ``grammar/``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/reportlint (or the installed package)


@cache
def data_dir(name: str) -> Path:
    """Return the directory of shipped data ``name`` ("rules" or "grammar")."""
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE_DIR.parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"reportlint data directory '{name}' not found")


def grammar_path(filename: str) -> Path:
    return data_dir("grammar") / filename


def builtin_rules_dir() -> Path:
    return data_dir("rules")
