"""Refuse to serve production with development settings; `scripts/serve.sh` (`make serve`) runs it first."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def serve_refusals() -> list[str]:
    """Why these settings must not serve the public, one sentence each; empty when they may."""
    reasons = []
    if settings.DEBUG:
        reasons.append(
            "DEBUG is on: error pages would show the code, the settings and the data to anyone. Set DEBUG=false."
        )
    if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        reasons.append(
            "SECRET_KEY is the development key everyone can read in settings.py, so anyone could forge sessions "
            "and password-reset links. Set SECRET_KEY to a long random value, e.g. "
            "`python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    if not settings.ALLOWED_HOSTS:
        reasons.append(
            "ALLOWED_HOSTS is empty, so every request would be refused. Set ALLOWED_HOSTS to the site's host "
            "names, comma-separated (ALLOWED_HOSTS=binakarya.example.go.id)."
        )
    return reasons


class Command(BaseCommand):
    help = "Check that the settings are fit to serve production (DEBUG off, own SECRET_KEY, ALLOWED_HOSTS)."

    def handle(self, *args: Any, **options: Any) -> None:
        reasons = serve_refusals()
        if reasons:
            raise CommandError("refusing to serve:\n" + "\n".join(f"- {reason}" for reason in reasons))
        self.stdout.write("Settings are fit to serve: DEBUG off, own SECRET_KEY, ALLOWED_HOSTS set.")
