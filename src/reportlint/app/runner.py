"""Running ``reportlint check`` over many files: configuration per file,
reading, linting and fixing, in worker processes when asked, with results in
the same order as a serial run so output never depends on ``--jobs``."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reportlint.app.fixes import (
    FIXABLE_SUFFIXES,
    FixWriteError,
    check_not_emptied,
    fix_until_stable,
    unified_diff,
    write_fixed,
)
from reportlint.core.diagnostics import Diagnostic, Severity
from reportlint.core.document import Document
from reportlint.core.internal import DUPLICATE
from reportlint.engine.config import Config, ConfigError, find_config, load_config
from reportlint.engine.lint import lint_document, load_ruleset
from reportlint.inputs.reading import InputError, iter_report_files, read_path
from reportlint.output.formatters import FileResult
from reportlint.rules.model import Rule, RuleError

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

DUPLICATE_CODE = DUPLICATE
# Below this many files a process pool costs more than it saves.
MIN_FILES_PER_WORKER = 4


@dataclass(frozen=True)
class RunOptions:
    """What ``reportlint check`` was asked to do; picklable for worker processes."""

    config_path: Path | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    kind: str | None = None
    fail_on: str | None = None
    rule_dirs: tuple[Path, ...] = ()
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    max_file_size: float | None = None  # MB, overrides the configuration


@dataclass
class FileOutcome:
    """One file's result, or the one-line problem that stopped it."""

    path: str
    result: FileResult | None = None
    error: str | None = None  # "path: 问题"
    problem: str = ""
    fail_severity: Severity = Severity.WARNING
    fixed: int = 0
    diff: str = ""
    fixed_text: str | None = None  # for --fix on standard input
    note: str = ""  # said on stderr, not an error
    written: bool = False  # --fix wrote the file back
    bad_config: bool = False  # not checked: its nearest configuration is bad (said once, in ``error``)


def base_config_for(path: str, options: RunOptions) -> Config:
    """The file's configuration as written (explicit, else found walking up)."""
    if options.config_path is not None:
        return load_config(options.config_path)
    start = Path.cwd() if path == "-" else Path(path).resolve().parent
    return find_config(start)


def config_for(path: str, options: RunOptions) -> Config:
    """The file's configuration (explicit, else found walking up) with command-line overrides."""
    base = base_config_for(path, options)
    profile = dict(base.profile)
    if options.kind:
        profile["kind"] = options.kind
    return base.merged(
        select=options.select,
        extend_select=(base.extend_select + options.extend_select) if options.extend_select else None,
        ignore=(base.ignore + options.ignore) if options.ignore else None,
        fail_on=options.fail_on,
        profile=profile,
        max_file_size=options.max_file_size,
    )


_CHECKED_CONFIGS: set[tuple[object, ...]] = set()  # configurations whose rule codes were checked


def rules_for(path: str, options: RunOptions) -> tuple[Config, list[Rule]]:
    """The file's configuration and rules; ConfigError for a rule code in the configuration
    file that names no rule (checked once per configuration)."""
    config = config_for(path, options)
    ruleset = load_ruleset(config, options.rule_dirs)
    base = base_config_for(path, options)
    key = (
        str(base.source),
        tuple(map(str, options.rule_dirs)),
        base.select,
        base.extend_select,
        base.ignore,
        tuple(sorted(base.per_file_ignores.items())),
        tuple(sorted(base.severity)),
    )
    if key not in _CHECKED_CONFIGS:
        ruleset.check_config(base)
        _CHECKED_CONFIGS.add(key)
    return config, ruleset.select(config, path)


def lint_file(path: str, options: RunOptions) -> FileOutcome:
    """Read, lint and (if asked) fix one file.  Never raises for bad input."""
    config, rules = rules_for(path, options)
    outcome = FileOutcome(path, fail_severity=config.fail_severity)
    try:
        doc = read_path(path, max_bytes=config.max_bytes)
    except InputError as exc:
        outcome.error, outcome.problem = str(exc), exc.problem
        return outcome
    diagnostics = lint_document(doc, rules, config)
    wants_fix = options.fix or options.diff
    if wants_fix and not _fixable(path) and any(d.fix for d in diagnostics):
        outcome.note = f"{path}: 只能自动修正 .txt 和 .md 文件；Word、PDF 文件中的问题请按提示在原文件中修改"
    if wants_fix and _fixable(path) and doc.undecodable:
        # Writing the text back would put U+FFFD where the damaged bytes were: refuse.
        outcome.problem = (
            f"有 {len(doc.undecodable)} 处字节无法解码（RL004），为免丢失原始字节，不自动修正；请先对照原稿改正这几处"
        )
        outcome.error = f"{path}: {outcome.problem}"
        return _with_result(outcome, doc, diagnostics)
    if wants_fix and _fixable(path):
        fixed = fix_until_stable(
            doc, diagnostics, lambda d: lint_document(d, rules, config), unsafe=options.unsafe_fixes
        )
        outcome.fixed = fixed.fixed
        if fixed.fixed:
            if options.diff:
                outcome.diff = unified_diff(doc, fixed.document)
                return _with_result(outcome, doc, diagnostics)
            try:
                if path == "-":
                    check_not_emptied(doc.path, doc, fixed)
                    outcome.fixed_text = fixed.document.text
                else:
                    write_fixed(path, doc, fixed)
                    outcome.written = True
            except FixWriteError as exc:  # the file is left as it was: its findings as read
                outcome.error, outcome.problem = str(exc), exc.problem
                return _with_result(outcome, doc, diagnostics)
            doc, diagnostics = fixed.document, fixed.diagnostics
    return _with_result(outcome, doc, diagnostics)


