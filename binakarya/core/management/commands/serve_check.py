"""Refuse to serve production with development settings; `scripts/serve.sh` (`make serve`) runs it first."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from binakarya.core.checks import media_storage_problems

# As Django's own deploy check (security.W009): a key shorter or plainer than this is guessable.
MIN_KEY_LENGTH = 50
MIN_KEY_CHARACTERS = 5


def serve_refusals() -> list[str]:
    """Why these settings must not serve the public, one sentence each; empty when they may."""
    reasons = []
    if settings.DEBUG:
        reasons.append(
            "DEBUG is on: error pages would show the code, the settings and the data to anyone. Set DEBUG=false."
        )
    try:
        key = settings.SECRET_KEY or ""
    except ImproperlyConfigured:  # Django refuses to read an empty key; it is the same refusal here
        key = ""
    if key == settings.DEVELOPMENT_SECRET_KEY:
        reasons.append(
            "SECRET_KEY is the development key everyone can read in settings.py, so anyone could forge sessions "
            "and password-reset links. Set SECRET_KEY to a long random value, e.g. "
            "`python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    elif len(key) < MIN_KEY_LENGTH or len(set(key)) < MIN_KEY_CHARACTERS:
        reasons.append(
            f"SECRET_KEY is missing or too simple to be secret (at least {MIN_KEY_LENGTH} characters, not one "
            "repeated). Set it to a long random value, e.g. "
            "`python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    if not settings.ALLOWED_HOSTS:
        reasons.append(
            "ALLOWED_HOSTS is empty, so every request would be refused. Set ALLOWED_HOSTS to the site's host "
            "names, comma-separated (ALLOWED_HOSTS=binakarya.example.go.id)."
        )
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend.endswith(("LocMemCache", "DummyCache")):
        reasons.append(
            f"The cache is {backend.rsplit('.', 1)[-1]}: each process would keep its own page cache and rate-limit "
            "counts, so limits would multiply with the processes and servers. Leave CACHE_BACKEND unset (the "
            "database cache) or set CACHE_BACKEND=database, or REDIS_URL for Redis."
        )
    elif backend.endswith("FileBasedCache"):
        reasons.append(
            "The cache is FileBasedCache: its files are on this machine only, so each server would keep its own page "
            "cache and rate-limit counts, and its counts are read and rewritten, not added atomically. Leave "
            "CACHE_BACKEND unset (the database cache) or set CACHE_BACKEND=database, or REDIS_URL for Redis."
        )
    reasons += media_storage_problems()
    return reasons


class Command(BaseCommand):
    help = (
        "Check that the settings are fit to serve production (DEBUG off, own SECRET_KEY, ALLOWED_HOSTS, a cache "
        "shared by every process)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        reasons = serve_refusals()
        if reasons:
            raise CommandError("refusing to serve:\n" + "\n".join(f"- {reason}" for reason in reasons))
        self.stdout.write("Settings are fit to serve: DEBUG off, own SECRET_KEY, ALLOWED_HOSTS set, a shared cache.")
