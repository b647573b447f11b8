#!/usr/bin/env bash
# Cluster benchmarks, every agent in the same run, same lab, same intervals (monitor 3 s promoted,
# 4 s unpromoted): per-monitor cost on the primary and the standby (wall, CPU, child execs, with the
# environment captured from a live pacemaker-execd monitor), resource cold start to PRI + HS:sync,
# and failover (kill -9 of the primary's postmaster → INSERT through the VIP commits).
# Prints min / median / max per agent, then the ratios.
# usage: [BENCH_AGENTS="pgsql pgsql-swift"] [BENCH_FAILOVERS=10] [BENCH_COLDSTARTS=3]
#        [BENCH_MONITORS=10] Tests/lab/bench.sh
set -euo pipefail
. "$(dirname "$0")/lab-env.sh"
: "${BENCH_AGENTS:=pgsql pgsql-swift}" "${BENCH_FAILOVERS:=10}" "${BENCH_COLDSTARTS:=3}" "${BENCH_MONITORS:=10}"
trap '"$LAB_HOME/down.sh" --fast > /dev/null 2>&1 || true' EXIT
RESULTS=${LAB_RESULTS:-/var/tmp/pgsql-swift-lab-results}
mkdir -p "$RESULTS"

for agent in $BENCH_AGENTS; do
    export LAB_AGENT=$agent
    echo "==== benchmark: ocf:heartbeat:$agent, 2 nodes, rep_mode=sync"
    "$LAB_HOME/down.sh" --fast > /dev/null
    LAB_NODES=2 "$LAB_HOME/up.sh" > /dev/null
    python3 "$LAB_HOME/labctl.py" configure
    python3 "$LAB_HOME/labctl.py" wait-ready 240 | sed -n 1p
    python3 "$LAB_HOME/labctl.py" bench actions "$BENCH_MONITORS"
    python3 "$LAB_HOME/labctl.py" bench coldstart "$BENCH_COLDSTARTS"
    python3 "$LAB_HOME/labctl.py" bench failover "$BENCH_FAILOVERS"
    cp "$LAB_ROOT"/{actions,coldstart,failover}-"$agent".json "$RESULTS"/
    "$LAB_HOME/down.sh" > /dev/null
done
set -- $BENCH_AGENTS
if [ $# -ge 2 ]; then
    echo "==== ratios ($2 / $1; medians)"
    LAB_ROOT=$RESULTS python3 "$LAB_HOME/labctl.py" compare "$1" "$2"
fi
echo "recipe figures for the stock agent on this kind of machine: failover 4.10 / 7.66 / 8.07 s;"
echo "cold start 24.6 / 25.2 / 25.7 s; monitor CPU primary 0.27 s (113 execs), standby 0.11 s (61 execs)"
