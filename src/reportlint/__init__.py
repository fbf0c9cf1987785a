"""reportlint: lint Chinese government reports against declarative compliance rules.

The Python API (``lint_text``, ``lint_path``, ``Finding``, ``LintError``) lives in
``reportlint.app.api`` and is imported on first use, so that the command line does not pay
for it at start-up.  See docs/api.md.
"""

from __future__ import annotations

from typing import Any

from reportlint.core.version import __version__

__all__ = ["Edit", "Finding", "Fix", "LintError", "__version__", "lint_path", "lint_text"]


def __getattr__(name: str) -> Any:
    if name in __all__ and name != "__version__":
        from reportlint.app import api

        return getattr(api, name)
    raise AttributeError(f"module 'reportlint' has no attribute {name!r}")
