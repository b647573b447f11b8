#!/usr/bin/env bash
# PID 1 of one lab node, started by up.sh inside the node's network namespace and fresh
# mount/UTS/IPC/PID namespaces. It gives the node private runtime and state directories,
# starts corosync and pacemakerd, then reaps children until it is killed. SIGKILL of this
# process from outside ends every process of the node (pid-namespace init semantics).
# SIGUSR1 asks the node's pacemakerd to shut down cleanly.
set -u
. "$(dirname "$0")/lab-env.sh"
n=$1
D=$(lab_node_dir "$n")

hostname "$(lab_node_name "$n")"

mount -t tmpfs -o mode=755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t tmpfs -o mode=1777 tmpfs /tmp
mkdir -p /run/lock /run/crm /run/postgresql /run/corosync /run/resource-agents
chown hacluster:haclient /run/crm
chown postgres:postgres /run/postgresql
chmod 2775 /run/postgresql

for m in etc/corosync var/lib/corosync var/lib/pacemaker var/log/pacemaker var/log/corosync \
         var/log/cluster var/lib/pgsql; do
    mount --bind "$D/$m" "/$m"
done
ip link set lo up

# Debian 12's ocf-shellfuncs runs "crm_attribute -p -v -INFINITY", which pacemaker 2.1.5 parses
# as "-p" without a value: the stock agent then retries until its start times out. up.sh writes
# the upstream fix to a copy; only this node's mount namespace sees it.
if [ -f "$LAB_ROOT/ocf-shellfuncs" ]; then
    mount --bind "$LAB_ROOT/ocf-shellfuncs" /usr/lib/ocf/lib/heartbeat/ocf-shellfuncs
fi

# LAB_AGENT_BINARY: run this build of pgsql-swift instead of the installed one (this node only).
if [ -n "${LAB_AGENT_BINARY:-}" ]; then
    # The mount point must exist: install the agent once (make install).
    mount --bind "$LAB_AGENT_BINARY" /usr/lib/ocf/resource.d/heartbeat/pgsql-swift
fi

corosync -f > /var/log/corosync/corosync.stdout 2>&1 &
echo $! > /run/corosync.pid
for _ in $(seq 1 50); do                      # bounded: 10 s
    corosync-cfgtool -s > /dev/null 2>&1 && break
    sleep 0.2
done

# What systemd would take from /etc/default/pacemaker.
export PCMK_logfile=/var/log/pacemaker/pacemaker.log PCMK_logfacility=none PCMK_debug=no
pacemakerd > /var/log/pacemaker/pacemakerd.stdout 2>&1 &
echo $! > /run/pacemakerd.pid

trap 'kill -TERM "$(cat /run/pacemakerd.pid)" 2>/dev/null' USR1
while :; do
    wait 2> /dev/null
    sleep 1 &
    wait $! 2> /dev/null
done
