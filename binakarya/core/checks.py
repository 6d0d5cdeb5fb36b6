"""Checks of the media settings: `manage.py check` (every manage.py command) and `manage.py serve_check`."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


def media_storage_problems() -> list[str]:
    """What keeps the configured media storage from working, one sentence each; empty when nothing does."""
    storage = settings.MEDIA_STORAGE
    if storage == "local":
        return []
    if storage != "s3":
        return [f'MEDIA_STORAGE is "{storage}": set it to "local" (this disk, the default) or "s3" (object storage).']
    problems = []
    if not settings.S3_BUCKET:
        problems.append(
            "MEDIA_STORAGE=s3 but S3_BUCKET is not set: set it to the bucket that holds the media "
            "(and S3_PRIVATE_BUCKET to the one for proofs of payment, if it is another)."
        )
    # Neither key set: boto3 finds credentials itself (an instance role, AWS_* variables, ~/.aws). One of two
    # set is a mistake.
    if bool(settings.S3_ACCESS_KEY_ID) != bool(settings.S3_SECRET_ACCESS_KEY):
        missing = [name for name in ("S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY") if not getattr(settings, name)]
        problems.append(
            f"MEDIA_STORAGE=s3 but {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set: "
            "set both the access key id and the secret access key, or neither (then boto3 looks for an instance "
            "role or the AWS_* variables)."
        )
    if settings.S3_BUCKET and not str(settings.MEDIA_URL).startswith(("http://", "https://")):
        problems.append(
            "MEDIA_STORAGE=s3 but the media's public address is unknown: set S3_PUBLIC_URL (the bucket's "
            "or its CDN's address, e.g. https://media.example.go.id), or S3_ENDPOINT_URL with "
            "S3_ADDRESSING_STYLE=path."
        )
    if settings.S3_ADDRESSING_STYLE not in {"path", "virtual", "auto"}:
        problems.append(f'S3_ADDRESSING_STYLE is "{settings.S3_ADDRESSING_STYLE}": set "path", "virtual" or "auto".')
    return problems


@register()
def media_storage_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    return [Error(problem, id="binakarya.E001") for problem in media_storage_problems()]
