"""Read replicas (binakarya.core.db_router): which reads go to the replica, without a real one.

The router's decisions are checked with a replica alias "configured" by hand (its connection is never used);
the real streaming standby is in tests/core/test_replica.py (PostgreSQL only).
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.cache.backends.db import DatabaseCache
from django.db import OperationalError, transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import resolve
from django_tasks_db.models import DBTaskResult

from binakarya.catalog.models import Product
from binakarya.core import db_router, selectors
from binakarya.core.db_router import PIN_COOKIE, PRIMARY, REPLICA, ReadState, ReplicaMiddleware, ReplicaRouter
from binakarya.core.selectors import ReplicaHealth

ROOT = Path(__file__).resolve().parents[2]
router = ReplicaRouter()


@pytest.fixture(autouse=True)
def fresh_replica_answer():
    db_router.forget_replica_health()
    yield
    db_router.forget_replica_health()


@pytest.fixture
def replica(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if DATABASE_REPLICA_URL were set and the replica answered."""
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    monkeypatch.setattr(db_router, "replica_usable", lambda: True)


def serve(method: str, path: str, view: Any = None, cookies: dict[str, str] | None = None) -> tuple[list, HttpResponse]:
    """Runs ReplicaMiddleware around a stand-in view at ``path``; returns where the view's reads went."""
    request = getattr(RequestFactory(), method.lower())(path)
    request.COOKIES.update(cookies or {})
    seen: list[str] = []

    def get_response(request: HttpRequest) -> HttpResponse:
        request.resolver_match = resolve(request.path_info)
        middleware.process_view(request, request.resolver_match.func, (), {})
        seen.append(router.db_for_read(Product))
        if view is not None:
            view()
            seen.append(router.db_for_read(Product))
        return HttpResponse("ok")

    middleware = ReplicaMiddleware(get_response)
    response = middleware(request)
    return seen, response


# The decision itself ---------------------------------------------------------------------------------


def test_read_only_work_reads_from_the_replica():
    assert db_router.choose_read_database("catalog", ReadState(read_only=True), in_transaction=False) == REPLICA


@pytest.mark.parametrize(
    "state, in_transaction",
    [
        (None, False),  # outside a request, and not opted in
        (ReadState(read_only=False), False),  # a route not marked read-only
        (ReadState(read_only=True, wrote=True), False),  # after a write in the same request
        (ReadState(read_only=True, pinned=True), False),  # the browser wrote a moment ago
        (ReadState(read_only=True), True),  # inside transaction.atomic
    ],
)
def test_anything_else_reads_from_the_primary(state, in_transaction):
    assert db_router.choose_read_database("catalog", state, in_transaction=in_transaction) == PRIMARY


@pytest.mark.parametrize(
    "model",
    [Session, User, DBTaskResult, DatabaseCache("binakarya_cache", {}).cache_model_class],
    ids=["sessions", "users", "tasks", "database-cache"],
)
def test_sessions_accounts_tasks_and_the_cache_table_always_read_from_the_primary(replica, model):
    seen, _ = serve("GET", "/katalog/")
    assert seen == [REPLICA]  # the route is read-only
    with db_router.replica_reads():
        assert router.db_for_read(model) == PRIMARY
        assert router.db_for_read(Product) == REPLICA


def test_the_axes_lockout_records_read_from_the_primary():
    assert "axes" in db_router.PRIMARY_ONLY_APPS
    assert db_router.choose_read_database("axes", ReadState(read_only=True), in_transaction=False) == PRIMARY


def test_writes_and_migrations_go_to_the_primary(replica):
    with db_router.replica_reads():
        assert router.db_for_write(Product) == PRIMARY
    assert router.allow_migrate(PRIMARY, "catalog") is True
    assert router.allow_migrate(REPLICA, "catalog") is False


# Requests ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/katalog/", "/", "/api/v1/products", "/api/v1/producers", "/staf/laporan/", "/staf/dasbor/"],
)
def test_a_get_of_a_read_only_page_reads_from_the_replica_and_sets_no_cookie(replica, path):
    seen, response = serve("GET", path)

    assert seen == [REPLICA]
    assert PIN_COOKIE not in response.cookies


