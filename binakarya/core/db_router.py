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
- the model is not one of :data:`PRIMARY_ONLY_APPS` (sessions, users and permissions, organizations and their
  memberships and roles, login lockouts, the task queue, the database cache table), whose rows must never be
  read stale;
- the replica was healthy when last probed: it answered, is still in recovery (not promoted), its WAL receiver
  is streaming from the primary and its replay lag is at most ``REPLICA_MAX_LAG_SECONDS``. Each process probes
  it with one query (:func:`binakarya.core.selectors.replica_health`) at most every :data:`RETRY_SECONDS`; in
  between, the last answer stands. A view on a read-only route that fails with a database connection error
  while reading from the replica is run once more against the primary (:meth:`ReplicaMiddleware.process_exception`)
  and the replica is left alone for :data:`RETRY_SECONDS`. Only an error raised by the replica's own connection
  does that (Django's ``errors_occurred`` on it): one raised by the primary (a statement timeout, the primary gone
  while reading a session) propagates unchanged, and the replica stays in use.

The pin cookie only helps clients that keep cookies (browsers). An API client with a token that writes and
then reads one of the public API routes listed below (``api:product_list``, ``api:product_detail``, …) may read
from the standby before it has replayed that write: it should expect up to the replica's lag
(``REPLICA_MAX_LAG_SECONDS`` at most) before its change shows there. Code that must read what it is about to
write calls :func:`primary_from_here` first.

