#!/usr/bin/env bash
# A throwaway PostgreSQL primary with a hot standby streaming from it, on this machine (tests, benchmarks,
# trying DATABASE_REPLICA_URL out; docs/deployment.md "Read replicas" sets one up on real servers).
#
#   scripts/pg_replica.sh start DIR PRIMARY_PORT STANDBY_PORT
#       initdb a primary in DIR/primary (trust on 127.0.0.1, wal_level=replica, a replication line in
#       pg_hba.conf), start it on PRIMARY_PORT, pg_basebackup -R it into DIR/standby, start that as a hot
#       standby on STANDBY_PORT, and wait (at most WAIT seconds, default 60) until the standby is in recovery
#       and the primary sees it streaming. Then print, on stdout, exactly:
#           DATABASE_URL=postgres://postgres@127.0.0.1:PRIMARY_PORT/postgres
#           DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:STANDBY_PORT/postgres
#       Both listen on 127.0.0.1 only, with their unix sockets in DIR. DIR must not exist yet (or be empty): an
#       existing non-empty DIR is refused. On failure: the tail of the logs (DIR/primary.log, DIR/standby.log) on
#       stderr, whatever it started is stopped again, what it wrote is removed (DIR itself when it created it, else
#       DIR's contents: it was empty), so the same command may be run again, then a non-zero exit.
#   scripts/pg_replica.sh stop DIR
#       stop both (fast shutdown); does nothing for a cluster that is not running.
#
# As root, PostgreSQL's programs run as the postgres user (initdb refuses root) and the DIR this script creates
# is given to it (never a directory that already existed); DIR's parents must then be reachable by that user (a
# directory under /tmp is; pytest's tmp_path is not).
# The binaries come from the highest /usr/lib/postgresql/*/bin (PG_BINDIR overrides).
set -u

die() {
    echo "pg_replica.sh: $*" >&2
    exit 1
}

usage() {
    echo "usage: $0 start DIR PRIMARY_PORT STANDBY_PORT | stop DIR" >&2
    exit 2
}

find_bindir() {
    if [ -n "${PG_BINDIR:-}" ]; then
        echo "$PG_BINDIR"
        return
    fi
    local best="" best_version=-1 dir version
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] || continue
        version="${dir#/usr/lib/postgresql/}"
        version="${version%%/*}"
        case "$version" in '' | *[!0-9]*) continue ;; esac
        if [ "$version" -gt "$best_version" ]; then
            best="$dir"
            best_version="$version"
        fi
    done
    [ -n "$best" ] || die "no PostgreSQL server found under /usr/lib/postgresql/*/bin (install postgresql)"
    echo "$best"
}

# pg PROGRAM ARGS...: run one of PostgreSQL's programs, as the postgres user when we are root.
pg() {
    local program="$BINDIR/$1"
    shift
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$program" "$@"
    else
        "$program" "$@"
    fi
}

# sql PORT QUERY: one value, unaligned, no psqlrc.
sql() {
    pg psql -h 127.0.0.1 -p "$1" -U postgres -d postgres -AtqX -c "$2" 2>/dev/null
}

logs_tail() {
    local log
    for log in "$DIR/primary.log" "$DIR/standby.log"; do
        [ -f "$log" ] || continue
        echo "--- tail of $log" >&2
        tail -n 25 "$log" >&2
    done
}

fail() {
    echo "pg_replica.sh: $*" >&2
    logs_tail
    exit 1
}

check_port() {
    case "$1" in '' | *[!0-9]*) die "not a port number: '$1'" ;; esac
    [ "$1" -ge 1 ] && [ "$1" -le 65535 ] || die "not a port number: '$1'"
}

# What start() has started (data directories, the standby first), for stop_started() when it fails half-way;
# whether it created DIR (1) or found it empty (0); CLEAN=1 once start() has begun writing into DIR.
STARTED=()
CREATED=0
CLEAN=0

stop_started() {
    local data stopped=1
    for data in "${STARTED[@]}"; do
        pg pg_ctl -D "$data" status >/dev/null 2>&1 || continue # it never came up
        if ! pg pg_ctl -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1; then
            echo "pg_replica.sh: could not stop the server in $data" >&2
            stopped=0
        fi
    done
    STARTED=()
    # What start() wrote goes, so that the same DIR is not refused next time; never under a server still running.
    if [ "$CLEAN" = 1 ] && [ "$stopped" = 1 ] && [ -n "$DIR" ] && [ "$DIR" != / ]; then
        if [ "$CREATED" = 1 ]; then
            rm -rf -- "$DIR" || echo "pg_replica.sh: could not remove $DIR" >&2
        else
            find "$DIR" -mindepth 1 -delete || echo "pg_replica.sh: could not empty $DIR" >&2
        fi
    fi
}

