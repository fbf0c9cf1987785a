"""End-to-end tests of ``reportlint lsp``: a real subprocess spoken to over stdio JSON-RPC."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from reportlint.engine.config import Config
from reportlint.engine.lint import load_ruleset
from reportlint.frontends.lsp import BUFFER, FILE, analyse, document_source

ROOT = Path(__file__).resolve().parent.parent
CLEAN = (ROOT / "fixtures" / "clean" / "004_corrected.txt").read_text(encoding="utf-8")
ORIGINAL = "组织理论学习中心组集体学法4次"
# Injected into a report that has no findings: a non-BMP character before the defects,
# two stray spaces (FZ503, safe fix), a bare 法治思想 (FZ301, safe) and 较好的完成 (FZ316, unsafe).
INJECTED = "𠀀组织理论学习中心组集体学法 4 次，深入学习法治思想，我局较好的完成法治建设各项工作任务"
DEFECTIVE = CLEAN.replace(ORIGINAL, INJECTED, 1)
TIMEOUT = 60.0


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def lsp_range(text: str, needle: str, occurrence: int = 1, inner: int = 0, length: int | None = None) -> dict:
    """Range of the ``occurrence``-th ``needle`` (shifted by ``inner`` chars, ``length`` chars long),
    computed independently of reportlint: split lines on CRLF/LF and count UTF-16 units."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    start = index + inner
    end = start + (len(needle) - inner if length is None else length)

    def position(offset: int) -> dict:
        before = text[:offset].replace("\r\n", "\n")
        line = before.count("\n")
        column = before[before.rfind("\n") + 1 :]
        return {"line": line, "character": utf16(column)}

    return {"start": position(start), "end": position(end)}


def apply_text_edits(text: str, edits: list[dict]) -> str:
    """Apply LSP TextEdits (UTF-16 positions) to ``text`` the way an editor does."""
    lines = text.split("\n")

    def offset(pos: dict) -> int:
        base = sum(len(line) + 1 for line in lines[: pos["line"]])
        units = 0
        for index, ch in enumerate(lines[pos["line"]]):
            if units >= pos["character"]:
                return base + index
            units += utf16(ch)
        return base + len(lines[pos["line"]])

    resolved = sorted((offset(e["range"]["start"]), offset(e["range"]["end"]), e["newText"]) for e in edits)
    for start, end, new in reversed(resolved):
        text = text[:start] + new + text[end:]
    return text


class Client:
    """A minimal LSP client: Content-Length framing, a reader thread, timeouts everywhere."""

    def __init__(self, cwd: Path, env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reportlint", "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=env,
        )
        self.inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.backlog: list[dict[str, Any]] = []
        self.stderr: list[bytes] = []
        self.lock = threading.Lock()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr), daemon=True).start()

    def _read(self) -> None:
        stream = self.proc.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    self.inbox.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            message = json.loads(stream.read(length).decode("utf-8"))
            if "method" in message and "id" in message:  # a request from the server: accept it
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            self.inbox.put(message)

    def send(self, payload: dict[str, Any]) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def send_raw(self, data: bytes) -> None:
        with self.lock:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_for(self, predicate: Any, timeout: float = TIMEOUT) -> dict[str, Any]:
        for index, message in enumerate(self.backlog):
            if predicate(message):
                return self.backlog.pop(index)
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no matching message in {timeout} s; stderr: {b''.join(self.stderr)!r}")
            try:
                message = self.inbox.get(timeout=remaining)
            except queue.Empty:
                continue
            if message is None:
                raise AssertionError(f"server closed its output; stderr: {b''.join(self.stderr)!r}")
            if predicate(message):
                return message
            self.backlog.append(message)

    def request(self, method: str, params: Any = None, timeout: float = TIMEOUT) -> Any:
        self.next_id += 1
        ident = self.next_id
        self.send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        reply = self.wait_for(lambda m: m.get("id") == ident and "method" not in m, timeout)
        assert "error" not in reply, reply
        return reply["result"]

    def diagnostics(self, uri: str, version: int) -> list[dict[str, Any]]:
        message = self.wait_for(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri
                and m["params"].get("version") == version
            )
        )
        return message["params"]["diagnostics"]

    def initialize(self, root: Path, capabilities: dict[str, Any] | None = None) -> dict[str, Any]:
        result = self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root.as_uri(),
                "capabilities": capabilities or {},
                "initializationOptions": {"debounceMs": 0},
            },
        )
        self.notify("initialized", {})
        return result

    def open(self, uri: str, text: str, language: str = "plaintext") -> None:
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}},
        )

    def change(self, uri: str, version: int, text: str) -> None:
        self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
        )

    def close(self) -> int:
        assert self.request("shutdown") is None
        self.notify("exit")
        try:
            return self.proc.wait(timeout=TIMEOUT)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


