"""The root conftest's rules: under CI a skip fails the run; postgres_only tests leave SQLite runs."""

import pytest


@pytest.fixture
def root_conftest(pytestconfig):
    # pytest registers each conftest under its path, whatever import mode is in use.
    return pytestconfig.pluginmanager.get_plugin(str(pytestconfig.rootpath / "conftest.py"))


@pytest.mark.parametrize(
    ("environ", "skipped_count", "expected"),
    [
        ({"CI": "true"}, 1, True),
        ({"CI": "true"}, 0, False),
        ({}, 3, False),
        ({"CI": "false"}, 3, False),
        ({"CI": "1"}, 3, False),
    ],
)
def test_skips_fail_the_run_only_under_ci(root_conftest, environ, skipped_count, expected):
    assert root_conftest.skips_fail_run(environ=environ, skipped_count=skipped_count) is expected


class FakeItem:
    def __init__(self, name, *markers):
        self.name = name
        self.markers = set(markers)

    def get_closest_marker(self, name):
        return name if name in self.markers else None


def test_postgres_only_items_are_deselected_on_sqlite(root_conftest):
    # given
    plain, pg = FakeItem("plain"), FakeItem("pg", "postgres_only")

    # when
    kept, deselected = root_conftest.split_by_database([plain, pg], "sqlite")

    # then
    assert kept == [plain]
    assert deselected == [pg]


def test_postgres_only_items_are_kept_on_postgresql(root_conftest):
    # given
    plain, pg = FakeItem("plain"), FakeItem("pg", "postgres_only")

    # when
    kept, deselected = root_conftest.split_by_database([plain, pg], "postgresql")

    # then
    assert kept == [plain, pg]
    assert deselected == []


def test_sqlite_only_items_are_deselected_on_postgresql_and_kept_on_sqlite(root_conftest):
    # given
    plain, lite = FakeItem("plain"), FakeItem("lite", "sqlite_only")

    # when
    on_postgresql = root_conftest.split_by_database([plain, lite], "postgresql")
    on_sqlite = root_conftest.split_by_database([plain, lite], "sqlite")

    # then
    assert on_postgresql == ([plain], [lite])
    assert on_sqlite == ([plain, lite], [])


def test_media_root_is_a_temporary_directory(settings, media_root):
    assert settings.MEDIA_ROOT == media_root
    assert "var" not in media_root.parts
