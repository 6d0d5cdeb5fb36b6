"""Shapes and limits several routers share: the error bodies, page sizes, the organization filter,
the bounds of integer columns and the strict types every request schema uses.

Request types (docs/api.md, "Types"): in a JSON body an integer is a JSON integer (``true`` and ``1.0`` are
refused) within bounds a database column can hold, a date is a ``YYYY-MM-DD`` string and a date-time an
ISO 8601 string (a bare number is not read as a Unix time), a flag is ``true`` or ``false``. Anything else
is a 422 naming the field. Query and path parameters arrive as text and are read as numbers, but bounded
the same way, so no value reaches the database as an integer it cannot store.
"""

import datetime
import re
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import BeforeValidator, Strict, StrictBool
from pydantic_core import PydanticCustomError

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 24

# What an integer column can take; the services' own limits are lower and answer 400.
MAX_UNITS = 1_000_000
MAX_IDR = 10**15  # Rp1.000 triliun
MAX_ID = 2**63 - 1  # the largest value of a BigAutoField, on SQLite and PostgreSQL alike

# JSON bodies: strict integers. Signed where a service gives the friendlier 400 for a negative value.
Units = Annotated[int, Strict(), Field(ge=-MAX_UNITS, le=MAX_UNITS)]
PositiveUnits = Annotated[int, Strict(), Field(ge=1, le=MAX_UNITS)]
Rupiah = Annotated[int, Strict(), Field(ge=-MAX_IDR, le=MAX_IDR)]
NonNegativeRupiah = Annotated[int, Strict(), Field(ge=0, le=MAX_IDR)]
Id = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]
Flag = StrictBool

# Query and path parameters: text read as a number, bounded.
IdParam = Annotated[int, Field(ge=1, le=MAX_ID)]
YearParam = Annotated[int, Field(ge=2000, le=2100)]
# A year a service checks itself (400 with its own message); bounded to what a calendar holds.
AnyYearParam = Annotated[int, Field(ge=1, le=9999)]
# Pages never reach the database as a number: the routers cap page_size at MAX_PAGE_SIZE and the selectors
# clamp the page, so a page past the end is an empty page (200), however large.
PageParam = Annotated[int, Field(ge=1)]
PageSizeParam = Annotated[int, Field(ge=1)]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _date_text(value: Any) -> Any:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value  # from Python callers; JSON has no date type
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise PydanticCustomError("date_format", _("Enter a date as text in the form YYYY-MM-DD."))
    return value


def _datetime_text(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATETIME.match(value):
        raise PydanticCustomError(
            "datetime_format", _("Enter a date and time as text in ISO 8601, e.g. 2025-03-01T14:30:00+07:00.")
        )
    return value


IsoDate = Annotated[datetime.date, BeforeValidator(_date_text)]
IsoDateTime = Annotated[datetime.datetime, BeforeValidator(_datetime_text)]


class ErrorOut(Schema):
    detail: str


class FieldErrorsOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class OrganizationQuery(Schema):
    organization: str = Field("", max_length=120, description="Organization slug; empty for every permitted one.")


# The errors a staff write can answer; 409 is a conflict with the current stock or balance.
WRITE_ERRORS = {400: FieldErrorsOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: FieldErrorsOut}
