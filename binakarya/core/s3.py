"""S3-compatible object storage: the private files' storage, and one-line explanations of S3 errors.

Imported only where object storage is used (``MEDIA_STORAGE=s3``, ``manage.py backup s3://...``,
``manage.py media_copy``), so a site on the local disk never loads boto3.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError, NoCredentialsError
from storages.backends.s3 import S3Storage

# What an operator reads for the S3 error codes a misconfiguration gives.
_CODES = {
    "NoSuchBucket": "the bucket does not exist",
    "NoSuchKey": "no such file (object) in the bucket",
    "404": "not found",
    "InvalidAccessKeyId": "the access key is not known to the service (check the access key id)",
    "SignatureDoesNotMatch": "the secret access key is wrong",
    "AccessDenied": "access denied (the credentials may not use this bucket)",
    "403": "access denied (wrong credentials, or they may not use this bucket)",
    "AllAccessDisabled": "access to the bucket is disabled",
}

S3_ERRORS: tuple[type[Exception], ...] = (BotoCoreError, ClientError)


def s3_error_message(error: Exception, where: str) -> str:
    """One line naming the bucket (or address) and what went wrong, for an error boto3 raised."""
    if isinstance(error, ClientError):
        code = str(error.response.get("Error", {}).get("Code", ""))
        if code == "404" and error.operation_name == "HeadBucket":  # a HEAD has no body to say NoSuchBucket
            return f"{where}: the bucket does not exist ({code})"
        return f"{where}: {_CODES.get(code, 'the storage service refused')} ({code or 'no code'})"
    if isinstance(error, NoCredentialsError):
        return (
            f"{where}: no credentials (set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or give the machine "
            "an instance role or the AWS_* variables boto3 reads)"
        )
    if isinstance(error, EndpointConnectionError):
        return f"{where}: cannot connect to the storage service ({error})"
    return f"{where}: {error}"


class PrivateS3Storage(S3Storage):
    """Private objects (ACL ``private``) with no address: stream them through a view that checks access."""

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        # whatever the options say: a private object is never readable without the credentials
        self.default_acl = "private"
        self.querystring_auth = True

    def url(self, name: str | None, parameters: Any = None, expire: Any = None, http_method: Any = None) -> str:
        raise ValueError("private files have no public address; stream them through a view that checks access")