@pytest.fixture
def client(tmp_path: Path) -> Any:
    c = Client(tmp_path)
    yield c
    if c.proc.poll() is None:
        c.proc.kill()
        c.proc.wait(timeout=10)


def summary(diagnostics: list[dict[str, Any]]) -> list[tuple[str, dict]]:
    return [(d["code"], d["range"]) for d in diagnostics]


def test_diagnostics_code_actions_hover_end_to_end(client: Client, tmp_path: Path) -> None:
    # The client prefers UTF-8, but reportlint always answers in UTF-16.
    result = client.initialize(tmp_path, {"general": {"positionEncodings": ["utf-8", "utf-16"]}})
    capabilities = result["capabilities"]
    assert capabilities["positionEncoding"] == "utf-16"
    assert capabilities["hoverProvider"]
    assert set(capabilities["codeActionProvider"]["codeActionKinds"]) == {"quickfix", "source.fixAll"}
    assert result["serverInfo"]["name"] == "reportlint"

    uri = (tmp_path / "年度报告.txt").as_uri()
    client.open(uri, DEFECTIVE)
    diagnostics = client.diagnostics(uri, 1)
    assert summary(diagnostics) == [
        ("FZ503", lsp_range(DEFECTIVE, "法 4", inner=1, length=1)),
        ("FZ503", lsp_range(DEFECTIVE, "4 次", inner=1, length=1)),
        ("FZ301", lsp_range(DEFECTIVE, "法治思想，我局", length=4)),
        ("FZ316", lsp_range(DEFECTIVE, "较好的", inner=2, length=1)),
    ]
    # 𠀀 before the finding counts two UTF-16 units: the character is one more than the code-point index.
    line = DEFECTIVE.split("\n")[diagnostics[0]["range"]["start"]["line"]]
    assert diagnostics[0]["range"]["start"]["character"] == line.index("法 4") + 1 + 1
    first = diagnostics[0]
    assert first["source"] == "reportlint"
    assert first["severity"] == 2  # warning
    assert first["data"]["fix"]["safe"] is True
    assert first["codeDescription"]["href"].endswith("FZ503-space-between-chinese-and-digits.toml")

    # didChange (full sync): no 𠀀 any more, CRLF line ends, the 法治思想 defect fixed by hand.
    changed = DEFECTIVE.replace("𠀀", "").replace("深入学习法治思想", "深入学习习近平法治思想").replace("\n", "\r\n")
    client.change(uri, 2, changed)
    diagnostics = client.diagnostics(uri, 2)
    assert summary(diagnostics) == [
        ("FZ503", lsp_range(changed, "法 4", inner=1, length=1)),
        ("FZ503", lsp_range(changed, "4 次", inner=1, length=1)),
        ("FZ316", lsp_range(changed, "较好的", inner=2, length=1)),
    ]
    line = changed.split("\r\n")[diagnostics[0]["range"]["start"]["line"]]
    assert diagnostics[0]["range"]["start"]["character"] == line.index("法 4") + 1

    # Back to the first text, then ask for fixes on the 法治思想 finding.
    client.change(uri, 3, DEFECTIVE)
    diagnostics = client.diagnostics(uri, 3)
    fz301 = diagnostics[2]
    actions = client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": fz301["range"],
            "context": {"diagnostics": [fz301], "only": ["quickfix"]},
        },
    )
    assert [(a["title"], a["kind"], a["isPreferred"]) for a in actions] == [("改为“习近平法治思想”", "quickfix", True)]
    assert actions[0]["diagnostics"][0]["code"] == "FZ301"
    fixed = apply_text_edits(DEFECTIVE, actions[0]["edit"]["changes"][uri])
    assert fixed == DEFECTIVE.replace("深入学习法治思想", "深入学习习近平法治思想")

    # The unsafe fix is offered but not preferred, and says it needs confirming.
    fz316 = diagnostics[3]
    actions = client.request(
        "textDocument/codeAction",
        {"textDocument": {"uri": uri}, "range": fz316["range"], "context": {"diagnostics": [fz316]}},
    )
    quick = [a for a in actions if a["kind"] == "quickfix"]
    assert [(a["title"], a["isPreferred"]) for a in quick] == [("改为“地”（需确认）", False)]
    assert apply_text_edits(DEFECTIVE, quick[0]["edit"]["changes"][uri]) == DEFECTIVE.replace(
        "较好的完成", "较好地完成"
    )
    # Without an `only` filter the fix-all action comes along too.
    assert [a["title"] for a in actions if a["kind"] == "source.fixAll"] == ["修正全部可安全修正的问题"]

    # source.fixAll applies every safe fix and leaves the unsafe one.
    actions = client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.fixAll"]},
        },
    )
    assert [(a["title"], a["kind"]) for a in actions] == [("修正全部可安全修正的问题", "source.fixAll")]
    fixed_all = apply_text_edits(DEFECTIVE, actions[0]["edit"]["changes"][uri])
    assert fixed_all == CLEAN.replace(
        ORIGINAL, "𠀀组织理论学习中心组集体学法4次，深入学习习近平法治思想，我局较好的完成法治建设各项工作任务", 1
    )
    client.change(uri, 4, fixed_all)
    assert summary(client.diagnostics(uri, 4)) == [("FZ316", lsp_range(fixed_all, "较好的", inner=2, length=1))]

    # Hover on a finding explains its rule, like `reportlint explain`.
    client.change(uri, 5, DEFECTIVE)
    diagnostics = client.diagnostics(uri, 5)
    inside = dict(diagnostics[2]["range"]["start"])
    inside["character"] += 1
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": inside})
    value = hover["contents"]["value"]
    assert hover["contents"]["kind"] == "markdown"
    assert hover["range"] == diagnostics[2]["range"]
    assert value.startswith("**FZ301** “")
    for part in ("FZ301 bare-fazhi-sixiang", "#### 依据", "习近平法治思想", "#### 错误示例", "#### 正确示例"):
        assert part in value
    assert "{context}" not in value  # the rule's message as its example renders it, not the template
    nothing = client.request(
        "textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 3}}
    )
    assert nothing is None

    # The same text again under a new version (an edit undone): published with the new version.
    client.change(uri, 6, DEFECTIVE)
    assert client.diagnostics(uri, 6) == diagnostics

    # Closing clears the document's diagnostics.
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    cleared = client.wait_for(
        lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["diagnostics"] == []
    )
    assert cleared["params"]["uri"] == uri

    assert client.close() == 0


