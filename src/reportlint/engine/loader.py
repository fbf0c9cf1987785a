"""Loading rule packs: the one place rules meet checks.

:mod:`reportlint.rules.model` reads a pack's TOML files into :class:`Pack` and
:class:`Rule` objects (checked against the field tables); this module imports the check
kinds (the built-in ones, and those a pack names in ``check_kinds``), compiles each rule's
check and conditions, and keeps the loaded packs in the on-disk cache so a fresh process
does not read and validate every TOML file, data table and condition again.

The rule-set cache: the packs are pickled after a successful load into the cache
directory (:mod:`reportlint.support.cache`), in a file named by a hash of everything the
result depends on: the path, size and modification time of every file under the rule
directories and of reportlint's own code and grammars, and the Python, reportlint and
``regex`` versions.  Editing a rule file, a data table or the code therefore simply misses
the cache.  A check kind from outside the package (``check_kinds``) is stored with the
size and modification time of its module's file, and a changed file misses the cache too.
A rule directory with an error is never cached (the error is raised as before); regular
expressions pickle as their source (:class:`reportlint.support.rxcache.LazyPattern`) and
are compiled when first used.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from reportlint.checks.base import compile_check
from reportlint.checks.conditions import compile_condition
from reportlint.core.version import __version__
from reportlint.rules.model import (
    Pack,
    Rule,
    RuleError,
    check_directory,
    check_templates,
    discover_packs,
    one_line,
    open_pack,
    read_rules,
)
from reportlint.support.cache import CACHE_FORMAT, dump_pickle, file_stats, load_pickle, new_digest, ready_dir
from reportlint.support.resources import data_dir

RULESET_FORMAT = 2  # the pickled payload: (packs, the files of outside check kinds)
_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the whole package's code
# The module files of the check kinds imported from outside the package (pack.toml's
# ``check_kinds``) while loading: a cached rule set is valid while they are unchanged.
_OUTSIDE_KINDS: dict[str, tuple[str, int, int]] = {}


def load_builtin_kinds() -> None:
    """Import (and so register) the built-in check kinds."""
    from reportlint.checks import citation, expression, identities, outline_checks, tables, text  # noqa: F401


def import_check_kinds(pack: Pack) -> None:
    """Import the modules pack.toml names in ``check_kinds`` (each registers its kinds);
    RuleError at that key for one that cannot be imported."""
    names = pack.settings.get("check_kinds", ())
    if not names:
        return
    settings = pack.directory / "pack.toml"
    for name in names:
        try:
            module = importlib.import_module(name)
        except Exception as exc:  # a missing module, or one that fails while importing
            line = pack.locate(settings, ("check_kinds",))
            reason = one_line(f"{type(exc).__name__}: {exc}")
            raise RuleError(settings, line, f"无法导入检查类型模块“{name}”：{reason}") from None
        origin = getattr(module, "__file__", None)
        if origin and not Path(origin).resolve().is_relative_to(_PACKAGE_DIR):
            stat = os.stat(origin)
            _OUTSIDE_KINDS[name] = (origin, stat.st_size, stat.st_mtime_ns)


def compile_rule(rule: Rule) -> None:
    """Compile ``rule``'s check and conditions in place (RuleError at the key at fault)."""
    rule.check = compile_check(rule)
    check_templates(rule, rule.check.placeholder_names())
    if rule.applies_if:
        rule.condition = compile_condition(rule, "applies_if", rule.applies_if)
    if rule.info_if:
        rule.info_condition = compile_condition(rule, "info_if", rule.info_if)


def load_pack(directory: Path | str) -> Pack:
    """Load and validate every rule file of one pack directory, checks compiled."""
    load_builtin_kinds()
    pack = open_pack(directory)
    import_check_kinds(pack)
    for rule in read_rules(pack):
        compile_rule(rule)
        pack.rules.append(rule)
    return pack


def load_packs(directories: Iterable[Path]) -> list[Pack]:
    """The packs of each rule directory (a pack, or a folder of packs); RuleError for a
    directory without rules and for a code two packs both use."""
    packs = []
    codes: dict[str, Path] = {}
    for directory in directories:
        check_directory(Path(directory))
        found = 0
        for pack_dir in discover_packs(Path(directory)):
            pack = load_pack(pack_dir)
            found += len(pack.rules)
            for rule in pack.rules:
                if rule.code in codes:
                    raise RuleError(
                        rule.path,
                        rule.key_line("code"),
                        f"规则代码 {rule.code} 重复（已用于 {codes[rule.code]}）",
                    )
                codes[rule.code] = rule.path
            packs.append(pack)
        if not found:  # a typo in rules = [...] must not lint with nothing
            raise RuleError(directory, 1, "规则目录中没有规则文件（<代码>-<名称>.toml）")
    return packs


# -- the rule-set cache ------------------------------------------------------------------------


def fingerprint(directories: Sequence[Path]) -> str:
    """Hash of everything a loaded rule set depends on (but outside check kinds, whose files
    are checked when the cached set is read)."""
    import regex

    digest = new_digest()
    digest.update(f"{CACHE_FORMAT}.{RULESET_FORMAT}\0{sys.version}\0{__version__}\0{regex.__version__}\0".encode())
    roots: list[tuple[Path, tuple[str, ...] | None]] = [(_PACKAGE_DIR, (".py",)), (data_dir("grammar"), None)]
    roots += [(Path(d), None) for d in directories]
    for index, (root, suffixes) in enumerate(roots):
        digest.update(f"\0root{index}\0{root}\0".encode())
        if not root.exists():
            digest.update(b"\0missing\0")
            continue
        for name, size, mtime in file_stats(str(root), suffixes):
            digest.update(f"\0{name}\0{size}\0{mtime}\0".encode())
    return digest.hexdigest()


def _unchanged(files: object) -> bool:
    """Whether the outside check kinds' module files a cached set was made with are unchanged."""
    if not isinstance(files, tuple):
        return False
    for entry in files:
        try:
            path, size, mtime = entry
            stat = os.stat(path)
        except (OSError, TypeError, ValueError):
            return False
        if (stat.st_size, stat.st_mtime_ns) != (size, mtime):
            return False
    return True


def _read(path: Path) -> list[Pack] | None:
    payload = load_pickle(path)
    if not isinstance(payload, tuple) or len(payload) != 2:
        return None
    packs, outside = payload
    if not isinstance(packs, list) or not all(isinstance(pack, Pack) for pack in packs):
        return None
    return packs if _unchanged(outside) else None


def load_packs_cached(directories: Sequence[Path]) -> list[Pack]:
    """:func:`load_packs`, through the on-disk cache when possible."""
    folder = ready_dir()
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
    _OUTSIDE_KINDS.clear()
    packs = load_packs(directories)
    dump_pickle(path, (packs, tuple(_OUTSIDE_KINDS.values())))
    return packs
