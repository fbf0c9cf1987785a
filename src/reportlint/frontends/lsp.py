"""Language server: ``reportlint lsp`` speaks the Language Server Protocol over stdio.

Built on pygls 2 / lsprotocol.  It lints the buffers of the formats editors edit as text
(.txt, .md: the editable readers of :mod:`reportlint.inputs.registry`), and the files of
the other formats (.docx, .pdf …) from disk on open and save; publishes diagnostics,
offers quick fixes and a fix-all source action, and explains a rule on hover.  The
configuration and rules of each file come from the application session
(:mod:`reportlint.app.session`), as on the command line.  Everything runs locally.

Positions are always UTF-16 code units (the LSP default): the server declines the
UTF-8/UTF-32 encodings a client may offer, because ``Document.lsp_position`` (reportlint's
one UTF-16 mapping) counts UTF-16.  A lint error is logged to the client, never fatal.

Scheduling: each lint runs on a thread of its own, so the event loop stays responsive.
A document is linted by one thread at a time; edits made meanwhile queue one lint of
the latest text (intermediate versions are dropped, and a result for a text that has
changed since is never published).  At most :data:`LINT_SLOTS` lints share the CPU;
a lint that has held its slot for :data:`SLOT_SECONDS` (a huge document, a rule pack
with a catastrophic pattern) goes on outside the slots, so one slow document never
delays the diagnostics of another.

Framing: the server reads the stdio stream itself (:class:`FrameReader`, replacing
pygls's reader loop, see ``ReportServer.start_io``) so that a bad frame -- a bad or
missing ``Content-Length``, a body that is not JSON -- is logged and skipped and the
server resynchronises on the next valid header instead of falling silent.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sys
import threading
import traceback
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import regex
from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.uris import to_fs_path

from reportlint.app.fixes import applicable_edits
from reportlint.app.rule_docs import explain_text
from reportlint.app.session import Session
from reportlint.core.diagnostics import Diagnostic, Edit
from reportlint.core.document import Document, LspPosition
from reportlint.core.errors import InputError
from reportlint.core.version import __version__
from reportlint.engine.config import CONFIG_FILES, Config, ConfigError, find_config
from reportlint.engine.lint import lint_document
from reportlint.inputs import registry as input_formats
from reportlint.inputs.reading import read_path
from reportlint.output.json import lsp_diagnostic
from reportlint.rules.model import Rule, RuleError

TEXT_LANGUAGES = frozenset({"plaintext", "text", "markdown"})  # "text": Neovim and Emacs names
# Where a document's text comes from: the editor's buffer, or the file on disk (a format
# editors do not edit as text, e.g. .docx).
BUFFER, FILE = "buffer", "file"
DEFAULT_DEBOUNCE_MS = 300
FIX_ALL_TITLE = "修正全部可安全修正的问题"
UNSAFE_MARK = "（需确认）"
LINT_SLOTS = 2  # lints running at once (more only contend for the interpreter)
SLOT_SECONDS = 1.0  # a lint holds its slot this long at most, then goes on outside the slots
SLOW_NOTICE_SECONDS = 10.0  # a lint running longer than this is mentioned in the client's log
MAX_MESSAGE_BYTES = 256 * 1024 * 1024  # a larger Content-Length is refused as a bad frame
MAX_HEADER_LINE = 8 * 1024  # a longer header line is not a header

logger = logging.getLogger("reportlint.frontends.lsp")


# --------------------------------------------------------------------------- analysis


@dataclass
class Analysis:
    """One lint of one buffer: the diagnostics and their LSP form.

    ``text`` is the buffer exactly as the editor sent it (``None`` for a file read
    from disk, e.g. ``.docx``, which cannot be edited through the protocol).
    ``bom_shift`` is 1 when the buffer starts with a BOM that the Document dropped:
    the editor still counts it on line 0.
    """

    document: Document
    diagnostics: list[Diagnostic]
    lsp_diagnostics: list[types.Diagnostic]
    text: str | None = None
    version: int | None = None
    bom_shift: int = 0

    def __post_init__(self) -> None:
        # Without characters outside the BMP, UTF-16 units equal code points: skip counting them.
        self._astral = bool(self.document.astral_offsets)

    @property
    def editable(self) -> bool:
        return self.text is not None

    def position(self, offset: int) -> types.Position:
        if self._astral:
            pos = self.document.lsp_position(offset)
            line, character = pos.line, pos.character
        else:
            human = self.document.position(offset)
            line, character = human.line - 1, human.column - 1
        return types.Position(line, character + (self.bom_shift if line == 0 else 0))

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(self.position(start), self.position(end))

    def range_json(self, start: int, end: int) -> dict[str, Any]:
        a, b = self.position(start), self.position(end)
        return {"start": {"line": a.line, "character": a.character}, "end": {"line": b.line, "character": b.character}}

    def offset(self, position: types.Position) -> int:
        shift = self.bom_shift if position.line == 0 else 0
        return self.document.lsp_offset(LspPosition(position.line, max(position.character - shift, 0)))

    def text_edits(self, edits: Sequence[Edit]) -> list[types.TextEdit]:
        return [types.TextEdit(range=self.range(e.start, e.end), new_text=e.new_text) for e in edits]


@cache
def _file_uri(path: Path) -> str:
    return Path(path).resolve().as_uri()


def _lsp_diagnostic(analysis: Analysis, diag: Diagnostic, rule: Rule | None) -> types.Diagnostic:
    """The diagnostic as ``--format lsp`` writes it (positions counting the buffer's BOM),
    with a link to the rule's file."""
    item = lsp_diagnostic(analysis.document, diag, analysis.range_json)
    start, end = item["range"]["start"], item["range"]["end"]
    description = None
    if rule is not None and rule.path is not None:
        description = types.CodeDescription(href=_file_uri(rule.path))
    return types.Diagnostic(
        range=types.Range(types.Position(**start), types.Position(**end)),
        message=item["message"],
        severity=types.DiagnosticSeverity(item["severity"]),
        code=item["code"],
        code_description=description,
        source=item["source"],
        data={"code": diag.code, **item["data"]},
    )


def analyse_document(
    doc: Document,
    config: Config,
    rules: Sequence[Rule],
    *,
    text: str | None = None,
    version: int | None = None,
) -> Analysis:
    """Lint ``doc`` and build its LSP diagnostics."""
    diagnostics = lint_document(doc, rules, config)
    bom_shift = 1 if text is not None and text.startswith("\ufeff") else 0
    analysis = Analysis(doc, diagnostics, [], text=text, version=version, bom_shift=bom_shift)
    by_code = {rule.code: rule for rule in rules}
    analysis.lsp_diagnostics = [_lsp_diagnostic(analysis, d, by_code.get(d.code)) for d in diagnostics]
    return analysis


def analyse(
    text: str,
    path: str,
    config: Config,
    rules: Sequence[Rule],
    version: int | None = None,
) -> Analysis:
    """Lint an editor buffer and build its LSP diagnostics (what the server runs on every change)."""
    return analyse_document(Document.from_text(text, path=path), config, rules, text=text, version=version)


def hover_markdown(diag: Diagnostic, rule: Rule | None) -> str:
    """The diagnostic's message followed by the rule's explanation (as ``reportlint explain``)."""
    head = f"**{diag.code}** {diag.message}"
    if rule is None:
        return head + (f"\n\n依据：{diag.basis}" if diag.basis else "")
    title, _, rest = explain_text(rule).partition("\n")
    rest = regex.sub(r"(?m)^## ", "#### ", rest)
    return f"{head}\n\n---\n\n### {title}\n\n{rest}"


def code_actions(
    analysis: Analysis,
    uri: str,
    selection: types.Range,
    only: Sequence[str] | None = None,
) -> list[types.CodeAction]:
    """Quick fixes for fixable diagnostics touching ``selection``, and the fix-all action."""
    if not analysis.editable:
        return []

    def wanted(kind: str) -> bool:
        return not only or any(kind == k or kind.startswith(k + ".") for k in only)

    actions: list[types.CodeAction] = []
    if wanted(types.CodeActionKind.QuickFix):
        first, last = analysis.offset(selection.start), analysis.offset(selection.end)
        for diag, lsp_diag in zip(analysis.diagnostics, analysis.lsp_diagnostics, strict=True):
            if diag.fix is None or diag.start > last or diag.end < first:
                continue
            actions.append(
                types.CodeAction(
                    title=diag.fix.title + ("" if diag.fix.safe else UNSAFE_MARK),
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[lsp_diag],
                    edit=types.WorkspaceEdit(changes={uri: analysis.text_edits(diag.fix.edits)}),
                    is_preferred=diag.fix.safe,
                )
            )
    if wanted(types.CodeActionKind.SourceFixAll):
        # (with the text: a fix that would move a Markdown suppression comment is left out, as in --fix)
        edits = applicable_edits(analysis.diagnostics, unsafe=False, text=analysis.document.text)
        if edits:
            fixed = [lsp for d, lsp in zip(analysis.diagnostics, analysis.lsp_diagnostics, strict=True) if d.fix]
            actions.append(
                types.CodeAction(
                    title=FIX_ALL_TITLE,
                    kind=types.CodeActionKind.SourceFixAll,
                    diagnostics=fixed,
                    edit=types.WorkspaceEdit(changes={uri: analysis.text_edits(edits)}),
                )
            )
    return actions


def hover(analysis: Analysis, position: types.Position, rules: Sequence[Rule]) -> types.Hover | None:
    """Explain the diagnostics whose range contains ``position``."""
    offset = analysis.offset(position)
    hits = [
        (d, lsp)
        for d, lsp in zip(analysis.diagnostics, analysis.lsp_diagnostics, strict=True)
        if d.start <= offset <= d.end
    ]
    if not hits:
        return None
    by_code = {rule.code: rule for rule in rules}
    value = "\n\n---\n\n".join(hover_markdown(d, by_code.get(d.code)) for d, _ in hits)
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=value),
        range=hits[0][1].range,
    )


