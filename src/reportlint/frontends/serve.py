"""``reportlint serve``: a self-check web page on this computer.

A clerk pastes a report or uploads a file (.txt, .md, .docx, .pdf: the formats of the
reader registry, :mod:`reportlint.inputs.registry`), sees the findings
highlighted in the text with their explanations, applies the safe fixes and
downloads the corrected text.  The page is a WSGI application (:func:`make_app`, which
an office may mount on its own intranet server); ``reportlint serve`` runs it on
waitress (:func:`make_server`).  The page and its script are files of
``reportlint/output/web`` served from memory, the page talks to a small JSON API, nothing is
written to disk and nothing is loaded from elsewhere, so it works offline.

Under load: waitress reads requests on one event loop and hands only complete ones to
:data:`THREADS` worker threads, so a slow or stalled client never holds a thread; a
connection idle for ``timeout`` seconds (default :data:`CHANNEL_TIMEOUT`) is closed;
the listen backlog is :data:`LISTEN_BACKLOG`; clients that disconnect are dropped
without a word on the terminal.

API (request and response bodies are JSON, UTF-8):

``POST /api/lint``  ``{"filename": "a.txt", "text": "..."}`` or ``{"filename": "a.docx",
  "content": "<base64 of the file>"}`` (read as ``reportlint check`` reads files) →
  ``{"filename", "text" (newlines normalised), "newline", "encoding", "diagnostics": [...],
  "summary": {...}}``; each diagnostic is the ``--format json`` one
  plus ``start``/``end``: UTF-16 offsets into ``text``.
``POST /api/fix``   the same request → the fixed ``text``, the remaining ``diagnostics``,
  ``fixed`` (number of fixes applied), ``fixed_codes`` (findings removed, by code) and
  ``changes`` (UTF-16 ranges of the fixed text that the fixes wrote).
``GET /api/info``   version, upload limit and number of rules.

Errors are ``{"error": "中文说明"}`` with a 4xx status: 413 for a file over the limit,
422 for a file that cannot be read (binary, empty, undecodable).  docs/api.md describes
the interface in full.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import bisect
import html
import ipaddress
import json
import logging
import re
import sys
import threading
import webbrowser
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from io import BytesIO
from pathlib import Path, PureWindowsPath
from types import TracebackType
from typing import Any

from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.receiver import FixedStreamReceiver
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask
from waitress.utilities import BadRequest, Error, RequestEntityTooLarge, RequestHeaderFieldsTooLarge

from reportlint.app.fixes import fix_until_stable
from reportlint.app.runner import EXIT_CLEAN, EXIT_ERROR
from reportlint.app.session import RunOptions, Session, session_for
from reportlint.core.diagnostics import Diagnostic, Edit
from reportlint.core.document import Document
from reportlint.core.errors import InputError
from reportlint.core.version import __version__
from reportlint.engine.config import Config, find_config
from reportlint.engine.lint import lint_document
from reportlint.inputs import registry as input_formats
from reportlint.inputs.reading import read_bytes
from reportlint.output.webpage import diagnostic_payload, web_asset
from reportlint.rules.model import Rule

__all__ = [
    "MAX_UPLOAD_BYTES",
    "Linter",
    "SelfCheckApp",
    "SelfCheckServer",
    "document_from_upload",
    "make_app",
    "make_server",
    "run_serve",
]

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A request carries the file as base64 (4/3 of its size) inside a little JSON.
MAX_BODY_BYTES = MAX_UPLOAD_BYTES * 4 // 3 + 64 * 1024
# A body over the limit but below this is read and dropped before answering 413; a larger
# one is not read at all (the connection is closed).
DRAIN_LIMIT_BYTES = 32 * 1024 * 1024
TOO_LARGE = f"文件过大：超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB，请拆分后再检查。"
PASTED_NAME = "粘贴的文本.txt"
MAX_INT_DIGITS = 100  # a longer number in a request is refused (no field of the API needs one)

# The server (reportlint serve).
THREADS = 4  # requests linted at once; more only contend for the interpreter
LISTEN_BACKLOG = 1024  # connections the system queues before the server accepts them
CONNECTION_LIMIT = 256  # open connections; beyond, new ones wait in the backlog
CHANNEL_TIMEOUT = 30  # seconds a connection may stay silent (stalled, or a body that never comes)
OUTBUF_LIMIT = 64 * 1024 * 1024  # a response is kept in memory (never a temporary file) up to this

# Served from memory: URL path -> (file in reportlint/output/web, content type).
STATIC = {
    "/static/common.css": ("common.css", "text/css; charset=utf-8"),
    "/static/serve.css": ("serve.css", "text/css; charset=utf-8"),
    "/static/highlight.js": ("highlight.js", "text/javascript; charset=utf-8"),
    "/static/serve.js": ("serve.js", "text/javascript; charset=utf-8"),
}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class RequestError(Exception):
    """A request the API refuses: an HTTP status and a Chinese message for the page."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def document_from_upload(data: bytes, filename: str) -> Document:
    """Turn an uploaded file's bytes into a Document, as ``reportlint check`` reads a file of
    that name (text in any supported encoding, .docx, .pdf; legacy formats are refused with
    what to convert them to).  Raises InputError with a Chinese problem."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(filename, TOO_LARGE, "too-large")
    return read_bytes(data, filename)


@dataclass
class Linter:
    """The configuration and rules the page lints with (chosen once, at start-up, from a
    :class:`~reportlint.app.session.Session`)."""

    config: Config
    rules: Sequence[Rule]

    @classmethod
    def from_session(cls, session: Session, path: str = "-") -> Linter:
        """The configuration and rules ``session`` gives ``path`` (``"-"``: those of the
        current directory, with the command line's options, as ``reportlint serve`` uses)."""
        config, rules = session.rules(path)
        return cls(config, rules)

    @classmethod
    def from_directory(cls, directory: Path | None = None) -> Linter:
        """The configuration found from ``directory`` (default: the current one) upwards, as
        ``reportlint check`` finds it, and the rules it selects."""
        config = find_config((directory or Path.cwd()).resolve())
        return cls.from_session(Session(config=config, check_codes=False), "")

    def lint(self, doc: Document) -> list[Diagnostic]:
        return lint_document(doc, self.rules, self.config)

    # -- requests -------------------------------------------------------------------------------

    def document(self, request: dict[str, Any]) -> Document:
        name = request.get("filename")
        filename = PureWindowsPath(name).name if isinstance(name, str) and name.strip() else PASTED_NAME
        if "content" in request:
            content = request["content"]
            if not isinstance(content, str):
                raise RequestError(HTTPStatus.BAD_REQUEST, "请求格式不对：content 应为 base64 文本")
            if len(content) > MAX_BODY_BYTES:
                raise RequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, TOO_LARGE)
            try:
                data = base64.b64decode(content, validate=True)
            except (binascii.Error, ValueError):
                raise RequestError(HTTPStatus.BAD_REQUEST, "请求格式不对：文件内容不是有效的 base64") from None
            return document_from_upload(data, filename)
        text = request.get("text")
        if not isinstance(text, str):
            raise RequestError(HTTPStatus.BAD_REQUEST, "请求格式不对：需要 text（粘贴的文字）或 content（上传的文件）")
        if len(text.encode("utf-8", "surrogatepass")) > MAX_UPLOAD_BYTES:
            raise RequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, TOO_LARGE)
        if not text.strip():
            raise InputError(filename, "没有文字：请粘贴报告全文或选择文件", "empty")
        return Document.from_text(text.lstrip("\ufeff"), path=filename)

    def lint_response(self, request: dict[str, Any]) -> dict[str, Any]:
        doc = self.document(request)
        return self._payload(doc, self.lint(doc))

    def fix_response(self, request: dict[str, Any]) -> dict[str, Any]:
        doc = self.document(request)
        before = self.lint(doc)
        result = fix_until_stable(doc, before, self.lint, unsafe=False)
        fixed_doc = Document.from_text(result.document.text, path=doc.path)
        payload = self._payload(fixed_doc, result.diagnostics)
        to16 = fixed_doc.utf16_offset
        removed = Counter(d.code for d in before if d.fix and d.fix.safe) - Counter(
            d.code for d in result.diagnostics
        )
        payload.update(
            fixed=result.fixed,
            fixed_codes=dict(sorted(removed.items())),
            changes=[{"start": to16(a), "end": to16(b)} for a, b in changed_ranges(result.edits)],
            newline=doc.newline,
            encoding=doc.encoding,
        )
        return payload

    def _payload(self, doc: Document, diagnostics: list[Diagnostic]) -> dict[str, Any]:
        counts = Counter(d.severity.label for d in diagnostics)
        return {
            "filename": doc.path,
            "text": doc.text,
            "newline": doc.newline,
            "encoding": doc.encoding,
            "source_format": getattr(doc, "source_format", "text"),
            "diagnostics": [diagnostic_payload(doc, d) for d in diagnostics],
            "summary": {
                "diagnostics": len(diagnostics),
                "by_severity": {k: counts[k] for k in ("error", "warning", "info", "hint") if counts[k]},
                "safe_fixes": sum(1 for d in diagnostics if d.fix and d.fix.safe),
            },
        }


