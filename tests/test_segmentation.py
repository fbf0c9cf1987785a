"""``word = true``: a term only matches as a whole jieba word, and jieba loads lazily."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from reportlint.engine.lint import lint_text
from reportlint.engine.loader import load_pack

RULE = """code = "XX201"
name = "fazhi-word"
category = "formulation"
severity = "warning"
message = "“{match}”"
basis = "测试"

[check]
kind = "forbid"
terms = ["法制"]
word = true
"""


def test_word_boundaries(tmp_path: Path) -> None:
    pack_dir = tmp_path / "pack"
    pack_dir.mkdir()
    (pack_dir / "XX201-fazhi-word.toml").write_text(RULE, encoding="utf-8")
    rules = load_pack(pack_dir).rules
    _, inside = lint_text("严格落实领导干部学法制度。\n", rules=rules)
    assert inside == []  # 学法 + 制度: 法制 is not a word here
    _, found = lint_text("讲授法制课程。\n", rules=rules)
    assert [(d.code, d.start, d.end) for d in found] == [("XX201", 2, 4)]


def test_default_run_does_not_import_jieba() -> None:
    code = (
        "import sys; from reportlint.engine.lint import lint_text;"
        "lint_text('某区司法局2024年度法治政府建设情况报告\\n\\n全年共 5 条。\\n');"
        "print('jieba' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
