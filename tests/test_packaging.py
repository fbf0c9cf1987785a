"""The wheel ships the rule packs and grammars: build it, install it into a fresh
virtual environment outside the repository, and lint a sample report with it."""

from __future__ import annotations

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
        [str(python), "-c", "import reportlint.resources as r; print(r.builtin_rules_dir())"],
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
    assert result.stdout.splitlines()[0].startswith(f"{sample}:55:1: FZ701 [error]")