@pytest.mark.parametrize("path", ["/keranjang/", "/staf/produk/", "/api/v1/orders", "/healthz"])
def test_a_page_not_marked_read_only_reads_from_the_primary(replica, path):
    seen, _ = serve("GET", path)

    assert seen == [PRIMARY]


def test_after_a_write_the_request_reads_from_the_primary_and_pins_the_browser(replica, settings):
    settings.REPLICA_PIN_SECONDS = 7

    # when the view of a read-only page writes
    seen, response = serve("GET", "/katalog/", view=lambda: router.db_for_write(Product))

    # then the read before the write went to the replica, the read after it to the primary
    assert seen == [REPLICA, PRIMARY]
    cookie = response.cookies[PIN_COOKIE]
    assert cookie["max-age"] == 7
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_writing_a_session_or_a_task_alone_does_not_pin(replica):
    seen, response = serve(
        "GET", "/katalog/", view=lambda: (router.db_for_write(Session), router.db_for_write(DBTaskResult))
    )

    assert seen == [REPLICA, REPLICA]
    assert PIN_COOKIE not in response.cookies


@pytest.mark.parametrize("secure", [True, False])
def test_a_post_pins_the_browser_and_reads_from_the_primary(replica, settings, secure):
    settings.SESSION_COOKIE_SECURE = secure

    seen, response = serve("POST", "/katalog/")

    assert seen == [PRIMARY]
    assert bool(response.cookies[PIN_COOKIE]["secure"]) is secure


def test_a_pinned_browser_reads_from_the_primary(replica):
    seen, response = serve("GET", "/katalog/", cookies={PIN_COOKIE: "1"})

    assert seen == [PRIMARY]
    assert PIN_COOKIE not in response.cookies  # reading does not extend the pin


@pytest.mark.django_db(transaction=True)
def test_inside_an_atomic_block_reads_go_to_the_primary(replica):
    with db_router.replica_reads():
        assert router.db_for_read(Product) == REPLICA
        with transaction.atomic():
            assert router.db_for_read(Product) == PRIMARY
        assert router.db_for_read(Product) == REPLICA


def test_select_for_update_goes_to_the_primary(replica, settings):
    # Django's own router (what a queryset asks), with this one installed as settings.py does
    settings.DATABASE_ROUTERS = ["binakarya.core.db_router.ReplicaRouter"]
    with db_router.replica_reads() as state:
        assert Product.objects.all().db == REPLICA
        assert Product.objects.select_for_update().db == PRIMARY
        assert state.wrote  # and what follows reads from the primary too
        assert Product.objects.all().db == PRIMARY


def test_without_a_replica_every_read_goes_to_the_primary():
    # the test settings have no DATABASE_REPLICA_URL
    assert not db_router.replica_configured()

    seen, response = serve("GET", "/katalog/")

    assert seen == [PRIMARY]
    with db_router.replica_reads():
        assert router.db_for_read(Product) == PRIMARY


def test_outside_a_request_reads_go_to_the_primary_unless_opted_in(replica):
    assert router.db_for_read(Product) == PRIMARY
    with db_router.replica_reads() as state:
        assert router.db_for_read(Product) == REPLICA
        router.db_for_write(Product)
        assert state.wrote
        assert router.db_for_read(Product) == PRIMARY
    assert router.db_for_read(Product) == PRIMARY


def test_an_unreachable_replica_is_skipped_for_a_while(monkeypatch):
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    monkeypatch.setattr(db_router, "_replica_answer", (False, 0.0))
    probes: list[int] = []

    def down(**kwargs: Any) -> ReplicaHealth:
        probes.append(1)
        return ReplicaHealth(status="down", in_recovery=None, lag_seconds=None)

    monkeypatch.setattr(selectors, "replica_health", down)

    # when two read-only pages are asked for while the replica does not answer
    first, _ = serve("GET", "/katalog/")
    second, _ = serve("GET", "/katalog/")

    # then the primary serves both, and the replica was probed once only
    assert first == second == [PRIMARY]
    assert probes == [1]


