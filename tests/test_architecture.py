"""The rules of the house that code review alone would let slip, kept by reading the source.

- Interface apps (api, backoffice, storefront) never query models: they call selectors and services.
- Domain apps import each other without a cycle, and never from inside a function to hide one.
See docs/architecture.md.
"""

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "binakarya"
INTERFACES = ("api", "backoffice", "storefront")
DOMAIN_APPS = (
    "accounts",
    "catalog",
    "dashboards",
    "deals",
    "programs",
    "exports",
    "feeds",
    "core",
    "documents",
    "inventory",
    "ledger",
    "makers",
    "organizations",
    "production",
    "sales",
    "pos",
    "orders",
    "consignment",
)
# Building or running a query (``.values`` only with arguments: dict.values() is everywhere).
QUERY_METHODS = {
    "filter",
    "exclude",
    "annotate",
    "aggregate",
    "order_by",
    "values_list",
    "select_related",
    "prefetch_related",
    "distinct",
    "only",
    "defer",
    "in_bulk",
    "raw",
    "extra",
    "alias",
    "iterator",
    "union",
}
SCOPING = {"scope", "visible_organizations", "organization_filter"}


def python_files(*apps: str) -> list[Path]:
    return sorted(p for app in apps for p in (SOURCE / app).rglob("*.py") if "migrations" not in p.parts)


def queries_in(source: str) -> list[tuple[int, str]]:
    """Where a module touches a model manager, builds a query or calls the scoping helpers."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in {"objects", "_default_manager"}:
            found.append((node.lineno, f".{node.attr}"))
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and (
                func.attr in QUERY_METHODS or func.attr in SCOPING or (func.attr == "values" and node.args)
            ):
                found.append((node.lineno, f".{func.attr}(…)"))
            elif isinstance(func, ast.Name) and func.id in SCOPING:
                found.append((node.lineno, f"{func.id}(…)"))
    return found


def test_the_query_finder_sees_each_kind_of_query():
    # given code that does what an interface module must not
    source = """
Product.objects.all()
selectors.products_for(user=user).filter(is_published=True).order_by("name")
sale.lines.values("pk")
scope(Sale.objects.all(), user)
context.update(x=1); data.values(); request.GET.get("q")
"""

    # when
    found = queries_in(source)

    # then every query is found, and the dictionary calls are not
    assert sorted(found) == [
        (2, ".objects"),
        (3, ".filter(…)"),
        (3, ".order_by(…)"),
        (4, ".values(…)"),
        (5, ".objects"),
        (5, "scope(…)"),
    ]


@pytest.mark.parametrize("path", python_files(*INTERFACES), ids=lambda p: str(p.relative_to(SOURCE)))
def test_an_interface_module_never_queries_models(path):
    # when
    found = queries_in(path.read_text())

    # then
    assert found == [], f"{path.relative_to(SOURCE)} queries models; call a selector instead: {found}"


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            hidden.update(id(sub) for sub in ast.walk(node))
    return hidden


def domain_imports() -> tuple[dict[str, set[str]], list[str]]:
    """Which domain app imports which at run time; and the imports made inside a function."""
    graph: dict[str, set[str]] = {app: set() for app in DOMAIN_APPS}
    local: list[str] = []
    for path in python_files(*DOMAIN_APPS):
        app = path.relative_to(SOURCE).parts[0]
        tree = ast.parse(path.read_text())
        hidden = _type_checking_nodes(tree)
        in_functions = {
            id(sub)
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            for sub in ast.walk(node)
        }
        for node in ast.walk(tree):
            if id(node) in hidden or not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "binakarya" and len(parts) > 1 and parts[1] in DOMAIN_APPS and parts[1] != app:
                    graph[app].add(parts[1])
                    if id(node) in in_functions:
                        local.append(f"{path.relative_to(SOURCE)}:{node.lineno} imports {name}")
    return graph, local


def test_domain_apps_import_each_other_without_a_cycle_and_never_from_inside_a_function():
    # when
    graph, local = domain_imports()

    # then no import is hidden in a function
    assert local == []
    # and the apps can be put in an order where each imports only apps before it
    order: list[str] = []
    remaining = dict(graph)
    while remaining:
        ready = sorted(app for app, needs in remaining.items() if needs <= set(order))
        assert ready, f"import cycle among {sorted(remaining)}: {remaining}"
        order += ready
        for app in ready:
            del remaining[app]
    assert order.index("sales") > max(order.index("ledger"), order.index("inventory"), order.index("production"))
