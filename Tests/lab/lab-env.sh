# Settings and helpers shared by the lab scripts (sourced, never executed).
# Every value can be overridden from the environment.
# shellcheck shell=bash

LAB_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${LAB_ROOT:=/var/tmp/pgsql-swift-lab}"   # per-node state, logs, pids, results
: "${LAB_NODES:=2}"                         # 2 or 3
: "${LAB_PREFIX:=pgswlab}"                  # network namespace prefix
: "${LAB_NET:=10.213.77}"                   # a /24 that exists only inside the lab namespaces
: "${LAB_VIP:=${LAB_NET}.100}"              # master_ip, carried by the vip-master resource
: "${PGBIN:=/usr/lib/postgresql/15/bin}"
: "${LAB_PGPORT:=5432}"

LAB_BRIDGE_NS="${LAB_PREFIX}-br"

# Node N (1-based) → name, namespace, address, state directory.
lab_node_name() { printf 'pgn%s\n' "$1"; }
lab_node_ns()   { printf '%s-pgn%s\n' "$LAB_PREFIX" "$1"; }
lab_node_ip()   { printf '%s.%s\n' "$LAB_NET" "$((10 + $1))"; }
lab_node_dir()  { printf '%s/pgn%s\n' "$LAB_ROOT" "$1"; }

lab_node_count() {
    if [ -s "$LAB_ROOT/nodes" ]; then cat "$LAB_ROOT/nodes"; else echo "$LAB_NODES"; fi
}

# The root-namespace pid of node N's namespace init, if it is alive and still ours.
lab_init_pid() {
    local f pid
    f="$(lab_node_dir "$1")/init.pid"
    [ -s "$f" ] || return 1
    pid=$(cat "$f")
    [ -d "/proc/$pid" ] || return 1
    lab_is_node_init "$pid" "$1" || return 1
    printf '%s\n' "$pid"
}

# True when pid is PID 1 of its own pid namespace, runs node-init.sh N and sits in node N's netns.
lab_is_node_init() {
    local pid=$1 n=$2 ino
    grep -Eq "^NSpid:[[:space:]]+${pid}[[:space:]]+1\$" "/proc/$pid/status" 2>/dev/null || return 1
    ino=$(stat -L -c %i "/run/netns/$(lab_node_ns "$n")" 2>/dev/null) || return 1
    [ "$(readlink "/proc/$pid/ns/net" 2>/dev/null)" = "net:[$ino]" ] || return 1
    tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null | grep -qx "$LAB_HOME/node-init.sh" || return 1
}

# Run argv inside node N (network, mount, UTS, PID and IPC namespaces).
lab_nx() {
    local n=$1 pid
    shift
    pid=$(lab_init_pid "$n") || { echo "lab: node $n is not running" >&2; return 99; }
    nsenter -t "$pid" -n -m -u -p -i -- "$@"
}
