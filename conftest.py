"""Suite-wide test policy: isolated media, PostgreSQL-only tests, and no silent skips in CI."""

import os
from pathlib import Path

import pytest

BROWSER_DIR = Path(__file__).resolve().parent / "tests" / "browser"


@pytest.fixture(scope="session")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One throwaway MEDIA_ROOT for the session, so no test writes into var/media."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _test_settings(settings, media_root: Path) -> None:
    from django.utils import translation

    # A request to /en/… leaves English active in the test thread; start every test in the default.
    translation.activate(settings.LANGUAGE_CODE)
    settings.MEDIA_ROOT = media_root
    settings.PRIVATE_MEDIA_ROOT = media_root / "private"
    # Tests see fresh pages; tests/storefront/test_public_cache.py turns the cache on where it is tested.
    settings.PUBLIC_CACHE_SECONDS = 0
    # PBKDF2's million rounds cost a noticeable fraction of a second per user a factory creates.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def database_vendor() -> str:
    """The default database's vendor ("sqlite", "postgresql"), read from settings without connecting."""
    from django.db import connections

    return connections["default"].vendor


def split_by_database(items: list, vendor: str) -> tuple[list, list]:
    """Return (kept, deselected): postgres_only items are deselected unless the database is PostgreSQL, and
    sqlite_only items (a child process or server on a SQLite file of its own, whatever the run's database)
    unless it is SQLite, so CI's PostgreSQL pass does not repeat them."""
    kept, deselected = [], []
    for item in items:
        wrong = (vendor != "postgresql" and item.get_closest_marker("postgres_only")) or (
            vendor != "sqlite" and item.get_closest_marker("sqlite_only")
        )
        (deselected if wrong else kept).append(item)
    return kept, deselected


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_DIR in item.path.parents:
            item.add_marker(pytest.mark.browser)

    # A skip would fail CI (see pytest_sessionfinish), so tests that need PostgreSQL are
    # deselected on SQLite instead; CI runs the suite a second time on PostgreSQL, where the tests that
    # run SQLite in a child process of their own are deselected (the SQLite pass ran them).
    vendor = database_vendor()
    kept, deselected = split_by_database(items, vendor)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                f"postgres_only/sqlite_only: deselected {len(deselected)} test(s) because the database is "
                f"{vendor}; the other database's pass runs them"
            )


def skips_fail_run(*, environ: dict, skipped_count: int) -> bool:
    """True when skipped tests must fail the run: under CI (CI=true) any skip counts as a failure."""
    return environ.get("CI") == "true" and skipped_count > 0


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    skipped = reporter.stats.get("skipped", [])
    if not skips_fail_run(environ=os.environ, skipped_count=len(skipped)):
        return
    reporter.write_sep("=", "CI=true: skipped tests count as failures", red=True, bold=True)
    for report in skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reporter.write_line(f"SKIPPED {report.nodeid}: {reason}")
    reporter.write_line("A test that cannot run in CI must be fixed, deselected or deleted, not skipped.")
    if session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
