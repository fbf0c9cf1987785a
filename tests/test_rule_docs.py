from __future__ import annotations

from pathlib import Path

import pytest

from reportlint.app.rule_docs import END, START, render_readme, rules_table
from reportlint.engine.loader import load_pack

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
PACK_DIR = RULES_DIR / "fazhi"
# Every built-in pack (a folder of rules/ with a pack.toml) has a generated rule list.
PACK_DIRS = sorted(path for path in RULES_DIR.iterdir() if (path / "pack.toml").is_file())


def test_every_builtin_pack_is_covered() -> None:
    assert PACK_DIR in PACK_DIRS
    assert len(PACK_DIRS) >= 2


@pytest.mark.parametrize("directory", PACK_DIRS, ids=lambda path: path.name)
def test_pack_readme_is_up_to_date(directory: Path) -> None:
    pack = load_pack(directory)
    readme = directory / "README.md"
    assert readme.is_file(), f"run: python -m reportlint.app.rule_docs rules/{directory.name}"
    current = readme.read_text(encoding="utf-8")
    assert current == render_readme(pack, current), f"run: python -m reportlint.app.rule_docs rules/{directory.name}"


@pytest.mark.parametrize("directory", PACK_DIRS, ids=lambda path: path.name)
def test_table_lists_every_rule_once(directory: Path) -> None:
    pack = load_pack(directory)
    table = rules_table(pack)
    for rule in pack.rules:
        assert table.count(f"| {rule.code} |") == 1


def test_render_keeps_hand_written_text() -> None:
    pack = load_pack(PACK_DIR)
    text = f"# title\n\nintro\n\n{START}\nold\n{END}\n\n## notes\n"
    rendered = render_readme(pack, text)
    assert rendered.startswith("# title\n\nintro\n\n")
    assert rendered.endswith(f"{END}\n\n## notes\n")
    assert "old" not in rendered
