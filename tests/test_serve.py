"""``reportlint serve``: the self-check page's JSON API, tested over HTTP with urllib."""

from __future__ import annotations

import base64
import contextlib
import http.client
import io
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import regex

from conftest import REPORTS
from reportlint.app.fixes import apply_edits
from reportlint.core.diagnostics import Edit
from reportlint.engine.config import Config
from reportlint.engine.lint import load_ruleset
from reportlint.frontends.cli import main
from reportlint.frontends.serve import MAX_UPLOAD_BYTES, Linter, changed_ranges, make_app, make_server
from reportlint.inputs.reading import unsupported_problem

SAMPLE_000 = next(p for p in REPORTS if p.name.startswith("000_"))
SAMPLE_001 = next(p for p in REPORTS if p.name.startswith("001_"))


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    config = Config()
    server = make_server("127.0.0.1", 0, Linter(config, load_ruleset(config).select(config)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.url
    finally:
        server.shutdown()
        server.server_close()


def call(url: str, payload: Any = None, *, raw: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    data = raw if raw is not None else (None if payload is None else json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def check_json(capsys: pytest.CaptureFixture[str], path: Path) -> list[dict[str, Any]]:
    main(["check", "--format", "json", "--exit-zero", str(path)])
    return json.loads(capsys.readouterr().out)["files"][0]["diagnostics"]


def positions(diagnostics: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(d["code"], d["line"], d["column"], d["end_line"], d["end_column"], d["message"]) for d in diagnostics]


def test_page_and_assets_are_local(base_url: str) -> None:
    with urllib.request.urlopen(base_url, timeout=30) as response:
        page = response.read().decode("utf-8")
        policy = response.headers["Content-Security-Policy"]
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert '<meta name="reportlint-max-bytes" content="5242880">' in page
    assets = regex.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets == ["data:,", "/static/common.css", "/static/serve.css", "/static/highlight.js", "/static/serve.js"]
    for asset in assets[1:]:
        with urllib.request.urlopen(base_url + asset.lstrip("/"), timeout=30) as response:
            assert response.status == 200
            assert response.read()
    status, body = call(base_url + "nothing-here")
    assert (status, body) == (404, {"error": "没有这个页面"})
    status, body = call(base_url + "api/info")
    assert status == 200 and body["max_bytes"] == MAX_UPLOAD_BYTES and body["rules"] > 60


def test_lint_pasted_text_matches_check(base_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = SAMPLE_000.read_text(encoding="utf-8")
    status, body = call(base_url + "api/lint", {"filename": "000.txt", "text": text})
    assert status == 200
    assert body["filename"] == "000.txt"
    assert positions(body["diagnostics"]) == positions(check_json(capsys, SAMPLE_000))
    assert body["summary"] == {
        "diagnostics": 36,
        "by_severity": {"error": 5, "warning": 23, "info": 8},
        "safe_fixes": 19,
    }
    # start/end index the returned text (all BMP here, so code points = UTF-16 units).
    first_503 = next(d for d in body["diagnostics"] if d["code"] == "FZ503")
    assert (first_503["line"], first_503["column"]) == (3, 5)
    assert body["text"][first_503["start"] : first_503["end"]] == " "


def test_upload_gbk_file_as_base64(base_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = SAMPLE_001.read_text(encoding="utf-8").replace("\n", "\r\n").encode("gbk")
    status, body = call(
        base_url + "api/lint", {"filename": "C:\\报告\\001.txt", "content": base64.b64encode(data).decode()}
    )
    assert status == 200
    assert body["filename"] == "001.txt"  # the name only, whatever separators the path had
    assert (body["encoding"], body["newline"]) == ("gb18030", "\r\n")
    assert positions(body["diagnostics"]) == positions(check_json(capsys, SAMPLE_001))


def test_upload_docx(base_url: str) -> None:
    docx = pytest.importorskip("docx")
    word = docx.Document()
    for line in ["某区司法局2024年度法治政府建设情况报告", "一、主要举措和成效", "开展培训 3 次。"]:
        word.add_paragraph(line)
    buffer = io.BytesIO()
    word.save(buffer)
    status, body = call(
        base_url + "api/lint", {"filename": "r.docx", "content": base64.b64encode(buffer.getvalue()).decode()}
    )
    assert status == 200
    assert body["source_format"] == "docx"
    assert body["text"].splitlines()[:3] == ["某区司法局2024年度法治政府建设情况报告", "一、主要举措和成效", "开展培训 3 次。"]
    spaces = [(d["line"], d["column"]) for d in body["diagnostics"] if d["code"] == "FZ503"]
    assert spaces == [(3, 5), (3, 7)]


def test_upload_pdf_like_check(base_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pdfminer")
    pdf = Path(__file__).resolve().parent.parent / "fixtures" / "documents" / "report.pdf"
    status, body = call(base_url + "api/lint", {"filename": "report.pdf", "content": base64.b64encode(pdf.read_bytes()).decode()})
    assert status == 200, body
    assert body["source_format"] == "pdf"
    want = check_json(capsys, pdf)
    assert [(d["code"], d["message"]) for d in body["diagnostics"]] == [(d["code"], d["message"]) for d in want]
    assert len(want) > 0


def test_fix_applies_safe_fixes_like_check_fix(base_url: str, tmp_path: Path) -> None:
    text = SAMPLE_000.read_text(encoding="utf-8")
    status, body = call(base_url + "api/fix", {"filename": "000.txt", "text": text})
    assert status == 200
    assert body["fixed"] == 19
    assert body["fixed_codes"] == {"FZ109": 2, "FZ112": 1, "FZ301": 2, "FZ305": 1, "FZ312": 2, "FZ503": 11}
    remaining = {d["code"] for d in body["diagnostics"]}
    assert not remaining & set(body["fixed_codes"])
    assert body["summary"]["safe_fixes"] == 0
    # Same text as `reportlint check --fix` writes.
    copy = tmp_path / "000.txt"
    copy.write_bytes(SAMPLE_000.read_bytes())
    main(["check", "--fix", "--exit-zero", str(copy)])
    assert body["text"] == copy.read_text(encoding="utf-8")
    assert "2024 年" not in body["text"] and "2024年度法治政府建设工作报告" in body["text"]
    # The changes mark where the fixes wrote: a space deleted at each FZ503, “习近平法治思想” for FZ301.
    fixed = body["text"]
    written = [fixed[c["start"] : c["end"]] for c in body["changes"]]
    assert written.count("") >= 11
    assert written.count("习近平法治思想") == 2


def test_changed_ranges_follow_later_passes() -> None:
    text = "ab cd ef"
    first = [Edit(2, 3, ""), Edit(5, 6, "--")]  # "abcd--ef"
    middle = apply_edits(text, first)
    second = [Edit(0, 1, "AA")]  # "AAbcd--ef"
    final = apply_edits(middle, second)
    assert final == "AAbcd--ef"
    assert changed_ranges([first, second]) == [(0, 2), (3, 3), (5, 7)]
    assert changed_ranges([]) == []


def test_upload_limit_is_413(base_url: str) -> None:
    too_big = b"a" * (MAX_UPLOAD_BYTES + 1)
    status, body = call(base_url + "api/lint", {"filename": "big.txt", "content": base64.b64encode(too_big).decode()})
    assert status == 413
    assert body["error"] == "big.txt：文件过大：超过 5 MB，请拆分后再检查。"
    status, body = call(base_url + "api/lint", {"text": "报" * (MAX_UPLOAD_BYTES // 3 + 1)})
    assert (status, body["error"]) == (413, "文件过大：超过 5 MB，请拆分后再检查。")
    # A body over the request limit is read and dropped, and the client still gets the answer.
    status, body = call(base_url + "api/lint", raw=b" " * (MAX_UPLOAD_BYTES * 2))
    assert (status, body["error"]) == (413, "文件过大：超过 5 MB，请拆分后再检查。")


def test_oversized_body_is_refused_before_reading(base_url: str) -> None:
    host, port = base_url.removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.putrequest("POST", "/api/lint")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(50 * 1024 * 1024))
    connection.endheaders()
    response = connection.getresponse()  # answered without the 50 MB body ever being sent
    assert response.status == 413
    assert json.loads(response.read()) == {"error": "文件过大：超过 5 MB，请拆分后再检查。"}
    assert response.getheader("Connection") == "close"
    connection.close()


@pytest.mark.parametrize(
    ("payload", "raw", "headers", "status", "error"),
    [
        (None, b"{not json", {}, 400, "请求格式不对：不是有效的 JSON"),
        (None, b"[1]", {}, 400, "请求格式不对：应为 JSON 对象"),
        ({"text": "x"}, None, {"Content-Type": "text/plain"}, 415, "请求须为 JSON（Content-Type: application/json）"),
        ({"filename": "a.txt"}, None, {}, 400, "请求格式不对：需要 text（粘贴的文字）或 content（上传的文件）"),
        ({"filename": "a.txt", "content": "@@@"}, None, {}, 400, "请求格式不对：文件内容不是有效的 base64"),
        (
            {"filename": "a.doc", "content": base64.b64encode(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" * 8).decode()},
            None,
            {},
            422,
            "a.doc：" + str(unsupported_problem("a.doc")),
        ),
        ({"text": "  \n"}, None, {}, 422, "粘贴的文本.txt：没有文字：请粘贴报告全文或选择文件"),
        # A lone surrogate is a str Python holds but UTF-8 cannot carry: no answer could be written.
        (None, b'{"text": "\\ud800 \\u62a5\\u544a"}', {}, 400, "请求格式不对：text 中有无效的字符（单独的 UTF-16 代理项 \\ud800），请检查文字是否完整"),
        (None, b'{"filename": "a\\udfff.txt", "text": "x"}', {}, 400, "请求格式不对：filename 中有无效的字符（单独的 UTF-16 代理项 \\udfff），请检查文字是否完整"),
        (None, b'{"text": "x", "\\ud800": 1}', {}, 400, "请求格式不对：字段名 中有无效的字符，请检查文字是否完整"),
        (None, b'{"text": "x", "n": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", {}, 400, "请求格式不对：JSON 嵌套层数过多"),
        (None, b'{"text": "x", "n": ' + b"9" * 5_000 + b"}", {}, 400, "请求格式不对：JSON 中的数字过长（超过 100 位）"),
        (
            {"filename": "a.txt", "content": base64.b64encode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").decode()},
            None,
            {},
            422,
            "a.txt：不是文本文件（含二进制数据）",
        ),
        (
            {"filename": "a.docx", "content": base64.b64encode(b"PK\x03\x04 not really a zip").decode()},
            None,
            {},
            422,
            None,
        ),
    ],
)
def test_bad_requests_get_a_chinese_error(
    base_url: str, payload: Any, raw: bytes | None, headers: dict[str, str], status: int, error: str | None
) -> None:
    got_status, body = call(base_url + "api/lint", payload, raw=raw, headers=headers)
    assert got_status == status
    if error is None:
        assert body["error"].startswith("a.docx：")
    else:
        assert body["error"] == error


def _raw_exchange(base_url: str, request: bytes) -> tuple[int, dict[str, Any]]:
    """Send ``request`` as it is in one piece; the status and JSON body of the answer."""
    host, port = base_url.removeprefix("http://").rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(request)
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, json.loads(response.read())


@pytest.mark.parametrize(
    ("headers", "status", "error"),
    [
        (b"Content-Length: -1\r\n", 400, "Content-Length 无效"),
        (b"Content-Length: abc\r\n", 400, "Content-Length 无效"),
        (b"Transfer-Encoding: chunked\r\n", 411, "请求缺少 Content-Length"),  # as before: no chunked bodies
        (b"", 411, "请求缺少 Content-Length"),
    ],
)
def test_bad_content_length_and_chunked_bodies(base_url: str, headers: bytes, status: int, error: str) -> None:
    request = (
        b"POST /api/lint HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + headers
        + b'\r\nd\r\n{"text": "x"}\r\n0\r\n\r\n'
    )
    assert _raw_exchange(base_url, request) == (status, {"error": error})


def test_other_hosts_are_refused(base_url: str) -> None:
    status, body = call(base_url + "api/info", headers={"Host": "evil.example:80"})
    assert (status, body) == (403, {"error": "拒绝访问：自检页面只接受本机地址"})
    status, _ = call(base_url + "api/info", headers={"Host": "localhost"})
    assert status == 200
    status, body = call(base_url + "api/lint")
    assert (status, body) == (405, {"error": "请用 POST 调用此接口"})


def test_serve_command_prints_url_and_writes_nothing(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "reportlint", "serve", "--port", "0"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = regex.fullmatch(r"已启动自检页面：(http://127\.0\.0\.1:(\d+)/) （按 Ctrl\+C 停止）\n", line)
        assert found, line
        url, port = found.group(1), found.group(2)
        status, body = call(url + "api/fix", {"filename": "r.txt", "text": "某区司法局2024年度法治政府建设情况报告\n\n共 5 条。\n"})
        assert status == 200 and body["fixed_codes"] == {"FZ503": 2}
        assert list(tmp_path.iterdir()) == []  # no temporary or uploaded files
        # A second server on the same port: a one-line Chinese error, exit 2.
        second = subprocess.run(
            [sys.executable, "-m", "reportlint", "serve", "--port", port],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 2
        assert second.stderr == f"reportlint: 无法在 127.0.0.1:{port} 启动自检页面：端口已被占用，请用 --port 换一个端口\n"
        # Clients that go away mid-request or before the answer: nothing on the terminal.
        text = SAMPLE_000.read_text(encoding="utf-8") * 20
        body = json.dumps({"text": text}, ensure_ascii=False).encode("utf-8")
        for index in range(6):
            sock = socket.create_connection(("127.0.0.1", int(port)), timeout=30)
            head = b"POST /api/%s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" % (
                b"fix" if index % 2 else b"lint"
            )
            sock.sendall(head + b"Content-Length: %d\r\n\r\n" % len(body) + (body if index < 4 else body[:100]))
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()  # a reset, not a polite close
        time.sleep(3)  # the answers are written (or not) meanwhile
        assert call(url + "api/info")[0] == 200
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert process.stderr is not None
    assert process.stderr.read() == ""



# --------------------------------------------------------------------------- under load

SHORT_REPORT = "某区司法局2024年度法治政府建设情况报告\n\n全年开展培训 3 次。\n"


def _linter() -> Linter:
    config = Config()
    return Linter(config, load_ruleset(config).select(config))


@pytest.fixture
def short_timeout_url() -> Iterator[str]:
    """A server whose connections time out after one silent second."""
    server = make_server("127.0.0.1", 0, _linter(), timeout=1)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.url
    finally:
        server.shutdown()
        server.server_close()


def _post_raw(url: str, path: str, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """One request on a fresh connection, with no retry: a refused or reset connection raises."""
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        connection.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_fifty_concurrent_requests_are_all_answered(base_url: str) -> None:
    start = threading.Barrier(50)

    def one(index: int) -> tuple[int, dict[str, Any]]:
        start.wait(timeout=30)
        return _post_raw(base_url, "/api/lint", {"filename": f"{index}.txt", "text": SHORT_REPORT})

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(one, range(50)))
    assert [status for status, _ in results] == [200] * 50
    assert {body["filename"] for _, body in results} == {f"{i}.txt" for i in range(50)}
    assert all([d["code"] for d in body["diagnostics"]].count("FZ503") == 2 for _, body in results)


def test_stalled_clients_time_out_and_do_not_hold_up_others(short_timeout_url: str) -> None:
    host, port = short_timeout_url.removeprefix("http://").rstrip("/").split(":")
    stalled = []
    for index in range(20):
        sock = socket.create_connection((host, int(port)), timeout=30)
        if index % 3 == 1:  # half a request line and no more
            sock.sendall(b"POST /api/lint HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        elif index % 3 == 2:  # a body shorter than its Content-Length
            sock.sendall(
                b"POST /api/lint HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                b"Content-Length: 100000\r\n\r\n{\"text\": \"\xe6\x8a\xa5"
            )
        stalled.append(sock)  # (index % 3 == 0: connected, sending nothing)
    began = time.monotonic()
    # Meanwhile another client is answered at once.
    assert _post_raw(short_timeout_url, "/api/lint", {"text": SHORT_REPORT})[0] == 200
    assert time.monotonic() - began < 5
    # Each stalled connection is closed by the server after its silent second.
    for sock in stalled:
        sock.settimeout(15)
        with contextlib.suppress(ConnectionResetError):  # closed: b"" (or a reset)
            assert sock.recv(1024) == b""
        sock.close()
    assert time.monotonic() - began < 15
    # And then a normal request is answered at once.
    began = time.monotonic()
    status, body = _post_raw(short_timeout_url, "/api/fix", {"text": SHORT_REPORT})
    assert (status, body["fixed_codes"]) == (200, {"FZ503": 2})
    assert time.monotonic() - began < 5


# --------------------------------------------------------------------------- the WSGI application


def _wsgi(app: Any, method: str, path: str, host: str, body: bytes = b"") -> tuple[str, dict[str, str], bytes]:
    from wsgiref.util import setup_testing_defaults

    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "HTTP_HOST": host,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    setup_testing_defaults(environ)
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answer.update(status=status, headers=dict(headers))

    chunks = app(environ, start_response)
    return answer["status"], answer["headers"], b"".join(chunks)


def test_make_app_is_a_wsgi_application_with_allowed_hosts() -> None:
    app = make_app(_linter(), allowed_hosts=["check.example.gov.cn"])
    status, headers, body = _wsgi(app, "GET", "/", "check.example.gov.cn:8080")
    assert status == "200 OK" and headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"reportlint-max-bytes" in body
    payload = json.dumps({"text": SHORT_REPORT}, ensure_ascii=False).encode("utf-8")
    status, _, body = _wsgi(app, "POST", "/api/lint", "CHECK.example.gov.cn", payload)
    assert status == "200 OK" and json.loads(body)["summary"]["diagnostics"] >= 2
    status, _, body = _wsgi(app, "GET", "/api/info", "127.0.0.1:80")  # loopback names always
    assert status == "200 OK"
    status, _, body = _wsgi(app, "GET", "/api/info", "evil.example")
    assert (status, json.loads(body)) == ("403 Forbidden", {"error": "拒绝访问：自检页面只接受本机地址"})
    status, headers, body = _wsgi(app, "HEAD", "/", "localhost")
    assert status == "200 OK" and body == b"" and int(headers["Content-Length"]) > 0
    status, _, body = _wsgi(app, "DELETE", "/api/lint", "localhost")
    assert status == "405 Method Not Allowed" and "不支持此请求方法" in json.loads(body)["error"]
    # By default: this computer's names only; "*": any.
    assert _wsgi(make_app(_linter()), "GET", "/api/info", "check.example.gov.cn")[0] == "403 Forbidden"
    assert _wsgi(make_app(_linter(), allowed_hosts=["*"]), "GET", "/api/info", "x.example")[0] == "200 OK"


def test_an_error_inside_is_a_500_with_a_chinese_message(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(Linter, "lint", broken)
    app = make_app(_linter())
    status, _, body = _wsgi(app, "POST", "/api/lint", "localhost", b'{"text": "x"}')
    assert (status, json.loads(body)) == ("500 Internal Server Error", {"error": "服务器内部错误：这次检查没有完成，请重试"})


def test_serve_allow_host_option(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "reportlint", "serve", "--port", "0", "--allow-host", "zijian.example.gov.cn"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        found = regex.search(r"(http://127\.0\.0\.1:\d+/)", process.stdout.readline())
        assert found
        url = found.group(1)
        assert call(url + "api/info", headers={"Host": "zijian.example.gov.cn:8765"})[0] == 200
        assert call(url + "api/info", headers={"Host": "localhost"})[0] == 200
        assert call(url + "api/info", headers={"Host": "evil.example"}) == (403, {"error": "拒绝访问：自检页面只接受本机地址"})
    finally:
        process.terminate()
        process.wait(timeout=30)
