"""The generic check kinds pass their tests with the 法治 pack absent.

The tests of the check kinds, conditions, parts, outline and suppressions use the neutral
test pack (tests/packs/neutral) or packs of their own.  This test runs them again in a
fresh pytest with REPORTLINT_TEST_HIDE_BUILTIN=1, where tests/conftest.py replaces the
built-in rule folder by an empty one: a test that still leaned on the 法治 pack would fail
("no rule files") instead of passing on its rules.
"""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT

GENERIC = (
    "test_text_checks.py",
    "test_conditions.py",
    "test_parts.py",
    "test_expression.py",
    "test_outline.py",
    "test_suppression.py",
    "test_packs.py",
    "test_rule_examples.py",
    "test_segmentation.py",
    "test_schema.py",
    "test_table_checks.py",
    "test_identities.py",
)


def test_the_generic_tests_pass_with_the_builtin_rules_hidden() -> None:
    env = {**os.environ, "REPORTLINT_TEST_HIDE_BUILTIN": "1"}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:warnings", "-p", "no:cacheprovider"]
    command += [str(ROOT / "tests" / name) for name in GENERIC]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert result.stdout.rstrip().endswith("[100%]"), result.stdout[-2000:]  # (everything ran)


def test_hiding_the_builtin_rules_leaves_no_fazhi_rule() -> None:
    code = (
        "import sys; sys.path.insert(0, 'tests'); import conftest;"
        "from reportlint.engine.lint import load_ruleset;"
        "from reportlint.rules.model import RuleError\n"
        "try:\n    load_ruleset()\nexcept RuleError as exc:\n    print('refused', exc.problem)"
    )
    env = {**os.environ, "REPORTLINT_TEST_HIDE_BUILTIN": "1"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "refused 规则目录中没有规则文件（<代码>-<名称>.toml）"