def changed_ranges(passes: Sequence[Sequence[Edit]]) -> list[tuple[int, int]]:
    """Where the text that fix passes wrote ends up in the final text (a deletion is an
    empty range), each pass's edits given in offsets of that pass's input."""
    ranges: list[tuple[int, int]] = []
    for edits in passes:
        ordered = sorted(edits, key=lambda e: (e.start, e.end))
        move, shifts = _mover(ordered)
        written = [(e.start + shifts[i], e.start + shifts[i] + len(e.new_text)) for i, e in enumerate(ordered)]
        ranges = _merge([(move(a, False), move(b, True)) for a, b in ranges] + written)
    return ranges


def _mover(ordered: list[Edit]) -> tuple[Callable[[int, bool], int], list[int]]:
    """Map offsets through one pass of sorted, non-overlapping edits; also return the shift
    before each edit."""
    starts = [e.start for e in ordered]
    shifts = [0]
    for edit in ordered:
        shifts.append(shifts[-1] + len(edit.new_text) - (edit.end - edit.start))

    def move(offset: int, right: bool) -> int:
        index = bisect.bisect_right(starts, offset) - 1
        if index < 0:
            return offset
        edit = ordered[index]
        if offset >= edit.end:
            return offset + shifts[index + 1]
        # Inside a replaced span: stretch to cover the replacement.
        base = edit.start + shifts[index]
        return base + len(edit.new_text) if right else base

    return move, shifts


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort and join overlapping ranges (and touching non-empty ones); keep deletions apart."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged:
            last_start, last_end = merged[-1]
            touching = start == last_end and start != end and last_start != last_end
            if start < last_end or touching:
                merged[-1] = (last_start, max(last_end, end))
                continue
            if (start, end) == merged[-1]:
                continue
        merged.append((start, end))
    return merged


