#!/usr/bin/env bash
# End-to-end scenarios a–j in real Pacemaker clusters, for one agent:
#   a, b, c  on a 2-node lab (rep_mode=sync)
#   d        on a 3-node lab (rep_mode=sync)
#   e        on a 2-node lab with replication_slot_name set and wal_keep_size = 0
#   f        (pgsql-swift only) faults: SIGSTOPped PostgreSQL and attrd, on the 2-node lab after a b c;
#            the stock agent makes no such promise (its attribute retries can outlast any timeout)
#   g        (pgsql-swift only) a 2-node lab started with the stock agent is switched live to
#            pgsql-swift (maintenance mode, type change, refresh), then fails over and rejoins
#   i        (pgsql-swift only) pre-promote baseline check and self-ban, on the 3-node lab after d
#   h        (pgsql-swift only) a 3-node lab: a 2-node clone with restart_on_promote and
#            check_wal_receiver, and a rep_mode=slave DR standby on pgn3 in external_standby_node_list
#   j        a 3-node lab with no-quorum-policy=stop: the primary's node cut off from the others
#            (LAB_J_CUT s, default 20) with a writer on it, wal_sender_timeout 5 s and the default;
#            the stock agent only reports; pgsql-swift asserts (LAB_REPORT_ONLY=1: report only)
# usage: [LAB_AGENT=pgsql|pgsql-swift] Tests/lab/e2e.sh [a b c d e f g h i j]
# Each lab is torn down afterwards (also on failure); a failure prints the crm_mon state and
# every node's pacemaker, PostgreSQL and corosync log tail. The attribute table at each checkpoint is
# saved to $LAB_RESULTS (default /var/tmp/pgsql-swift-lab-results) for the cross-agent comparison
# (labctl.py compare-checkpoints).
set -euo pipefail
. "$(dirname "$0")/lab-env.sh"
: "${LAB_AGENT:=pgsql}"
export LAB_AGENT
WANT=${*:-a b c d e f g h i j}
trap '"$LAB_HOME/down.sh" --fast > /dev/null 2>&1 || true' EXIT

wants() { local s; for s in "$@"; do [[ " $WANT " == *" $s "* ]] && return 0; done; return 1; }
run_lab() {                    # run_lab <nodes> <scenarios...>   (extra settings come from the environment)
    local nodes=$1; shift
    local todo=() s
    for s in "$@"; do wants "$s" && todo+=("$s"); done
    [ ${#todo[@]} -gt 0 ] || return 0
    echo "==== $nodes-node lab, agent $LAB_AGENT, scenarios ${todo[*]}"
    "$LAB_HOME/down.sh" --fast > /dev/null
    LAB_NODES=$nodes "$LAB_HOME/up.sh"
    python3 "$LAB_HOME/labctl.py" configure
    python3 "$LAB_HOME/labctl.py" scenario "${todo[@]}"
    local tag
    tag=$(IFS=; echo "${todo[*]}")
    tag=${tag//[fghij]/}       # f, g, h, i and j record no checkpoint: the file pairs with the stock agent's run
    [ -z "$tag" ] || cp "$LAB_ROOT/checkpoints-$LAB_AGENT.json" "$RESULTS/checkpoints-$LAB_AGENT-$nodes-$tag.json"
    [ ! -f "$LAB_ROOT/partition-$LAB_AGENT.json" ] || cp "$LAB_ROOT/partition-$LAB_AGENT.json" "$RESULTS/"
    "$LAB_HOME/down.sh" > /dev/null
}
RESULTS=${LAB_RESULTS:-/var/tmp/pgsql-swift-lab-results}
mkdir -p "$RESULTS"

faults="" baseline=""
[ "$LAB_AGENT" = pgsql-swift ] && faults=f baseline=i
run_lab 2 a b c $faults
run_lab 3 d $baseline
LAB_SLOT=lab_slot LAB_WAL_KEEP=0 run_lab 2 e
if [ "$LAB_AGENT" = pgsql-swift ]; then
    LAB_AGENT=pgsql run_lab 2 g
    LAB_DR_NODE=3 LAB_RESTART_ON_PROMOTE=true LAB_CHECK_WAL_RECEIVER=true LAB_EXTERNAL_STANDBYS=pgn3 run_lab 3 h
fi
LAB_NO_QUORUM_POLICY=stop run_lab 3 j
if [ "$LAB_AGENT" = pgsql-swift ]; then
    ran=$WANT
else
    ran=${WANT//[fghi]/}
    ran=${ran/j/j (report only)}
fi
echo "==== e2e ($LAB_AGENT): scenarios $(echo $ran) passed"
