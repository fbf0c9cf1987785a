"""Running ``reportlint check`` over many files: configuration per file (the
:class:`~reportlint.app.session.Session` of the run's options), reading, linting and
fixing, in worker processes when asked, with results in the same order as a serial run
so output never depends on ``--jobs``; and the exit codes of reportlint's commands."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlint.app.fixes import (
    FixWriteError,
    check_not_emptied,
    fix_until_stable,
    fixable_path,
    unfixable_note,
    unified_diff,
    write_fixed,
)
from reportlint.app.results import FileResult
from reportlint.app.session import RunOptions, session_for
from reportlint.core.diagnostics import Diagnostic, Severity
from reportlint.core.document import Document
from reportlint.core.errors import InputError
from reportlint.core.internal import DUPLICATE
from reportlint.engine.config import ConfigError
from reportlint.engine.lint import lint_document
from reportlint.inputs.reading import iter_report_files, read_path
from reportlint.rules.model import RuleError

DUPLICATE_CODE = DUPLICATE
# Exit codes: no finding at or above the fail level; findings; a usage, configuration,
# rule-file or input error (other files are still linted).
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# Below this many files a process pool costs more than it saves.
MIN_FILES_PER_WORKER = 4


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


def lint_file(path: str, options: RunOptions) -> FileOutcome:
    """Read, lint and (if asked) fix one file.  Never raises for bad input."""
    config, rules = session_for(options).rules(path)
    outcome = FileOutcome(path, fail_severity=config.fail_severity)
    try:
        doc = read_path(path, max_bytes=config.max_bytes)
    except InputError as exc:
        outcome.error, outcome.problem = str(exc), exc.problem
        return outcome
    diagnostics = lint_document(doc, rules, config)
    wants_fix = options.fix or options.diff
    if wants_fix and not fixable_path(path) and any(d.fix for d in diagnostics):
        outcome.note = f"{path}: {unfixable_note()}"
    if wants_fix and fixable_path(path) and doc.undecodable:
        # Writing the text back would put U+FFFD where the damaged bytes were: refuse.
        outcome.problem = (
            f"有 {len(doc.undecodable)} 处字节无法解码（RL004），为免丢失原始字节，不自动修正；请先对照原稿改正这几处"
        )
        outcome.error = f"{path}: {outcome.problem}"
        return _with_result(outcome, doc, diagnostics)
    if wants_fix and fixable_path(path):
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


def lint_paths(paths: Sequence[str], options: RunOptions, jobs: int | None = None) -> Iterator[FileOutcome]:
    """Outcomes for every report under ``paths``, in the order a serial run gives.  A bad
    configuration stops the run (ConfigError) before anything is read: the one given with
    --config, or the one found for every file; one found for only some files is reported
    once and the files under it are skipped, the others checked."""
    if options.config_path is not None:
        session_for(options).rules("-")
    items = list(iter_report_files(list(paths)))
    skipped = _under_bad_configs(items, options)
    files = [item for i, item in enumerate(items) if isinstance(item, str) and item != "-" and i not in skipped]
    workers = len(files) // MIN_FILES_PER_WORKER
    if workers > 1:
        from reportlint.support.pool import default_jobs, process_pool  # (imported only for a pool)

        workers = min(default_jobs() if jobs is None or jobs <= 0 else jobs, workers)
    if workers <= 1:
        yield from (skipped[i] if i in skipped else _outcome(item, options) for i, item in enumerate(items))
        return
    # Compile the rules once here, before forking, so no worker compiles them again.
    session_for(options).rules(files[0])
    chunk = max(1, min(32, len(files) // (workers * 8)))
    with process_pool(workers) as pool:
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
                session_for(options).rules(item)
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
    config = session_for(options).config(results[0].document.path)
    if any(code == "ALL" or DUPLICATE_CODE.startswith(code) for code in config.ignore):
        return {}
    return find_duplicates_with(
        [r.document for r in results], options_from_config(config), jobs=jobs if jobs and jobs > 0 else None
    )
