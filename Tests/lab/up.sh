#!/usr/bin/env bash
# Bring up a fresh lab: a bridge namespace, N node namespaces (each its own network, mount, UTS,
# IPC and PID namespace), corosync (knet on lab addresses) and pacemaker in every node, and one
# PostgreSQL 15 data directory per node (initdb once, cold copies: same system identifier).
# Waits, bounded, until every node is online. Needs root and Linux namespaces.
#
# usage: [LAB_NODES=2|3] Tests/lab/up.sh
#   LAB_WAL_KEEP   wal_keep_size of the lab servers (default 256MB; the slot scenario uses 0)
set -euo pipefail
. "$(dirname "$0")/lab-env.sh"
: "${LAB_WAL_KEEP:=256MB}"

[ "$(id -u)" = 0 ] || { echo "lab: must run as root (network and PID namespaces)" >&2; exit 1; }
case $LAB_NODES in 2|3) ;; *) echo "lab: LAB_NODES must be 2 or 3" >&2; exit 2;; esac
if [ -e "/run/netns/$LAB_BRIDGE_NS" ]; then
    echo "lab: already up (namespace $LAB_BRIDGE_NS exists); run Tests/lab/down.sh first" >&2
    exit 1
fi
for tool in corosync pacemakerd nsenter unshare ip corosync-keygen "$PGBIN/initdb"; do
    command -v "$tool" > /dev/null || { echo "lab: $tool not found (run make setup)" >&2; exit 1; }
done

T0=$(date +%s.%N)
rm -rf "$LAB_ROOT"
mkdir -p "$LAB_ROOT"
echo "$LAB_NODES" > "$LAB_ROOT/nodes"
# Bind-mount targets in the shared root filesystem (empty directories).
mkdir -p /var/lib/pgsql /var/log/cluster /var/log/corosync /var/lib/corosync /var/log/pacemaker

# ---- network: nothing is created in the root network namespace
ip netns add "$LAB_BRIDGE_NS"
ip -n "$LAB_BRIDGE_NS" link set lo up
ip -n "$LAB_BRIDGE_NS" link add br0 type bridge
ip -n "$LAB_BRIDGE_NS" link set br0 up
for i in $(seq 1 "$LAB_NODES"); do
    ns=$(lab_node_ns "$i")
    ip netns add "$ns"
    ip -n "$LAB_BRIDGE_NS" link add "veth-pgn$i" type veth peer name eth0 netns "$ns"
    ip -n "$LAB_BRIDGE_NS" link set "veth-pgn$i" master br0 up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$(lab_node_ip "$i")/24" dev eth0
    ip -n "$ns" link set eth0 up
done

# ---- corosync configuration shared by all nodes
corosync-keygen -k "$LAB_ROOT/authkey" > /dev/null 2>&1
chmod 400 "$LAB_ROOT/authkey"
{
    printf 'totem {\n  version: 2\n  cluster_name: pgswlab\n  transport: knet\n'
    printf '  crypto_cipher: aes256\n  crypto_hash: sha256\n  token: 3000\n}\n'
    printf 'logging {\n  to_logfile: yes\n  logfile: /var/log/corosync/corosync.log\n'
    printf '  to_stderr: no\n  to_syslog: no\n  timestamp: on\n}\n'
    printf 'quorum {\n  provider: corosync_votequorum\n'
    [ "$LAB_NODES" = 2 ] && printf '  two_node: 1\n'
    printf '}\nuidgid {\n  gid: haclient\n}\nnodelist {\n'
    for i in $(seq 1 "$LAB_NODES"); do
        printf '  node {\n    ring0_addr: %s\n    name: %s\n    nodeid: %s\n  }\n' \
            "$(lab_node_ip "$i")" "$(lab_node_name "$i")" "$i"
    done
    printf '}\n'
} > "$LAB_ROOT/corosync.conf"