# --------------------------------------------------------------------------- server


class _Utf16Protocol(LanguageServerProtocol):
    """Negotiate UTF-16 positions whatever the client offers: our Documents count UTF-16."""

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams) -> Generator[Any, Any, types.InitializeResult]:
        general = params.capabilities.general
        if general is not None:
            general.position_encodings = None
        return (yield from super().lsp_initialize(params))


@dataclass
class _Settings:
    config: Config
    rules: list[Rule]  # the rules that run
    known: list[Rule]  # every rule of the packs (hover explains any of them)


_Messages = list[tuple[types.MessageType, str]]


class _Superseded:
    """What a queued lint returns when a newer one replaced it before it started."""


SUPERSEDED = _Superseded()


@dataclass(eq=False)
class _Job:
    key: tuple[str, str | None]  # (uri, text linted; None for a file read from disk)
    future: asyncio.Future[Analysis | _Superseded | None] | None = None


def _in_thread(function: Callable[..., Any], *args: Any) -> asyncio.Future[Any]:
    """Run ``function(*args)`` on a new daemon thread; its result as a future of the running loop.

    A daemon thread, not a pool: a lint that never ends (a pathological rule) neither
    holds up other documents nor keeps the process alive after the client says exit."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Any] = loop.create_future()

    def deliver(result: Any, error: BaseException | None) -> None:
        if future.done():
            return
        if error is None:
            future.set_result(result)
        else:
            future.set_exception(error)

    def work() -> None:
        result: Any = None
        error: BaseException | None = None
        try:
            result = function(*args)
        except BaseException as exc:  # delivered to the awaiting task
            error = exc
        with contextlib.suppress(RuntimeError):  # the loop has closed: the server stopped meanwhile
            loop.call_soon_threadsafe(deliver, result, error)

    threading.Thread(target=work, name="reportlint-lint", daemon=True).start()
    return future


# --------------------------------------------------------------------------- framing

_TOKEN = regex.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# Where a frame starts again after a bad one: anywhere, even mid-line (a body is not
# followed by a newline, so the next header is glued to the end of a skipped body).
_RESYNC = regex.compile(rb"Content-Length[ \t]*:[ \t]*[0-9]{1,12}[ \t]*\r?\n", regex.IGNORECASE)
_RESYNC_TAIL = 64  # bytes kept while resynchronising: a header may be split across reads


def _preview(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    return text if len(text) <= 40 else text[:40] + "…"


class FrameReader:
    """The LSP base protocol's framing (``Content-Length`` headers, then the body),
    forgiving bad frames: ``feed`` bytes as they come, get the complete bodies back.

    A header block without a valid ``Content-Length`` (not a number, negative, zero,
    over :data:`MAX_MESSAGE_BYTES`, missing), or a line that is no header at all, is
    reported through ``report`` (one Chinese line) and skipped together with whatever
    follows, up to the next valid ``Content-Length`` header."""

    def __init__(self, report: Callable[[str], None]) -> None:
        self.report = report
        self.buffer = bytearray()
        self.body_length: int | None = None  # set once a header block is complete
        self.length: int | None = None  # the header block's valid Content-Length so far
        self.problem: str | None = None  # what is wrong with the header block so far
        self.resyncing = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Add ``data``; yield each body complete so far (``recover`` may be called between)."""
        self.buffer += data
        while True:
            step = self._step()
            if step is False:
                return
            if step is not True:
                yield step

    def recover(self, body: bytes) -> None:
        """``body`` turned out not to be JSON: report it, and if a header hides in it (its
        Content-Length was too large and swallowed the next message) read on from there."""
        self.report(f"消息内容不是有效的 JSON（{len(body)} 字节：{_preview(body)}）")
        found = _RESYNC.search(body, 1)
        if found is not None:
            self.buffer[:0] = body[found.start() :]
            self.body_length = self.length = self.problem = None
            self.resyncing = False

    def _bad(self, problem: str) -> None:
        self.report(problem)
        self.length = self.problem = None
        self.resyncing = True

    def _step(self) -> bytes | bool:
        """Consume one part of a frame: a body when complete, else whether anything was consumed."""
        buffer = self.buffer
        if self.body_length is not None:
            if len(buffer) < self.body_length:
                return False
            body = bytes(buffer[: self.body_length])
            del buffer[: self.body_length]
            self.body_length = None
            return body
        if self.resyncing:
            found = _RESYNC.search(buffer)
            if found is None:
                del buffer[: max(len(buffer) - _RESYNC_TAIL, 0)]
                return False
            del buffer[: found.start()]
            self.resyncing = False
            return True
        end = buffer.find(b"\n")
        if end < 0:
            if len(buffer) > MAX_HEADER_LINE:
                self._bad(f"无法识别的内容“{_preview(buffer)}”")
                return True
            return False
        line = bytes(buffer[: end + 1]).rstrip(b"\r\n")
        if not line:  # the end of the header block
            del buffer[: end + 1]
            if self.problem is not None:
                self._bad(self.problem)
            elif self.length is None:
                self._bad("缺少 Content-Length 消息头")
            else:
                self.body_length, self.length = self.length, None
            return True
        name, colon, value = line.partition(b":")
        if not colon or _TOKEN.fullmatch(name) is None:
            self._bad(f"无法识别的内容“{_preview(line)}”")  # resynchronise from this very line
            return True
        del buffer[: end + 1]
        if name.lower() == b"content-length":
            digits = value.strip(b" \t")
            if digits.isdigit() and 0 < int(digits) <= MAX_MESSAGE_BYTES:
                self.length = int(digits)
            else:
                self.problem = f"Content-Length: {_preview(digits)}" + (
                    "（超过上限）" if digits.isdigit() and int(digits) else ""
                )
        return True