def test_markdown_and_other_languages(client: Client, tmp_path: Path) -> None:
    client.initialize(tmp_path)
    md = (tmp_path / "报告.md").as_uri()
    client.open(md, DEFECTIVE, language="markdown")
    assert [d["code"] for d in client.diagnostics(md, 1)] == ["FZ503", "FZ503", "FZ301", "FZ316"]
    # A Python file is none of our business: a hover there answers nothing and no diagnostics come.
    py = (tmp_path / "x.py").as_uri()
    client.open(py, DEFECTIVE, language="python")
    hover = client.request(
        "textDocument/hover", {"textDocument": {"uri": py}, "position": {"line": 8, "character": 61}}
    )
    assert hover is None
    assert not any(m.get("params", {}).get("uri") == py for m in client.backlog)
    assert client.close() == 0


def test_config_reload_on_watched_file_change(client: Client, tmp_path: Path) -> None:
    config = tmp_path / "reportlint.toml"
    config.write_text('ignore = ["FZ503"]\n', encoding="utf-8")
    client.initialize(tmp_path, {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}})
    # The server asks to be told about configuration files.
    registration = client.wait_for(lambda m: m.get("method") == "client/registerCapability")
    [entry] = registration["params"]["registrations"]
    assert entry["method"] == "workspace/didChangeWatchedFiles"
    assert [w["globPattern"] for w in entry["registerOptions"]["watchers"]] == [
        "**/reportlint.toml",
        "**/pyproject.toml",
    ]
    uri = (tmp_path / "report.txt").as_uri()
    client.open(uri, DEFECTIVE)
    assert [d["code"] for d in client.diagnostics(uri, 1)] == ["FZ301", "FZ316"]

    config.write_text('ignore = ["FZ3"]\n', encoding="utf-8")
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 2}]})
    assert [d["code"] for d in client.diagnostics(uri, 1)] == ["FZ503", "FZ503"]
    assert client.close() == 0