# -- the WSGI application ------------------------------------------------------------------------

JSON_TYPE = "application/json; charset=utf-8"
FORBIDDEN_HOST = "拒绝访问：自检页面只接受本机地址"
_SURROGATE = re.compile("[\ud800-\udfff]")


class _LongNumber(ValueError):
    """A number in a request body longer than MAX_INT_DIGITS."""


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise _LongNumber(digits[:20])
    return int(digits)


def _report_names(rules: Iterable[Rule]) -> str:
    """What the page checks: the reports of the rules' packs, by each pack's description up to
    its first bracket (``法治政府建设年度报告``), else just 报告."""
    names = {rule.pack.description.split("（")[0].strip(): None for rule in rules}
    return "、".join(name for name in names if name) or "报告"


def _page(rules: Iterable[Rule] = ()) -> bytes:
    """The page, with this server's upload limit, version, the reports its rules check and
    the suffixes it reads."""
    suffixes = input_formats.suffixes()
    values = {
        "REPORTS": _report_names(rules),
        "MAX_BYTES": str(MAX_UPLOAD_BYTES),
        "VERSION": __version__,
        "SUFFIX_LIST": "、".join(suffixes),
        "ACCEPT": ",".join(suffixes),
        "FIXABLE": ",".join(input_formats.fixable_suffixes()),
        "FORMATS": input_formats.chinese_list(suffixes, "或"),
    }
    page = web_asset("serve.html")
    for name, value in values.items():
        page = page.replace("{{" + name + "}}", html.escape(value, quote=True))
    return page.encode("utf-8")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_name(header: str) -> str:
    """The name in a Host header: lower case, without the port and an IPv6 address's brackets."""
    host = header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _respond(status: HTTPStatus, body: bytes, content_type: str) -> tuple[HTTPStatus, list[tuple[str, str]], bytes]:
    headers = [("Content-Type", content_type), ("Content-Length", str(len(body))), *SECURITY_HEADERS.items()]
    return status, headers, body


def _json(status: HTTPStatus, payload: dict[str, Any]) -> tuple[HTTPStatus, list[tuple[str, str]], bytes]:
    return _respond(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), JSON_TYPE)