Writes and migrations always go to ``default``. The per-request state lives in a context variable: gunicorn's
gthread workers serve several requests at once, one per thread.
"""

import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from binakarya.core.selectors import ReplicaHealth

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "bk_primary"
# How long one probe of the replica's health stands (per process); after a failure, the primary serves
# everything for this long before the replica is tried again.
RETRY_SECONDS = 10.0

# Rows read only from the primary, whatever the route: a stale session, account, lockout, task or cache entry
# is wrong, not merely late. (django-tasks' models are "django_tasks_database"; Django's DatabaseCache
# queries through a model labelled "django_cache".)
PRIMARY_ONLY_APPS = frozenset(
    {
        "sessions",
        "auth",
        "accounts",
        # Memberships and roles decide access on staff routes listed below: a revoked role must stop working now.
        "organizations",
        "axes",
        "admin",
        "contenttypes",
        "django_tasks_database",
        "django_cache",
    }
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
    retried: bool = False  # the view was already run again on the primary after a replica failure


_state: contextvars.ContextVar[ReadState | None] = contextvars.ContextVar("binakarya_read_state", default=None)


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


# The last probe's answer, per process: (usable, time.monotonic() until which it stands). One thread probes at a
# time; the others meanwhile use the last answer. _last_health is what that probe saw (None: no replica configured),
# shared with /healthz so that a load balancer's probes do not each query the replica; _probed tells whether any
# probe has finished yet. _generation grows with each mark_replica_down(): a probe that started before it does not
# overwrite its "down". _reported_usable is what the log last said, so a change is logged once, not every probe.
_replica_answer: tuple[bool, float] = (False, 0.0)
_last_health: "ReplicaHealth | None" = None
_probed = False
_generation = 0
_reported_usable: bool | None = None
_probe_lock = threading.Lock()


def _probe() -> bool:
    """One health query on the replica (the same as /healthz's): usable only when its status is "ok"."""
    global _last_health, _probed
    from binakarya.core.selectors import ReplicaHealth, replica_health  # selectors imports this module

    generation = _generation
    try:
        health = replica_health(log_failure=False)
    except Exception as error:
        health = ReplicaHealth(
            status="down", in_recovery=None, lag_seconds=None, detail=f"{type(error).__name__}: {error}"
        )
    if generation == _generation:  # else mark_replica_down() ran meanwhile, and its "down" stands
        _last_health, _probed = health, True
    return health is not None and health.status == "ok"


def _report(usable: bool) -> None:
    """Logs the replica going out of use or back into it, once per change (not on every probe)."""
    global _reported_usable
    if usable == _reported_usable or (_reported_usable is None and usable):
        _reported_usable = usable
        return
    _reported_usable = usable
    health = _last_health
    if usable:
        logger.warning("read replica usable again: %s", health.as_dict() if health else "ok")
    else:
        logger.warning(
            "read replica not usable (%s%s); the primary serves every read, probing again every %s s",
            "not configured" if health is None else health.as_dict(),
            f": {health.detail}" if health is not None and health.detail else "",
            RETRY_SECONDS,
        )


def replica_usable() -> bool:
    """Whether the replica may serve reads: answered, in recovery, streaming, within REPLICA_MAX_LAG_SECONDS.

    Probed at most once per RETRY_SECONDS per process; while one thread probes, the others take the last answer.
    """
    global _replica_answer
    usable, until = _replica_answer
    if time.monotonic() < until or not _probe_lock.acquire(blocking=False):
        return usable
    try:
        generation = _generation
        usable = _probe()
        if generation != _generation:  # marked down while this probe ran: that stands for its RETRY_SECONDS
            return False
        _replica_answer = (usable, time.monotonic() + RETRY_SECONDS)
        if _last_health is not None:
            _report(usable)
        return usable
    finally:
        _probe_lock.release()


def cached_replica_health() -> "ReplicaHealth | None":
    """The replica's health as this process last probed it (None without a replica), probing only when the last
    answer is older than RETRY_SECONDS: what /healthz reports, so that frequent health probes cost one replica
    query per process per RETRY_SECONDS, and a vanished replica host does not make every one of them slow.
    ``manage.py healthcheck`` probes afresh (selectors.replica_health)."""
    replica_usable()
    if not _probed and _probe_lock.acquire(timeout=RETRY_SECONDS):  # another thread makes the first probe
        _probe_lock.release()
    return _last_health


def mark_replica_down() -> None:
    """The replica failed a read: the primary serves everything for the next RETRY_SECONDS (this process)."""
    global _replica_answer, _generation, _last_health, _probed, _reported_usable
    from binakarya.core.selectors import ReplicaHealth

    _generation += 1
    _replica_answer = (False, time.monotonic() + RETRY_SECONDS)
    _last_health = ReplicaHealth(status="down", in_recovery=None, lag_seconds=None, detail="a read failed")
    _probed = True
    _reported_usable = False  # process_exception logs this change itself


def forget_replica_health() -> None:
    """Drops this process's cached answer (tests; the next call probes)."""
    global _replica_answer, _last_health, _probed, _reported_usable
    _replica_answer, _last_health, _probed, _reported_usable = (False, 0.0), None, False, None


def primary_from_here() -> None:
    """The rest of this work (the request, or the ``replica_reads()`` block) reads from the primary.

    For code that reads and then writes what it read (a rebuild that must not store stale bodies). Does nothing
    outside a request or a ``replica_reads()`` block, or without a replica.
    """
    state = _state.get()
    if state is not None and replica_configured():
        state.pinned = True


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


def _replica_errors_occurred() -> bool:
    """Whether a database error was raised on the replica's connection in this thread (Django's
    DatabaseErrorWrapper sets ``errors_occurred`` on the connection that raised it; a new connection clears it)."""
    if REPLICA not in connections.settings:
        return False
    return bool(connections[REPLICA].errors_occurred)


def _forget_replica_errors() -> None:
    """Before a request's first replica read: a closed replica connection keeps the flag of its last failure
    (Django clears it only on the next connect), which must not count as a failure of this request."""
    if REPLICA in connections.settings and connections[REPLICA].connection is None:
        connections[REPLICA].errors_occurred = False


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
        if state.read_only:
            _forget_replica_errors()
            request._replica_view = (view, args, kwargs)  # type: ignore[attr-defined]
            request._replica_errors_before = _replica_errors_occurred()  # type: ignore[attr-defined]

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A read-only GET/HEAD view that failed on a connection error while reading from the replica (the
        standby vanished, or cancelled a query in a conflict with recovery) runs once more on the primary.

        An error the replica did not raise (the primary timed out a statement, or went away while the view read a
        session or an organization) is left to propagate: running the view again would only hit the failing
        primary twice, and the healthy replica would be marked down for nothing."""
        state = _state.get()
        planned = getattr(request, "_replica_view", None)
        if (
            state is None
            or planned is None
            or not state.read_only
            or state.wrote
            or state.retried
            or request.method not in ("GET", "HEAD")
            or not isinstance(exception, (OperationalError, InterfaceError))
            or getattr(request, "_replica_errors_before", False)
            or not _replica_errors_occurred()
        ):
            return None
        mark_replica_down()
        logger.warning(
            "read from the replica failed (%s); running %s again on the primary and leaving the replica alone for %s s",
            type(exception).__name__,
            request.path,
            RETRY_SECONDS,
        )
        try:
            connections[REPLICA].close()
        except Exception:
            logger.debug("closing the failed replica connection failed", exc_info=True)
        state.read_only = False
        state.retried = True
        view, args, kwargs = planned
        response: HttpResponse = view(request, *args, **kwargs)
        # The failure may have come from rendering a TemplateResponse, after which Django renders nothing more.
        render = getattr(response, "render", None)
        if callable(render):
            response = render()
        return response
