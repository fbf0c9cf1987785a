"""``reportlint serve``: the self-check page's JSON API, tested over HTTP with urllib."""

from __future__ import annotations

import base64
import http.client
import io
import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import regex

from conftest import REPORTS
from reportlint.cli import main
from reportlint.config import Config
from reportlint.diagnostics import Edit
from reportlint.engine import load_ruleset
from reportlint.fixes import apply_edits
from reportlint.reading import unsupported_problem
from reportlint.serve import MAX_UPLOAD_BYTES, Linter, changed_ranges, make_server

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
    finally:
        process.terminate()
        process.wait(timeout=30)