def _error(status: HTTPStatus, message: str) -> tuple[HTTPStatus, list[tuple[str, str]], bytes]:
    return _json(status, {"error": message})


class SelfCheckApp:
    """The self-check page and its JSON API as a WSGI application (PEP 3333).

    ``allowed_hosts``: the names (``Host`` header, port ignored, case-insensitive) the app
    answers; the loopback names (``localhost``, ``127.0.0.1``, ``::1`` …) are always among
    them; ``"*"`` answers any name.  Requests addressed to any other name get 403: a web
    page elsewhere cannot reach the app through a name of its own (DNS rebinding)."""

    def __init__(self, linter: Linter, allowed_hosts: Iterable[str] = ()) -> None:
        self.linter = linter
        self.allowed_hosts = frozenset(_host_name(h) for h in allowed_hosts)

    def host_allowed(self, header: str | None) -> bool:
        if "*" in self.allowed_hosts:
            return True
        name = _host_name(header or "")
        return name in self.allowed_hosts or _is_loopback(name)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        try:
            status, headers, body = self.respond(environ)
        except Exception:  # never a request without an answer; the details go to the log
            logging.getLogger("reportlint.frontends.serve").exception("reportlint serve: 处理请求时出错")
            status, headers, body = _error(HTTPStatus.INTERNAL_SERVER_ERROR, "服务器内部错误：这次检查没有完成，请重试")
        start_response(f"{status.value} {status.phrase}", headers)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

    def respond(self, environ: dict[str, Any]) -> tuple[HTTPStatus, list[tuple[str, str]], bytes]:
        if not self.host_allowed(environ.get("HTTP_HOST")):
            return _error(HTTPStatus.FORBIDDEN, FORBIDDEN_HOST)
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO") or "/"
        if method in ("GET", "HEAD"):
            return self.get(path)
        if method == "POST":
            return self.post(path, environ)
        status, headers, body = _error(HTTPStatus.METHOD_NOT_ALLOWED, "不支持此请求方法：页面用 GET，接口用 POST")
        return status, [*headers, ("Allow", "GET, HEAD, POST")], body

    def get(self, path: str) -> tuple[HTTPStatus, list[tuple[str, str]], bytes]:
        if path in ("/", "/index.html"):
            return _respond(HTTPStatus.OK, _page(self.linter.rules), "text/html; charset=utf-8")
        if path in STATIC:
            name, content_type = STATIC[path]
            return _respond(HTTPStatus.OK, web_asset(name).encode("utf-8"), content_type)
        if path == "/api/info":
            info = {"version": __version__, "max_bytes": MAX_UPLOAD_BYTES, "rules": len(self.linter.rules)}
            return _json(HTTPStatus.OK, info)
        if path.startswith("/api/"):
            return _error(HTTPStatus.METHOD_NOT_ALLOWED, "请用 POST 调用此接口")
        return _error(HTTPStatus.NOT_FOUND, "没有这个页面")

    def post(self, path: str, environ: dict[str, Any]) -> tuple[HTTPStatus, list[tuple[str, str]], bytes]:
        actions = {"/api/lint": Linter.lint_response, "/api/fix": Linter.fix_response}
        if path not in actions:
            return _error(HTTPStatus.NOT_FOUND, "没有这个接口")
        try:
            request = read_json(environ)
            payload = actions[path](self.linter, request)
        except RequestError as exc:
            return _error(exc.status, exc.message)
        except InputError as exc:
            too_large = exc.reason == "too-large"
            status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE if too_large else HTTPStatus.UNPROCESSABLE_ENTITY
            return _error(status, f"{exc.path}：{exc.problem}")
        return _json(HTTPStatus.OK, payload)