class ReportServer(LanguageServer):
    """The reportlint language server (state per open document)."""

    def __init__(self) -> None:
        super().__init__(
            "reportlint",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=_Utf16Protocol,
        )
        self.debounce = DEFAULT_DEBOUNCE_MS / 1000
        self.sources: dict[str, str] = {}  # open uri -> BUFFER | FILE
        self.analyses: dict[str, Analysis] = {}
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.jobs: dict[str, _Job] = {}
        self.settings: dict[str, _Settings] = {}
        self.session = Session(check_codes=False)  # (a rule code that names no rule does not stop the lints)
        self.reported: set[str] = set()  # configuration problems already shown to the user
        self.settings_generation = 0  # bumped when the configuration is reloaded
        self.shutdown_requested = False
        self.client_ready = False  # initialize received: the client may be sent log messages
        self.slots = asyncio.Semaphore(LINT_SLOTS)
        self.lint_budget = SLOT_SECONDS

    # ----------------------------------------------------------------- helpers

    def log(self, message: str, level: types.MessageType = types.MessageType.Info) -> None:
        self.window_log_message(types.LogMessageParams(type=level, message=message))

    def path_of(self, uri: str) -> str:
        path = to_fs_path(uri)
        if path:
            return path
        try:
            root = self.workspace.root_path
        except RuntimeError:  # not initialized yet
            root = None
        return str(Path(root or Path.cwd()) / "<untitled>")

    def settings_for(self, path: str) -> tuple[_Settings, str | None]:
        """Configuration and selected rules for ``path`` (cached), and a problem to report, if any."""
        cached = self.settings.get(path)
        if cached is not None:
            return cached, None
        generation = self.settings_generation
        problem = None
        session = self.session
        try:
            config, rules = session.rules(path)
        except (ConfigError, RuleError) as exc:
            problem = f"reportlint 配置或规则有误，已按默认设置检查：{exc}"
            session = Session(config=Config(), check_codes=False)
            config, rules = session.rules(path)
        settings = _Settings(config, rules, session.ruleset(path).rules)
        if generation == self.settings_generation:  # not reloaded meanwhile (lints run on threads)
            self.settings[path] = settings
        return settings, problem

    def _lint(self, uri: str, source: str, text: str | None, version: int | None) -> tuple[Analysis | None, _Messages]:
        """Runs on the lint thread: never raises, returns messages for the client instead."""
        messages: _Messages = []
        path = self.path_of(uri)
        try:
            settings, problem = self.settings_for(path)
            if problem:
                messages.append((types.MessageType.Warning, problem))
            if source == FILE:
                try:
                    doc = read_path(path, max_bytes=settings.config.max_bytes)
                except InputError as exc:  # e.g. a damaged .docx: skip it
                    messages.append((types.MessageType.Warning, f"reportlint: {exc}"))
                    return None, messages
                return analyse_document(doc, settings.config, settings.rules), messages
            assert text is not None
            return analyse(text, path, settings.config, settings.rules, version), messages
        except Exception:
            messages.append((types.MessageType.Error, f"reportlint: 检查 {path} 时出错：\n{traceback.format_exc()}"))
            return None, messages

    async def current(self, uri: str, fresh: bool = False) -> Analysis | None:
        """The analysis of the document as it is now (linting it if needed)."""
        source = self.sources.get(uri)
        if source is None:
            return None
        text: str | None = None
        version: int | None = None
        if source == BUFFER:
            document = self.workspace.get_text_document(uri)
            text, version = document.source, document.version
        analysis = self.analyses.get(uri)
        if analysis is None or fresh or (source == BUFFER and analysis.text != text):
            job = self.jobs.get(uri)
            if job is None or job.key != (uri, text) or fresh:
                job = self._queue(uri, source, text, version)
            # Shielded: a newer edit cancels the waiting task, not a lint others may share.
            assert job.future is not None
            result = await asyncio.shield(job.future)
            while isinstance(result, _Superseded):  # replaced before it ran: the newer lint answers
                newer = self.jobs.get(uri)
                if newer is None or newer is job or newer.future is None:
                    return None
                job = newer
                result = await asyncio.shield(newer.future)
            analysis = result
        if analysis is not None and source == BUFFER and analysis.text == text:
            analysis.version = version  # the same text may come back under a newer version (edit, then undo)
        return analysis

    def _queue(self, uri: str, source: str, text: str | None, version: int | None) -> _Job:
        """A lint of ``uri``'s ``text``, after the document's previous one; it replaces any
        lint of the document still waiting."""
        previous = self.jobs.get(uri)
        job = _Job((uri, text))
        job.future = asyncio.ensure_future(self._run(job, previous, source, text, version))
        self.jobs[uri] = job
        return job

    async def _run(
        self, job: _Job, previous: _Job | None, source: str, text: str | None, version: int | None
    ) -> Analysis | _Superseded | None:
        uri = job.key[0]
        if previous is not None and previous.future is not None and not previous.future.done():
            await asyncio.wait([previous.future])  # one lint per document at a time
        if self.jobs.get(uri) is not job or self.shutdown_requested:
            return SUPERSEDED
        await self.slots.acquire()
        held = True

        def release() -> None:
            nonlocal held
            if held:
                held = False
                self.slots.release()

        if self.jobs.get(uri) is not job or self.shutdown_requested:  # edited while waiting for a slot
            release()
            return SUPERSEDED
        loop = asyncio.get_running_loop()
        timers = [
            loop.call_later(self.lint_budget, release),  # a slow lint no longer holds up the others
            loop.call_later(
                SLOW_NOTICE_SECONDS,
                lambda: self.log(
                    f"reportlint: 检查 {self.path_of(uri)} 已超过 {SLOW_NOTICE_SECONDS:g} 秒，仍在后台进行，"
                    "其他文档照常检查（可能是规则包中有过慢的正则表达式）",
                    types.MessageType.Warning,
                ),
            ),
        ]
        try:
            analysis, messages = await _in_thread(self._lint, uri, source, text, version)
        finally:
            for timer in timers:
                timer.cancel()
            release()
        for level, message in messages:
            self.log(message, level)
            if level == types.MessageType.Warning and message not in self.reported:
                self.reported.add(message)  # show each configuration or reading problem once
                self.window_show_message(types.ShowMessageParams(type=level, message=message))
        if analysis is not None and uri in self.sources:
            self.analyses[uri] = analysis
        return analysis

    def publish(self, uri: str, analysis: Analysis) -> None:
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=analysis.lsp_diagnostics, version=analysis.version)
        )

    def schedule(self, uri: str, delay: float = 0.0, fresh: bool = False) -> None:
        """Lint ``uri`` after ``delay`` seconds (a newer call replaces a pending one) and publish."""
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()
        self.pending[uri] = asyncio.ensure_future(self._lint_later(uri, delay, fresh))

    async def _lint_later(self, uri: str, delay: float, fresh: bool) -> None:
        try:
            if delay > 0:
                await asyncio.sleep(delay)
            analysis = await self.current(uri, fresh=fresh)
            if analysis is None or uri not in self.sources:
                return
            if analysis.editable and analysis.text != self.workspace.get_text_document(uri).source:
                return  # edited while linting: the task scheduled by that edit publishes
            self.publish(uri, analysis)
        except asyncio.CancelledError:
            raise
        except Exception:  # never let a lint kill the server
            self.log(f"reportlint: 发布诊断时出错：\n{traceback.format_exc()}", types.MessageType.Error)
        finally:
            if self.pending.get(uri) is asyncio.current_task():
                del self.pending[uri]

    def forget(self, uri: str) -> None:
        self.sources.pop(uri, None)
        self.analyses.pop(uri, None)
        self.jobs.pop(uri, None)
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()

    def reload_config(self) -> None:
        find_config.cache_clear()
        self.settings_generation += 1
        self.settings.clear()
        self.reported.clear()
        for uri in list(self.sources):
            self.schedule(uri, fresh=True)

    # ----------------------------------------------------------------- stdio

    def frame_problem(self, problem: str) -> None:
        """A bad frame: on stderr (the editor's LSP log) and, once initialised, in the client's log."""
        message = f"收到无效的消息，已丢弃（{problem}），从下一个有效的 Content-Length 消息头继续"
        logger.warning("%s", message)
        if self.client_ready:
            self.log(f"reportlint: {message}", types.MessageType.Warning)

    def start_io(self, stdin: Any = None, stdout: Any = None) -> None:
        """Serve over stdio until exit or end of input (pygls's ``_start_io_async``, with
        :class:`FrameReader` in place of pygls's reader loop, which falls silent after
        a bad frame)."""
        self._stop_event = threading.Event()
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        try:
            asyncio.run(self._read_messages(stdin or sys.stdin.buffer))
        except BrokenPipeError:
            logger.error("与编辑器的连接已断开，语言服务器退出")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            self.shutdown()

    async def _read_messages(self, stdin: Any) -> None:
        loop = asyncio.get_running_loop()
        frames = FrameReader(self.frame_problem)
        read = stdin.read1 if hasattr(stdin, "read1") else stdin.readline
        stop = self._stop_event
        assert stop is not None
        while not stop.is_set():
            data = await loop.run_in_executor(self.thread_pool, read, 1 << 16)
            if not data:
                break
            for body in frames.feed(data):
                self._receive(frames, body)

    def _receive(self, frames: FrameReader, body: bytes) -> None:
        """Handle one message (what pygls's loop does with a body), or report a body that is not JSON."""
        try:
            message = json.loads(body, object_hook=self.protocol.structure_message)
        except (UnicodeDecodeError, json.JSONDecodeError):
            frames.recover(body)
            return
        except Exception as exc:  # a message that does not fit its type: logged as pygls does
            logger.exception("无法处理收到的消息")
            self.report_server_error(exc, JsonRpcException)
            return
        try:
            self.protocol.handle_message(message)
        except Exception as exc:
            logger.exception("无法处理收到的消息")
            self.report_server_error(exc, JsonRpcException)


