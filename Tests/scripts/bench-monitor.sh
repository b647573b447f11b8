#!/usr/bin/env bash
# Benchmark: plain-mode monitor of pgsql-swift vs ocf:heartbeat:pgsql against one running server.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
AGENT=${AGENT:-/usr/lib/ocf/resource.d/heartbeat/pgsql-swift}
. "$(dirname "$0")/throwaway-postgres.sh"
trap throwaway_cleanup EXIT
export HA_LOGFACILITY=none HA_LOGFILE=/dev/null
"$AGENT" start >/dev/null 2>&1
AGENT=$AGENT python3 "$(dirname "$0")/bench-monitor.py"
"$AGENT" stop >/dev/null 2>&1