def _with_result(outcome: FileOutcome, doc: Document, diagnostics: list[Diagnostic]) -> FileOutcome:
    doc.source_bytes = None  # only --fix needed them: not sent back from a worker process
    outcome.result = FileResult(doc, diagnostics, outcome.fail_severity)
    return outcome


def _fixable(path: str) -> bool:
    return path == "-" or path.lower().endswith(FIXABLE_SUFFIXES)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _pool_context() -> BaseContext:
    # fork lets workers inherit the rules already compiled in this process;
    # elsewhere (macOS, Windows) the platform default is the safe choice.
    # (Imported here, as the pool below: a run of one or a few files never needs them,
    # and they cost some 9 ms of every start.)
    import multiprocessing

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def lint_paths(paths: Sequence[str], options: RunOptions, jobs: int | None = None) -> Iterator[FileOutcome]:
    """Outcomes for every report under ``paths``, in the order a serial run gives.  A bad
    configuration stops the run (ConfigError) before anything is read: the one given with
    --config, or the one found for every file; one found for only some files is reported
    once and the files under it are skipped, the others checked."""
    if options.config_path is not None:
        rules_for("-", options)
    items = list(iter_report_files(list(paths)))
    skipped = _under_bad_configs(items, options)
    files = [item for i, item in enumerate(items) if isinstance(item, str) and item != "-" and i not in skipped]
    jobs = default_jobs() if jobs is None or jobs <= 0 else jobs
    workers = min(jobs, len(files) // MIN_FILES_PER_WORKER)
    if workers <= 1:
        yield from (skipped[i] if i in skipped else _outcome(item, options) for i, item in enumerate(items))
        return
    # Compile the rules once here, before forking, so no worker compiles them again.
    rules_for(files[0], options)
    chunk = max(1, min(32, len(files) // (workers * 8)))
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
        done = pool.map(lint_file, files, [options] * len(files), chunksize=chunk)
        for i, item in enumerate(items):
            if i in skipped:
                yield skipped[i]
            else:
                yield next(done) if isinstance(item, str) and item != "-" else _outcome(item, options)


def _under_bad_configs(items: Sequence[str | InputError], options: RunOptions) -> dict[int, FileOutcome]:
    """The outcomes of the files (by position in ``items``) whose nearest configuration is
    bad (or names a bad rule folder), each bad configuration reported on the first of them
    only; the first error raised when nothing else is left to check."""
    if options.config_path is not None:  # checked already: one configuration for every file
        return {}
    problems: dict[Path, ConfigError | RuleError | None] = {}
    reported: set[str] = set()
    skipped: dict[int, FileOutcome] = {}
    first: ConfigError | RuleError | None = None
    others = False
    for index, item in enumerate(items):
        if not isinstance(item, str):
            others = True
            continue
        try:
            start = Path.cwd() if item == "-" else Path(item).resolve().parent
        except (OSError, RuntimeError):  # a symlink loop: reading the file reports it
            others = True
            continue
        if start not in problems:
            try:
                rules_for(item, options)
                problems[start] = None
            except (ConfigError, RuleError) as exc:  # (RuleError: a rule folder the configuration names)
                problems[start] = exc
        problem = problems[start]
        if problem is None:
            others = True
            continue
        message = str(problem)
        first = first or problem
        skipped[index] = FileOutcome(
            item,
            error=None if message in reported else message,
            problem=f"配置文件有误，没有检查：{message}",
            bad_config=True,
        )
        reported.add(message)
    if first is not None and not others:
        raise first
    return skipped


def _outcome(item: str | InputError, options: RunOptions) -> FileOutcome:
    if isinstance(item, InputError):
        return FileOutcome(item.path, error=str(item), problem=item.problem)
    return lint_file(item, options)


def find_cross_report_duplicates(
    results: Sequence[FileResult], options: RunOptions, jobs: int | None = None
) -> dict[str, list[Diagnostic]]:
    """RL101 findings for passages copied between the checked reports (``--duplicates``),
    with the settings of ``[tool.reportlint.duplicates]`` in the first report's configuration.
    Raises InputError when the configured ignore-file cannot be read."""
    from reportlint.app.duplicates import find_duplicates_with, options_from_config  # loads jieba: only when asked

    if len(results) < 2:
        return {}
    config = config_for(results[0].document.path, options)
    if any(code == "ALL" or DUPLICATE_CODE.startswith(code) for code in config.ignore):
        return {}
    return find_duplicates_with(
        [r.document for r in results], options_from_config(config), jobs=jobs if jobs and jobs > 0 else None
    )
