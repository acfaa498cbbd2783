#!/usr/bin/env bash
# A throw-away local PostgreSQL cluster for trying concierge's team
# workspace (SPEC §7) and for its tests: one command starts it, one stops it
# and removes every file it made.
#
#   scripts/pg-throwaway.sh start [--fast] [DIR]   create, start, print the URL
#   scripts/pg-throwaway.sh url DIR                print the URL again
#   scripts/pg-throwaway.sh stop DIR               stop it and remove DIR
#
# `start` prints two lines on stdout, and everything else on stderr:
#
#   postgres://USER@/concierge?host=DIR
#   export CONCIERGE_DB='postgres://USER@/concierge?host=DIR'
#
# so `eval "$(scripts/pg-throwaway.sh start | tail -n 1)"` sets CONCIERGE_DB.
#
# What it makes, all inside DIR (a new `mktemp -d` folder unless given; a
# given DIR must be empty or absent):
#   DIR/data   the cluster (initdb), DIR/postgres.log its log,
#   DIR/.s.PGSQL.5432   its Unix socket: listen_addresses = '' (no TCP at
#   all), unix_socket_directories = DIR, so clusters never clash on a port.
#
# Authentication is `trust` on that socket, for every local user. That is
# only acceptable because this is a test-only cluster: nothing listens on
# TCP, and DIR is mode 0700, so only its owner (and root) can reach the
# socket. Never copy these settings to a real server.
#
# The URL's user is the cluster's bootstrap superuser, named after whoever
# ran `start` (`root` when run as root), so psql and tests run by that user
# connect with their defaults and own everything they create.
#
# Run as root, initdb and postgres refuse to start; the cluster's files
# then belong to the system user `concierge-pg` (created with useradd when
# absent; `nobody` if that fails), and the server runs as that user. Root
# still connects through the socket (trust, and root passes the folder's
# permissions).
#
# The PostgreSQL binaries come from /usr/lib/postgresql/15/bin, then PATH,
# then any other /usr/lib/postgresql/*/bin. When none is found it installs
# PostgreSQL with apt-get (through sudo when not root) and says so.
#
# --fast (for tests): fsync, synchronous_commit and full_page_writes off.
# A crash can then lose the cluster, which is the point of a throw-away one.
set -euo pipefail

PG_OS_USER="${CONCIERGE_PG_OS_USER:-concierge-pg}"
MARKER=".concierge-pg-throwaway"

