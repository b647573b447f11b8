#!/usr/bin/env bash
# The main job, shown for real: a 2-node Pacemaker cluster (corosync + pacemaker + PostgreSQL 15
# in Linux namespaces on this machine) runs the agent as a promotable clone with synchronous
# streaming replication and a virtual IP; the demo prints the crm_mon attribute table, kills the
# primary's postmaster with SIGKILL, waits for the failover and prints the table again.
# Needs root, Linux network/PID/mount namespaces, and the packages of `make setup`.
# usage: [LAB_AGENT=pgsql-swift|pgsql] Tests/lab/demo.sh [--keep]
#   --keep   leave the lab running (Tests/lab/nx 1 crm_mon -A; Tests/lab/down.sh to remove it)
set -euo pipefail
. "$(dirname "$0")/lab-env.sh"
: "${LAB_AGENT:=pgsql-swift}"
export LAB_AGENT
KEEP=0; [ "${1:-}" = "--keep" ] && KEEP=1

if [ "$(id -u)" != 0 ]; then
    echo "demo: needs root: it creates network namespaces and runs corosync/pacemaker inside them" >&2
    exit 1
fi
if ! unshare --pid --fork --mount-proc true 2> /dev/null || ! ip netns list > /dev/null 2>&1; then
    echo "demo: this machine does not allow PID/network namespaces (a restricted container?)" >&2
    exit 1
fi
[ $KEEP = 1 ] || trap '"$LAB_HOME/down.sh" > /dev/null 2>&1 || true' EXIT
label=$LAB_AGENT
[ "$LAB_AGENT" = pgsql ] && label="pgsql (the stock shell agent from resource-agents)"

echo "== 1. a 2-node cluster in namespaces (corosync knet on ${LAB_NET}.0/24, pacemaker, PostgreSQL 15)"
"$LAB_HOME/down.sh" --fast > /dev/null
LAB_NODES=2 "$LAB_HOME/up.sh"
echo "== 2. resource pgsql-clone: ocf:heartbeat:$label, rep_mode=sync, master_ip $LAB_VIP"
python3 "$LAB_HOME/labctl.py" configure
python3 "$LAB_HOME/labctl.py" wait-ready 240 | sed -n 1p
echo "== 3. crm_mon -A (node attributes)"
"$LAB_HOME/nx" 1 crm_mon -1 -A
echo "== 4. failover"
python3 "$LAB_HOME/labctl.py" failover
echo "== 5. crm_mon -A after the failover"
"$LAB_HOME/nx" 1 crm_mon -1 -A
if [ $KEEP = 1 ]; then
    cat <<EOT
== the lab is still running. Try:
   Tests/lab/nx 1 crm_mon -A                      # live status (Ctrl-C to leave)
   Tests/lab/nx 2 runuser -u postgres -- psql     # a shell on node 2's PostgreSQL
   python3 Tests/lab/labctl.py table              # the attribute table
   Tests/lab/down.sh                              # remove everything (namespaces, processes)
The old primary keeps PGSQL.lock; to rejoin it, see "Recovering a failed primary" in README.md.
EOT
else
    echo "== 6. tearing the lab down (run with --keep to leave it up)"
fi