def test_exit_without_shutdown_is_an_error(client: Client, tmp_path: Path) -> None:
    client.initialize(tmp_path)
    client.notify("exit")
    assert client.proc.wait(timeout=TIMEOUT) == 1


def test_missing_pygls_prints_one_chinese_line(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('pygls', 'lsprotocol'):\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, Block())\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT / "src")])}
    done = subprocess.run(
        [sys.executable, "-m", "reportlint", "lsp"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == "reportlint: 语言服务器需要 lsprotocol（reportlint 的依赖），安装不完整：请在同一 Python 环境中重新安装 reportlint\n"


def test_buffer_with_bom_counts_it_on_the_first_line() -> None:
    config = Config()
    rules = load_ruleset(config).select(config, "r.txt")
    text = "\ufeff" + DEFECTIVE.replace("2024年度", "2024 年度", 1)
    analysis = analyse(text, "r.txt", config, rules, version=7)
    first = analysis.lsp_diagnostics[0]
    assert (first.code, first.range.start.line, first.range.start.character) == ("FZ503", 0, text.index(" "))
    assert analysis.version == 7


def test_document_source() -> None:
    assert document_source("file:///tmp/a.TXT", None) == BUFFER
    assert document_source("file:///tmp/a.md", "markdown") == BUFFER
    assert document_source("untitled:Untitled-1", "plaintext") == BUFFER
    assert document_source("file:///tmp/a.docx", None) == FILE
    assert document_source("file:///tmp/a.pdf", None) == FILE
    assert document_source("file:///tmp/a.py", "python") is None


def test_lint_error_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from reportlint.frontends import lsp

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(lsp, "analyse", broken)
    server = lsp.ReportServer()
    uri = (tmp_path / "r.txt").as_uri()
    analysis, messages = server._lint(uri, "text", DEFECTIVE, 1)
    assert analysis is None
    [(kind, message)] = messages
    assert kind == 1  # MessageType.Error, sent as window/logMessage
    assert message.startswith(f"reportlint: 检查 {tmp_path / 'r.txt'} 时出错：")
    assert "RuntimeError: boom" in message


def test_bad_config_is_shown_and_defaults_used(client: Client, tmp_path: Path) -> None:
    (tmp_path / "reportlint.toml").write_text("ignore = [\n", encoding="utf-8")
    client.initialize(tmp_path)
    uri = (tmp_path / "report.txt").as_uri()
    client.open(uri, DEFECTIVE)
    assert [d["code"] for d in client.diagnostics(uri, 1)] == ["FZ503", "FZ503", "FZ301", "FZ316"]
    shown = client.wait_for(lambda m: m.get("method") == "window/showMessage")
    assert shown["params"]["type"] == 2  # warning
    assert shown["params"]["message"].startswith("reportlint 配置或规则有误，已按默认设置检查：")
    assert "reportlint.toml:" in shown["params"]["message"]
    assert client.close() == 0


def test_changes_in_quick_succession_are_debounced(tmp_path: Path) -> None:
    client = Client(tmp_path)
    try:
        result = client.request(
            "initialize",
            {"processId": None, "rootUri": None, "capabilities": {}, "initializationOptions": {"debounceMs": 500}},
        )
        assert result["capabilities"]["textDocumentSync"]["change"] == 2  # incremental
        client.notify("initialized", {})
        uri = (tmp_path / "r.txt").as_uri()
        client.open(uri, DEFECTIVE)  # opening is linted at once
        assert len(client.diagnostics(uri, 1)) == 4
        second = DEFECTIVE.replace("法治思想，我局", "习近平法治思想，我局")
        client.change(uri, 2, second)
        # Then an incremental change: delete "较好的" (after 𠀀 on its line, so UTF-16 counts).
        lines = second.split("\n")
        line = next(i for i, text in enumerate(lines) if "较好的" in text)
        character = utf16(lines[line][: lines[line].index("较好的")])
        client.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": 3},
                "contentChanges": [
                    {
                        "range": {
                            "start": {"line": line, "character": character},
                            "end": {"line": line, "character": character + 3},
                        },
                        "text": "",
                    }
                ],
            },
        )
        third = second.replace("较好的", "")
        assert summary(client.diagnostics(uri, 3)) == [
            ("FZ503", lsp_range(third, "法 4", inner=1, length=1)),
            ("FZ503", lsp_range(third, "4 次", inner=1, length=1)),
        ]
        # The server's copy of the text is right: the fix-all edit applies cleanly to ours.
        actions = client.request(
            "textDocument/codeAction",
            {
                "textDocument": {"uri": uri},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                "context": {"diagnostics": [], "only": ["source"]},
            },
        )
        assert apply_text_edits(third, actions[0]["edit"]["changes"][uri]) == third.replace(" 4 ", "4")
        # Version 2 was superseded within the debounce window: it was never published.
        assert not any(m.get("params", {}).get("version") == 2 for m in client.backlog)
        assert client.close() == 0
    finally:
        if client.proc.poll() is None:
            client.proc.kill()