@pytest.mark.parametrize(
    "health",
    [
        ReplicaHealth(status="not_in_recovery", in_recovery=False, lag_seconds=None),
        ReplicaHealth(status="not_streaming", in_recovery=True, lag_seconds=0.0),
        ReplicaHealth(status="no_permission", in_recovery=True, lag_seconds=0.0),
        ReplicaHealth(status="lagging", in_recovery=True, lag_seconds=600.0),
        ReplicaHealth(status="lagging", in_recovery=True, lag_seconds=None),
    ],
    ids=["promoted", "not-streaming", "no-permission", "lagging", "lag-unknown"],
)
def test_a_promoted_lagging_or_not_streaming_replica_is_not_used(monkeypatch, health):
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    monkeypatch.setattr(db_router, "_replica_answer", (True, 0.0))  # was fine, and the answer is due again
    monkeypatch.setattr(selectors, "replica_health", lambda **kwargs: health)

    seen, _ = serve("GET", "/katalog/")

    assert seen == [PRIMARY]
    assert db_router._replica_answer[0] is False


def test_a_healthy_replica_is_probed_once_per_retry_period(monkeypatch):
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    monkeypatch.setattr(db_router, "_replica_answer", (False, 0.0))
    probes: list[int] = []

    def ok(**kwargs: Any) -> ReplicaHealth:
        probes.append(1)
        return ReplicaHealth(status="ok", in_recovery=True, lag_seconds=0.0)

    monkeypatch.setattr(selectors, "replica_health", ok)

    assert serve("GET", "/katalog/")[0] == serve("GET", "/katalog/")[0] == [REPLICA]
    assert probes == [1]


def test_while_one_thread_probes_the_others_take_the_last_answer(monkeypatch):
    monkeypatch.setattr(db_router, "_replica_answer", (True, 0.0))  # the last answer: usable, and due again
    probes: list[int] = []
    monkeypatch.setattr(db_router, "_probe", lambda: probes.append(1) or False)

    # when another thread holds the probe
    assert db_router._probe_lock.acquire(blocking=False)
    try:
        answer = db_router.replica_usable()
    finally:
        db_router._probe_lock.release()

    # then this one did not probe, and took the last answer
    assert answer is True
    assert probes == []
    # and once free, the next call probes
    assert db_router.replica_usable() is False
    assert probes == [1]


def test_a_probe_that_ends_after_mark_replica_down_does_not_undo_it(monkeypatch):
    monkeypatch.setattr(db_router, "_replica_answer", (True, 0.0))  # usable, and due again

    def ok_but_meanwhile_a_read_fails(**kwargs: Any) -> ReplicaHealth:
        # while this probe waits for its answer, another thread's read from the replica fails
        db_router.mark_replica_down()
        return ReplicaHealth(status="ok", in_recovery=True, lag_seconds=0.0)

    monkeypatch.setattr(selectors, "replica_health", ok_but_meanwhile_a_read_fails)

    assert db_router.replica_usable() is False
    assert db_router._replica_answer[0] is False
    assert db_router._replica_answer[1] > 0  # the "down" stands for its RETRY_SECONDS
    assert db_router.cached_replica_health().status == "down"


def test_a_membership_or_role_is_read_from_the_primary_but_products_with_their_organization_from_the_replica(
    replica,
):
    from binakarya.organizations.models import Membership, Organization

    with db_router.replica_reads():
        assert router.db_for_read(Membership) == PRIMARY
        assert router.db_for_read(Organization) == PRIMARY
        # a select_related join is one query, routed by its main model
        assert router.db_for_read(Product.objects.select_related("organization").model) == REPLICA


class _FakeHandler:
    """Django's request handling, as far as ReplicaMiddleware sees it: process_view, the view, process_exception."""

    def __init__(self, view: Any) -> None:
        self.view = view
        self.middleware = ReplicaMiddleware(self.get_response)

    def get_response(self, request: HttpRequest) -> HttpResponse:
        request.resolver_match = resolve(request.path_info)
        self.middleware.process_view(request, self.view, (), {})
        try:
            return self.view(request)
        except Exception as error:
            response = self.middleware.process_exception(request, error)
            if response is None:
                raise
            return response