def read_json(environ: dict[str, Any]) -> dict[str, Any]:
    """The request's JSON object; RequestError with the status and Chinese message otherwise."""
    content_type = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
    length_header = (environ.get("CONTENT_LENGTH") or "").strip()
    if environ.get("HTTP_TRANSFER_ENCODING") or not length_header:
        raise RequestError(HTTPStatus.LENGTH_REQUIRED, "请求缺少 Content-Length")
    if not length_header.isascii() or not length_header.isdigit():
        raise RequestError(HTTPStatus.BAD_REQUEST, "Content-Length 无效")
    length = int(length_header)
    if length > MAX_BODY_BYTES:  # (under waitress the body was dropped as it came: see _Parser)
        raise RequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, TOO_LARGE)
    body = environ["wsgi.input"].read(length) if length else b""
    if content_type != "application/json":
        raise RequestError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "请求须为 JSON（Content-Type: application/json）")
    try:
        request = json.loads(body.decode("utf-8"), parse_int=_parse_int)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise RequestError(HTTPStatus.BAD_REQUEST, "请求格式不对：不是有效的 JSON") from None
    except RecursionError:
        raise RequestError(HTTPStatus.BAD_REQUEST, "请求格式不对：JSON 嵌套层数过多") from None
    except _LongNumber:
        message = f"请求格式不对：JSON 中的数字过长（超过 {MAX_INT_DIGITS} 位）"
        raise RequestError(HTTPStatus.BAD_REQUEST, message) from None
    if not isinstance(request, dict):
        raise RequestError(HTTPStatus.BAD_REQUEST, "请求格式不对：应为 JSON 对象")
    for key, value in request.items():
        # "\ud800" in JSON: a str that Python holds but UTF-8 cannot carry (nor the answer).
        found = _SURROGATE.search(value) if isinstance(value, str) else None
        if found is not None or _SURROGATE.search(key):
            field = "字段名" if _SURROGATE.search(key) else key
            code = f"（单独的 UTF-16 代理项 \\u{ord(found[0]):04x}）" if found is not None else ""
            message = f"请求格式不对：{field} 中有无效的字符{code}，请检查文字是否完整"
            raise RequestError(HTTPStatus.BAD_REQUEST, message)
    return request


def make_app(
    linter: Linter | None = None, *, allowed_hosts: Iterable[str] = (), directory: Path | None = None
) -> SelfCheckApp:
    """The self-check page as a WSGI application, to mount at the root of a site (its page
    refers to ``/static/…`` and ``/api/…``).

    ``linter``: the rules to check with; by default those of the configuration found from
    ``directory`` (default: the current directory) upwards, as ``reportlint serve`` uses.
    ``allowed_hosts``: host names answered besides the loopback ones (``["*"]``: any);
    e.g. the intranet name under which the office's server publishes the page."""
    return SelfCheckApp(linter or Linter.from_directory(directory), allowed_hosts)


# -- the server (waitress) ------------------------------------------------------------------------


class _DiscardedBody:
    """Where waitress puts a body over the limit: counted as it comes, never kept."""

    def __init__(self) -> None:
        self.size = 0

    def append(self, data: bytes) -> None:
        self.size += len(data)

    def __len__(self) -> int:
        return self.size

    def getfile(self) -> BytesIO:
        return BytesIO()

    def close(self) -> None:
        pass


class _LengthRequired(Error):
    code = 411
    reason = "Length Required"


class _Parser(HTTPRequestParser):
    """waitress's request parser, keeping the API's limits: a body over MAX_BODY_BYTES (up
    to DRAIN_LIMIT_BYTES; a larger one is refused at once by waitress) is read and dropped,
    so that the client still sending it gets the 413; a chunked body is refused (411)."""

    def parse_header(self, header_plus: bytes) -> None:
        super().parse_header(header_plus)
        if self.chunked:
            self.error = _LengthRequired("chunked")
            self.completed = True
        elif self.content_length > MAX_BODY_BYTES:
            self.body_rcv = FixedStreamReceiver(self.content_length, _DiscardedBody())


# waitress's own refusals (before the application sees the request), in the API's words.
def _refusal(error: Error) -> str:
    if isinstance(error, RequestEntityTooLarge):
        return TOO_LARGE
    if isinstance(error, _LengthRequired):
        return "请求缺少 Content-Length"
    if isinstance(error, RequestHeaderFieldsTooLarge):
        return "请求头过大"
    if isinstance(error, BadRequest):
        return "Content-Length 无效" if "Content-Length" in str(error.body) else "请求格式不对：不是有效的 HTTP 请求"
    if error.code == 501:
        return "不支持此请求的传输方式：请求须带 Content-Length"
    return "服务器内部错误：这次检查没有完成，请重试"


class _ErrorTask(ErrorTask):
    """waitress's error response as the API's: JSON ``{"error": "中文说明"}``, then close."""

    def execute(self) -> None:
        error = self.request.error
        body = json.dumps({"error": _refusal(error)}, ensure_ascii=False).encode("utf-8")
        self.status = f"{error.code} {error.reason}"
        self.response_headers.extend([("Content-Type", JSON_TYPE), *SECURITY_HEADERS.items()])
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class _Channel(HTTPChannel):
    parser_class = _Parser
    error_task_class = _ErrorTask


