"""The wheel ships the rule packs and grammars: build it, install it into a fresh
virtual environment outside the repository, and lint a sample report with it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("reportlint-*.whl")
    return built


def test_wheel_contains_rules_and_grammar(wheel: Path) -> None:
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    assert "reportlint/_data/grammar/outline.lark" in names
    assert "reportlint/_data/grammar/expr.lark" in names
    assert "reportlint/_data/rules/fazhi/pack.toml" in names
    assert "reportlint/_data/rules/fazhi/data/law-titles.txt" in names
    assert any(n.startswith("reportlint/_data/rules/fazhi/FZ") for n in names)


def test_installed_wheel_lints_a_sample(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    # The dependencies come from this interpreter's site-packages (no network needed),
    # appended after the fresh environment's own site-packages, where the wheel goes.
    # Directories named in a .pth file are not scanned for .pth files themselves, so an
    # editable install of the checkout is not picked up.
    site_dir = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    current = [p for p in sys.path if p.endswith("site-packages")]
    Path(site_dir, "zz_dependencies.pth").write_text("\n".join(current) + "\n", encoding="utf-8")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    sample = shutil.copy(next((ROOT / "fixtures" / "reports").glob("004_*.txt")), work / "report.txt")
    where = subprocess.run(
        [str(python), "-c", "import reportlint.support.resources as r; print(r.builtin_rules_dir())"],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(env_dir) in where.stdout and "_data" in where.stdout
    result = subprocess.run(
        [str(python), "-m", "reportlint", "check", str(sample), "--select", "FZ701"],
        cwd=work,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0].startswith(f"{sample}:55:1: FZ701 [错误]")


# -- one install does everything, also without network -------------------------------------


def _frame(payload: dict[str, object]) -> bytes:
    body = json.dumps(payload).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _first_message(stream: bytes) -> dict[str, object]:
    header, _, rest = stream.partition(b"\r\n\r\n")
    fields = dict(line.split(b":", 1) for line in header.split(b"\r\n"))
    return json.loads(rest[: int(fields[b"Content-Length"])])


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The README's offline recipe, step one: on a connected machine, reportlint and every
    dependency as wheels in one folder."""
    out = tmp_path_factory.mktemp("wheelhouse")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--wheel-dir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if built.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"pip wheel failed in CI: {built.stderr[-2000:]}")
        pytest.skip(f"no package index reachable to build the wheelhouse: {built.stderr[-300:]}")
    return out


def test_offline_install_reads_docx_and_pdf_and_answers_lsp(wheelhouse: Path, tmp_path: Path) -> None:
    """Step two, on the office's machine: a fresh environment, pip install --no-index
    --find-links, nothing else; then a .docx and a .pdf are linted and `reportlint lsp`
    answers initialize (no extras named)."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-index", "--find-links", str(wheelhouse), "reportlint"],
        check=True,
        capture_output=True,
        timeout=600,
    )
    work = tmp_path / "office"
    work.mkdir()
    documents = ROOT / "fixtures" / "documents"
    for name in ("parity-1.docx", "parity-1.pdf"):
        report = shutil.copy(documents / name, work / name)
        result = subprocess.run(
            [str(python), "-m", "reportlint", "check", str(report), "--select", "FZ503", "--format", "json"],
            cwd=work,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 1, result.stderr
        found = json.loads(result.stdout)["files"][0]["diagnostics"]
        assert found and {d["code"] for d in found} == {"FZ503"}, name
    server = subprocess.run(
        [str(env_dir / "bin" / "reportlint"), "lsp"],
        input=_frame(
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {"processId": None, "rootUri": work.as_uri(), "capabilities": {}},
            }
        )
        + _frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
        + _frame({"jsonrpc": "2.0", "method": "exit"}),
        cwd=work,
        capture_output=True,
        timeout=120,
    )
    reply = _first_message(server.stdout)
    assert reply["id"] == 1, server.stderr
    assert reply["result"]["serverInfo"]["name"] == "reportlint"
    assert "textDocumentSync" in reply["result"]["capabilities"]
