"""The on-disk cache store: where reportlint keeps what it can derive again.

Everything lives in the user's cache directory (``$REPORTLINT_CACHE_DIR``, else
``$XDG_CACHE_HOME/reportlint`` or ``~/.cache/reportlint``; ``%LOCALAPPDATA%\\reportlint\\cache``
on Windows); ``REPORTLINT_NO_CACHE=1`` (``--no-cache`` on the command line) turns it off.
It holds the loaded rule sets (``rules-*.pickle``, written by
:mod:`reportlint.engine.loader`), lark's parser caches (:func:`lark_cache_file`), the
outline grammar compiled to a regular expression (``outline-grammar-*.json``) and the
record of compiled regular expressions (``regex-*.pickle``, :mod:`reportlint.support.rxcache`);
each family keeps its newest few files (``FAMILIES``).

Safety: files are written to a temporary name and renamed into place, so concurrent
processes never see half a file; a pickle that cannot be read, or (POSIX) belongs to
another user, is ignored (:func:`load_pickle`), and whoever wanted it derives it again.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reportlint.core.version import __version__
from reportlint.support.atomicfile import write_atomically

try:  # the BLAKE2 module alone: importing hashlib also loads OpenSSL, a few ms at start-up
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - CPython always has it
    from hashlib import blake2b

CACHE_FORMAT = 1
KEEP = 8  # files kept per family (older ones are removed)
# Every kind of file kept in the cache directory, and how many of each are kept: a new
# reportlint, rule edit, grammar or regex version writes a new file, and the oldest go.
# (lark's own caches, lark-*.cache, have one file per grammar and are overwritten.)
FAMILIES = {"rules-*.pickle": KEEP, "outline-grammar-*.json": KEEP, "regex-*.pickle": 2}
_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the whole package's code


def cache_dir() -> Path | None:
    """Where reportlint keeps its caches (None when disabled)."""
    if os.environ.get("REPORTLINT_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("REPORTLINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    if sys.platform == "win32":
        root = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(root) / "reportlint" / "cache"
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "reportlint"


def ready_dir() -> Path | None:
    """The cache directory, created if need be (None when disabled or not creatable)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return folder


def lark_cache_file(grammar: str) -> str | bool:
    """A cache file for lark's parser tables of ``grammar`` (False: no caching).
    lark itself checks that the file matches the grammar, options and lark version."""
    folder = ready_dir()
    if folder is None or not os.access(folder, os.W_OK):
        return False
    return str(folder / f"lark-{grammar}.cache")


def file_stats(root: str, suffixes: tuple[str, ...] | None = None) -> Iterator[tuple[str, int, int]]:
    """(relative path, size, mtime_ns) of the files under ``root`` (hidden entries and
    ``__pycache__`` skipped), sorted; ``suffixes`` limits the file names.  A file: itself."""
    if os.path.isfile(root):
        stat = os.stat(root)
        yield os.path.basename(root), stat.st_size, stat.st_mtime_ns
        return
    found = []
    skip = len(root.rstrip(os.sep)) + 1
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
        for name in files:
            if name.startswith(".") or (suffixes is not None and not name.endswith(suffixes)):
                continue
            path = os.path.join(folder, name)
            stat = os.stat(path)
            found.append((path[skip:], stat.st_size, stat.st_mtime_ns))
    yield from sorted(found)


def new_digest(digest_size: int = 16) -> Any:
    """A BLAKE2b hash object (for cache keys)."""
    return blake2b(digest_size=digest_size)


def load_pickle(path: Path) -> Any:
    """The object pickled in ``path``; None if it is absent, unreadable, corrupt, written by
    an incompatible version or (POSIX) not the current user's (never unpickled)."""
    try:
        with path.open("rb") as handle:
            if hasattr(os, "getuid") and os.fstat(handle.fileno()).st_uid != os.getuid():
                return None  # not ours: never unpickle someone else's file
            return pickle.load(handle)
    except Exception:  # missing, corrupt, truncated, or written by an incompatible version
        return None


def dump_pickle(path: Path, value: Any) -> None:
    """Pickle ``value`` into ``path`` atomically and prune its folder; failures are ignored
    (a cache that cannot be written is only a slower next start)."""
    try:
        write_atomically(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        prune(path.parent)
    except Exception:
        pass


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed meanwhile by another process
        return 0.0


def prune(folder: Path | None = None) -> None:
    """Keep the newest files of each family in ``FAMILIES`` (default folder: the cache's)."""
    folder = folder or cache_dir()
    if folder is None:
        return
    for pattern, keep in FAMILIES.items():
        files = sorted(folder.glob(pattern), key=_mtime, reverse=True)
        for old in files[keep:]:
            with contextlib.suppress(OSError):
                old.unlink()



def derived_cache_key(source: bytes) -> str:
    """Key of something derived from ``source`` with lark (a grammar compiled by
    :mod:`reportlint.outline.lark_regex`): the source, reportlint's version and lark's installed
    files (found without importing lark)."""
    import importlib.util

    digest = blake2b(source, digest_size=12)
    digest.update(f"\0{__version__}\0{CACHE_FORMAT}\0".encode())
    spec = importlib.util.find_spec("lark")
    if spec is not None and spec.origin:
        stat = os.stat(spec.origin)
        digest.update(f"{spec.origin}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    for module in ("lark_regex.py",):
        digest.update((_PACKAGE_DIR / "outline" / module).read_bytes())
    return digest.hexdigest()


def read_cached(name: str) -> str | None:
    """Text stored under ``name`` in the cache directory (None if absent or unreadable)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return (folder / name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def write_cached(name: str, text: str) -> None:
    """Store ``text`` under ``name``, atomically; failures are ignored."""
    folder = ready_dir()
    if folder is None:
        return
    with contextlib.suppress(OSError):
        write_atomically(folder / name, text.encode("utf-8"))
        prune(folder)