class _Waitress(TcpWSGIServer):
    channel_class = _Channel


class SelfCheckServer:
    """``reportlint serve``'s server: the application on waitress, on one address.

    ``serve_forever()`` runs until ``shutdown()`` (from another thread) or Ctrl+C;
    ``server_close()`` (or leaving ``with``) stops the worker threads and closes the sockets."""

    def __init__(
        self,
        address: tuple[str, int],
        linter: Linter,
        *,
        allowed_hosts: Iterable[str] | None = None,
        timeout: int = CHANNEL_TIMEOUT,
        threads: int = THREADS,
        backlog: int = LISTEN_BACKLOG,
    ) -> None:
        host, port = address
        self.loopback = _is_loopback(host)
        if allowed_hosts is None:  # as before: on loopback only this computer's names, elsewhere any
            allowed_hosts = () if self.loopback else ("*",)
        self.app = SelfCheckApp(linter, allowed_hosts)
        timeout = max(int(timeout), 1)
        adjustments = Adjustments(
            host=host,
            port=port,
            ipv4=":" not in host,
            ipv6=":" in host,
            threads=threads,
            backlog=backlog,
            connection_limit=CONNECTION_LIMIT,
            channel_timeout=timeout,
            cleanup_interval=max(min(timeout // 2, 30), 1),
            max_request_body_size=DRAIN_LIMIT_BYTES + 1,
            inbuf_overflow=MAX_BODY_BYTES + 1,  # an accepted body stays in memory
            outbuf_overflow=OUTBUF_LIMIT,
            outbuf_high_watermark=OUTBUF_LIMIT,  # a client slow to read never blocks a worker thread
            log_socket_errors=False,  # a client that went away is no news for the clerk's terminal
            expose_tracebacks=False,
            ident=f"reportlint/{__version__}",
        )
        queue = logging.getLogger("waitress.queue")
        if queue.level == logging.NOTSET:
            queue.setLevel(logging.ERROR)  # "task queue depth" under load: expected, not news
        self._map: dict[int, Any] = {}
        self._server = _Waitress(self.app, map=self._map, adj=adjustments, sockinfo=adjustments.listen[0])
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()

    @property
    def server_address(self) -> tuple[str, int]:
        return str(self._server.effective_host), int(self._server.effective_port)

    @property
    def url(self) -> str:
        host, port = self.server_address
        if host in ("0.0.0.0", "::"):
            host = "127.0.0.1"
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"

    def serve_forever(self) -> None:
        self._stopped.clear()
        try:
            while not self._stop.is_set():
                wasyncore.loop(timeout=1.0, map=self._map, count=1)
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop ``serve_forever`` (running in another thread) and wait for it."""
        self._stop.set()
        self._server.trigger.pull_trigger()
        self._stopped.wait()

    def server_close(self) -> None:
        self._server.task_dispatcher.shutdown()
        wasyncore.close_all(self._map)

    def __enter__(self) -> SelfCheckServer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.server_close()


def make_server(
    host: str,
    port: int,
    linter: Linter,
    *,
    allowed_hosts: Iterable[str] | None = None,
    timeout: int = CHANNEL_TIMEOUT,
) -> SelfCheckServer:
    return SelfCheckServer((host, port), linter, allowed_hosts=allowed_hosts, timeout=timeout)


def run_serve(args: argparse.Namespace) -> int:
    """``reportlint serve``: run until Ctrl+C."""
    linter = Linter.from_session(session_for(RunOptions.from_arguments(vars(args))))
    try:
        allowed = getattr(args, "allow_host", None)
        server = make_server(args.host, args.port, linter, allowed_hosts=allowed)
    except OSError as exc:
        reason = "端口已被占用，请用 --port 换一个端口" if exc.errno in (98, 48, 10048) else (exc.strerror or str(exc))
        print(f"reportlint: 无法在 {args.host}:{args.port} 启动自检页面：{reason}", file=sys.stderr)
        return EXIT_ERROR
    with server:
        note = "" if server.loopback else "（注意：已在网络上开放，同一网络的电脑都能访问）"
        print(f"已启动自检页面：{server.url} （按 Ctrl+C 停止）{note}", flush=True)
        if args.open:
            webbrowser.open(server.url)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("已停止自检页面。", flush=True)
    return EXIT_CLEAN