def test_docx_is_linted_from_disk_on_save(client: Client, tmp_path: Path) -> None:
    import docx  # python-docx: the docx extra, pulled in by the test extra

    word = docx.Document()
    for paragraph in DEFECTIVE.split("\n"):
        if paragraph:
            word.add_paragraph(paragraph)
    path = tmp_path / "报告.docx"
    word.save(str(path))
    client.initialize(tmp_path)
    uri = path.as_uri()
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    message = client.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics")
    assert message["params"]["uri"] == uri
    assert [d["code"] for d in message["params"]["diagnostics"]] == ["FZ503", "FZ503", "FZ301", "FZ316"]
    # A Word file is not edited through the protocol: no code actions.
    fz301 = message["params"]["diagnostics"][2]
    actions = client.request(
        "textDocument/codeAction",
        {"textDocument": {"uri": uri}, "range": fz301["range"], "context": {"diagnostics": [fz301]}},
    )
    assert actions == []
    assert client.close() == 0


# --------------------------------------------------------------------------- scheduling

SLOW_RULE = """code = "{code}"
name = "slow-pattern-{n}"
category = "formulation"
severity = "warning"
message = "测试用的慢规则"
basis = "测试"

[check]
kind = "forbid"
pattern = '(慢|慢慢)+停'
"""
# “停” lets the rules past the literal prefilter; the run of 慢 without one after it makes
# each search backtrack until the regex time limit stops it (slow, but it ends).
SLOW_TEXT = CLEAN + "停。" + "慢" * 60 + "！\n"


