#!/usr/bin/env bash
# The agent's main job against a throw-away local PostgreSQL 15: start, monitor, stop, as Pacemaker
# would run them, printing each exit code. Needs root (the agent runs pg_ctl as postgres).
set -euo pipefail
AGENT=${AGENT:-/usr/lib/ocf/resource.d/heartbeat/pgsql-swift}
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
. "$(dirname "$0")/throwaway-postgres.sh"
trap throwaway_cleanup EXIT
export HA_LOGFACILITY=none

step() {
    local action=$1 expected=$2 rc=0
    "$AGENT" "$action" || rc=$?
    printf '%-10s -> %s (expected %s)\n' "$action" "$rc" "$expected"
    [ "$rc" = "$expected" ] || { echo "unexpected exit code; server log:"; tail -n 20 "$OCF_RESKEY_logfile" || true; exit 1; }
}

echo "== pgsql-swift $("$AGENT" meta-data | sed -n 's/.*resource-agent name="pgsql-swift" version="\([^"]*\)".*/\1/p') on PostgreSQL $(cat "$OCF_RESKEY_pgdata/PG_VERSION"), data in $OCF_RESKEY_pgdata"
step validate-all 0
step monitor 7
step start 0
step monitor 0
runuser -u postgres -- psql -h "$OCF_RESKEY_socketdir" -p "$OCF_RESKEY_pgport" -d postgres -Atc \
    "select 'server answers: ' || version()"
step stop 0
step monitor 7
echo "demo OK"
