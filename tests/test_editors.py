"""The editor configurations in docs/editors.md, run in a real editor.

Each Neovim snippet in docs/editors.md follows a marker ``<!-- neovim-snippet: X.Y -->``
(X.Y is the oldest Neovim it is for).  The tests take the snippets from the document itself,
so that what is tested is what readers copy:

- every snippet is compiled by Neovim's own Lua (syntax only: ``loadfile``);
- every snippet meant for the installed Neovim or an older one is run end to end: headless
  Neovim with the snippet as its ``init.lua`` opens a ``.txt`` and a ``.md`` report in a
  project with a ``reportlint.toml``, waits for the diagnostics that ``reportlint lsp``
  publishes and writes them out; they must be the findings of ``reportlint check``, at the
  same lines and columns, from one server whose root is the project.

CI installs Debian's ``neovim`` (Debian 12: 0.7.2), so there the 0.7 snippet runs end to
end and the newer ones are checked for syntax.  ``REPORTLINT_NVIM`` names another ``nvim``
binary (e.g. a newer release, to run its snippets end to end).  Without Neovim the tests
are skipped, except in CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import regex

from conftest import ROOT

EDITORS_MD = ROOT / "docs" / "editors.md"
SNIPPET = regex.compile(r"<!-- neovim-snippet: (\d+)\.(\d+) -->\n```lua\n(.*?)^```", regex.S | regex.M)
DOCUMENTED = ((0, 11), (0, 10), (0, 8), (0, 7))
TIMEOUT = 60  # seconds for one Neovim run; the diagnostics themselves take about a second

# A project whose reports are one folder below the root marker, so that the snippets have to
# find the root by walking up.  The reportlint.toml drops FZ209, so the findings also show
# that the server read the project's configuration.  The non-BMP character before the stray
# spaces (FZ503) checks the UTF-16 positions between server and editor.
CONFIG = 'ignore = ["FZ209"]\n'
REPORTS = {
    "report.txt": "某某区司法局2024年度法治政府建设情况报告\n\n𠀀全年共 5 条。\n",
    "report.md": "# 某某区司法局2024年度法治政府建设情况报告\n\n全年共 5 条。\n",
}
# The two stray spaces of "全年共 5 条。" (FZ503), line and column (in characters, 1-based).
STRAY_SPACES = {"report.txt": {(3, 5, "FZ503"), (3, 7, "FZ503")}, "report.md": {(3, 4, "FZ503"), (3, 6, "FZ503")}}

# Loaded with `-c "luafile probe.lua"` after init.lua (the snippet): opens each report,
# waits for its diagnostics and writes them, with the LSP clients, as JSON.  Only uses
# functions that exist from Neovim 0.7 on.
PROBE = r"""
local files = vim.split(vim.env.PROBE_FILES, "\n")
local timeout = tonumber(vim.env.PROBE_TIMEOUT_MS)
local get_clients = vim.lsp.get_clients or vim.lsp.get_active_clients
local result = { version = vim.version(), buffers = {}, clients = {} }
for _, file in ipairs(files) do
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local published = vim.wait(timeout, function()
    return #vim.diagnostic.get(buf) > 0
  end, 50)
  local entry = {
    file = vim.api.nvim_buf_get_name(buf),
    filetype = vim.bo[buf].filetype,
    published = published,
    lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false),
    diagnostics = {},
  }
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(entry.diagnostics, { lnum = d.lnum, col = d.col, code = d.code or vim.NIL })
  end
  table.insert(result.buffers, entry)
end
for _, client in ipairs(get_clients()) do
  local attached = {}
  for _, entry in ipairs(result.buffers) do
    local buf = vim.fn.bufnr(entry.file)
    if vim.lsp.buf_is_attached(buf, client.id) then
      table.insert(attached, entry.file)
    end
  end
  table.insert(result.clients, { name = client.name, root_dir = client.config.root_dir or vim.NIL, attached = attached })
end
result.messages = vim.fn.execute("messages")
vim.fn.writefile({ vim.fn.json_encode(result) }, vim.env.PROBE_OUT)
vim.cmd("qa!")
"""

# Compiles each snippet without running it.
SYNTAX = r"""
local errors = {}
for _, path in ipairs(vim.split(vim.env.PROBE_FILES, "\n")) do
  local chunk, err = loadfile(path)
  errors[path] = chunk and "" or err