def test_slow_document_does_not_delay_another(client: Client, tmp_path: Path) -> None:
    pack = tmp_path / "slow-pack"
    pack.mkdir()
    for n in range(1, 4):  # three searches, each stopped by the regex time limit (2 s)
        (pack / f"XS90{n}-slow.toml").write_text(SLOW_RULE.format(code=f"XS90{n}", n=n), encoding="utf-8")
    (tmp_path / "reportlint.toml").write_text('rules = ["slow-pack"]\n', encoding="utf-8")
    client.initialize(tmp_path)
    warm = (tmp_path / "warm.txt").as_uri()  # loads the rules and the dictionary first
    client.open(warm, DEFECTIVE)
    assert [d["code"] for d in client.diagnostics(warm, 1)] == ["FZ503", "FZ503", "FZ301", "FZ316"]

    slow, quick = (tmp_path / "a-slow.txt").as_uri(), (tmp_path / "b-quick.txt").as_uri()
    client.open(slow, SLOW_TEXT)
    time.sleep(0.2)  # the slow lint is under way
    opened = time.monotonic()
    client.open(quick, DEFECTIVE)
    quick_diagnostics = client.diagnostics(quick, 1)
    waited = time.monotonic() - opened
    assert [d["code"] for d in quick_diagnostics] == ["FZ503", "FZ503", "FZ301", "FZ316"]
    assert waited < 4.0, waited
    # The slow document is edited while its lint still runs: that lint's result is stale.
    client.change(slow, 2, CLEAN)
    # Edits of the quick document keep being answered meanwhile.
    client.change(quick, 2, CLEAN)
    assert client.diagnostics(quick, 2) == []
    assert not any(m.get("params", {}).get("uri") == slow for m in client.backlog), "the slow one came first"
    # The slow document's lint ends (its patterns stopped by the time limit); only the
    # current version is published, never the stale one.
    assert client.diagnostics(slow, 2) == []
    assert not any(m.get("params", {}).get("uri") == slow for m in client.backlog)
    assert client.close() == 0


# --------------------------------------------------------------------------- framing

HOVER_NOWHERE = {"textDocument": {"uri": "file:///nowhere/x.py"}, "position": {"line": 0, "character": 0}}


@pytest.mark.parametrize(
    ("header", "logged"),
    [
        (b"Content-Length: abc\r\n\r\n", "Content-Length: abc"),
        (b"Content-Length: -1\r\n\r\n", "Content-Length: -1"),
        (b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n", "缺少 Content-Length"),
    ],
    ids=["not-a-number", "negative", "no-content-length"],
)
def test_bad_frame_is_logged_and_skipped(client: Client, tmp_path: Path, header: bytes, logged: str) -> None:
    client.initialize(tmp_path)
    lost = json.dumps({"jsonrpc": "2.0", "id": 900, "method": "textDocument/hover", "params": HOVER_NOWHERE})
    client.send_raw(header + lost.encode("utf-8"))  # no newline after the body: the next header follows at once
    assert client.request("textDocument/hover", HOVER_NOWHERE, timeout=15) is None
    # A second request after the resynchronisation is answered too.
    assert client.request("textDocument/hover", HOVER_NOWHERE, timeout=15) is None
    log = client.wait_for(lambda m: m.get("method") == "window/logMessage" and "无效" in m["params"]["message"])
    assert logged in log["params"]["message"]
    assert log["params"]["type"] == 2  # warning
    assert not any(m.get("id") == 900 for m in client.backlog)  # the bad frame is dropped, not guessed at
    assert client.close() == 0
    stderr = b"".join(client.stderr).decode("utf-8", "replace")
    assert "reportlint-lsp: " in stderr and logged in stderr


def test_frame_reader_resynchronises() -> None:
    from reportlint.frontends.lsp import FrameReader

    problems: list[str] = []
    reader = FrameReader(problems.append)

    def frame(body: bytes) -> bytes:
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    one, two, three = b'{"id": 1}', b'{"id": 2}', b'{"id": 3}'
    stream = (
        frame(one)
        + b"garbage without a header\r\n"  # a line that is no header
        + frame(two)
        + b"Content-Length: 99999999999\r\n\r\n{}"  # over the limit
        + b"content-length:9\n\r\n"  # names are case-insensitive, LF alone is tolerated
        + three
    )
    got = [body for index in range(len(stream)) for body in reader.feed(stream[index : index + 1])]  # byte by byte
    assert got == [one, two, three]
    assert problems == ["无法识别的内容“garbage without a header”", "Content-Length: 99999999999（超过上限）"]

    # A Content-Length too large swallows the next frame: the body is no JSON, and the
    # frame hidden in it is read after all.
    problems.clear()
    bodies = reader.feed(b"Content-Length: 30\r\n\r\n" + b'{"id"' + frame(two) + b"0123456789")
    [swallowed] = list(bodies)
    reader.recover(swallowed)
    assert list(reader.feed(b"")) == [two]
    assert problems[0].startswith("消息内容不是有效的 JSON（30 字节")