class _FakeConnections:
    """db_router's view of django.db.connections: a primary and a replica connection, never connected; a test
    sets ``errors_occurred`` on the one that "raised" (as Django's DatabaseErrorWrapper does)."""

    def __init__(self) -> None:
        self.settings = {PRIMARY: {}, REPLICA: {}}
        self.conns = {
            alias: SimpleNamespace(errors_occurred=False, connection=None, in_atomic_block=False, close=lambda: None)
            for alias in (PRIMARY, REPLICA)
        }

    def __getitem__(self, alias: str) -> SimpleNamespace:
        return self.conns[alias]


@pytest.fixture
def fake_connections(monkeypatch: pytest.MonkeyPatch) -> _FakeConnections:
    fake = _FakeConnections()
    monkeypatch.setattr(db_router, "connections", fake)
    return fake


def flaky_replica_view(calls: list[str], connections: _FakeConnections) -> Any:
    """A view whose reads fail on the replica (a vanished standby, a query cancelled by recovery)."""

    def view(request: HttpRequest) -> HttpResponse:
        where = router.db_for_read(Product)
        calls.append(where)
        if where == REPLICA:
            connections[REPLICA].errors_occurred = True
            raise OperationalError("canceling statement due to conflict with recovery")
        return HttpResponse(f"from {where}")

    return view


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_read_only_view_failing_on_the_replica_runs_again_on_the_primary(
    replica, monkeypatch, fake_connections, method
):
    monkeypatch.setattr(db_router, "_replica_answer", (True, float("inf")))
    calls: list[str] = []
    handler = _FakeHandler(flaky_replica_view(calls, fake_connections))

    response = handler.middleware(getattr(RequestFactory(), method.lower())("/katalog/"))

    assert response.status_code == 200
    assert response.content == b"from default"
    assert calls == [REPLICA, PRIMARY]
    # and the replica is left alone for a while
    assert db_router._replica_answer[0] is False
    assert db_router._replica_answer[1] > 0


def test_a_view_failing_again_on_the_primary_is_not_run_a_third_time(replica, monkeypatch, fake_connections):
    monkeypatch.setattr(db_router, "_replica_answer", (True, float("inf")))
    calls: list[int] = []

    def broken(request: HttpRequest) -> HttpResponse:
        calls.append(1)
        fake_connections[REPLICA if len(calls) == 1 else PRIMARY].errors_occurred = True
        raise OperationalError("the primary is gone too")

    with pytest.raises(OperationalError):
        _FakeHandler(broken).middleware(RequestFactory().get("/katalog/"))
    assert calls == [1, 1]


@pytest.mark.parametrize("stale_replica_flag", [False, True], ids=["fresh", "flag-left-by-an-earlier-failure"])
def test_an_error_raised_by_the_primary_propagates_and_the_replica_stays_in_use(
    replica, monkeypatch, fake_connections, stale_replica_flag
):
    monkeypatch.setattr(db_router, "_replica_answer", (True, float("inf")))
    # a replica connection closed after an earlier failure keeps its flag until it connects again
    fake_connections[REPLICA].errors_occurred = stale_replica_flag
    calls: list[str] = []

    def primary_fails(request: HttpRequest) -> HttpResponse:
        calls.append(router.db_for_read(Product))
        # e.g. reading the session or the organization (primary-only) hits a statement timeout on the primary
        fake_connections[PRIMARY].errors_occurred = True
        raise OperationalError("canceling statement due to statement timeout")

    with pytest.raises(OperationalError, match="statement timeout"):
        _FakeHandler(primary_fails).middleware(RequestFactory().get("/katalog/"))

    # the view ran once, and the replica is still considered usable
    assert calls == [REPLICA]
    assert db_router._replica_answer == (True, float("inf"))


@pytest.mark.parametrize(
    "path, error",
    [
        ("/keranjang/", OperationalError("x")),  # not a read-only route: it never read from the replica
        ("/katalog/", ValueError("x")),  # not a database connection error
    ],
)
def test_other_failures_are_not_run_again(replica, monkeypatch, path, error):
    monkeypatch.setattr(db_router, "_replica_answer", (True, float("inf")))
    calls: list[int] = []

    def broken(request: HttpRequest) -> HttpResponse:
        calls.append(1)
        raise error

    with pytest.raises(type(error)):
        _FakeHandler(broken).middleware(RequestFactory().get(path))
    assert calls == [1]


