#!/usr/bin/env bash
# `make serve`: Binakarya the production way on one machine (docs/deployment.md).
# 1. refuses development settings (manage.py serve_check: DEBUG on, the development SECRET_KEY, no ALLOWED_HOSTS);
# 2. applies the migrations and, at the same time, collects the static files, compressed (gzip and Brotli)
#    for WhiteNoise;
# 3. runs gunicorn (deploy/gunicorn.conf.py) and the django-tasks database worker side by side.
# SIGTERM or Ctrl-C stops both gracefully (gunicorn finishes the requests in flight, the worker its task); if
# either exits, the other is stopped. The children run in process groups of their own (job control, set -m), so
# the terminal's Ctrl-C reaches this script only (gunicorn would take INT as a quick shutdown, the worker would
# get INT and then TERM, and a second signal aborts its task): the script then sends each one TERM, once.
# Usage: scripts/serve.sh [HOST:PORT]   (from anywhere; the default is BIND, else 127.0.0.1:8000)
#        COLLECTSTATIC=false scripts/serve.sh HOST:PORT   (a further server sharing an already collected STATIC_ROOT)
set -u
cd "$(dirname "$0")/.."
ADDR="${1:-${BIND:-127.0.0.1:8000}}"
PY="${PYTHON:-.venv/bin/python}"
BIN="$(dirname "$PY")"

"$PY" manage.py serve_check || exit 2
# From here on every background job gets its own process group: Ctrl-C's INT stops at this script.
set -m
# The migrations (the database) and collectstatic (the files) do not depend on each other: side by side.
# Both in the background, so that a SIGTERM or Ctrl-C meanwhile stops them at once.
# COLLECTSTATIC=false skips it: a second server on this machine shares STATIC_ROOT with one that collected
# (docs/deployment.md, "More than one web server"); collecting again would only rewrite the same files.
# false, 0, no or off, in any case (False, OFF) skip it; anything else collects.
COLLECT="${COLLECTSTATIC:-true}"
case "${COLLECT,,}" in
    false | 0 | no | off) true & ;;
    *) "$PY" manage.py collectstatic --noinput --verbosity 0 & ;;
esac
STATIC=$!
"$PY" manage.py migrate --noinput &
MIGRATE=$!
trap 'kill -TERM "$STATIC" "$MIGRATE" 2>/dev/null; wait; exit 143' TERM
trap 'kill -TERM "$STATIC" "$MIGRATE" 2>/dev/null; wait; exit 130' INT
wait "$MIGRATE"
migrated=$?
wait "$STATIC"
collected=$?
if ((migrated != 0 || collected != 0)); then
    echo "serve.sh: migrate exited with $migrated, collectstatic with $collected; not starting" >&2
    exit 1
fi

"$PY" manage.py db_worker --queue-name '*' &
WORKER=$!
"$BIN/gunicorn" --config deploy/gunicorn.conf.py --bind "$ADDR" &
SERVER=$!

stop() {
    trap - INT TERM EXIT
    # TERM: gunicorn stops gracefully (GRACEFUL_TIMEOUT), the worker finishes the task it runs.
    kill -TERM "$SERVER" "$WORKER" 2>/dev/null
    wait "$SERVER" "$WORKER" 2>/dev/null
}
trap 'stop; exit 143' TERM
trap 'stop; exit 130' INT
trap stop EXIT

# Whichever stops first, stop the other.
wait -n "$SERVER" "$WORKER"
status=$?
stop
exit "$status"