say() { printf 'pg-throwaway: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

usage() {
    sed -n '6,8p' "$0" | sed 's/^# *//' >&2
    exit 2
}

# Sets BIN to the folder holding initdb, pg_ctl, postgres and psql.
find_bin() {
    local d
    for d in /usr/lib/postgresql/15/bin "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")" \
        /usr/lib/postgresql/*/bin; do
        d="$(readlink -f "$d" 2>/dev/null || true)"
        if [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/postgres" ]]; then
            BIN="$d"
            return 0
        fi
    done
    return 1
}

install_postgres() {
    command -v apt-get >/dev/null || die "PostgreSQL is not installed and there is no apt-get to install it; install PostgreSQL 15 and try again"
    local sudo=()
    if [[ "$(id -u)" != 0 ]]; then
        command -v sudo >/dev/null || die "PostgreSQL is not installed; installing it needs root or sudo"
        sudo=(sudo)
    fi
    say "PostgreSQL not found: installing it with apt-get (postgresql)"
    # Debian's package would create and start a cluster of its own; this
    # script needs only the binaries.
    if [[ ! -e /etc/postgresql-common/createcluster.conf ]]; then
        "${sudo[@]}" mkdir -p /etc/postgresql-common
        echo "create_main_cluster = false" | "${sudo[@]}" tee /etc/postgresql-common/createcluster.conf >/dev/null
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
}

# The unprivileged user the server runs as when this script runs as root.
server_user() {
    if id -u "$PG_OS_USER" >/dev/null 2>&1; then
        echo "$PG_OS_USER"
        return
    fi
    if command -v useradd >/dev/null &&
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$PG_OS_USER" >/dev/null 2>&1; then
        say "created system user $PG_OS_USER to run the server (initdb refuses root)"
    fi
    # Another run may have created it meanwhile; else fall back to nobody.
    if id -u "$PG_OS_USER" >/dev/null 2>&1; then
        echo "$PG_OS_USER"
    else
        say "could not create $PG_OS_USER; running the server as nobody"
        echo nobody
    fi
}

# Runs a command as the OS user that owns the cluster.
as_owner() {
    local owner="$1"
    shift
    if [[ "$(id -un)" == "$owner" ]]; then
        "$@"
    elif command -v runuser >/dev/null; then
        runuser -u "$owner" -- "$@"
    elif command -v setpriv >/dev/null; then
        setpriv --reuid="$owner" --regid="$(id -g "$owner")" --init-groups -- "$@"
    else
        su -s /bin/sh "$owner" -c "$(printf '%q ' "$@")"
    fi
}

url_of() {
    local dir="$1" user
    user="$(cat "$dir/$MARKER")"
    echo "postgres://$user@/concierge?host=$dir"
}

start() {
    local fast=0 dir=""
    while (($#)); do
        case "$1" in
        --fast) fast=1 ;;
        -*) usage ;;
        *) [[ -z "$dir" ]] || usage; dir="$1" ;;
        esac
        shift
    done
    find_bin || { install_postgres && find_bin; } || die "no PostgreSQL binaries found, even after installing"
    local version
    version="$("$BIN/postgres" --version | sed 's/.* \([0-9][0-9]*\)\..*/\1/')"
    [[ "$version" == 15 ]] || say "note: found PostgreSQL $version, not 15 (in $BIN)"

    if [[ -z "$dir" ]]; then
        dir="$(mktemp -d "${TMPDIR:-/tmp}/concierge-pg.XXXXXX")"
    else
        mkdir -p "$dir"
        [[ -z "$(ls -A "$dir")" ]] || die "$dir is not empty"
        dir="$(cd "$dir" && pwd -P)"
    fi
    # The path goes into a URL unescaped and into a socket path (107 bytes).
    [[ "$dir" =~ ^[A-Za-z0-9._/-]+$ ]] || die "$dir: use a folder path of letters, digits, '.', '_', '-' and '/' only"
    ((${#dir} <= 90)) || die "$dir is too long for a Unix socket path; use a shorter folder"

    local me owner
    me="$(id -un)"
    if [[ "$(id -u)" == 0 ]]; then
        owner="$(server_user)"
        chown "$owner:" "$dir"
        as_owner "$owner" test -w "$dir" ||
            die "$owner cannot write $dir (is a parent folder closed to other users?); give a DIR under /tmp"
    else
        owner="$me"
    fi
    chmod 0700 "$dir"
    echo "$me" >"$dir/$MARKER"

    # Run from DIR: the server user may not be able to enter the caller's cwd.
    (cd "$dir" && as_owner "$owner" "$BIN/initdb" -D "$dir/data" -U "$me" --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1) ||
        (cd "$dir" && rm -rf "$dir/data" && as_owner "$owner" "$BIN/initdb" -D "$dir/data" -U "$me" \
            --auth=trust --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1) ||
        { cat "$dir/initdb.log" >&2; die "initdb failed (log above)"; }

    local conf="$dir/data/postgresql.conf"
    {
        echo "# concierge throw-away cluster: Unix socket only, in its own folder"
        echo "listen_addresses = ''"
        echo "unix_socket_directories = '$dir'"
        echo "max_connections = 40"
        if ((fast)); then
            echo "fsync = off"
            echo "synchronous_commit = off"
            echo "full_page_writes = off"
        fi
    } | as_owner "$owner" tee -a "$conf" >/dev/null

    (cd "$dir" && as_owner "$owner" "$BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null) ||
        { tail -n 20 "$dir/postgres.log" >&2 || true; die "the server did not start (log above)"; }
    "$BIN/psql" -X -q -h "$dir" -U "$me" -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE DATABASE concierge" >/dev/null ||
        die "could not create the database concierge"

    say "PostgreSQL $version running in $dir (socket only, trust auth: test use only)"
    say "stop it with: $0 stop $dir"
    local url
    url="$(url_of "$dir")"
    echo "$url"
    echo "export CONCIERGE_DB='$url'"
}

stop() {
    (($# == 1)) || usage
    local dir="$1"
    [[ -d "$dir" ]] || die "$dir: no such folder"
    [[ -f "$dir/$MARKER" ]] || die "$dir was not made by this script (no $MARKER); not touching it"
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        local owner
        owner="$(stat -c %U "$dir/data")"
        find_bin || die "no PostgreSQL binaries found to stop $dir"
        (cd "$dir" && as_owner "$owner" "$BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null) ||
            say "pg_ctl stop failed; removing $dir anyway"
    fi
    rm -rf "$dir"
    say "stopped and removed $dir"
}

case "${1:-}" in
start) shift; start "$@" ;;
stop) shift; stop "$@" ;;
url)
    (($# == 2)) || usage
    [[ -f "$2/$MARKER" ]] || die "$2 was not made by this script"
    url_of "$2"
    ;;
*) usage ;;
esac
