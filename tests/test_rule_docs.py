from __future__ import annotations

from pathlib import Path

from reportlint.app.rule_docs import END, START, render_readme, rules_table
from reportlint.engine.loader import load_pack

PACK_DIR = Path(__file__).resolve().parent.parent / "rules" / "fazhi"


def test_pack_readme_is_up_to_date() -> None:
    pack = load_pack(PACK_DIR)
    current = (PACK_DIR / "README.md").read_text(encoding="utf-8")
    assert current == render_readme(pack, current), "run: python -m reportlint.app.rule_docs rules/fazhi"


def test_table_lists_every_rule_once() -> None:
    pack = load_pack(PACK_DIR)
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