end
vim.fn.writefile({ vim.fn.json_encode(errors) }, vim.env.PROBE_OUT)
vim.cmd("qa!")
"""


def snippets() -> dict[tuple[int, int], str]:
    text = EDITORS_MD.read_text(encoding="utf-8")
    return {(int(m[1]), int(m[2])): m[3] for m in SNIPPET.finditer(text)}


@pytest.fixture(scope="module")
def nvim() -> tuple[str, tuple[int, int, int]]:
    """The Neovim binary and its version; skipped without one, except in CI."""
    path = shutil.which(os.environ.get("REPORTLINT_NVIM") or "nvim")
    if path is None:
        reason = "Neovim is not installed (apt-get install neovim)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the Neovim tests: {reason}")
        pytest.skip(reason)
    banner = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=TIMEOUT).stdout
    match = regex.search(r"NVIM v(\d+)\.(\d+)\.(\d+)", banner)
    assert match, f"cannot read the version of {path}: {banner!r}"
    return path, (int(match[1]), int(match[2]), int(match[3]))


def run_nvim(
    nvim: str, tmp: Path, init: str, script: str, files: list[Path], cwd: Path
) -> tuple[Any, subprocess.CompletedProcess[str]]:
    """Run headless Neovim with ``init`` as init.lua and ``script`` as a luafile; its JSON output."""
    home = tmp / "nvim-home"
    env = dict(os.environ)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(home / name.lower())
    env.pop("VIMINIT", None)
    env.pop("NVIM_APPNAME", None)
    # The documented command is plain `reportlint`: put this interpreter's scripts first on PATH.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["NVIM_LOG_FILE"] = str(tmp / "nvim.log")
    out = tmp / "probe-out.json"
    out.unlink(missing_ok=True)
    env["PROBE_OUT"] = str(out)
    env["PROBE_FILES"] = "\n".join(str(f) for f in files)
    env["PROBE_TIMEOUT_MS"] = str((TIMEOUT - 15) * 1000)
    (tmp / "init.lua").write_text(init, encoding="utf-8")
    (tmp / "probe.lua").write_text(script, encoding="utf-8")
    command = [
        nvim,
        "--headless",
        "-u",
        str(tmp / "init.lua"),
        "-i",
        "NONE",
        "-n",
        "-c",
        f"luafile {tmp / 'probe.lua'}",
    ]
    proc = subprocess.run(
        command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert out.exists(), f"Neovim wrote no result (exit {proc.returncode}): {proc.stdout!r} {proc.stderr!r}"
    return json.loads(out.read_text(encoding="utf-8")), proc


def expected_findings(project: Path, path: Path) -> set[tuple[int, int, str]]:
    """(line, column, code) of ``reportlint check`` on ``path``, 1-based, columns in characters."""
    proc = subprocess.run(
        [sys.executable, "-m", "reportlint", "check", "--format", "json", "--exit-zero", str(path)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert proc.returncode == 0, proc.stderr
    (report,) = json.loads(proc.stdout)["files"]
    return {(d["line"], d["column"], d["code"]) for d in report["diagnostics"]}


def editor_findings(buffer: dict[str, Any]) -> set[tuple[int, int, str]]:
    """(line, column, code) of Neovim's diagnostics (0-based line, byte column) in the same terms."""
    lines = buffer["lines"]
    found = set()
    for d in buffer["diagnostics"]:
        line = lines[d["lnum"]] if d["lnum"] < len(lines) else ""
        column = len(line.encode("utf-8")[: d["col"]].decode("utf-8")) + 1
        found.add((d["lnum"] + 1, column, d["code"]))
    return found


def test_editors_md_has_a_neovim_snippet_per_version() -> None:
    found = snippets()
    assert sorted(found, reverse=True) == list(DOCUMENTED)
    for version, code in found.items():
        assert 'cmd = { "reportlint", "lsp" }' in code, version
        assert '"text", "markdown"' in code, version
    assert "vim.lsp.enable" in found[(0, 11)]
    assert "vim.fs.root" in found[(0, 10)]
    assert "vim.fs.find" in found[(0, 8)] and "vim.lsp.start(" in found[(0, 8)]
    assert "vim.lsp.start_client" in found[(0, 7)] and "vim.lsp.buf_attach_client" in found[(0, 7)]
    assert "vim.fs." not in found[(0, 7)], "vim.fs is new in Neovim 0.8"


def test_neovim_snippets_compile(nvim: tuple[str, tuple[int, int, int]], tmp_path: Path) -> None:
    paths = []
    for (major, minor), code in snippets().items():
        path = tmp_path / f"snippet-{major}.{minor}.lua"
        path.write_text(code, encoding="utf-8")
        paths.append(path)
    errors, _ = run_nvim(nvim[0], tmp_path, "", SYNTAX, paths, tmp_path)
    assert errors == {str(p): "" for p in paths}


@pytest.mark.parametrize("version", DOCUMENTED, ids=lambda v: f"neovim-{v[0]}.{v[1]}")
def test_neovim_snippet_end_to_end(
    version: tuple[int, int], nvim: tuple[str, tuple[int, int, int]], tmp_path: Path
) -> None:
    binary, installed = nvim
    if installed[:2] < version:
        pytest.skip(
            f"the Neovim {version[0]}.{version[1]} snippet needs a newer Neovim than the installed "
            f"{'.'.join(map(str, installed))} (it is checked for syntax only)"
        )
    assert shutil.which("reportlint", path=str(Path(sys.executable).parent)), (
        f"no reportlint script beside {sys.executable} (pip install -e .)"
    )
    project = tmp_path / "project"
    (project / "reports").mkdir(parents=True)
    (project / "reportlint.toml").write_text(CONFIG, encoding="utf-8")
    files = []
    for name, text in REPORTS.items():
        path = project / "reports" / name
        path.write_text(text, encoding="utf-8")
        files.append(path)
    workdir = tmp_path / "elsewhere"  # not the project, so the root must be found from the file
    workdir.mkdir()

    result, proc = run_nvim(binary, tmp_path, snippets()[version], PROBE, files, workdir)
    home = tmp_path / "nvim-home"
    context = f"messages: {result['messages']!r}; stderr: {proc.stderr!r}; Neovim's lsp.log is under {home}"
    assert result["version"]["major"] == installed[0] and result["version"]["minor"] == installed[1]

    assert [b["filetype"] for b in result["buffers"]] == ["text", "markdown"], context
    for path, buffer in zip(files, result["buffers"], strict=True):
        assert buffer["published"], f"no diagnostics for {path.name} in {TIMEOUT - 15} s; {context}"
        expected = expected_findings(project, path)
        found = editor_findings(buffer)
        assert found == expected, f"{path.name}: {context}"
        assert {f for f in found if f[2] == "FZ503"} == STRAY_SPACES[path.name], f"{path.name}: {context}"
        assert not any(code == "FZ209" for _, _, code in found), "the project's reportlint.toml was not used"

    (client,) = [c for c in result["clients"] if c["name"] == "reportlint"]
    assert os.path.realpath(client["root_dir"]) == os.path.realpath(project)
    assert sorted(client["attached"]) == sorted(str(f) for f in files)
