"""gunicorn's settings for Binakarya (docs/deployment.md); `make serve` (scripts/serve.sh) and the systemd
unit run ``gunicorn -c deploy/gunicorn.conf.py binakarya.wsgi``. Every knob comes from the environment.

- BIND (default 127.0.0.1:8000): where to listen; nginx in front proxies to it.
- WEB_CONCURRENCY: worker processes, default 2 x CPU cores + 1, at most 8 (each holds its own database
  connection and some 100 MB). Leave it unset rather than empty: gunicorn reads it itself when imported and
  refuses an empty value before this file runs.
- GUNICORN_TIMEOUT (30 s): a worker silent this long is killed and replaced; GRACEFUL_TIMEOUT (30 s):
  how long SIGTERM waits for requests in flight before the workers are stopped.
- FORWARDED_ALLOW_IPS (127.0.0.1): the proxies whose X-Forwarded-* headers are believed.
- LOG_FORMAT (json): gunicorn's own messages as JSON lines, like the application's. The access log is the
  application's one line per request (binakarya.core.middleware.RequestIdMiddleware), which knows the
  request id and the user; gunicorn's access log stays off so that no request is logged twice.
"""

import multiprocessing
import os
import sys
from pathlib import Path

from gunicorn.glogging import Logger

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from binakarya.core.logging import JsonFormatter  # noqa: E402  (after the path is set)

MAX_WORKERS = 8


def default_workers() -> int:
    return min(2 * multiprocessing.cpu_count() + 1, MAX_WORKERS)


wsgi_app = "binakarya.wsgi:application"
chdir = str(ROOT)
bind = [os.environ.get("BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("WEB_CONCURRENCY") or default_workers())
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = int(os.environ.get("GRACEFUL_TIMEOUT", 30))
keepalive = 5
# A worker is replaced after this many requests (with jitter, so not all at once): a slow leak stays small.
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The heartbeat file in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "binakarya"
# gunicornc's control socket is not used; one fixed path per user would clash between two instances.
control_socket_disable = True


class JsonLogger(Logger):
    """gunicorn's messages (start, workers booted and stopped, timeouts) as JSON lines on stderr."""

    def setup(self, cfg):
        super().setup(cfg)
        if os.environ.get("LOG_FORMAT", "json").strip().lower() == "json":
            for handler in self.error_log.handlers:
                handler.setFormatter(JsonFormatter())
        # Django's root handler must not print gunicorn's lines a second time.
        self.error_log.propagate = False


logger_class = JsonLogger
