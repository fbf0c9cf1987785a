"""Errors that stop one input from being read, shared by every layer above core.

The engine's own errors live with what raises them: ``ConfigError`` in
:mod:`reportlint.engine.config`, ``RuleError`` in :mod:`reportlint.rules.model`.
"""

from __future__ import annotations

__all__ = ["MISSING_DEPENDENCY", "InputError"]

# After the name of a dependency that cannot be imported (all are ordinary dependencies
# now, imported only when used: a missing one means a broken install).
MISSING_DEPENDENCY = "（reportlint 的依赖），安装不完整：请在同一 Python 环境中重新安装 reportlint"


class InputError(Exception):
    """A report could not be read or decoded.

    ``path`` is the file as the user named it, ``problem`` a short Chinese
    phrase saying what is wrong and ``reason`` a stable machine-readable tag
    ("empty", "binary", "encoding", "not-found", "permission", "directory",
    "too-large", "unsupported", "io", or a reader's own, e.g. "corrupt").
    """

    def __init__(self, path: str, problem: str, reason: str = "io") -> None:
        super().__init__(path, problem, reason)
        self.path = path
        self.problem = problem
        self.reason = reason

    def __str__(self) -> str:
        # One line, whatever odd characters a path or an OS message contains.
        text = f"{self.path}: {self.problem}"
        return text.replace("\r", "\\r").replace("\n", "\\n")
