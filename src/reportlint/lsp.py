"""Language server: ``reportlint lsp`` speaks the Language Server Protocol over stdio.

Built on pygls 2 / lsprotocol.  It lints ``.txt`` and ``.md`` buffers (and ``.docx``
files from disk on open and save), publishes diagnostics, offers quick fixes and a
fix-all source action, and explains a rule on hover.  Everything runs locally.

Positions are always UTF-16 code units (the LSP default): the server declines the
UTF-8/UTF-32 encodings a client may offer, because ``Document.lsp_position`` counts
UTF-16.  Lint runs on one worker thread, so the event loop stays responsive and
lints never run concurrently; a lint error is logged to the client, never fatal.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import traceback
from collections.abc import Generator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import regex
from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.uris import to_fs_path

from reportlint import __version__
from reportlint.config import CONFIG_FILES, Config, ConfigError, find_config
from reportlint.diagnostics import Diagnostic, Edit
from reportlint.document import Document, LspPosition
from reportlint.engine import lint_document, load_ruleset
from reportlint.fixes import applicable_edits
from reportlint.reading import InputError, read_path
from reportlint.rule_docs import explain_text
from reportlint.rules import Rule, RuleError

SOURCE = "reportlint"
TEXT_LANGUAGES = frozenset({"plaintext", "text", "markdown"})  # "text": Neovim and Emacs names
TEXT_SUFFIXES = frozenset({".txt", ".md"})
DOCX_SUFFIX = ".docx"
DEFAULT_DEBOUNCE_MS = 300
FIX_ALL_TITLE = "修正全部可安全修正的问题"
UNSAFE_MARK = "（需确认）"


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
        text = self.document.text
        self._astral = len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)

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

    def offset(self, position: types.Position) -> int:
        shift = self.bom_shift if position.line == 0 else 0
        return self.document.lsp_offset(LspPosition(position.line, max(position.character - shift, 0)))

    def text_edits(self, edits: Sequence[Edit]) -> list[types.TextEdit]:
        return [types.TextEdit(range=self.range(e.start, e.end), new_text=e.new_text) for e in edits]


def _range_json(rng: types.Range) -> dict[str, Any]:
    return {
        "start": {"line": rng.start.line, "character": rng.start.character},
        "end": {"line": rng.end.line, "character": rng.end.character},
    }


@cache
def _file_uri(path: Path) -> str:
    return Path(path).resolve().as_uri()


def _lsp_diagnostic(analysis: Analysis, diag: Diagnostic, rule: Rule | None) -> types.Diagnostic:
    data: dict[str, Any] = {"code": diag.code, "name": diag.name}
    if diag.fix is not None:
        data["fix"] = {
            "title": diag.fix.title,
            "safe": diag.fix.safe,
            "edits": [
                {"range": _range_json(analysis.range(e.start, e.end)), "newText": e.new_text} for e in diag.fix.edits
            ],
        }
    description = None
    if rule is not None and rule.path is not None:
        description = types.CodeDescription(href=_file_uri(rule.path))
    return types.Diagnostic(
        range=analysis.range(diag.start, diag.end),
        message=diag.message,
        severity=types.DiagnosticSeverity(diag.severity.lsp),
        code=diag.code,
        code_description=description,
        source=SOURCE,
        data=data,
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
        edits = applicable_edits(analysis.diagnostics, unsafe=False)
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
    rules: list[Rule]


_Messages = list[tuple[types.MessageType, str]]


@dataclass
class _Job:
    key: tuple[str, str | None]  # (uri, text linted; None for a file read from disk)
    future: asyncio.Future[Analysis | None]


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
        self.kinds: dict[str, str] = {}  # open uri -> "text" | "docx"
        self.analyses: dict[str, Analysis] = {}
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.jobs: dict[str, _Job] = {}
        self.settings: dict[str, _Settings] = {}
        self.reported: set[str] = set()  # configuration problems already shown to the user
        self.shutdown_requested = False
        self.linter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reportlint-lint")

    # ----------------------------------------------------------------- helpers

    def log(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

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
        problem = None
        try:
            config = find_config(Path(path).resolve().parent)
            rules = load_ruleset(config).select(config, path)
        except (ConfigError, RuleError) as exc:
            problem = f"reportlint 配置或规则有误，已按默认设置检查：{exc}"
            config = Config()
            rules = load_ruleset(config).select(config, path)
        settings = _Settings(config, rules)
        self.settings[path] = settings
        return settings, problem

    def _lint(self, uri: str, kind: str, text: str | None, version: int | None) -> tuple[Analysis | None, _Messages]:
        """Runs on the lint thread: never raises, returns messages for the client instead."""
        messages: _Messages = []
        path = self.path_of(uri)
        try:
            settings, problem = self.settings_for(path)
            if problem:
                messages.append((types.MessageType.Warning, problem))
            if kind == "docx":
                try:
                    doc = read_path(path)
                except InputError as exc:  # e.g. .docx not supported by this installation: skip it
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
        kind = self.kinds.get(uri)
        if kind is None:
            return None
        text: str | None = None
        version: int | None = None
        if kind == "text":
            document = self.workspace.get_text_document(uri)
            text, version = document.source, document.version
        analysis = self.analyses.get(uri)
        if analysis is None or fresh or (kind == "text" and analysis.text != text):
            key = (uri, text)
            job = self.jobs.get(uri)
            if job is None or job.key != key or fresh:
                loop = asyncio.get_running_loop()
                future = loop.run_in_executor(self.linter, self._lint, uri, kind, text, version)
                job = _Job(key, asyncio.ensure_future(self._finish(uri, future)))
                self.jobs[uri] = job
            # Shielded: a newer edit cancels the waiting task, not a lint others may share.
            analysis = await asyncio.shield(job.future)
        if analysis is not None and kind == "text" and analysis.text == text:
            analysis.version = version  # the same text may come back under a newer version (edit, then undo)
        return analysis

    async def _finish(self, uri: str, future: asyncio.Future[tuple[Analysis | None, _Messages]]) -> Analysis | None:
        analysis, messages = await future
        for kind, message in messages:
            self.log(message, kind)
            if kind == types.MessageType.Warning and message not in self.reported:
                self.reported.add(message)  # show each configuration or reading problem once
                self.window_show_message(types.ShowMessageParams(type=kind, message=message))
        if analysis is not None and uri in self.kinds:
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
            if analysis is None or uri not in self.kinds:
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
        self.kinds.pop(uri, None)
        self.analyses.pop(uri, None)
        self.jobs.pop(uri, None)
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()

    def reload_config(self) -> None:
        find_config.cache_clear()
        self.settings.clear()
        self.reported.clear()
        for uri in list(self.kinds):
            self.schedule(uri, fresh=True)


def document_kind(uri: str, language_id: str | None) -> str | None:
    """``"text"`` for .txt/.md or plaintext/markdown buffers, ``"docx"`` for .docx files, else None."""
    suffix = Path(to_fs_path(uri) or uri).suffix.lower()
    if suffix == DOCX_SUFFIX:
        return "docx"
    if suffix in TEXT_SUFFIXES or (language_id or "") in TEXT_LANGUAGES:
        return "text"
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
            task.cancel()
        server.linter.shutdown(wait=False, cancel_futures=True)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        uri = params.text_document.uri
        kind = document_kind(uri, params.text_document.language_id)
        if kind is None:
            return
        server.kinds[uri] = kind
        server.schedule(uri, fresh=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        if server.kinds.get(uri) == "text":
            server.schedule(uri, server.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        kind = server.kinds.get(uri)
        if kind is None and document_kind(uri, None) == "docx":  # a .docx saved but not opened as text
            kind = server.kinds[uri] = "docx"
        if kind is not None:
            server.schedule(uri, fresh=kind == "docx")

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri in server.kinds:
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
        return hover(analysis, params.position, load_ruleset(settings.config).rules)

    return server


def serve() -> int:
    """Run the server on stdin/stdout until the client says exit; 0 after a proper shutdown."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must never corrupt the protocol stream
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="reportlint-lsp: %(message)s")
    server = create_server()
    server.start_io(stdin, stdout)
    return 0 if server.shutdown_requested else 1


__all__ = [
    "Analysis",
    "ReportServer",
    "analyse",
    "analyse_document",
    "code_actions",
    "create_server",
    "document_kind",
    "hover",
    "hover_markdown",
    "serve",
]
