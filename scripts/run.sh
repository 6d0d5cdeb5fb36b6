#!/usr/bin/env bash
# `make run`'s server: Django's runserver and the django-tasks database worker (emails, order expiry)
# side by side. Ctrl-C (or SIGTERM) stops both; if either exits, the other is stopped too.
# Usage: scripts/run.sh HOST:PORT   (from the project root, after migrate and load_demo)
set -u
set -m # each child in its own process group, so that stopping one stops its reloader's child too
ADDR="${1:-127.0.0.1:8000}"
PY="${PYTHON:-.venv/bin/python}"

"$PY" manage.py db_worker --queue-name '*' &
WORKER=$!
"$PY" manage.py runserver "$ADDR" &
SERVER=$!

stop() {
    trap - INT TERM EXIT
    kill -TERM -- "-$SERVER" "-$WORKER" 2>/dev/null
    wait "$SERVER" "$WORKER" 2>/dev/null
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

# Whichever stops first, stop the other.
wait -n "$SERVER" "$WORKER"
status=$?
stop
exit "$status"
