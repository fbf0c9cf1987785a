"""Compiled regular expressions kept across processes.

The ``regex`` module compiles a pattern in pure Python (parse, optimise, generate
code) before its C engine takes over; for the few hundred patterns reportlint uses
that is most of a cold start.  A compiled ``regex`` pattern pickles as its finished
program (``regex`` registers a pickler that rebuilds the pattern object from it
without compiling again), so the patterns a process compiles are stored, keyed by
pattern and flags, in one file per ``regex`` and Python version in the user's cache
directory (see :mod:`reportlint.support.cache`), and later processes load them.

Everything here is an optimisation with a plain ``regex.compile`` behind it: a cache
that cannot be read or written, or an entry that does not look right, falls back to
compiling normally.  :class:`LazyPattern` compiles on first use through this cache.
"""

from __future__ import annotations

import atexit
import os
import pickle
import sys
import threading
from pathlib import Path
from typing import Any

import regex

from reportlint.support.atomicfile import write_atomically

FORMAT = 2
_lock = threading.Lock()
MAX_ENTRIES = 4096  # patterns kept in the record
_table: dict[tuple[str, int], bytes] | None = None  # pickled patterns, unpickled on demand
_new: dict[tuple[str, int], bytes] = {}


def _file() -> str | None:
    from reportlint.support.cache import cache_dir

    folder = cache_dir()
    if folder is None:
        return None
    version = f"{regex.__version__}-{regex.DEFAULT_VERSION}-{sys.version_info[0]}.{sys.version_info[1]}-{FORMAT}"
    return str(folder / f"regex-{version}.pickle")


def _read_record(path: str) -> dict[tuple[str, int], bytes]:
    try:
        with open(path, "rb") as handle:
            if hasattr(os, "getuid") and os.fstat(handle.fileno()).st_uid != os.getuid():
                return {}  # not ours: never unpickle someone else's file
            loaded = pickle.load(handle)
    except Exception:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _load() -> dict[tuple[str, int], bytes]:
    global _table
    if _table is None:
        path = _file()
        _table = _read_record(path) if path is not None else {}
    return _table


def compile(pattern: str, flags: int = 0) -> regex.Pattern[str]:
    """``regex.compile(pattern, flags)``, loaded from the on-disk record when it is there."""
    key = (pattern, flags)
    with _lock:
        stored = _load().get(key)
    if stored is not None:
        try:
            compiled = pickle.loads(stored)
            if isinstance(compiled, regex.Pattern) and compiled.pattern == pattern:
                return compiled
        except Exception:
            pass
    compiled = regex.compile(pattern, flags)
    try:
        data = pickle.dumps(compiled, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return compiled
    with _lock:
        table = _load()
        if len(table) < MAX_ENTRIES:
            table[key] = data
            _new[key] = data
            if len(_new) == 1:
                atexit.register(save)
    return compiled


def save() -> None:
    """Write the patterns compiled by this process into the record (merged, atomically)."""
    with _lock:
        if not _new:
            return
        path = _file()
        if path is None:
            return
        merged = {**_load(), **_read_record(path), **_new}
        _new.clear()
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        write_atomically(Path(path), pickle.dumps(merged, protocol=pickle.HIGHEST_PROTOCOL))
        from reportlint.support.cache import prune

        prune(Path(path).parent)  # records of older regex or Python versions
    except Exception:  # a cache that cannot be written is only a slower next start
        pass


class LazyPattern:
    """A regular expression compiled on first use (through :func:`compile`) that pickles
    as its source, so a rule set restored from the on-disk cache compiles only the
    patterns a document actually needs.  Offers the ``regex.Pattern`` methods; once
    compiled, they are the compiled pattern's own methods (no extra call)."""

    _METHODS = ("finditer", "search", "match", "fullmatch", "sub")

    def __init__(self, pattern: str, flags: int = 0, compiled: regex.Pattern[str] | None = None) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: regex.Pattern[str] | None = None
        if compiled is not None:
            self._bind(compiled)

    def _bind(self, compiled: regex.Pattern[str]) -> regex.Pattern[str]:
        self._compiled = compiled
        for name in self._METHODS:
            setattr(self, name, getattr(compiled, name))  # shadows the compiling methods below
        return compiled

    @property
    def compiled(self) -> regex.Pattern[str]:
        compiled = self._compiled
        if compiled is None:
            compiled = self._bind(compile(self.pattern, self.flags))
        return compiled

    def finditer(self, *args: Any, **kwargs: Any) -> Any:
        return self.compiled.finditer(*args, **kwargs)

    def search(self, *args: Any, **kwargs: Any) -> regex.Match[str] | None:
        return self.compiled.search(*args, **kwargs)

    def match(self, *args: Any, **kwargs: Any) -> regex.Match[str] | None:
        return self.compiled.match(*args, **kwargs)

    def fullmatch(self, *args: Any, **kwargs: Any) -> regex.Match[str] | None:
        return self.compiled.fullmatch(*args, **kwargs)

    def sub(self, *args: Any, **kwargs: Any) -> str:
        return self.compiled.sub(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "_compiled":
            raise AttributeError(name)
        return getattr(self.compiled, name)

    def __reduce__(self) -> tuple[Any, ...]:
        return (LazyPattern, (self.pattern, self.flags))

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r})"
