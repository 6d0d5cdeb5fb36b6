import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from binakarya.accounts.services import staff_create
from binakarya.organizations.models import Organization, Role
from binakarya.organizations.selectors import organization_get


class Command(BaseCommand):
    help = (
        "Create the first facility admin of an organization, with a temporary password that is printed once "
        "and must be changed at the first sign-in. The facility admin then manages the other staff accounts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organization", help="Organization slug, e.g. rutan-sumenep.")
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="The person's full name.")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, organization: str, username: str, name: str, email: str, **options: Any) -> None:
        try:
            org = organization_get(slug=organization, kinds=[Organization.Kind.FACILITY])
        except Organization.DoesNotExist as exc:
            raise CommandError(f"No active facility with the slug {organization!r}.") from exc
        password = secrets.token_urlsafe(12)
        try:
            staff_create(
                actor=None,
                organization=org,
                username=username,
                full_name=name,
                email=email,
                role=Role.FACILITY_ADMIN,
                password=password,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        self.stdout.write(f"{username} is facility admin of {org.name}. Temporary password (shown once): {password}")
