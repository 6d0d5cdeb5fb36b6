"""Types shared by the apps, for mypy (``make typecheck``)."""

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

# Who calls a service or a selector: a signed-in user, an anonymous visitor (whose has_perm() is
# always False and who is scoped to nothing), or None for trusted system callers (the demo loader,
# data generators, imports), which skip the permission checks. Under django-stubs request.user is
# ``User | AnonymousUser`` (the plugin reads AUTH_USER_MODEL, the default auth.User here), so a view
# passes it as it is, and both members have has_perm(perm, obj) and is_authenticated.
Actor: TypeAlias = User | AnonymousUser | None


class HtmxHttpRequest(HttpRequest):
    """The request as HtmxMiddleware leaves it: with ``request.htmx``. For views' annotations only."""

    htmx: HtmxDetails


def user_of(actor: Actor) -> User | None:
    """The signed-in user behind ``actor``, recorded as who did something; None for anonymous or system callers."""
    if actor is not None and actor.is_authenticated and isinstance(actor, User):
        return actor
    return None