# On any exit but a successful start (a failure, or an interrupt), stop what was started.
on_exit() {
    local status=$?
    [ "$status" = 0 ] || stop_started
    exit "$status"
}

start() {
    local primary_port="$1" standby_port="$2"
    check_port "$primary_port"
    check_port "$standby_port"
    [ "$primary_port" != "$standby_port" ] || die "the primary and the standby need different ports"
    if [ -e "$DIR" ] || [ -L "$DIR" ]; then
        [ -d "$DIR" ] || die "$DIR exists and is not a directory: give a DIR that does not exist yet"
        [ -z "$(ls -A -- "$DIR")" ] ||
            die "$DIR exists and is not empty: give a DIR that does not exist yet (stop an old cluster with: $0 stop $DIR)"
    else
        mkdir -p -- "$DIR" || die "cannot create $DIR"
        CREATED=1
    fi
    DIR="$(cd "$DIR" && pwd)"
    if [ "$(id -u)" = 0 ]; then
        # Only a directory this script has just created is given away, never one that was there already.
        if [ "$CREATED" = 1 ]; then
            chown postgres:postgres "$DIR" || die "cannot give $DIR to the postgres user"
        fi
        runuser -u postgres -- test -w "$DIR" ||
            die "the postgres user cannot write to $DIR (are its parents reachable? give a DIR under /tmp that does not exist yet)"
    fi
    trap on_exit EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    CLEAN=1

    # The primary.
    pg initdb -D "$DIR/primary" -U postgres --auth=trust --no-sync --no-instructions >"$DIR/initdb.log" 2>&1 ||
        { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
    {
        echo "listen_addresses = '127.0.0.1'"
        echo "unix_socket_directories = '$DIR'"
        echo "wal_level = replica"
        echo "max_wal_senders = 5"
        echo "hot_standby = on"
        echo "hot_standby_feedback = on"
    } >>"$DIR/primary/postgresql.auto.conf" || die "cannot write $DIR/primary/postgresql.auto.conf"
    echo "host replication postgres 127.0.0.1/32 trust" >>"$DIR/primary/pg_hba.conf" ||
        die "cannot write $DIR/primary/pg_hba.conf"
    STARTED=("$DIR/primary")
    pg pg_ctl -D "$DIR/primary" -l "$DIR/primary.log" -w -t 60 -o "-p $primary_port" start >/dev/null ||
        fail "the primary did not start on port $primary_port"

    # The standby: a base backup of the primary; -R writes primary_conninfo and standby.signal.
    pg pg_basebackup -h 127.0.0.1 -p "$primary_port" -U postgres -D "$DIR/standby" -R \
        --wal-method=stream --checkpoint=fast --no-sync >"$DIR/basebackup.log" 2>&1 ||
        { cat "$DIR/basebackup.log" >&2; fail "pg_basebackup from port $primary_port failed"; }
    STARTED=("$DIR/standby" "$DIR/primary")
    pg pg_ctl -D "$DIR/standby" -l "$DIR/standby.log" -w -t 60 -o "-p $standby_port" start >/dev/null ||
        fail "the standby did not start on port $standby_port"

    # Wait until it really streams.
    local deadline=$(($(date +%s) + ${WAIT:-60}))
    while :; do
        if [ "$(sql "$standby_port" "SELECT pg_is_in_recovery()")" = t ] &&
            [ "$(sql "$primary_port" "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" -ge 1 ] 2>/dev/null; then
            break
        fi
        [ "$(date +%s)" -lt "$deadline" ] || fail "the standby did not start streaming within ${WAIT:-60} s"
        sleep 0.2
    done
    echo "DATABASE_URL=postgres://postgres@127.0.0.1:$primary_port/postgres"
    echo "DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:$standby_port/postgres"
    STARTED=() # started for good: the caller stops them with `stop DIR`
    CLEAN=0
}

stop() {
    [ -d "$DIR" ] || return 0
    local data status=0
    # The standby first, so that it does not complain about its primary going away.
    for data in "$DIR/standby" "$DIR/primary"; do
        [ -f "$data/postmaster.pid" ] || continue
        pg pg_ctl -D "$data" -m fast -w -t 60 stop >/dev/null || {
            # postmaster.pid may be left over from a crash: only a live server is a failure to stop.
            if pg pg_ctl -D "$data" status >/dev/null 2>&1; then
                echo "pg_replica.sh: could not stop the server in $data" >&2
                status=1
            fi
        }
    done
    return "$status"
}

[ $# -ge 2 ] || usage
COMMAND="$1"
DIR="$2"
[ -n "$DIR" ] || usage
BINDIR="$(find_bindir)" || exit 1
case "$COMMAND" in
start)
    [ $# -eq 4 ] || usage
    start "$3" "$4"
    ;;
stop)
    [ $# -eq 2 ] || usage
    stop
    ;;
*) usage ;;
esac
