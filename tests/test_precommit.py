"""The pre-commit hooks, run by the real ``pre-commit try-repo`` against this
repository on a temporary git repository of reports."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT

pytestmark = pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs this repository as a git checkout")

TITLE = "某区司法局2024年度法治政府建设情况报告\n\n"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # One hook environment for the module: pre-commit installs reportlint into it once.
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(repo: Path, home: Path, hook: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--all-files", "--verbose"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def make_repo(path: Path, files: dict[str, str]) -> Path:
    path.mkdir()
    git(path, "init", "-q")
    git(path, "config", "user.email", "clerk@example.org")
    git(path, "config", "user.name", "clerk")
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")
    git(path, "add", ".")
    return path


def test_hook_fails_on_a_bad_report_and_shows_the_findings(tmp_path: Path, pre_commit_home: Path) -> None:
    repo = make_repo(tmp_path / "reports", {})
    shutil.copy(FIXTURES / "reports" / "002_f1fda8d426eb960d.txt", repo / "002.txt")
    git(repo, "add", ".")
    result = try_repo(repo, pre_commit_home, "reportlint")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "reportlint（检查报告）" in result.stdout and "Failed" in result.stdout
    # The same findings `reportlint check` gives (see fixtures/expected/002_*.txt).
    assert "002.txt:10:1: FZ602 [错误]" in result.stdout


def test_hook_passes_on_a_clean_report(tmp_path: Path, pre_commit_home: Path) -> None:
    repo = make_repo(tmp_path / "reports", {})
    shutil.copy(FIXTURES / "clean" / "004_corrected.txt", repo / "004.txt")
    git(repo, "add", ".")
    result = try_repo(repo, pre_commit_home, "reportlint")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_fix_hook_rewrites_and_fails_then_passes(tmp_path: Path, pre_commit_home: Path) -> None:
    clean = (FIXTURES / "clean" / "004_corrected.txt").read_text(encoding="utf-8")
    lines = clean.split("\n")
    # One safe defect: a half-width comma inside Chinese text on the first body line.
    body = next(i for i, line in enumerate(lines) if "，" in line and i > 2)
    lines[body] = lines[body].replace("，", ",", 1)
    repo = make_repo(tmp_path / "reports", {"r.txt": "\n".join(lines)})
    first = try_repo(repo, pre_commit_home, "reportlint-fix")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout
    assert (repo / "r.txt").read_text(encoding="utf-8") == clean
    git(repo, "add", ".")
    second = try_repo(repo, pre_commit_home, "reportlint-fix")
    assert second.returncode == 0, second.stdout + second.stderr


def _tagged_copy(target: Path) -> tuple[Path, str]:
    """This repository's files as they are now (tracked and new, not ignored) committed in
    a fresh repository and tagged as the release: what an office's mirror holds."""
    import tomllib

    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode("utf-8")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git(target, "init", "-q")
    git(target, "config", "user.email", "release@example.org")
    git(target, "config", "user.name", "release")
    git(target, "add", ".")
    git(target, "commit", "-q", "-m", "release")
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    git(target, "tag", f"v{version}")
    return target, f"v{version}"


def test_readme_snippet_works_as_pasted_with_pre_commit_run(tmp_path: Path, pre_commit_home: Path) -> None:
    """The README's .pre-commit-config.yaml, pasted into a fresh repository of reports with
    only `repo:` pointed at a tagged copy: `pre-commit run` fails on a bad report."""
    mirror, tag = _tagged_copy(tmp_path / "mirror")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = readme.split("`.pre-commit-config.yaml` of a reports repository", 1)[1]
    snippet = snippet.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert f"rev: {tag}\n" in snippet  # the snippet names this release
    config = "\n".join(
        f"  - repo: {mirror}" if line.strip().startswith("- repo:") else line for line in snippet.splitlines()
    )
    repo = make_repo(tmp_path / "reports", {".pre-commit-config.yaml": config + "\n"})
    shutil.copy(FIXTURES / "reports" / "002_f1fda8d426eb960d.txt", repo / "002.txt")
    git(repo, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_home), "PRE_COMMIT_COLOR": "never"}
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--verbose"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "reportlint（检查报告）" in result.stdout and "Failed" in result.stdout
    assert "002.txt:10:1: FZ602 [错误]" in result.stdout