# ---- per-node state directories
for i in $(seq 1 "$LAB_NODES"); do
    D=$(lab_node_dir "$i")
    mkdir -p "$D"/etc/corosync/uidgid.d "$D"/var/lib/corosync "$D"/var/log/corosync "$D"/var/log/cluster
    mkdir -p "$D"/var/lib/pacemaker/{cib,pengine,blackbox,cores} "$D"/var/log/pacemaker/bundles
    chown -R hacluster:haclient "$D"/var/lib/pacemaker "$D"/var/log/pacemaker
    chmod 750 "$D"/var/lib/pacemaker/{cib,pengine,blackbox,cores}
    chmod 770 "$D"/var/log/pacemaker "$D"/var/log/pacemaker/bundles
    install -m 0644 "$LAB_ROOT/corosync.conf" "$D/etc/corosync/corosync.conf"
    install -m 0400 "$LAB_ROOT/authkey" "$D/etc/corosync/authkey"
    install -d -o postgres -g postgres -m 0700 "$D/var/lib/pgsql"
done

# ---- the stock agent's library fix (upstream's: pass the resource name to -p)
sed 's|crm_attribute -p \$@|crm_attribute -p ${OCF_RESOURCE_INSTANCE} $@|' \
    /usr/lib/ocf/lib/heartbeat/ocf-shellfuncs > "$LAB_ROOT/ocf-shellfuncs"
if ! grep -q 'crm_attribute -p ${OCF_RESOURCE_INSTANCE} \$@' "$LAB_ROOT/ocf-shellfuncs"; then
    if grep -q 'crm_attribute -p \$@' /usr/lib/ocf/lib/heartbeat/ocf-shellfuncs; then
        echo "lab: the ocf-shellfuncs fix did not apply" >&2; exit 1
    fi
    rm -f "$LAB_ROOT/ocf-shellfuncs"          # a fixed resource-agents: nothing to patch
fi

# ---- PostgreSQL: initdb once, then cold copies
D1=$(lab_node_dir 1)/var/lib/pgsql/data
runuser -u postgres -- "$PGBIN/initdb" -D "$D1" -A trust -U postgres --no-instructions \
    > "$LAB_ROOT/initdb.log" 2>&1
cat >> "$D1/postgresql.conf" <<CONF

# ---- pgsql-swift lab
listen_addresses = '*'
port = $LAB_PGPORT
shared_buffers = 32MB
wal_level = replica
max_wal_senders = 10
max_replication_slots = 10
wal_keep_size = $LAB_WAL_KEEP
hot_standby = on
hot_standby_feedback = on
wal_log_hints = on
wal_receiver_status_interval = 1s
restart_after_crash = off
logging_collector = off
CONF
cat >> "$D1/pg_hba.conf" <<HBA
host replication all ${LAB_NET}.0/24 trust
host all         all ${LAB_NET}.0/24 trust
HBA
for i in $(seq 2 "$LAB_NODES"); do
    cp -a "$D1" "$(lab_node_dir "$i")/var/lib/pgsql/data"
done

# ---- start the nodes and record each namespace init
for i in $(seq 1 "$LAB_NODES"); do
    D=$(lab_node_dir "$i")
    setsid ip netns exec "$(lab_node_ns "$i")" \
        unshare --mount --uts --ipc --pid --fork --mount-proc --propagation private \
        "$LAB_HOME/node-init.sh" "$i" > "$D/init.log" 2>&1 < /dev/null &
    echo $! > "$D/launcher.pid"
    # The namespace init is a descendant of the launcher; find it by what it is, not by position.
    init=""
    for _ in $(seq 1 50); do                  # bounded: 5 s
        for st in /proc/[0-9]*/status; do
            p=${st#/proc/}; p=${p%/status}
            if lab_is_node_init "$p" "$i"; then init=$p; break; fi
        done
        [ -n "$init" ] && break
        sleep 0.1
    done
    [ -n "$init" ] || { echo "lab: node $i has no namespace init" >&2; exit 1; }
    echo "$init" > "$D/init.pid"
    echo "node $(lab_node_name "$i"): init pid $init, address $(lab_node_ip "$i")"
done

python3 "$LAB_HOME/labctl.py" wait-online 150
echo "lab up: $LAB_NODES nodes online after $(python3 -c "import sys,time; print(f'{time.time()-float(sys.argv[1]):.1f}')" "$T0") s"