def test_primary_from_here_sends_the_rest_of_read_only_work_to_the_primary(replica):
    seen, _ = serve("GET", "/katalog/", view=db_router.primary_from_here)
    assert seen == [REPLICA, PRIMARY]

    with db_router.replica_reads():
        assert router.db_for_read(Product) == REPLICA
        db_router.primary_from_here()
        assert router.db_for_read(Product) == PRIMARY


def test_a_feed_rebuild_reads_what_it_stores_from_the_primary(replica, monkeypatch):
    from binakarya.feeds import services as feed_services

    class Rendered(Exception):
        pass

    seen: list[str] = []

    def render_all(*args: Any) -> Any:
        seen.append(router.db_for_read(Product))
        raise Rendered  # stop before anything is stored

    monkeypatch.setattr(feed_services, "_render_all", render_all)

    # when the feeds:feed route (read-only) falls back to a rebuild
    with db_router.replica_reads(), pytest.raises(Rendered):
        feed_services.feeds_rebuild(organization=None, base_url="https://example.test")  # type: ignore[arg-type]

    # then the bodies were rendered from the primary's rows
    assert seen == [PRIMARY]


def test_primary_from_here_does_nothing_outside_read_only_work(replica):
    db_router.primary_from_here()  # no request, no block: nothing to change, nothing raised
    assert router.db_for_read(Product) == PRIMARY
    with db_router.replica_reads():
        assert router.db_for_read(Product) == REPLICA  # the earlier call did not leak into later work


def test_every_read_only_route_exists():
    from django.urls import get_resolver

    def names(resolver: Any, namespace: str = "") -> set[str]:
        found: set[str] = set()
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                found |= names(pattern, inner)
            elif pattern.name:
                found.add(f"{namespace}{pattern.name}")
        return found

    assert db_router.READ_ONLY_ROUTES <= names(get_resolver())


# Settings --------------------------------------------------------------------------------------------------


def settings_of(**env: str) -> subprocess.CompletedProcess:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps({'replica': settings.DATABASES.get('replica'), 'routers': settings.DATABASE_ROUTERS, "
        "'middleware': settings.MIDDLEWARE}, default=str))"
    )
    environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATABASE_REPLICA_URL")}
    environ |= {"DJANGO_SETTINGS_MODULE": "binakarya.settings"} | env
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60
    )


def test_a_replica_without_postgresql_is_refused_at_startup():
    done = settings_of(DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:5433/binakarya")

    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "DATABASE_URL is not a PostgreSQL database" in done.stderr


def test_a_replica_url_adds_the_alias_the_router_and_the_middleware():
    done = settings_of(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/binakarya",
        DATABASE_REPLICA_URL="postgres://postgres@10.0.0.2:5432/binakarya",
    )

    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["replica"]["HOST"] == "10.0.0.2"
    assert found["replica"]["TEST"]["MIRROR"] == "default"
    # a vanished standby is given up on quickly, when connecting and mid-query
    assert found["replica"]["OPTIONS"] == {
        "connect_timeout": 2,
        "keepalives": 1,
        "keepalives_idle": 5,
        "keepalives_interval": 2,
        "keepalives_count": 2,
        "tcp_user_timeout": 10000,
    }
    assert found["routers"] == ["binakarya.core.db_router.ReplicaRouter"]
    assert found["middleware"][1] == "binakarya.core.db_router.ReplicaMiddleware"


def test_a_pinned_browser_is_not_served_the_public_page_cache(settings):
    from django.core.cache import cache

    from binakarya.core.cache import public_page_cache

    settings.PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    rendered: list[int] = []

    @public_page_cache
    def page(request: HttpRequest) -> HttpResponse:
        rendered.append(1)
        return HttpResponse(f"render {len(rendered)}")

    def get(**cookies: str) -> bytes:
        request = RequestFactory().get("/katalog/")
        request.COOKIES.update(cookies)
        return page(request).content

    try:
        assert get() == get() == b"render 1"  # the second answer came from the cache
        assert get(**{PIN_COOKIE: "1"}) == b"render 2"  # the pinned one did not
        assert get() == b"render 1"  # nor was it stored for others
    finally:
        cache.clear()
