"""Structured logs: one JSON object per line, each carrying the request id (docs/deployment.md).

- ``JsonFormatter`` writes ``time``, ``level``, ``logger``, ``message`` and, where the record has them,
  ``request_id``, ``method``, ``path`` (the URL pattern), ``view``, ``status``, ``duration_ms``, ``user_id`` and ``exception``.
- ``RequestIdFilter`` stamps every record with the id of the request being served (a context variable
  that ``binakarya.core.middleware.RequestIdMiddleware`` sets), so a line from deep in a service can be
  matched with the request's own line.

No Django import here: gunicorn's master process loads this module for its own logs before Django starts.
"""

import contextvars
import datetime
import json
import logging
import re
import uuid

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

# What an incoming X-Request-ID (set by nginx) may be; anything else is replaced by a fresh id.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
# Record attributes copied into the JSON object when present (``extra={...}`` on the log call).
EXTRA_FIELDS = ("request_id", "method", "path", "view", "status", "duration_ms", "user_id")


def new_request_id() -> str:
    return uuid.uuid4().hex


def safe_request_id(value: str | None) -> str:
    """``value`` when it is a safe id ([A-Za-z0-9-], 1 to 64 characters), else a new one."""
    if value and SAFE_REQUEST_ID.fullmatch(value):
        return value
    return new_request_id()


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in EXTRA_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
