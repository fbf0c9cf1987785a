"""``reportlint serve``: a self-check web page on this computer.

A clerk pastes a report or uploads a .txt/.md/.docx/.pdf file, sees the findings
highlighted in the text with their explanations, applies the safe fixes and
downloads the corrected text.  Standard library only (``http.server``): the page
and its script are files of ``reportlint/web`` served from memory, the page talks
to a small JSON API, nothing is written to disk and nothing is loaded from
elsewhere, so it works offline.

API (request and response bodies are JSON, UTF-8):

``POST /api/lint``  ``{"filename": "a.txt", "text": "..."}`` or ``{"filename": "a.docx",
  "content": "<base64 of the file>"}`` (.txt, .md, .docx, .pdf: read as ``reportlint check``
  reads files) → ``{"filename", "text" (newlines normalised), "newline", "encoding",
  "diagnostics": [...], "summary": {...}}``; each diagnostic is the ``--format json`` one
  plus ``start``/``end``: UTF-16 offsets into ``text``.
``POST /api/fix``   the same request → the fixed ``text``, the remaining ``diagnostics``,
  ``fixed`` (number of fixes applied), ``fixed_codes`` (findings removed, by code) and
  ``changes`` (UTF-16 ranges of the fixed text that the fixes wrote).
``GET /api/info``   version, upload limit and number of rules.

Errors are ``{"error": "中文说明"}`` with a 4xx status: 413 for a file over the limit,
422 for a file that cannot be read (binary, empty, undecodable).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import bisect
import ipaddress
import json
import socket
import sys
import webbrowser
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import PureWindowsPath
from typing import Any

from reportlint import __version__
from reportlint.config import Config
from reportlint.dashboard import diagnostic_payload, utf16_offsets, web_asset
from reportlint.diagnostics import Diagnostic, Edit
from reportlint.document import Document
from reportlint.engine import lint_document
from reportlint.fixes import fix_until_stable
from reportlint.reading import InputError, read_bytes
from reportlint.rules import Rule

__all__ = ["MAX_UPLOAD_BYTES", "Linter", "SelfCheckServer", "document_from_upload", "make_server", "run_serve"]

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A request carries the file as base64 (4/3 of its size) inside a little JSON.
MAX_BODY_BYTES = MAX_UPLOAD_BYTES * 4 // 3 + 64 * 1024
# A body over the limit but below this is read and dropped before answering 413; a larger
# one is not read at all (the connection is closed).
DRAIN_LIMIT_BYTES = 32 * 1024 * 1024
TOO_LARGE = f"文件过大：超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB，请拆分后再检查。"
PASTED_NAME = "粘贴的文本.txt"

# Served from memory: URL path -> (file in reportlint/web, content type).
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
    """The configuration and rules the page lints with (chosen once, at start-up)."""

    config: Config
    rules: Sequence[Rule]

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
        to16 = utf16_offsets(fixed_doc.text)
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
        to16 = utf16_offsets(doc.text)
        counts = Counter(d.severity.label for d in diagnostics)
        return {
            "filename": doc.path,
            "text": doc.text,
            "newline": doc.newline,
            "encoding": doc.encoding,
            "source_format": getattr(doc, "source_format", "text"),
            "diagnostics": [diagnostic_payload(doc, d, to16) for d in diagnostics],
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


# -- HTTP ---------------------------------------------------------------------------------------


def _page() -> bytes:
    page = web_asset("serve.html").replace("{{MAX_BYTES}}", str(MAX_UPLOAD_BYTES))
    return page.replace("{{VERSION}}", __version__).encode("utf-8")


class SelfCheckServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], linter: Linter) -> None:
        self.linter = linter
        self.loopback = _is_loopback(address[0])
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        if host in ("0.0.0.0", "::"):
            host = "127.0.0.1"
        shown = f"[{host}]" if ":" in str(host) else host
        return f"http://{shown}:{port}/"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Handler(BaseHTTPRequestHandler):
    server: SelfCheckServer
    server_version = f"reportlint/{__version__}"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the clerk's terminal shows only the start-up line."""

    # -- responses ---------------------------------------------------------------------------

    def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: HTTPStatus, payload: dict[str, Any]) -> None:
        self._send(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._json(status, {"error": message})

    def _host_allowed(self) -> bool:
        """On loopback, only answer requests addressed to this computer (no DNS rebinding)."""
        if not self.server.loopback:
            return True
        host = (self.headers.get("Host") or "").strip().lower()
        if host.startswith("["):
            name = host[1 : host.find("]")] if "]" in host else host
        else:
            name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        return name == "localhost" or _is_loopback(name)

    # -- methods -----------------------------------------------------------------------------

    def do_GET(self) -> None:
        if not self._host_allowed():
            self._error(HTTPStatus.FORBIDDEN, "拒绝访问：自检页面只接受本机地址")
            return
        path = self.path.split("?", 1)[0]
        if path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, _page(), "text/html; charset=utf-8")
        elif path in STATIC:
            name, content_type = STATIC[path]
            self._send(HTTPStatus.OK, web_asset(name).encode("utf-8"), content_type)
        elif path == "/api/info":
            self._json(
                HTTPStatus.OK,
                {"version": __version__, "max_bytes": MAX_UPLOAD_BYTES, "rules": len(self.server.linter.rules)},
            )
        elif path.startswith("/api/"):
            self._error(HTTPStatus.METHOD_NOT_ALLOWED, "请用 POST 调用此接口")
        else:
            self._error(HTTPStatus.NOT_FOUND, "没有这个页面")

    do_HEAD = do_GET

    def do_POST(self) -> None:
        if not self._host_allowed():
            self._error(HTTPStatus.FORBIDDEN, "拒绝访问：自检页面只接受本机地址")
            return
        path = self.path.split("?", 1)[0]
        actions = {"/api/lint": Linter.lint_response, "/api/fix": Linter.fix_response}
        if path not in actions:
            self.close_connection = True
            self._error(HTTPStatus.NOT_FOUND, "没有这个接口")
            return
        try:
            request = self._read_json()
            payload = actions[path](self.server.linter, request)
        except RequestError as exc:
            self._error(exc.status, exc.message)
            return
        except InputError as exc:
            status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE if exc.kind == "too-large" else HTTPStatus.UNPROCESSABLE_ENTITY
            self._error(status, f"{exc.path}：{exc.problem}")
            return
        self._json(HTTPStatus.OK, payload)

    def _read_json(self) -> dict[str, Any]:
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        length_header = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding") or length_header is None:
            self.close_connection = True
            raise RequestError(HTTPStatus.LENGTH_REQUIRED, "请求缺少 Content-Length")
        try:
            length = int(length_header)
        except ValueError:
            self.close_connection = True
            raise RequestError(HTTPStatus.BAD_REQUEST, "Content-Length 无效") from None
        if length < 0:
            self.close_connection = True
            raise RequestError(HTTPStatus.BAD_REQUEST, "Content-Length 无效")
        if length > MAX_BODY_BYTES:
            self.close_connection = True
            if length <= DRAIN_LIMIT_BYTES:
                # Read and drop the body so that a browser still sending it gets the answer.
                remaining = length
                while remaining > 0:
                    chunk = self.rfile.read(min(remaining, 1 << 16))
                    if not chunk:
                        break
                    remaining -= len(chunk)
            raise RequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, TOO_LARGE)
        body = self.rfile.read(length)
        if content_type != "application/json":
            raise RequestError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "请求须为 JSON（Content-Type: application/json）")
        try:
            request = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise RequestError(HTTPStatus.BAD_REQUEST, "请求格式不对：不是有效的 JSON") from None
        if not isinstance(request, dict):
            raise RequestError(HTTPStatus.BAD_REQUEST, "请求格式不对：应为 JSON 对象")
        return request


def make_server(host: str, port: int, linter: Linter) -> SelfCheckServer:
    return SelfCheckServer((host, port), linter)


def run_serve(args: argparse.Namespace) -> int:
    """``reportlint serve``: run until Ctrl+C."""
    from reportlint.cli import EXIT_CLEAN, EXIT_ERROR, _options
    from reportlint.runner import rules_for

    config, rules = rules_for("-", _options(args))
    try:
        server = make_server(args.host, args.port, Linter(config, rules))
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
