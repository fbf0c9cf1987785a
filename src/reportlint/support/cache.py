"""On-disk cache of loaded rule packs, so a fresh process does not re-read and
re-validate every TOML file, data table and condition.

The packs are pickled after a successful load under the user's cache directory
(``$REPORTLINT_CACHE_DIR``, else ``$XDG_CACHE_HOME/reportlint`` or
``~/.cache/reportlint``; ``%LOCALAPPDATA%\\reportlint\\cache`` on Windows), in a file
named by a hash of everything the result depends on: the path, size and modification
time of every file under the rule directories and of reportlint's own code and
grammars, and the Python, reportlint and ``regex`` versions.  Editing a rule file, a data table or the code
therefore simply misses the cache.  ``REPORTLINT_NO_CACHE=1`` turns it off.

Safety: a rule directory with an error is never cached (the error is raised as
before); files are written to a temporary name and renamed into place, so
concurrent processes never see half a file; a file that cannot be read or
unpickled, or (POSIX) belongs to another user, is ignored and rebuilt.  Regular
expressions pickle as their source (:class:`reportlint.rules.model.LazyPattern`) and are
compiled when first used.

The same directory holds lark's parser caches (:func:`lark_cache_file`), the outline
grammar compiled to a regular expression (``outline-grammar-*.json``) and the record of
compiled regular expressions (``regex-*.pickle``, :mod:`reportlint.support.rxcache`); each kind
keeps its newest few files (``FAMILIES``).  ``--no-cache`` on the command line sets
``REPORTLINT_NO_CACHE``.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from reportlint.core.version import __version__
from reportlint.support.atomicfile import write_atomically

try:  # the BLAKE2 module alone: importing hashlib also loads OpenSSL, a few ms at start-up
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - CPython always has it
    from hashlib import blake2b
from reportlint.rules.model import Pack, load_packs

CACHE_FORMAT = 1
KEEP = 8  # rule-set caches kept per cache directory (older ones are removed)
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


def _ready_dir() -> Path | None:
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
    folder = _ready_dir()
    if folder is None or not os.access(folder, os.W_OK):
        return False
    return str(folder / f"lark-{grammar}.cache")


def _stats(root: str, suffixes: tuple[str, ...] | None) -> Iterator[tuple[str, int, int]]:
    """(relative path, size, mtime_ns) of the files under ``root`` (hidden entries and
    ``__pycache__`` skipped), sorted; ``suffixes`` limits the file names."""
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


def fingerprint(directories: Sequence[Path]) -> str:
    """Hash of everything a loaded rule set depends on."""
    import regex

    from reportlint.support.resources import data_dir

    digest = blake2b(digest_size=16)
    digest.update(f"{CACHE_FORMAT}\0{sys.version}\0{__version__}\0{regex.__version__}\0".encode())
    roots: list[tuple[Path, tuple[str, ...] | None]] = [(_PACKAGE_DIR, (".py",)), (data_dir("grammar"), None)]
    roots += [(Path(d), None) for d in directories]
    for index, (root, suffixes) in enumerate(roots):
        digest.update(f"\0root{index}\0{root}\0".encode())
        if not root.exists():
            digest.update(b"\0missing\0")
            continue
        for name, size, mtime in _stats(str(root), suffixes):
            digest.update(f"\0{name}\0{size}\0{mtime}\0".encode())
    return digest.hexdigest()


def _read(path: Path) -> list[Pack] | None:
    try:
        with path.open("rb") as handle:
            if hasattr(os, "getuid") and os.fstat(handle.fileno()).st_uid != os.getuid():
                return None  # not ours: never unpickle someone else's file
            packs = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:  # corrupt, truncated, or written by an incompatible version
        return None
    if not isinstance(packs, list) or not all(isinstance(pack, Pack) for pack in packs):
        return None
    return packs


def _write(folder: Path, path: Path, packs: list[Pack]) -> None:
    try:
        write_atomically(path, pickle.dumps(packs, protocol=pickle.HIGHEST_PROTOCOL))
        prune(folder)
    except Exception:  # a cache that cannot be written is only a slower next start
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



def load_packs_cached(directories: Sequence[Path]) -> list[Pack]:
    """:func:`reportlint.rules.model.load_packs`, through the on-disk cache when possible."""
    folder = _ready_dir()
    if folder is None:
        return load_packs(directories)
    try:
        key = fingerprint(directories)
    except OSError:
        return load_packs(directories)  # an unreadable directory: let the loader say what is wrong
    path = folder / f"rules-{key}.pickle"
    packs = _read(path)
    if packs is not None:
        return packs
    packs = load_packs(directories)
    _write(folder, path, packs)
    return packs


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
    folder = _ready_dir()
    if folder is None:
        return
    with contextlib.suppress(OSError):
        write_atomically(folder / name, text.encode("utf-8"))
        prune(folder)
