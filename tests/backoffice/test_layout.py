"""The back office's layout: one package per area, which imports no other area.

An area package (``backoffice/catalog/``, ``backoffice/ledger/``…) may import its own modules and the shared
``backoffice.access``, ``backoffice.common`` and ``backoffice.fields``; only ``backoffice/urls.py`` imports
every area. Imports sit at the top of the module, never inside a function to dodge a cycle.
"""

import ast
from pathlib import Path

import pytest

import binakarya.backoffice

BACKOFFICE = Path(binakarya.backoffice.__file__).parent
SHARED = {"binakarya.backoffice.access", "binakarya.backoffice.common", "binakarya.backoffice.fields"}
# An area is a package of views: ``views.py``, or other view modules only (consignment's partner.py).
AREAS = sorted({p.parent.name for p in BACKOFFICE.glob("*/__init__.py")} - {"templatetags"})


def _imports(tree: ast.AST, package: str) -> list[tuple[str, ast.stmt]]:
    """Every imported module, with its statement; ``package`` resolves relative imports.

    ``from x import y`` gives ``x.y`` too, as ``y`` may be a module.
    """
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.append((module, node))
            found += [(f"{module}.{alias.name}", node) for alias in node.names]
    return found


def test_the_areas_are_packages():
    assert AREAS == [
        "accounts",
        "catalog",
        "consignment",
        "dashboard",
        "dashboards",
        "deals",
        "exports",
        "feeds",
        "ledger",
        "makers",
        "orders",
        "pos",
        "production",
        "programs",
        "reports",
        "sales",
        "stock",
    ]
    assert not list(BACKOFFICE.glob("views*.py")) and not list(BACKOFFICE.glob("forms*.py"))


@pytest.mark.parametrize("area", AREAS)
def test_an_area_imports_only_itself_and_the_shared_modules(area):
    own = f"binakarya.backoffice.{area}"
    for path in sorted((BACKOFFICE / area).glob("*.py")):
        where = path.relative_to(BACKOFFICE)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name, node in _imports(tree, own):
            if name.startswith("binakarya.backoffice."):
                allowed = any(name == prefix or name.startswith(prefix + ".") for prefix in {own, *SHARED})
                assert allowed, f"{where}:{node.lineno} imports {name}"
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                assert not _imports(function, own), f"{where}:{function.lineno} imports inside {function.name}()"


@pytest.mark.parametrize("module", ["access", "common", "fields"])
def test_the_shared_modules_import_no_area(module):
    tree = ast.parse((BACKOFFICE / f"{module}.py").read_text(encoding="utf-8"))
    for name, node in _imports(tree, "binakarya.backoffice"):
        assert not name.startswith("binakarya.backoffice."), f"{module}.py:{node.lineno} imports {name}"
