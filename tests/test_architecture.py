"""The package's layers: data flows one way, and imports follow it.

Every ``import`` in ``src/reportlint`` is read from the source (function-level imports
included, since a late import is still a dependency), and the graph must have no cycle,
no module importing a higher layer, and no front end importing another (the command line
only dispatches to them).  The last tests show the checks fail on an injected cycle and on
a function-level import of a higher layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "reportlint"

# Lowest first: a module may import its own layer and the ones before it.
LAYERS = ("core", "support", "zh", "inputs", "outline", "tables", "rules", "checks", "engine", "app", "output", "frontends")
# The package itself (its lazy Python API) and ``python -m reportlint`` sit above everything.
ENTRY = {"reportlint", "reportlint.__main__"}
# Front ends never import each other; the command line dispatches to the others.
FRONTENDS = {"cli", "lsp", "serve", "dashboard"}
DISPATCHER = "cli"


def module_names(root: Path, package: str = "reportlint") -> dict[str, Path]:
    names = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join((package, *parts))] = path
    return names


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The module an import names (``a.b.c`` may be the function ``c`` of module ``a.b``)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(root: Path, package: str = "reportlint") -> dict[str, set[str]]:
    """Each module's imports of modules of the package, at any depth of its code."""
    modules = module_names(root, package)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = here.split(".")[: len(here.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [f"{base}.{alias.name}" for alias in node.names]
            for target in targets:
                if target == package or target.startswith(package + "."):
                    found = _resolve(target, modules)
                    if found and found != name:
                        graph[name].add(found)
    return graph


def layer(module: str, package: str = "reportlint") -> int:
    if module in {package, f"{package}.__main__"}:
        return len(LAYERS)
    first = module.split(".")[1]
    if first not in LAYERS:
        raise AssertionError(f"{module} belongs to no layer: put it in one of {', '.join(LAYERS)}")
    return LAYERS.index(first)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def violations(graph: dict[str, set[str]], package: str = "reportlint") -> list[str]:
    problems = [f"import cycle: {' → '.join(component)}" for component in cycles(graph)]
    for module, imports in sorted(graph.items()):
        for target in sorted(imports):
            if layer(target, package) > layer(module, package):
                problems.append(f"{module} imports the higher layer {target}")
            parts, target_parts = module.split("."), target.split(".")
            if (
                len(parts) > 2
                and len(target_parts) > 2
                and parts[1] == target_parts[1] == "frontends"
                and parts[2] in FRONTENDS
                and target_parts[2] in FRONTENDS
                and parts[2] != DISPATCHER
            ):
                problems.append(f"the front end {module} imports the front end {target}")
    return problems


def test_the_package_has_no_cycle_and_keeps_its_layers() -> None:
    graph = import_graph(PACKAGE)
    assert len(graph) > 30  # the whole package was read
    assert violations(graph) == []


def test_every_module_is_in_a_layer() -> None:
    for module in import_graph(PACKAGE):
        layer(module)  # raises for a module outside the layers


# -- the checks themselves fail where they should ------------------------------------------


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "reportlint"
    for name, text in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(root).parents:
            (root / parent / "__init__.py").touch()
        path.write_text(text, encoding="utf-8")
    return root


def test_an_injected_cycle_is_found(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "engine/lint.py": "from reportlint.engine.config import Config\n",
            "engine/config.py": "def load():\n    from reportlint.engine import lint\n",
        },
    )
    assert violations(import_graph(root)) == [
        "import cycle: reportlint.engine.config → reportlint.engine.lint"
    ]


def test_a_function_level_import_of_a_higher_layer_is_found(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "core/document.py": "def render():\n    from reportlint.output.text import format_text\n",
            "output/text.py": "from reportlint.core.document import Document\n",
        },
    )
    assert "reportlint.core.document imports the higher layer reportlint.output.text" in violations(
        import_graph(root)
    )


def test_front_ends_do_not_import_each_other(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "frontends/cli.py": "from reportlint.frontends import serve\n",  # the dispatcher may
            "frontends/serve.py": "from reportlint.frontends.dashboard import web_asset\n",
            "frontends/dashboard.py": "",
        },
    )
    assert violations(import_graph(root)) == [
        "the front end reportlint.frontends.serve imports the front end reportlint.frontends.dashboard"
    ]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("from reportlint.app import api\n", "reportlint.app.api"),
        ("import reportlint.app.api\n", "reportlint.app.api"),
        ("from ..app.api import lint_text\n", "reportlint.app.api"),
    ],
)
def test_every_form_of_import_is_read(tmp_path: Path, source: str, target: str) -> None:
    root = _package(tmp_path, {"core/x.py": source, "app/api.py": ""})
    assert import_graph(root)["reportlint.core.x"] == {target}
