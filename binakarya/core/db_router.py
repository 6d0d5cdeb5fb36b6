"""Read replicas (issue 16, docs/deployment.md "Read replicas"): which reads may go to the PostgreSQL standby.

With ``DATABASE_REPLICA_URL`` set, settings.py adds a ``replica`` database alias, this module's
:class:`ReplicaRouter` to ``DATABASE_ROUTERS`` and :class:`ReplicaMiddleware` to ``MIDDLEWARE``. Without it
none of this runs and every query goes to ``default``.

The rule is "primary unless proven safe". A read goes to the replica only when all of these hold:

- it happens inside work marked read-only: a GET or HEAD request whose resolved URL is one of
  :data:`READ_ONLY_ROUTES` (the public catalog and its API, the product feeds, dashboards, reports), or a
  ``with replica_reads():`` block that code outside a request opts into;
- nothing in this request has written yet (a write sends every later read of the request to the primary);
- the browser does not carry the pin cookie (:data:`PIN_COOKIE`): a request that wrote, or any POST, PUT,
  PATCH or DELETE, sets it for ``REPLICA_PIN_SECONDS``, so the next pages that browser asks for read its own
  writes from the primary while the standby catches up;
- no transaction is open on the primary (``transaction.atomic``, ``select_for_update`` — which Django
  routes as a write anyway);
- the model is not one of :data:`PRIMARY_ONLY_APPS` (sessions, users and permissions, login lockouts, the
  task queue, the database cache table), whose rows must never be read stale;
- the replica answered the last time it was tried (after a failed connection it is left alone for
  :data:`RETRY_SECONDS` and the primary serves).

Writes and migrations always go to ``default``. The per-request state lives in a context variable: gunicorn's
gthread workers serve several requests at once, one per thread.
"""

import contextvars
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "bk_primary"
# After the replica failed to connect, the primary serves everything for this long before it is tried again.
RETRY_SECONDS = 10.0

# Rows read only from the primary, whatever the route: a stale session, account, lockout, task or cache entry
# is wrong, not merely late. (django-tasks' models are "django_tasks_database"; Django's DatabaseCache
# queries through a model labelled "django_cache".)
PRIMARY_ONLY_APPS = frozenset(
    {"sessions", "auth", "accounts", "axes", "admin", "contenttypes", "django_tasks_database", "django_cache"}
)

# The one list of read-only work: resolved view names ("namespace:name"), for GET and HEAD only. A name
# not here reads from the primary. Pages that show a buyer their own order or cart stay off the list.
READ_ONLY_ROUTES = frozenset(
    {
        # The public storefront
        "storefront:home",
        "storefront:catalog",
        "storefront:product",
        "storefront:producers",
        "storefront:producer",
        "storefront:trace",
        "storefront:impact",
        "storefront:verify_lookup",
        "storefront:verify",
        # Channel product feeds (public files)
        "feeds:feed",
        # Staff dashboards, reports and feed files
        "backoffice:dashboard",
        "backoffice:dashboards",
        "backoffice:reports",
        "backoffice:report_monthly",
        "backoffice:report_monthly_pdf",
        "backoffice:report_ekatalog",
        "backoffice:feeds",
        "backoffice:feed_download",
        # The public catalog API and the read-only staff API for dashboards, reports and feeds
        "api:product_list",
        "api:product_detail",
        "api:producer_list",
        "api:impact",
        "api:dashboards",
        "api:dashboard",
        "api:report_monthly_pdf",
        "api:ekatalog",
        "api:feed_problems",
        "api:feed_tiktok_csv",
        "api:feed_shopee_xlsx",
        "api:feed_shopee_stock_xlsx",
    }
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class ReadState:
    """What the router needs to know about the work in progress (one per request, or per opt-in block)."""

    read_only: bool = False  # the route (or the block) is marked read-only
    pinned: bool = False  # the browser carries the pin cookie
    wrote: bool = False  # something has been written during this work


_state: contextvars.ContextVar[ReadState | None] = contextvars.ContextVar("binakarya_read_state", default=None)
# time.monotonic() until which the replica is not tried again (after a failed connection); per process.
_replica_down_until = 0.0


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def read_only_route(view_name: str | None, method: str) -> bool:
    return method in ("GET", "HEAD") and view_name in READ_ONLY_ROUTES


def choose_read_database(app_label: str, state: ReadState | None, *, in_transaction: bool) -> str:
    """The decision itself, without side effects: ``"replica"`` or ``"default"``."""
    if state is None or not state.read_only or state.pinned or state.wrote:
        return PRIMARY
    if in_transaction or app_label in PRIMARY_ONLY_APPS:
        return PRIMARY
    return REPLICA


class ReplicaRouter:
    """Reads to the replica when :func:`choose_read_database` says so; everything else to the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if not replica_configured():
            return PRIMARY
        state = _state.get()
        if state is None or not state.read_only:  # the common case, decided without touching a connection
            return PRIMARY
        in_transaction = connections[PRIMARY].in_atomic_block
        return choose_read_database(model._meta.app_label, state, in_transaction=in_transaction)

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        state = _state.get()
        # A write to rows only ever read from the primary (a session, a task) cannot make a later read stale.
        if state is not None and model._meta.app_label not in PRIMARY_ONLY_APPS:
            state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # The replica holds the primary's rows: an object read from one may refer to one read from the other.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA, None}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


def replica_usable() -> bool:
    """Connects to the replica if need be; False (and the primary serves) while it does not answer."""
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    connection = connections[REPLICA]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except Exception:
        _replica_down_until = time.monotonic() + RETRY_SECONDS
        logger.warning(
            "read replica unreachable; the primary serves every read for the next %s s", RETRY_SECONDS, exc_info=True
        )
        return False
    return True


@contextmanager
def replica_reads() -> Iterator[ReadState]:
    """Outside a request (a management command, a task): let the reads in this block go to the replica.

    Inside, a write still sends the reads that follow it to the primary, as in a request.
    """
    token = _state.set(ReadState(read_only=replica_configured() and replica_usable()))
    try:
        yield _state.get()  # type: ignore[misc]
    finally:
        _state.reset(token)


class ReplicaMiddleware:
    """Marks each request's work for :class:`ReplicaRouter` and sets the pin cookie after a write."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        state = ReadState(pinned=PIN_COOKIE in request.COOKIES)
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if state.wrote or request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any) -> None:
        state = _state.get()
        match = request.resolver_match
        if state is None or state.pinned or match is None or not read_only_route(match.view_name, request.method or ""):
            return
        state.read_only = replica_configured() and replica_usable()