def document_source(uri: str, language_id: str | None) -> str | None:
    """Where the server takes a document's text from: :data:`BUFFER` (the editor's) for a
    format editors edit as text (.txt, .md) or a plaintext/markdown buffer, :data:`FILE`
    (the file on disk) for another format reportlint reads (.docx, .pdf …), else None."""
    suffix = Path(to_fs_path(uri) or uri).suffix.lower()
    reader = input_formats.reader_for_suffix(suffix) if suffix else None
    if reader is not None and not reader.editable:
        return FILE
    if reader is not None or (language_id or "") in TEXT_LANGUAGES:
        return BUFFER
    return None


def _debounce_seconds(options: Any) -> float | None:
    """``debounceMs`` from initializationOptions (top level or under ``reportlint``), in seconds."""
    if not isinstance(options, dict):
        return None
    nested = options.get("reportlint")
    value = options.get("debounceMs", nested.get("debounceMs") if isinstance(nested, dict) else None)
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return value / 1000
    return None


def create_server() -> ReportServer:
    server = ReportServer()

    @server.feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        server.client_ready = True
        seconds = _debounce_seconds(params.initialization_options)
        if seconds is not None:
            server.debounce = seconds

    @server.feature(types.INITIALIZED)
    def initialized(params: types.InitializedParams) -> None:
        workspace = server.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace is not None else None
        if watched is not None and watched.dynamic_registration:
            watchers = [types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_FILES]
            registration = types.Registration(
                id="reportlint-config-watch",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
            )
            server.client_register_capability(types.RegistrationParams(registrations=[registration]))

    @server.feature(types.SHUTDOWN)
    def shutdown(params: Any = None) -> None:
        server.shutdown_requested = True
        for task in server.pending.values():
            task.cancel()  # lints still queued are dropped; running ones end on their own threads

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        uri = params.text_document.uri
        source = document_source(uri, params.text_document.language_id)
        if source is None:
            return
        server.sources[uri] = source
        server.schedule(uri, fresh=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        if server.sources.get(uri) == BUFFER:
            server.schedule(uri, server.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        source = server.sources.get(uri)
        if source is None and document_source(uri, None) == FILE:  # e.g. a .docx saved but not opened as text
            source = server.sources[uri] = FILE
        if source is not None:
            server.schedule(uri, fresh=source == FILE)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri in server.sources:
            server.forget(uri)
            server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        names = {Path(to_fs_path(change.uri) or change.uri).name for change in params.changes}
        if names & set(CONFIG_FILES):
            server.log("reportlint: 配置文件有变化，重新检查已打开的文档")
            server.reload_config()

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll],
            resolve_provider=False,
        ),
    )
    async def code_action(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        analysis = await server.current(params.text_document.uri)
        if analysis is None:
            return None
        return code_actions(analysis, params.text_document.uri, params.range, params.context.only)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def on_hover(params: types.HoverParams) -> types.Hover | None:
        uri = params.text_document.uri
        analysis = await server.current(uri)
        if analysis is None:
            return None
        settings, _ = server.settings_for(server.path_of(uri))
        return hover(analysis, params.position, settings.known)

    return server


def serve() -> int:
    """Run the server on stdin/stdout until the client says exit; 0 after a proper shutdown."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must never corrupt the protocol stream
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="reportlint-lsp: %(message)s")
    server = create_server()
    server.start_io(stdin, stdout)
    return 0 if server.shutdown_requested else 1


def run_lsp(args: object = None) -> int:
    """``reportlint lsp`` (no options of its own)."""
    return serve()


__all__ = [
    "Analysis",
    "FrameReader",
    "ReportServer",
    "analyse",
    "analyse_document",
    "code_actions",
    "create_server",
    "document_source",
    "hover",
    "hover_markdown",
    "run_lsp",
    "serve",
]
