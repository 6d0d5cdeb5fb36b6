"""Shapes and limits several routers share: the error bodies, page sizes, the organization filter
and the bounds of integer columns.
"""

from ninja import Field, Schema

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 24

# What an integer column can take; the services' own limits are lower and answer 400.
MAX_UNITS = 1_000_000
MAX_IDR = 10**15  # Rp1.000 triliun


class ErrorOut(Schema):
    detail: str


class FieldErrorsOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class OrganizationQuery(Schema):
    organization: str = Field("", max_length=120, description="Organization slug; empty for every permitted one.")


# The errors a staff write can answer; 409 is a conflict with the current stock or balance.
WRITE_ERRORS = {400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: FieldErrorsOut}
