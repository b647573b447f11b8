#!/usr/bin/env bash
# Tear the lab down. Only the processes recorded by up.sh are signalled, by pid, after checking
# they still are this lab's namespace inits: first SIGUSR1 (each node stops its pacemaker,
# bounded wait; skipped with --fast), then SIGKILL of each node's namespace init, which ends
# every process left in that node. Then the lab's network namespaces are deleted.
# usage: Tests/lab/down.sh [--fast] [--wipe]
set -u
. "$(dirname "$0")/lab-env.sh"
FAST=0; WIPE=0
for a in "$@"; do
    case $a in --fast) FAST=1;; --wipe) WIPE=1;; *) echo "usage: $0 [--fast] [--wipe]" >&2; exit 2;; esac
done
N=3                                           # also catches a 3-node lab's leftovers

if [ $FAST = 0 ]; then
    for i in $(seq 1 $N); do
        p=$(lab_init_pid "$i") && kill -USR1 "$p" 2>/dev/null
    done
    for _ in $(seq 1 60); do                  # bounded: 60 s
        alive=0
        for i in $(seq 1 $N); do
            lab_init_pid "$i" > /dev/null || continue
            # shellcheck disable=SC2016
            lab_nx "$i" bash -c 'kill -0 "$(cat /run/pacemakerd.pid)"' 2>/dev/null && alive=1
        done
        [ $alive = 0 ] && break
        sleep 1
    done
fi
for i in $(seq 1 $N); do
    D=$(lab_node_dir "$i")
    if p=$(lab_init_pid "$i"); then
        kill -KILL "$p"
        for _ in $(seq 1 50); do [ -d "/proc/$p" ] || break; sleep 0.1; done
    fi
    rm -f "$D/init.pid" "$D/launcher.pid"
    ip netns del "$(lab_node_ns "$i")" 2>/dev/null
done
ip netns del "$LAB_BRIDGE_NS" 2>/dev/null
[ $WIPE = 1 ] && rm -rf "$LAB_ROOT"
if ip netns list | grep -q "^$LAB_PREFIX-"; then echo "lab: namespaces left:" >&2; ip netns list >&2; exit 1; fi
echo "lab down"
