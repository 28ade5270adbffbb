"""The layering README's Layout promises, checked on the source rather than trusted: shared is a library
that imports no service, a service imports no other service, and no module imports one that imports it back.

Every import counts, also those inside functions and under TYPE_CHECKING: a deferred import still ties
the two modules together, it only hides the tie from whoever reads the top of the file.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("shared", "services", "system")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))}


def imported_names(path: Path) -> set[str]:
    """Every module an import statement of the file names: `from a.b import c` names a.b, and a.b.c when c
    is a module of this project."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names} & MODULES.keys()
    return names


def imports_of(prefix: str) -> dict[str, set[str]]:
    return {name: imported_names(path) for name, path in MODULES.items() if name.split(".")[0] == prefix}


def test_the_modules_are_found():
    assert {"shared.contracts", "services.intake.main", "system.cli"} <= set(MODULES)


def test_shared_imports_no_service_and_nothing_that_composes_them():
    found = {module: sorted(n for n in names if n.split(".")[0] in ("services", "system"))
             for module, names in imports_of("shared").items()}
    assert {module: names for module, names in found.items() if names} == {}


def test_no_service_imports_another_service_or_the_composition():
    found = {}
    for module, names in imports_of("services").items():
        own = module.split(".")[:2]
        foreign = sorted(n for n in names if n.split(".")[0] == "system"
                         or (n.split(".")[0] == "services" and n.split(".")[:2] != own))
        if foreign:
            found[module] = foreign
    assert found == {}


def test_no_module_imports_one_that_imports_it_back():
    graph = {module: (imported_names(path) & MODULES.keys()) - {module} for module, path in MODULES.items()}
    reachable = {module: _reachable(graph, module) for module in graph}
    circles = {frozenset({module} | {other for other in reachable[module] if module in reachable[other]})
               for module in graph if module in reachable[module]}
    assert sorted(sorted(circle) for circle in circles) == []


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for target in graph[todo.pop()] - seen:
            seen.add(target)
            todo.append(target)
    return seen
