from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from binakarya.accounts.services import api_token_create, user_by_username


class Command(BaseCommand):
    help = "Create an API token for a user and print it (send it as 'Authorization: Bearer <token>')."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        try:
            user = user_by_username(username=username)
        except Exception as exc:
            raise CommandError(f"No user named {username!r}.") from exc
        _, raw = api_token_create(user=user, name=name)
        self.stdout.write(raw)
