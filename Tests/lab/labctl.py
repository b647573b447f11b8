#!/usr/bin/env python3
"""Drive the pgsql-swift cluster lab: configure the resource, read the cluster state, run the
end-to-end scenarios and the benchmarks.

The lab itself (namespaces, corosync, pacemaker) is brought up by up.sh and removed by down.sh.
Everything here runs commands inside lab nodes with nsenter, as argv lists, each bounded by a
timeout. The cluster state is read from `crm_mon --output-as=xml` with an XML parser.

usage: labctl.py configure                 load the pgsql clone + VIP (LAB_AGENT, LAB_REP_MODE, LAB_SLOT, ...)
       labctl.py wait-online [seconds]     wait until every node is online
       labctl.py wait-ready [seconds]      wait for PRI + HS:sync (+ HS:potential|HS:async with 3 nodes)
       labctl.py table                     print the crm_mon -A attribute table
       labctl.py scenario a|b|...|j ...  run end-to-end scenarios on the running lab
       labctl.py failover                  kill -9 the primary's postmaster, wait for the takeover
       labctl.py bench failover|coldstart|actions [runs]
       labctl.py compare <agent> <agent>   ratios of two agents' saved benchmark results
       labctl.py compare-checkpoints <dir> <agent> <agent>   attribute tables of two agents' e2e runs
"""

import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

LAB_HOME = os.path.dirname(os.path.abspath(__file__))
LAB_ROOT = os.environ.get("LAB_ROOT", "/var/tmp/pgsql-swift-lab")
LAB_NET = os.environ.get("LAB_NET", "10.213.77")
LAB_VIP = os.environ.get("LAB_VIP", LAB_NET + ".100")
PGBIN = os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin")
AGENT = os.environ.get("LAB_AGENT", "pgsql")  # pgsql (stock shell agent) | pgsql-swift
RSC = "pgsql"
CLONE = "pgsql-clone"
PGDATA = "/var/lib/pgsql/data"
TMPDIR = "/var/lib/pgsql/tmp"
LOCK = TMPDIR + "/PGSQL.lock"
LSN_ATTRIBUTES = {RSC + "-xlog-loc", RSC + "-master-baseline"}
# LAB_DR_NODE=k: node pgn<k> stays out of the clone and runs DR_RSC, a rep_mode=slave primitive (a
# disaster-recovery standby streaming from the VIP).
DR_NODE = int(os.environ.get("LAB_DR_NODE") or 0)
DR_RSC = "pgsql-dr"
# LAB_NO_QUORUM_POLICY: the cluster property (scenario j runs with "stop"; every other scenario with "ignore").
NO_QUORUM_POLICY = os.environ.get("LAB_NO_QUORUM_POLICY", "ignore")
LAB_BRIDGE_NS = os.environ.get("LAB_PREFIX", "pgswlab") + "-br"


class LabFailure(Exception):
    """A scenario expectation that did not hold."""


# ---------------------------------------------------------------- nodes


def node_count():
    try:
        with open(os.path.join(LAB_ROOT, "nodes")) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return int(os.environ.get("LAB_NODES", "2"))


def node_name(i):
    return f"pgn{i}"


def node_index(name):
    return int(name.removeprefix("pgn"))


def node_ip(i):
    return f"{LAB_NET}.{10 + i}"


def node_dir(i):
    return os.path.join(LAB_ROOT, f"pgn{i}")


def init_pid(i):
    """The recorded namespace init of node i, if it is still alive."""
    try:
        with open(os.path.join(node_dir(i), "init.pid")) as f:
            pid = int(f.read().strip())
    except (OSError, ValueError):
        return None
    try:
        with open(f"/proc/{pid}/status") as f:
            if not re.search(rf"^NSpid:\s+{pid}\s+1$", f.read(), re.M):
                return None
    except OSError:
        return None
    return pid


def nx(i, argv, timeout=30, env=None):
    """Run argv inside node i; returns CompletedProcess (rc 124 on timeout, 99 if the node is down)."""
    pid = init_pid(i)
    if pid is None:
        return subprocess.CompletedProcess(argv, 99, "", f"node {i} is not running")
    cmd = ["nsenter", "-t", str(pid), "-n", "-m", "-u", "-p", "-i", "--",
           "timeout", "-s", "KILL", str(int(timeout)), *argv]
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 5, env=env)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(argv, 124, "", "timed out")


def psql(i, sql, host=None, timeout=10):
    """Run SQL as postgres in node i (local socket, or host=…); returns CompletedProcess."""
    argv = ["runuser", "-u", "postgres", "--", "env", "PGCONNECT_TIMEOUT=2",
            f"{PGBIN}/psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1"]
    if host:
        argv += ["-h", host]
    argv += ["-c", sql]
    return nx(i, argv, timeout=timeout)


def psql_value(i, sql, host=None, timeout=10):
    r = psql(i, sql, host=host, timeout=timeout)
    if r.returncode != 0:
        raise LabFailure(f"pgn{i}: psql {sql!r} failed (rc {r.returncode}): {r.stderr.strip()}")
    return r.stdout.strip()


def alive_node():
    for i in range(1, node_count() + 1):
        if init_pid(i) is not None:
            return i
    raise LabFailure("no lab node is running")


# ---------------------------------------------------------------- cluster state


class ClusterState:
    """One `crm_mon -1 -A --output-as=xml` snapshot."""

    def __init__(self, root):
        self.online = {}
        self.attributes = {}
        self.roles = {}  # node -> role of the pgsql instance there (Started/Promoted/Unpromoted/…)
        self.failed_nodes = set()
        self.failures = []
        self.vip_node = None
        self.vip_nodes = []  # every node where the VIP is active (two after a partition heals)
        self.dr_node = None  # where DR_RSC runs
        for n in root.iterfind("./nodes/node"):
            self.online[n.get("name")] = n.get("online") == "true"
            self.attributes.setdefault(n.get("name"), {})
        for n in root.iterfind("./node_attributes/node"):
            self.attributes[n.get("name")] = {a.get("name"): a.get("value") for a in n.iterfind("attribute")}
        for r in root.iter("resource"):
            on = [x.get("name") for x in r.iterfind("node")]
            if r.get("id") == RSC or r.get("id", "").startswith(RSC + ":"):
                for name in on:
                    role = r.get("role")
                    self.roles[name] = {"Master": "Promoted", "Slave": "Unpromoted"}.get(role, role)
                    if r.get("failed") == "true":
                        self.failed_nodes.add(name)
            elif r.get("id") == "vip-master" and r.get("active") == "true" and on:
                self.vip_node = on[0]
                self.vip_nodes = sorted(on)
            elif r.get("id") == DR_RSC and r.get("active") == "true" and r.get("failed") != "true" and on:
                self.dr_node = on[0]
        for f in root.iterfind("./failures/failure"):
            self.failures.append(dict(f.attrib))

    def attr(self, node, name):
        return self.attributes.get(node, {}).get(name)

    def status(self, node):
        return self.attr(node, RSC + "-status")

    def data_status(self, node):
        return self.attr(node, RSC + "-data-status")

    def score(self, node):
        return self.attr(node, "master-" + RSC)

    def nodes_with_status(self, status):
        return sorted(n for n in self.attributes if self.status(n) == status)

    def table(self):
        """node -> {attribute: value} for this resource's attributes only."""
        out = {}
        for node in sorted(self.attributes):
            out[node] = {k: v for k, v in sorted(self.attributes[node].items())
                         if k.startswith(RSC + "-") or k == "master-" + RSC}
        return out

    def render(self):
        lines = []
        names = ["master-" + RSC, RSC + "-status", RSC + "-data-status", RSC + "-xlog-loc",
                 RSC + "-master-baseline", RSC + "-receiver-status"]
        for node, attrs in self.table().items():
            role = self.roles.get(node, "Stopped")
            cells = [f"{k}={attrs[k]}" for k in names if k in attrs]
            cells += [f"{k}={v}" for k, v in attrs.items() if k not in names]
            lines.append(f"  {node:5} {role:10} " + "  ".join(cells))
        if self.vip_node:
            lines.append(f"  vip-master ({LAB_VIP}) on {self.vip_node}")
        if self.dr_node:
            lines.append(f"  {DR_RSC} (rep_mode=slave) on {self.dr_node}")
        return "\n".join(lines)


def cluster(node=None):
    i = node or alive_node()
    r = nx(i, ["crm_mon", "-1", "-A", "--output-as=xml"], timeout=15)
    if r.returncode != 0 or not r.stdout.strip():
        raise LabFailure(f"crm_mon on pgn{i} failed (rc {r.returncode}): {r.stderr.strip()}")
    try:
        return ClusterState(ET.fromstring(r.stdout))
    except ET.ParseError as e:
        raise LabFailure(f"crm_mon on pgn{i} printed malformed XML: {e}")


def wait_for(what, predicate, timeout, interval=0.5, node=None):
    """Poll the cluster until predicate(state) is truthy; returns (state, value, seconds)."""
    t0 = time.monotonic()
    last, error = None, None
    while time.monotonic() - t0 < timeout:
        try:
            last = cluster(node)
            value = predicate(last)
            if value:
                return last, value, time.monotonic() - t0
        except LabFailure as e:
            error = e
        time.sleep(interval)
    detail = last.render() if last else str(error)
    raise LabFailure(f"timed out after {timeout:.0f} s waiting for {what}; last state:\n{detail}")


def replication_ready(state):
    """PRI + one HS:sync (+ HS:potential/HS:async for the third node). Returns (primary, [standbys])."""
    pri = state.nodes_with_status("PRI")
    nodes = [n for n, up in state.online.items() if up and n != (node_name(DR_NODE) if DR_NODE else None)]
    if len(pri) != 1 or state.roles.get(pri[0]) != "Promoted":
        return None
    sync = [n for n in nodes if state.status(n) == "HS:sync" and state.data_status(n) == "STREAMING|SYNC"]
    others = [n for n in nodes if state.status(n) in ("HS:potential", "HS:async")
              and (state.data_status(n) or "").startswith("STREAMING|")]
    if len(sync) != 1 or len(sync) + len(others) != len(nodes) - 1:
        return None
    if state.vip_node != pri[0]:
        return None
    return pri[0], sync + sorted(others)


# ---------------------------------------------------------------- configuration


def nvpairs(prefix, pairs):
    return "".join(f'<nvpair id="{prefix}-{k}" name="{k}" value="{v}"/>' for k, v in pairs)


def clone_nodes(nodes):
    return [node_name(i) for i in range(1, nodes + 1) if i != DR_NODE]


def operations_xml(rsc, ops):
    xml = ""
    for name, interval, timeout, on_fail, role in ops:
        xml += (f'<op id="{rsc}-{name}-{interval}" name="{name}" interval="{interval}" timeout="{timeout}"'
                + (f' on-fail="{on_fail}"' if on_fail else "") + (f' role="{role}"' if role else "") + "/>")
    return f"<operations>{xml}</operations>"


def dr_resource_xml():
    """The rep_mode=slave primitive of LAB_DR_NODE: a hot standby of the VIP, outside the clone."""
    params = [
        ("pgctl", f"{PGBIN}/pg_ctl"), ("psql", f"{PGBIN}/psql"), ("pgdata", PGDATA), ("tmpdir", TMPDIR),
        ("logfile", "/var/lib/pgsql/postgresql.log"), ("rep_mode", "slave"), ("master_ip", LAB_VIP),
        ("primary_conninfo_opt", "keepalives_idle=60 keepalives_interval=5 keepalives_count=5"),
        ("check_wal_receiver", os.environ.get("LAB_CHECK_WAL_RECEIVER", "false")),
    ]
    ops = [("start", "0s", "60s", "restart", None), ("monitor", "4s", "60s", "restart", None),
           ("stop", "0s", "60s", "block", None)]
    return (f'<primitive id="{DR_RSC}" class="ocf" provider="heartbeat" type="{AGENT}">'
            f'<instance_attributes id="{DR_RSC}-params">{nvpairs(DR_RSC, params)}</instance_attributes>'
            + operations_xml(DR_RSC, ops) + '</primitive>')


def resource_xml(nodes):
    members = clone_nodes(nodes)
    params = [
        ("pgctl", f"{PGBIN}/pg_ctl"), ("psql", f"{PGBIN}/psql"), ("pgdata", PGDATA),
        ("tmpdir", TMPDIR), ("logfile", "/var/lib/pgsql/postgresql.log"),
        ("rep_mode", os.environ.get("LAB_REP_MODE", "sync")),
        ("node_list", " ".join(members)),
        ("master_ip", LAB_VIP),
        ("primary_conninfo_opt", "keepalives_idle=60 keepalives_interval=5 keepalives_count=5"),
        ("restart_on_promote", os.environ.get("LAB_RESTART_ON_PROMOTE", "false")),
    ]
    if os.environ.get("LAB_SLOT"):
        params.append(("replication_slot_name", os.environ["LAB_SLOT"]))
    if os.environ.get("LAB_CHECK_WAL_RECEIVER"):
        params.append(("check_wal_receiver", os.environ["LAB_CHECK_WAL_RECEIVER"]))
    if os.environ.get("LAB_EXTERNAL_STANDBYS"):
        params.append(("external_standby_node_list", os.environ["LAB_EXTERNAL_STANDBYS"]))
    interval_promoted = os.environ.get("LAB_MONITOR_PROMOTED", "3s")
    interval_unpromoted = os.environ.get("LAB_MONITOR_UNPROMOTED", "4s")
    ops = [
        ("start", "0s", "60s", "restart", None), ("monitor", interval_unpromoted, "60s", "restart", None),
        ("monitor", interval_promoted, "60s", "restart", "Promoted"), ("promote", "0s", "60s", "restart", None),
        ("demote", "0s", "60s", "stop", None), ("stop", "0s", "60s", "block", None),
        ("notify", "0s", "60s", None, None),
    ]
    clone_meta = [("promotable", "true"), ("promoted-max", "1"), ("promoted-node-max", "1"),
                  ("clone-max", str(len(members))), ("clone-node-max", "1"), ("notify", "true")]
    return (
        f'<clone id="{CLONE}"><meta_attributes id="{CLONE}-meta">{nvpairs(CLONE, clone_meta)}</meta_attributes>'
        f'<primitive id="{RSC}" class="ocf" provider="heartbeat" type="{AGENT}">'
        f'<instance_attributes id="{RSC}-params">{nvpairs(RSC, params)}</instance_attributes>'
        + operations_xml(RSC, ops) + '</primitive></clone>'
        '<primitive id="vip-master" class="ocf" provider="heartbeat" type="IPaddr2">'
        '<instance_attributes id="vip-master-params">'
        + nvpairs("vip-master", [("ip", LAB_VIP), ("nic", "eth0"), ("cidr_netmask", "24")])
        + '</instance_attributes><operations>'
        '<op id="vip-master-start" name="start" interval="0s" timeout="60s" on-fail="restart"/>'
        '<op id="vip-master-monitor" name="monitor" interval="10s" timeout="60s" on-fail="restart"/>'
        '<op id="vip-master-stop" name="stop" interval="0s" timeout="60s" on-fail="block"/>'
        '</operations></primitive>'
        + (dr_resource_xml() if DR_NODE else "")
    )


def constraints_xml():
    return (
        f'<rsc_colocation id="vip-with-primary" score="INFINITY" rsc="vip-master" with-rsc="{CLONE}" '
        'with-rsc-role="Promoted"/>'
        f'<rsc_order id="promote-then-vip" kind="Mandatory" first="{CLONE}" first-action="promote" '
        'then="vip-master" then-action="start" symmetrical="false"/>'
        f'<rsc_order id="demote-then-stop-vip" kind="Optional" first="{CLONE}" first-action="demote" '
        'then="vip-master" then-action="stop" symmetrical="false"/>'
        + ("".join(f'<rsc_location id="{DR_RSC}-only-on-{node_name(DR_NODE)}-not-{n}" rsc="{DR_RSC}" node="{n}" '
                   f'score="-INFINITY"/>' for n in clone_nodes(node_count()))
           + f'<rsc_location id="{CLONE}-not-on-{node_name(DR_NODE)}" rsc="{CLONE}" node="{node_name(DR_NODE)}" '
           'score="-INFINITY"/>' if DR_NODE else "")
    )


def configure():
    """Load properties, defaults, the promotable clone, the VIP and constraints in one CIB replace."""
    if AGENT not in ("pgsql", "pgsql-swift"):
        raise LabFailure(f"LAB_AGENT must be pgsql or pgsql-swift, not {AGENT!r}")
    agent_path = f"/usr/lib/ocf/resource.d/heartbeat/{AGENT}"
    if not os.access(agent_path, os.X_OK):
        raise LabFailure(f"{agent_path} is not installed (make install)")
    i = alive_node()
    r = nx(i, ["cibadmin", "--query", "--scope", "configuration"], timeout=20)
    if r.returncode != 0:
        raise LabFailure(f"cibadmin --query failed: {r.stderr.strip()}")
    conf = ET.fromstring(r.stdout)
    props = conf.find("./crm_config/cluster_property_set[@id='cib-bootstrap-options']")
    if props is None:
        props = ET.SubElement(conf.find("./crm_config"), "cluster_property_set", id="cib-bootstrap-options")
    for k, v in (("stonith-enabled", "false"), ("no-quorum-policy", NO_QUORUM_POLICY)):
        for old in props.findall(f"nvpair[@name='{k}']"):
            props.remove(old)
        ET.SubElement(props, "nvpair", id=f"cib-bootstrap-options-{k}", name=k, value=v)
    for tag in ("rsc_defaults", "resources", "constraints"):
        old = conf.find(tag)
        if old is not None:
            conf.remove(old)
    n = node_count()
    conf.append(ET.fromstring(f"<resources>{resource_xml(n)}</resources>"))
    conf.append(ET.fromstring(f"<constraints>{constraints_xml()}</constraints>"))
    conf.append(ET.fromstring(
        '<rsc_defaults><meta_attributes id="rsc-options">'
        + nvpairs("rsc-options", [("resource-stickiness", "INFINITY"), ("migration-threshold", "1")])
        + "</meta_attributes></rsc_defaults>"))
    r = nx(i, ["cibadmin", "--replace", "--scope", "configuration", "--xml-text",
               ET.tostring(conf, encoding="unicode")], timeout=30)
    if r.returncode != 0:
        raise LabFailure(f"cibadmin --replace failed: {r.stderr.strip()}")
    print(f"configured {CLONE} (ocf:heartbeat:{AGENT}, rep_mode={os.environ.get('LAB_REP_MODE', 'sync')}, "
          f"{n} nodes, VIP {LAB_VIP}, no-quorum-policy={NO_QUORUM_POLICY}"
          + (f", slot {os.environ['LAB_SLOT']}" if os.environ.get("LAB_SLOT") else "")
          + "".join(f", {k}={os.environ[k]}" for k in ("LAB_DR_NODE", "LAB_RESTART_ON_PROMOTE",
                    "LAB_CHECK_WAL_RECEIVER", "LAB_EXTERNAL_STANDBYS") if os.environ.get(k)) + ")")


# ---------------------------------------------------------------- diagnostics


def tail(path, lines):
    try:
        with open(path, errors="replace") as f:
            return f.readlines()[-lines:]
    except OSError as e:
        return [f"({e})\n"]


def print_diagnostics():
    """What a failed scenario needs to be understood: crm_mon and every node's log tails."""
    print("==== diagnostics", file=sys.stderr)
    try:
        r = nx(alive_node(), ["crm_mon", "-1", "-A", "-f", "-r"], timeout=15)
        print(r.stdout, r.stderr, file=sys.stderr)
    except LabFailure as e:
        print(e, file=sys.stderr)
    for i in range(1, node_count() + 1):
        d = node_dir(i)
        for label, path, n in (("pacemaker", "var/log/pacemaker/pacemaker.log", 60),
                               ("postgresql", "var/lib/pgsql/postgresql.log", 25),
                               ("corosync", "var/log/corosync/corosync.log", 8)):
            print(f"---- pgn{i} {label} ({path}), last {n} lines", file=sys.stderr)
            for line in tail(os.path.join(d, path), n):
                print("   " + line.rstrip(), file=sys.stderr)


# ---------------------------------------------------------------- checkpoints


def normalized(table, labels):
    """The attribute table keyed by role labels; LSN-valued attributes reduced to their format."""
    out = {}
    for node, label in labels.items():
        row = {}
        for k, v in table.get(node, {}).items():
            if k in LSN_ATTRIBUTES:
                v = "<lsn>" if re.fullmatch(r"[0-9A-F]{16}", v or "") else f"<malformed:{v}>"
            row[k] = v
        out[label] = row
    return out


def settled(quiet=5.0, timeout=60):
    """The cluster state once the attribute table and roles stopped changing for `quiet` seconds
    (longer than both monitor intervals), so a checkpoint never catches an agent between two writes.
    A synchronous standby still catching up (pgsql-swift: HS:sync with STREAMING|ASYNC until its
    flush position reached the primary's, read on a monitor at least 5 s after the switch) is a
    transition too, not a settled state."""
    t0 = time.monotonic()
    last, since = None, time.monotonic()
    while time.monotonic() - t0 < timeout:
        state = cluster()
        key = json.dumps([state.table(), state.roles, state.vip_node], sort_keys=True)
        catching_up = any(state.status(node_name(i)) == "HS:sync"
                          and state.data_status(node_name(i)) == "STREAMING|ASYNC"
                          for i in range(1, node_count() + 1))
        if key != last or catching_up:
            last, since = key, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return state
        time.sleep(0.5)
    raise LabFailure(f"the cluster did not settle within {timeout} s; last state:\n{state.render()}")


def checkpoint(name, state, labels):
    """Wait until the cluster is quiet, print the table and record it (by role label) for the
    cross-agent comparison. Returns the settled state."""
    state = settled()
    print(f"  [{name}]")
    print(state.render())
    path = os.path.join(LAB_ROOT, f"checkpoints-{AGENT}.json")
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError):
        data = {}
    data[name] = normalized(state.table(), labels)
    with open(path + ".tmp", "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
    os.replace(path + ".tmp", path)
    return state


def expect(condition, message):
    if not condition:
        raise LabFailure(message)
    print(f"  ok: {message}")


def expect_attributes(state, node, status, data_status, score):
    got = (state.status(node), state.data_status(node), state.score(node))
    expect(got == (status, data_status, score),
           f"{node}: {RSC}-status={status} {RSC}-data-status={data_status} master-{RSC}={score}"
           + ("" if got == (status, data_status, score) else f" (got {got})"))


# ---------------------------------------------------------------- actions used by the scenarios


def postmaster_pid(i):
    """The pid in node i's postmaster.pid, or "" when there is none."""
    r = nx(i, ["head", "-1", f"{PGDATA}/postmaster.pid"])
    pid = r.stdout.strip()
    return pid if r.returncode == 0 and pid.isdigit() else ""


def kill_postmaster(i):
    pid = postmaster_pid(i)
    if not pid:
        raise LabFailure(f"pgn{i}: no postmaster.pid to kill")
    nx(i, ["kill", "-9", pid])
    return pid


def postmaster_running(i):
    pid = postmaster_pid(i)
    return bool(pid) and nx(i, ["kill", "-0", pid]).returncode == 0


# A client inside a node that retries the way a well-behaved application would: a TCP connect to the
# VIP with a 0.2 s timeout every 50 ms (psql alone cannot do that: libpq's connect_timeout is at least
# 2 s, which quantised the figures), and once the port answers, the INSERT through psql.
VIP_CLIENT = r"""
import socket, subprocess, sys, time
vip, psql, limit = sys.argv[1], sys.argv[2], float(sys.argv[3])
t0 = time.monotonic()
while time.monotonic() - t0 < limit:
    try:
        socket.create_connection((vip, 5432), timeout=0.2).close()
    except OSError:
        time.sleep(0.05)
        continue
    r = subprocess.run(["runuser", "-u", "postgres", "--", "env", "PGCONNECT_TIMEOUT=2", psql, "-X", "-q",
                        "-v", "ON_ERROR_STOP=1", "-h", vip, "-c", "insert into lab_t(v) values ('through-vip')"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10)
    if r.returncode == 0:
        sys.exit(0)
    time.sleep(0.05)
sys.exit(1)
"""


def wait_write_through_vip(from_node, timeout=120):
    """Returns the seconds until an INSERT through the VIP, tried from inside from_node, commits."""
    t0 = time.monotonic()
    r = nx(from_node, ["python3", "-c", VIP_CLIENT, LAB_VIP, f"{PGBIN}/psql", str(timeout)], timeout=timeout + 15)
    if r.returncode != 0:
        raise LabFailure(f"no write through the VIP {LAB_VIP} within {timeout} s (rc {r.returncode})")
    return time.monotonic() - t0


def kill_primary_and_write(old, new, pause=0.0):
    """kill -9 the postmaster of primary `old` (after `pause` s); returns (its pid, the seconds until an
    INSERT through the VIP, tried from inside `new`, commits)."""
    o, n = node_index(old), node_index(new)
    psql_value(o, "create table if not exists lab_t(id bigserial primary key, v text)")
    time.sleep(pause)
    pid = kill_postmaster(o)
    return pid, wait_write_through_vip(n)


def rebuild_standby(i, primary):
    """pg_basebackup node i from the primary, remove PGSQL.lock, clean up the resource there."""
    # Let the cluster finish what it does on that node (a refused start is followed by a stop, and
    # agents touch files in PGDATA): the data directory is swapped only once it is quiet.
    nx(i, ["crm_resource", "--wait", "--timeout=90s"], timeout=100)
    for _ in range(60):
        if not postmaster_running(i):
            break
        time.sleep(1)
    else:
        raise LabFailure(f"pgn{i}: PostgreSQL still running; cannot rebuild it")
    new, old = "/var/lib/pgsql/data.rebuild", "/var/lib/pgsql/data.old"
    for argv in (["rm", "-rf", new, old],
                 ["runuser", "-u", "postgres", "--", f"{PGBIN}/pg_basebackup", "-h", node_ip(primary),
                  "-U", "postgres", "-D", new, "-X", "stream", "-c", "fast"],
                 ["mv", PGDATA, old], ["mv", new, PGDATA], ["rm", "-f", LOCK]):
        r = nx(i, argv, timeout=120)
        if r.returncode != 0:
            raise LabFailure(f"pgn{i}: {' '.join(argv)} failed: {r.stderr.strip()}")
    for _ in range(5):
        if nx(i, ["rm", "-rf", old], timeout=60).returncode == 0:
            break
        time.sleep(1)
    r = nx(i, ["crm_resource", "--cleanup", "-r", RSC, "-N", node_name(i)], timeout=30)
    if r.returncode != 0:
        raise LabFailure(f"pgn{i}: crm_resource --cleanup failed: {r.stderr.strip()}")


def attribute_changes(log, offset, name, node):
    """New values of attribute `name` on `node` that attrd logged after `offset` in `log`."""
    values = []
    try:
        with open(log, errors="replace") as f:
            f.seek(offset)
            for line in f:
                m = re.search(rf"Setting {re.escape(name)}\[{re.escape(node)}\]: \S* -> (\S+)", line)
                if m and (not values or values[-1] != m.group(1)):
                    values.append(m.group(1))
    except OSError:
        pass
    return values


def set_node_standby(name, on):
    i = alive_node()
    argv = ["crm_attribute", "-t", "nodes", "-N", name, "-n", "standby"]
    argv += ["-v", "on"] if on else ["-D"]
    r = nx(i, argv, timeout=30)
    if r.returncode != 0:
        raise LabFailure(f"setting {name} standby={on} failed: {r.stderr.strip()}")


def wait_ready(timeout=240):
    state, (primary, standbys), secs = wait_for("PRI + HS:sync", replication_ready, timeout)
    return state, primary, standbys, secs


# ---------------------------------------------------------------- scenarios


def scenario_a():
    """Cold start: PRI/LATEST/1000 and HS:sync/STREAMING|SYNC/100; a write is replicated."""
    state, primary, standbys, secs = wait_ready()
    print(f"  ready after {secs:.1f} s: primary {primary}, standbys {standbys}")
    state = checkpoint("a-cold-start", state, {primary: "primary", **{s: f"standby{k}" for k, s in enumerate(standbys, 1)}})
    expect_attributes(state, primary, "PRI", "LATEST", "1000")
    expect_attributes(state, standbys[0], "HS:sync", "STREAMING|SYNC", "100")
    p, s = node_index(primary), node_index(standbys[0])
    psql_value(p, "create table if not exists lab_t(id bigserial primary key, v text)")
    marker = f"a-{time.time_ns()}"
    psql_value(p, f"insert into lab_t(v) values ('{marker}')")
    expect(wait_rows_visible(s, marker, 10), f"a row written on {primary} is visible on {standbys[0]}")
    expect(psql_value(s, "select pg_is_in_recovery()") == "t", f"{standbys[0]} is a hot standby")


def scenario_b():
    """kill -9 of the primary's postmaster: failover, lock refusal, rebuild, rejoin."""
    state, old, standbys, _ = wait_ready()
    new = standbys[0]
    o, n = node_index(old), node_index(new)
    t0 = time.monotonic()
    pid, secs = kill_primary_and_write(old, new)
    print(f"  killed -9 the postmaster (pid {pid}) of primary {old}; a write through the VIP committed"
          f" {secs:.2f} s later")
    state, _, _ = wait_for(f"{new} PRI and {old} STOP/DISCONNECT/-INFINITY",
                           lambda st: st.status(new) == "PRI" and st.status(old) == "STOP"
                           and st.data_status(old) == "DISCONNECT" and st.score(old) == "-INFINITY", 60)
    state = checkpoint("b-after-failover", state, {new: "new-primary", old: "old-primary"})
    expect_attributes(state, new, "PRI", "LATEST", "1000")
    expect_attributes(state, old, "STOP", "DISCONNECT", "-INFINITY")
    expect(state.vip_node == new, f"the VIP follows the new primary {new}")
    expect(psql_value(n, "select pg_is_in_recovery()") == "f", f"{new} is out of recovery")
    expect(nx(o, ["test", "-f", LOCK]).returncode == 0, f"{old} keeps {LOCK}")
    # Let the cluster try to start the old primary again: the lock must refuse it.
    nx(o, ["crm_resource", "--cleanup", "-r", RSC, "-N", old], timeout=30)

    def refused(st):
        return [f for f in st.failures if f.get("node") == old and f.get("task") == "start"
                and "PGSQL.lock" in (f.get("exitreason") or "")]
    state, failures, _ = wait_for(f"{old}'s start to fail on the lock", refused, 60)
    expect(True, f"{old}'s start is refused: {failures[0].get('exitreason')!r} (rc {failures[0].get('exitcode')})")
    expect(not postmaster_running(o), f"{old}'s PostgreSQL stayed down")
    t1 = time.monotonic()
    rebuild_standby(o, n)
    state, primary, standbys, secs = wait_ready()
    print(f"  rejoined {time.monotonic() - t1:.1f} s after the rebuild began ({time.monotonic() - t0:.1f} s after the kill)")
    expect(primary == new and standbys == [old], f"{old} rejoined as HS:sync of {new}")
    state = checkpoint("b-rejoined", state, {new: "new-primary", old: "old-primary"})


def scenario_c():
    """Standby stopped: the primary switches to async and keeps committing; back: HS:async, then HS:sync."""
    state, primary, standbys, _ = wait_ready()
    standby = standbys[0]
    p = node_index(primary)
    psql_value(p, "create table if not exists lab_t(id bigserial primary key, v text)")
    set_node_standby(standby, True)
    state, _, _ = wait_for(f"{standby} stopped", lambda st: standby not in st.roles
                           and st.data_status(standby) == "DISCONNECT", 90)
    names = ""
    for _ in range(40):
        names = psql_value(p, "show synchronous_standby_names")
        if names == "":
            break
        time.sleep(0.5)
    expect(names == "", f"{primary}: synchronous_standby_names is empty after {standby} stopped")
    r = psql(p, "insert into lab_t(v) values ('c-async')", timeout=5)
    expect(r.returncode == 0 and "canceling" not in r.stderr, f"{primary} commits a write with {standby} down")
    state = cluster()
    state = checkpoint("c-standby-stopped", state, {primary: "primary", standby: "standby"})
    expect_attributes(state, primary, "PRI", "LATEST", "1000")
    expect(state.data_status(standby) == "DISCONNECT", f"{standby}: {RSC}-data-status=DISCONNECT")
    log = os.path.join(node_dir(p), "var/log/pacemaker/pacemaker.log")
    offset = os.path.getsize(log) if os.path.exists(log) else 0
    set_node_standby(standby, False)
    seen = []
    t0 = time.monotonic()
    while time.monotonic() - t0 < 120:
        st = cluster()
        s = st.status(standby)
        if not seen or seen[-1] != s:
            seen.append(s)
        if s == "HS:sync" and st.data_status(standby) == "STREAMING|SYNC":
            break
        time.sleep(0.2)
    print(f"  {standby} {RSC}-status polled: {' -> '.join(str(x) for x in seen)}")
    # The polls can miss a short-lived value; attrd logs every change, so read the sequence there.
    changes = attribute_changes(log, offset, f"{RSC}-status", standby)
    print(f"  {standby} {RSC}-status changes logged by attrd on {primary}: {' -> '.join(changes)}")
    seen = changes or seen
    # HS:async is written only if the primary looks at the returning standby while the standby still
    # streams asynchronously *and* after its start replaced STOP (another node's STOP is never
    # overwritten): with either agent it depends on timing. What must hold: it ends HS:sync, passes only
    # through start-up states, and never falls back from HS:sync to HS:async.
    allowed = {"STOP", "HS:alone", "HS:async", "HS:sync"}
    ordered = "HS:async" not in seen or "HS:sync" not in seen[:seen.index("HS:async")]
    expect(seen and seen[-1] == "HS:sync" and set(seen) <= allowed and ordered,
           f"{standby} came back as HS:sync via {' -> '.join(seen)}")
    state, primary2, standbys2, _ = wait_ready(60)
    expect(primary2 == primary and psql_value(p, "show synchronous_standby_names").strip('"') == standby,
           f"{primary} lists {standby} in synchronous_standby_names again")
    state = checkpoint("c-rejoined", state, {primary: "primary", standby: "standby"})


def scenario_d():
    """3 nodes, sync: one HS:sync, one HS:potential; the sync standby (only) is promoted."""
    if node_count() != 3:
        raise LabFailure("scenario d needs a 3-node lab (LAB_NODES=3)")
    state, old, standbys, _ = wait_ready()
    sync, other = standbys
    state = checkpoint("d-ready", state, {old: "primary", sync: "sync-standby", other: "other-standby"})
    expect_attributes(state, old, "PRI", "LATEST", "1000")
    expect_attributes(state, sync, "HS:sync", "STREAMING|SYNC", "100")
    expect(state.status(other) in ("HS:potential", "HS:async") and state.score(other) == "-INFINITY",
           f"{other}: {state.status(other)} / {state.data_status(other)} / master-{RSC}={state.score(other)}")
    o, s, t = node_index(old), node_index(sync), node_index(other)
    psql_value(o, "create table if not exists lab_t(id bigserial primary key, v text)")
    kill_postmaster(o)
    t0 = time.monotonic()
    promoted = set()
    while time.monotonic() - t0 < 120:
        st = cluster()
        promoted |= {n for n, role in st.roles.items() if role == "Promoted" and n != old}
        promoted |= set(st.nodes_with_status("PRI")) - {old}
        if st.status(sync) == "PRI" and st.vip_node == sync:
            break
        time.sleep(0.2)
    expect(promoted == {sync}, f"only the sync standby {sync} was promoted (seen: {sorted(promoted)})")
    wait_write_through_vip(s)
    print(f"  write through the VIP committed {time.monotonic() - t0:.2f} s after the kill")
    state, _, _ = wait_for(f"{other} streaming from {sync}",
                           lambda st: st.status(other) in ("HS:sync", "HS:async", "HS:potential")
                           and (st.data_status(other) or "").startswith("STREAMING|"), 90)
    upstream = psql_value(t, "select sender_host from pg_stat_wal_receiver")
    expect(upstream == LAB_VIP, f"{other} streams through the VIP (now on {sync}) without a rebuild")
    rows = psql_value(s, "select count(*) from pg_stat_replication where application_name = "
                         f"'{other}' and state = 'streaming'")
    expect(rows == "1", f"{sync}'s pg_stat_replication shows {other} streaming")
    state = checkpoint("d-after-failover", state, {sync: "new-primary", other: "other-standby", old: "old-primary"})
    rebuild_standby(o, s)
    state, primary, standbys, _ = wait_ready()
    expect(primary == sync and old in standbys, f"{old} rejoined as a standby of {sync}")
    state = checkpoint("d-rejoined", state, {sync: "new-primary", other: "other-standby", old: "old-primary"})


def scenario_e():
    """Replication slots: one per standby on the primary; WAL retained while a standby is down."""
    slot = os.environ.get("LAB_SLOT")
    if not slot:
        raise LabFailure("scenario e needs LAB_SLOT (the lab configured with replication_slot_name)")
    state, primary, standbys, _ = wait_ready()
    standby = standbys[0]
    p, s = node_index(primary), node_index(standby)
    slot_name = f"{slot}_{standby}".lower().replace("-", "_").replace(".", "_")
    state = checkpoint("e-ready", state, {primary: "primary", standby: "standby"})
    slots = psql_value(p, "select slot_name || ':' || case when active then 't' else 'f' end from pg_replication_slots order by 1")
    expect(f"{slot_name}:t" in slots.split(), f"{primary} has the active slot {slot_name} (slots: {slots.split()})")
    psql_value(p, "create table if not exists lab_t(id bigserial primary key, v text)")
    set_node_standby(standby, True)
    state, _, _ = wait_for(f"{standby} stopped", lambda st: standby not in st.roles, 90)
    restart = psql_value(p, f"select restart_lsn from pg_replication_slots where slot_name = '{slot_name}'")
    expect(restart != "", f"{slot_name} keeps restart_lsn {restart} with {standby} down")
    for k in range(4):
        psql_value(p, f"insert into lab_t(v) select 'e-{k}-' || g from generate_series(1, 2000) g", timeout=20)
        psql_value(p, "select pg_switch_wal()")
    psql_value(p, "checkpoint", timeout=60)
    after = psql_value(p, f"select restart_lsn from pg_replication_slots where slot_name = '{slot_name}'")
    segment = psql_value(p, f"select pg_walfile_name('{restart}')")
    present = psql_value(p, f"select count(*) from pg_ls_waldir() where name = '{segment}'")
    expect(after == restart and present == "1",
           f"WAL segment {segment} at the slot's restart_lsn is retained after 4 WAL switches and a checkpoint")
    expect(psql_value(p, "show wal_keep_size") in ("0", "0MB", "0kB"), "wal_keep_size is 0: the slot alone retains it")
    state = cluster()
    state = checkpoint("e-standby-stopped", state, {primary: "primary", standby: "standby"})
    ident = nx(s, ["runuser", "-u", "postgres", "--", f"{PGBIN}/pg_controldata", PGDATA]).stdout
    set_node_standby(standby, False)
    state, primary2, standbys2, secs = wait_ready(120)
    expect(primary2 == primary and standbys2 == [standby], f"{standby} rejoined as HS:sync after {secs:.1f} s")
    rows = psql_value(s, "select count(*) from lab_t where v like 'e-%'")
    expect(rows == "8000", f"{standby} replayed the retained WAL ({rows} rows)")
    same = re.search(r"Database system identifier:\s+(\d+)", ident or "")
    now = re.search(r"Database system identifier:\s+(\d+)",
                    nx(s, ["runuser", "-u", "postgres", "--", f"{PGBIN}/pg_controldata", PGDATA]).stdout or "")
    expect(same and now and same.group(1) == now.group(1) and nx(s, ["test", "-f", f"{PGDATA}/backup_label.old"]).returncode != 0,
           f"{standby} kept its data directory (no basebackup)")
    state = checkpoint("e-rejoined", state, {primary: "primary", standby: "standby"})


# Runs inside a node: the agent with a captured environment (timeout and interval overridden), prints
# {"rc", "seconds", "reason"} where reason is the last ocf-exit-reason line of its stderr.
RUN_AGENT = r"""
import json, subprocess, sys, time
envf, agent, action, timeout_ms = sys.argv[1:5]
env = dict(line.split("=", 1) for line in open(envf).read().splitlines() if "=" in line)
env.update(json.loads(sys.argv[5]) if len(sys.argv) > 5 else {})
env["OCF_RESKEY_CRM_meta_timeout"] = timeout_ms
env["OCF_RESKEY_CRM_meta_interval"] = "0" if action != "monitor" else env.get("OCF_RESKEY_CRM_meta_interval", "0")
t0 = time.monotonic()
r = subprocess.run([agent, action], env=env, capture_output=True, text=True, timeout=int(timeout_ms) / 1000 + 30)
reasons = [l.split("ocf-exit-reason:", 1)[1] for l in r.stderr.splitlines() if "ocf-exit-reason:" in l]
print(json.dumps({"rc": r.returncode, "seconds": time.monotonic() - t0, "reason": reasons[-1] if reasons else ""}))
"""


def run_agent_by_hand(node, envf, action, timeout_ms, extra_env=None):
    """Run the agent in node with a captured environment (plus extra_env); returns rc, seconds, exit reason."""
    r = nx(node_index(node), ["python3", "-c", RUN_AGENT, envf, agent_path(), action, str(timeout_ms),
                              json.dumps(extra_env or {})], timeout=timeout_ms / 1000 + 40)
    if r.returncode != 0:
        raise LabFailure(f"{node}: running {AGENT} {action} by hand failed: {r.stderr.strip()}")
    out = json.loads(r.stdout)
    print(f"  {node}: {action} (timeout {timeout_ms} ms) -> rc {out['rc']} after {out['seconds']:.2f} s;"
          f" reason: {out['reason'] or '-'}")
    return out


def signal_process(node, name, sig):
    """SIGSTOP/SIGCONT a pacemaker daemon (by name) or PostgreSQL's postmaster ("postmaster") in node."""
    i = node_index(node)
    if name == "postmaster":
        pids = [pid for pid in [postmaster_pid(i)] if pid]
    else:
        r = nx(i, ["pgrep", "-x", name])
        pids = r.stdout.split() if r.returncode == 0 else []
    if not pids or not all(p.isdigit() for p in pids):
        raise LabFailure(f"{node}: no {name} process")
    nx(i, ["kill", f"-{sig}", *pids])


def run_while_stopped(node, process, envf, action, timeout_ms):
    """Run the agent by hand in node while `process` there is frozen by SIGSTOP (then SIGCONT)."""
    signal_process(node, process, "STOP")
    try:
        return run_agent_by_hand(node, envf, action, timeout_ms)
    finally:
        signal_process(node, process, "CONT")


def set_maintenance(on):
    i = alive_node()
    argv = ["crm_attribute", "-t", "crm_config", "-n", "maintenance-mode"] + (["-v", "true"] if on else ["-D"])
    r = nx(i, argv, timeout=30)
    if r.returncode != 0:
        raise LabFailure(f"maintenance-mode={on} failed: {r.stderr.strip()}")
    if on:
        def unmanaged(_):
            x = nx(i, ["crm_mon", "-1", "--output-as=xml"], timeout=15).stdout
            return 'managed="true"' not in x and 'managed="false"' in x
        wait_for("every resource unmanaged", unmanaged, 30)
        time.sleep(2)  # the recurring monitors are cancelled with the transition


def expect_bounded(out, timeout_ms, rc, words):
    expect(out["rc"] == rc, f"exit code {rc} (got {out['rc']})")
    expect(out["seconds"] < timeout_ms / 1000, f"ended within its {timeout_ms} ms timeout ({out['seconds']:.2f} s)")
    if words:
        expect(words in out["reason"], f"the exit reason names {words!r} ({out['reason']!r})")


def scenario_f():
    """Faults (pgsql-swift only; maintenance mode, the agent run by hand with execd's environment):
    PostgreSQL SIGSTOPped on the standby and on the primary, the attribute daemon SIGSTOPped under
    a primary monitor and under a standby stop: each action ends within its timeout, with an exit
    reason; the stop still stops PostgreSQL; the cluster comes back to PRI + HS:sync afterwards."""
    _, primary, standbys, _ = wait_ready()
    standby = standbys[0]
    failures_before = len(cluster().failures)
    envs = {primary: capture_monitor_env(primary, "primary"), standby: capture_monitor_env(standby, "standby")}
    set_maintenance(True)
    timeout_ms = 8000
    try:
        for node in (standby, primary):
            out = run_while_stopped(node, "postmaster", envs[node], "monitor", timeout_ms)
            expect_bounded(out, timeout_ms, 1, "PostgreSQL")
            print(f"ok: monitor on {node} with PostgreSQL stopped by SIGSTOP: rc 1 within its timeout")

        # The primary's monitor must write pgsql-status PRI again, through a hung attrd.
        p = node_index(primary)
        r = nx(p, ["crm_attribute", "-l", "reboot", "-N", primary, "-n", f"{RSC}-status", "-D"], timeout=30)
        expect(r.returncode == 0, f"{RSC}-status of {primary} deleted ({r.stderr.strip() or 'rc 0'})")
        wait_for(f"{RSC}-status of {primary} gone", lambda st: st.status(primary) is None, 30)
        out = run_while_stopped(primary, "pacemaker-attrd", envs[primary], "monitor", timeout_ms)
        expect_bounded(out, timeout_ms, 1, "crm_attribute")
        print("ok: primary monitor with pacemaker-attrd stopped: rc 1 within its timeout, reason names crm_attribute")
        out = run_agent_by_hand(primary, envs[primary], "monitor", timeout_ms)
        expect(out["rc"] == 8, f"after SIGCONT the primary monitor returns 8 (got {out['rc']})")
        wait_for(f"{primary} PRI again", lambda st: st.status(primary) == "PRI", 30)

        s = node_index(standby)
        out = run_while_stopped(standby, "pacemaker-attrd", envs[standby], "stop", 30000)
        expect_bounded(out, 30000, 0, "")
        expect(not postmaster_running(s), f"PostgreSQL is stopped on {standby}")
        print(f"ok: stop on {standby} with pacemaker-attrd stopped: PostgreSQL stopped, rc 0 within its timeout")
        out = run_agent_by_hand(standby, envs[standby], "start", 60000)
        expect(out["rc"] == 0, f"start on {standby} by hand returns 0 (got {out['rc']}: {out['reason']})")
    finally:
        for node in (primary, standby):
            for name in ("postmaster", "pacemaker-attrd"):
                try:
                    signal_process(node, name, "CONT")
                except LabFailure:
                    pass
        set_maintenance(False)
    wait_ready()
    time.sleep(8)  # two monitor intervals: a monitor failing after maintenance mode would show now
    failures = cluster().failures
    expect(len(failures) == failures_before, f"no new failed action after maintenance mode ({failures})")
    print("ok: out of maintenance mode the cluster is PRI + HS:sync again, no failed action")


def include_lines(i):
    """The include lines the agents appended to node i's postgresql.conf, in order."""
    r = nx(i, ["cat", f"{PGDATA}/postgresql.conf"])
    return [line for line in r.stdout.splitlines() if line.startswith("include ") and "added by pgsql RA" in line]


def scenario_g():
    """Live swap of a running stock-agent cluster to pgsql-swift, the way an operator does it:
    maintenance mode, change the primitive's type, refresh (re-probe), end maintenance mode. No
    PostgreSQL restart, the same attributes, then a failover, the lock refusal and a rejoin done by
    pgsql-swift on the stock agent's files."""
    global AGENT
    expect(AGENT == "pgsql", "the lab runs the stock agent ocf:heartbeat:pgsql before the swap")
    state, primary, standbys, _ = wait_ready()
    standby = standbys[0]
    p, s = node_index(primary), node_index(standby)
    psql_value(p, "create table if not exists lab_t(id bigserial primary key, v text)")
    pids = {n: postmaster_pid(node_index(n)) for n in (primary, standby)}
    includes = {n: include_lines(node_index(n)) for n in (primary, standby)}
    set_maintenance(True)
    r = nx(p, ["cibadmin", "--modify", "--xml-text", f'<primitive id="{RSC}" type="pgsql-swift"/>'], timeout=30)
    expect(r.returncode == 0, f"primitive {RSC} switched to ocf:heartbeat:pgsql-swift ({r.stderr.strip() or 'rc 0'})")
    AGENT = "pgsql-swift"
    r = nx(p, ["crm_resource", "--refresh", "-r", CLONE], timeout=30)
    expect(r.returncode == 0, f"crm_resource --refresh ({r.stderr.strip() or 'rc 0'})")
    wait_for(f"the probes find {primary} promoted and {standby} unpromoted",
             lambda st: st.roles.get(primary) == "Promoted" and st.roles.get(standby) == "Unpromoted", 60)
    set_maintenance(False)
    state, primary2, standbys2, _ = wait_ready()
    expect((primary2, standbys2) == (primary, standbys), f"{primary} is still the primary, {standby} its HS:sync")
    after = {n: postmaster_pid(node_index(n)) for n in (primary, standby)}
    expect(after == pids, f"no PostgreSQL restart (postmaster pids {pids} -> {after})")
    # The re-probe of the standby sets its score to -INFINITY (both agents); the primary's next
    # monitor gives the synchronous standby its 100 back.
    def steady(st):
        return ((st.status(primary), st.data_status(primary), st.score(primary)) == ("PRI", "LATEST", "1000")
                and (st.status(standby), st.data_status(standby), st.score(standby))
                == ("HS:sync", "STREAMING|SYNC", "100"))
    state, _, _ = wait_for("PRI/LATEST/1000 and HS:sync/STREAMING|SYNC/100", steady, 30)
    expect_attributes(state, primary, "PRI", "LATEST", "1000")
    expect_attributes(state, standby, "HS:sync", "STREAMING|SYNC", "100")
    capture_monitor_env(standby, "standby")
    capture_monitor_env(primary, "primary")
    expect(True, "the recurring monitors on both nodes now run pgsql-swift")

    # The capture returns while a primary monitor runs: the kill lands during one. A monitor that
    # read pg_stat_replication after the postmaster died (walsenders gone) must not mark the
    # standby DISCONNECT / -INFINITY, or nobody could take over.
    pid, secs = kill_primary_and_write(primary, standby)
    print(f"  killed -9 the postmaster (pid {pid}) of primary {primary}; a write through the VIP committed"
          f" {secs:.2f} s later")
    state, _, _ = wait_for(f"{standby} PRI and {primary} STOP",
                           lambda st: st.status(standby) == "PRI" and st.status(primary) == "STOP", 60)
    expect(nx(p, ["test", "-f", LOCK]).returncode == 0, f"{primary} keeps {LOCK}")
    nx(p, ["crm_resource", "--cleanup", "-r", RSC, "-N", primary], timeout=30)

    def refused(st):
        return [f for f in st.failures if f.get("node") == primary and f.get("task") == "start"
                and "PGSQL.lock" in (f.get("exitreason") or "")]
    wait_for(f"{primary}'s start to fail on the lock", refused, 60)
    rebuild_standby(p, s)
    state, primary3, standbys3, _ = wait_ready()
    expect((primary3, standbys3) == (standby, [primary]), f"{primary} rejoined as HS:sync of {standby}")
    for n in (primary, standby):
        lines = include_lines(node_index(n))
        expect(len(lines) == len(set(lines)) and set(lines) >= set(includes[n]) - {""},
               f"{n}: postgresql.conf includes each file once ({len(lines)} include lines)")


def sync_names(i):
    """synchronous_standby_names of node i as (number required, set of names); (0, set()) when empty."""
    value = psql_value(i, "show synchronous_standby_names")
    m = re.fullmatch(r'FIRST (\d+) \((.*)\)', value)
    names = {n.strip().strip('"') for n in (m.group(2) if m else value).split(",") if n.strip()}
    return (int(m.group(1)) if m else min(1, len(names))), names


def wait_rows_visible(i, marker, timeout=30):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if psql(i, f"select count(*) from lab_t where v = '{marker}'").stdout.strip() == "1":
            return True
        time.sleep(0.3)
    return False


def timeline_and_pid(i):
    tli = psql_value(i, "select timeline_id from pg_control_checkpoint()")
    return tli, postmaster_pid(i)


def scenario_h():
    """The options no other scenario uses, on a 3-node lab: a rep_mode=slave primitive (DR standby
    of the VIP) on the third node, named in external_standby_node_list; check_wal_receiver on both
    resources; restart_on_promote=true. DR cut off and back, then a kill -9 failover done by restart."""
    expect(DR_NODE != 0 and os.environ.get("LAB_RESTART_ON_PROMOTE") == "true"
           and os.environ.get("LAB_CHECK_WAL_RECEIVER") == "true" and os.environ.get("LAB_EXTERNAL_STANDBYS"),
           "the lab runs with LAB_DR_NODE, LAB_RESTART_ON_PROMOTE=true, LAB_CHECK_WAL_RECEIVER=true, "
           "LAB_EXTERNAL_STANDBYS")
    dr = node_name(DR_NODE)
    receiver, dr_receiver = RSC + "-receiver-status", DR_RSC + "-receiver-status"

    def steady(st):
        ready = replication_ready(st)
        if not ready or st.dr_node != dr:
            return None
        primary, standbys = ready
        if (st.attr(primary, receiver), st.attr(standbys[0], receiver), st.attr(dr, dr_receiver)) != (
                "normal (master)", "normal", "normal"):
            return None
        if sync_names(node_index(primary)) != (2, {standbys[0], dr}):
            return None
        return primary, standbys[0]
    state, (primary, standby), secs = wait_for(
        f"PRI + HS:sync, {DR_RSC} streaming on {dr}, receiver statuses normal, both standbys synchronous", steady, 240)
    p, s, d = node_index(primary), node_index(standby), DR_NODE
    print(f"  ready after {secs:.1f} s")
    print(state.render())
    expect(True, f"{primary}: {receiver}=normal (master); {standby}: {receiver}=normal; "
           f"{dr}: {dr_receiver}=normal")
    expect(True, f"{primary}: synchronous_standby_names = FIRST 2 ({standby}, {dr}) (node_list + external list)")
    expect(state.status(dr) is None and state.score(dr) is None,
           f"{dr} (outside node_list) gets no {RSC} attributes")
    expect(all(state.attr(n, dr_receiver) is None for n in (primary, standby)),
           f"the probes of {DR_RSC} on {primary} and {standby} (where it never runs) wrote no {dr_receiver}")
    expect(psql_value(d, "select pg_is_in_recovery()") == "t", f"{dr} is a hot standby")
    psql_value(p, "create table if not exists lab_t(id bigserial primary key, v text)")
    marker = f"h1-{time.time_ns()}"
    psql_value(p, f"insert into lab_t(v) values ('{marker}')")
    expect(wait_rows_visible(d, marker, 5), f"a row committed on {primary} is on {dr}")

    # The DR standby loses the primary: a blackhole route to the VIP in its namespace, and its
    # walsender terminated.
    t0 = time.monotonic()
    r = nx(d, ["ip", "route", "add", "blackhole", f"{LAB_VIP}/32"])
    expect(r.returncode == 0, f"{dr}: route to {LAB_VIP} blackholed ({r.stderr.strip() or 'rc 0'})")
    psql_value(p, f"select pg_terminate_backend(pid) from pg_stat_replication where application_name = '{dr}'")
    state, _, secs = wait_for(f"{dr}: {dr_receiver}=ERROR and {primary} synchronous with {standby} alone",
                              lambda st: st.attr(dr, dr_receiver) == "ERROR"
                              and sync_names(p) == (1, {standby}), 30)
    expect(True, f"{dr_receiver}=ERROR and synchronous_standby_names = {standby} alone "
           f"{time.monotonic() - t0:.1f} s after the cut")
    expect(state.status(standby) == "HS:sync" and state.attr(standby, receiver) == "normal",
           f"{standby} stays HS:sync, {receiver}=normal")
    secs = wait_write_through_vip(p, timeout=20)
    expect(True, f"writes go on without {dr} (INSERT through the VIP in {secs:.2f} s)")
    nx(d, ["ip", "route", "del", "blackhole", f"{LAB_VIP}/32"])
    state, _, secs = wait_for(f"{dr} back: {dr_receiver}=normal, both standbys synchronous",
                              lambda st: st.attr(dr, dr_receiver) == "normal"
                              and sync_names(p) == (2, {standby, dr}), 60)
    expect(True, f"{dr} streams again after {secs:.1f} s; synchronous_standby_names = FIRST 2 ({standby}, {dr})")

    # Failover with restart_on_promote: the standby is restarted as a primary, on the same timeline.
    before = timeline_and_pid(s)
    pid, secs = kill_primary_and_write(primary, standby)
    print(f"  killed -9 the postmaster (pid {pid}) of primary {primary}; a write through the VIP committed"
          f" {secs:.2f} s later")

    def promoted(st):
        return (st.status(standby) == "PRI" and st.status(primary) == "STOP"
                and st.attr(standby, receiver) == "normal (master)" and st.attr(primary, receiver) is None
                and st.attr(dr, dr_receiver) == "normal" and sync_names(s) == (1, {dr}))
    state, _, _ = wait_for(f"{standby} PRI ({receiver}=normal (master)), {primary} STOP without {receiver}, "
                           f"{dr} synchronous standby of {standby}", promoted, 90)
    print(state.render())
    expect_attributes(state, standby, "PRI", "LATEST", "1000")
    after = timeline_and_pid(s)
    expect(after[1] != before[1], f"{standby} was restarted to promote (postmaster pid {before[1]} -> {after[1]})")
    expect(after[0] == before[0], f"{standby} kept timeline {before[0]} (restart, not pg_ctl promote: {after[0]})")
    expect(nx(s, ["test", "-e", f"{PGDATA}/standby.signal"]).returncode != 0, f"{standby}: standby.signal removed")
    expect(nx(p, ["test", "-f", LOCK]).returncode == 0, f"{primary} keeps {LOCK}")
    expect(True, f"{primary}'s stop deleted its {receiver}; {dr} follows the VIP to {standby} as its synchronous"
           " standby")
    marker = f"h2-{time.time_ns()}"
    psql_value(s, f"insert into lab_t(v) values ('{marker}')")
    expect(wait_rows_visible(d, marker, 5), f"a row committed on {standby} after the failover is on {dr}")

    # The DR resource stopped by the operator: its attribute goes, the primary stops waiting for it.
    r = nx(s, ["crm_resource", "-r", DR_RSC, "--meta", "-p", "target-role", "-v", "Stopped"], timeout=30)
    expect(r.returncode == 0, f"{DR_RSC} target-role=Stopped ({r.stderr.strip() or 'rc 0'})")
    state, _, secs = wait_for(f"{DR_RSC} stopped, {dr_receiver} deleted, no synchronous standby on {standby}",
                              lambda st: st.dr_node is None and st.attr(dr, dr_receiver) is None
                              and sync_names(s) == (0, set()), 60)
    expect(not postmaster_running(d), f"{dr}: PostgreSQL stopped")
    secs = wait_write_through_vip(s, timeout=20)
    expect(True, f"{standby} commits alone (INSERT through the VIP in {secs:.2f} s)")


def pre_promote_env(promoting, unpromoted):
    """Pacemaker's notify variables for the pre-promote notification of `promoting`."""
    env = {"OCF_RESKEY_CRM_meta_notify_type": "pre", "OCF_RESKEY_CRM_meta_notify_operation": "promote"}
    lists = {"promote": [promoting], "unpromoted": unpromoted, "slave": unpromoted, "active": unpromoted,
             "demote": [], "stop": [], "start": [], "promoted": [], "master": []}
    for kind, nodes in lists.items():
        env[f"OCF_RESKEY_CRM_meta_notify_{kind}_uname"] = " ".join(sorted(nodes)) or " "
        env[f"OCF_RESKEY_CRM_meta_notify_{kind}_resource"] = " ".join(
            f"{RSC}:{node_index(n) - 1}" for n in sorted(nodes)) or " "
    return env


def ban_constraints(node):
    r = nx(alive_node(), ["cibadmin", "--query", "--scope", "constraints"], timeout=20)
    if r.returncode != 0:
        raise LabFailure(f"cibadmin --query failed: {r.stderr.strip()}")
    return [c.get("id") for c in ET.fromstring(r.stdout).iter("rsc_location")
            if (c.get("id") or "").startswith("cli-ban-") and c.get("node") == node]


def clone_banned_from(node):
    """Whether the scheduler gives the clone -INFINITY on node (crm_simulate on the live CIB)."""
    r = nx(alive_node(), ["crm_simulate", "--live-check", "--show-scores"], timeout=30)
    return f"{CLONE} allocation score on {node}: -INFINITY" in r.stdout


def scenario_i():
    """Pre-promote baseline check with 3 nodes (pgsql-swift only; maintenance mode, notify run by hand
    with execd's environment and Pacemaker's notify variables): a standby whose master-baseline is
    newer than the node being promoted bans itself (crm_resource -B) and says why; one whose baseline
    is older does nothing. Afterwards the cluster is PRI + HS:sync + HS:potential again."""
    if node_count() != 3:
        raise LabFailure("scenario i needs a 3-node lab (LAB_NODES=3)")
    _, primary, standbys, _ = wait_ready()
    sync, other = standbys
    baseline = RSC + "-master-baseline"
    envf = capture_monitor_env(other, "standby")
    failures_before = len(cluster().failures)
    set_maintenance(True)
    i = node_index(other)

    def set_baseline(node, value):
        argv = ["crm_attribute", "-l", "reboot", "-N", node, "-n", baseline] + (["-v", value] if value else ["-D"])
        r = nx(i, argv, timeout=30)
        expect(r.returncode == 0, f"{baseline} of {node} set to {value} ({r.stderr.strip() or 'rc 0'})")
    try:
        notify = pre_promote_env(sync, [sync, other])
        set_baseline(sync, "0000000001000000")
        set_baseline(other, "0000000000800000")
        wait_for("both baselines visible", lambda st: st.attr(other, baseline) == "0000000000800000"
                 and st.attr(sync, baseline) == "0000000001000000", 30)
        out = run_agent_by_hand(other, envf, "notify", 20000, notify)
        expect(out["rc"] == 0 and not ban_constraints(other) and not clone_banned_from(other),
               f"{other} (baseline older than {sync}'s): pre-promote notify rc 0, no ban (rc {out['rc']})")
        set_baseline(other, "0000000002000000")
        wait_for(f"{other}'s newer baseline visible", lambda st: st.attr(other, baseline) == "0000000002000000", 30)
        out = run_agent_by_hand(other, envf, "notify", 20000, notify)
        bans = ban_constraints(other)
        expect(out["rc"] == 1, f"{other} (baseline newer than {sync}'s): pre-promote notify rc 1 (got {out['rc']})")
        expect("My data is newer than new master's one. New master's location : 0000000001000000" in out["reason"],
               f"the exit reason is the shell agent's ({out['reason']!r})")
        expect(len(bans) == 1, f"{other} banned itself: constraint {bans}")
        expect(clone_banned_from(other), f"the scheduler scores {CLONE} -INFINITY on {other} (crm_simulate)")
    finally:
        for c in ban_constraints(other):
            nx(i, ["cibadmin", "--delete", "--scope", "constraints", "--xml-text", f'<rsc_location id="{c}"/>'],
               timeout=30)
        set_baseline(sync, None)
        set_baseline(other, None)
        set_maintenance(False)
    expect(not ban_constraints(other), f"the ban on {other} removed by hand")
    _, primary2, standbys2, _ = wait_ready()
    expect((primary2, sorted(standbys2)) == (primary, sorted(standbys)), "PRI + both standbys again")
    expect(len(cluster().failures) == failures_before, "no new failed action")


# ---------------------------------------------------------------- scenario j: network partition

# Runs inside the primary's node: inserts sequence numbers one by one through the local socket (the
# PostgreSQL protocol spoken directly, trust authentication), so it keeps writing while the node is cut
# off. An id is written to the acknowledgment file (with the CLOCK_MONOTONIC time, shared with the host)
# only after the server answered the INSERT with CommandComplete and ReadyForQuery: the commit returned
# success to the client. Every attempt gets a new id; errors and lost connections are retried every 0.2 s.
PARTITION_WRITER = r"""
import os, socket, struct, sys, time
sock_path, table, acks_path, stop_path = sys.argv[1:5]
pause, limit = float(sys.argv[5]), float(sys.argv[6])
end = time.monotonic() + limit

def stopping():
    return os.path.exists(stop_path) or time.monotonic() > end

def recv_exact(s, n):
    data = b""
    while len(data) < n:
        if stopping():
            raise SystemExit(0)
        try:
            chunk = s.recv(n - len(data))
        except socket.timeout:
            continue
        if not chunk:
            raise OSError("connection closed")
        data += chunk
    return data

def message(s):
    head = recv_exact(s, 5)
    return head[:1], recv_exact(s, struct.unpack("!i", head[1:])[0] - 4)

def connect():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(0.5)
    s.connect(sock_path)
    body = struct.pack("!i", 196608) + b"user\0postgres\0database\0postgres\0application_name\0lab-writer\0\0"
    s.sendall(struct.pack("!i", len(body) + 4) + body)
    while True:
        kind, payload = message(s)
        if kind == b"E" or (kind == b"R" and struct.unpack("!i", payload[:4])[0] != 0):
            s.close()
            raise OSError("connection refused by the server")
        if kind == b"Z":
            return s

acks = open(acks_path, "a", buffering=1)
seq, conn = 0, None
while not stopping():
    try:
        if conn is None:
            conn = connect()
        seq += 1
        sql = f"insert into {table}(id) values ({seq})".encode() + b"\0"
        conn.sendall(b"Q" + struct.pack("!i", len(sql) + 4) + sql)
        failed = False
        while True:
            kind, _ = message(conn)
            if kind == b"E":
                failed = True
            elif kind == b"Z":
                break
        if not failed:
            acks.write(f"{seq} {time.monotonic():.3f}\n")
    except OSError:
        if conn is not None:
            conn.close()
        conn = None
        time.sleep(0.2)
    time.sleep(pause)
"""


def read_acks(path):
    """(id, monotonic time) of every acknowledged commit the writer recorded."""
    out = []
    try:
        with open(path) as f:
            for line in f:
                fields = line.split()
                if len(fields) == 2 and line.endswith("\n"):
                    out.append((int(fields[0]), float(fields[1])))
    except OSError:
        pass
    return out


def set_bridge_port(i, attached):
    """Attach node i's veth to the lab bridge or detach it: detached, the node's eth0 keeps its carrier
    and addresses, and every frame between it and the other nodes (and the VIP's clients) is dropped.
    Only the lab's bridge namespace is touched."""
    argv = ["ip", "-n", LAB_BRIDGE_NS, "link", "set", "dev", f"veth-pgn{i}"] + (["master", "br0"] if attached
                                                                               else ["nomaster"])
    r = subprocess.run(argv, capture_output=True, text=True, timeout=10)
    if r.returncode != 0:
        raise LabFailure(f"{' '.join(argv)} failed: {r.stderr.strip()}")
    shown = subprocess.run(["ip", "-n", LAB_BRIDGE_NS, "-o", "link", "show", "dev", f"veth-pgn{i}"],
                           capture_output=True, text=True, timeout=10).stdout
    if ("master br0" in shown) != attached:
        raise LabFailure(f"veth-pgn{i} is {'not ' if attached else 'still '}a port of br0: {shown.strip()}")


LOG_TIME = re.compile(r"^\w{3} \d{2} (\d{2}):(\d{2}):(\d{2}\.\d{3}) ")


def log_seconds(line):
    m = LOG_TIME.match(line)
    return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3)) if m else None


def read_from(path, offset):
    try:
        with open(path, errors="replace") as f:
            f.seek(offset)
            return f.read()
    except OSError:
        return ""


def file_size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def demote_timings(log_text):
    """Every demote of the pgsql instance in a pacemaker.log excerpt: (seconds or None, how it ended)."""
    started, out = {}, []
    for line in log_text.splitlines():
        m = re.search(r"executing - rsc:" + re.escape(RSC) + r" action:demote call_id:(\d+)", line)
        if m:
            started[m.group(1)] = log_seconds(line)
            continue
        m = re.search(re.escape(RSC) + r" demote \(call (\d+), PID \d+\) (.*)$", line)
        if m and m.group(1) in started:
            t0, t1 = started.pop(m.group(1)), log_seconds(line)
            secs = None if t0 is None or t1 is None else (t1 - t0) % 86400
            out.append((secs, m.group(2).strip()))
    out += [(None, "still running") for _ in started]
    return out


def set_wal_sender_timeout(value):
    """ALTER SYSTEM on every node (None: back to the default), reloaded; returns the primary's value."""
    sql = f"alter system set wal_sender_timeout = '{value}'" if value else "alter system reset wal_sender_timeout"
    for i in range(1, node_count() + 1):
        psql_value(i, sql)
        psql_value(i, "select pg_reload_conf()")


def old_primary_report(state, name):
    """What the returned old primary looks like: role, attributes, failed actions there."""
    new = [f for f in state.failures if f.get("node") == name]
    return {"role": state.roles.get(name, "Stopped"), "status": state.status(name),
            "data_status": state.data_status(name), "score": state.score(name),
            "failures": [f"{f.get('task')} rc {f.get('exitcode')}: {f.get('exitreason') or '-'}" for f in new]}


def partition_round(label, timeout_value, cut_seconds):
    """One partition of the primary's node for cut_seconds, with wal_sender_timeout = timeout_value
    (None: PostgreSQL's default); returns the figures."""
    _, primary, standbys, _ = wait_ready()
    sync, other = standbys
    p, s = node_index(primary), node_index(sync)
    set_wal_sender_timeout(timeout_value)
    shown = psql_value(p, "show wal_sender_timeout")
    table = f"lab_j_{label}"
    psql_value(p, f"drop table if exists {table}")
    psql_value(p, f"create table {table}(id bigint primary key)")
    acks_path, stop_path = os.path.join(LAB_ROOT, f"j-{label}.acks"), os.path.join(LAB_ROOT, f"j-{label}.stop")
    for f in (acks_path, stop_path):
        if os.path.exists(f):
            os.remove(f)
    logs = {i: {"pacemaker": os.path.join(node_dir(i), "var/log/pacemaker/pacemaker.log"),
                "postgresql": os.path.join(node_dir(i), "var/lib/pgsql/postgresql.log")}
            for i in range(1, node_count() + 1)}
    offsets = {i: {k: file_size(v) for k, v in d.items()} for i, d in logs.items()}
    print(f"  [{label}] primary {primary} (wal_sender_timeout {shown}), sync standby {sync}, other {other};"
          f" writer on {primary} into {table}; cut {cut_seconds:.0f} s")
    limit = cut_seconds + 180
    socket_path = f"/var/run/postgresql/.s.PGSQL.{os.environ.get('LAB_PGPORT', '5432')}"
    writer = subprocess.Popen(
        ["nsenter", "-t", str(init_pid(p)), "-n", "-m", "-u", "-p", "-i", "--", "timeout", "-s", "KILL",
         str(int(limit + 10)), "python3", "-c", PARTITION_WRITER, socket_path, table, acks_path, stop_path, "0.02",
         str(limit)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    events = {}
    try:
        t_start = time.monotonic()
        while len(read_acks(acks_path)) < 30:
            if time.monotonic() - t_start > 15 or writer.poll() is not None:
                raise LabFailure(f"the writer on {primary} got no 30 commits acknowledged in 15 s "
                                 f"({writer.stderr.read() if writer.poll() is not None else 'running'})")
            time.sleep(0.1)
        set_bridge_port(p, False)
        t_cut = time.monotonic()
        print(f"  cut {primary} off at {len(read_acks(acks_path))} acknowledged commits")

        def event(name):
            if name not in events:
                events[name] = time.monotonic() - t_cut
        # The cut lasts cut_seconds; while the isolated node's demote still runs then, it is prolonged
        # to at most `bound` s after that demote began, so an agent that keeps the bound has stopped
        # PostgreSQL there before the heal.
        bound = float(os.environ.get("LAB_J_DEMOTE_BOUND", "15"))
        while True:
            demoting = any(how == "still running" for _, how in
                           demote_timings(read_from(logs[p]["pacemaker"], offsets[p]["pacemaker"])))
            if demoting:
                event(f"{primary}: demote started")
            elapsed = time.monotonic() - t_cut
            if elapsed >= cut_seconds and not (demoting and elapsed < events[f"{primary}: demote started"] + bound + 1):
                break
            try:
                st = cluster(s)
                if st.roles.get(sync) == "Promoted" or st.status(sync) == "PRI":
                    event("majority promoted " + sync)
                if st.vip_node == sync:
                    event("VIP on " + sync)
                if st.online.get(primary) is False:
                    event(f"majority sees {primary} offline")
            except LabFailure:
                pass
            if postmaster_running(p):
                r = psql(p, "show synchronous_standby_names", timeout=3)
                if r.returncode == 0 and r.stdout.strip() == "":
                    event(f"{primary}: synchronous_standby_names emptied")
            else:
                event(f"{primary}: PostgreSQL stopped")
            if nx(p, ["test", "-f", LOCK]).returncode != 0:
                event(f"{primary}: {LOCK} removed")
            time.sleep(0.3)
        lock_before_heal = nx(p, ["test", "-f", LOCK]).returncode == 0
        running_at_heal = postmaster_running(p)
        isolated_view = cluster(p)
        print(f"  {primary}'s own view before the heal (no quorum): roles {isolated_view.roles}, VIP on "
              f"{isolated_view.vip_node}; PostgreSQL {'running' if running_at_heal else 'stopped'}")
        set_bridge_port(p, True)
        t_heal = time.monotonic()

        # After the heal, with the writer still running: wait until the isolated node's demote has
        # ended and the old primary's state has not changed for LAB_J_QUIET s (at most 100 s).
        quiet = float(os.environ.get("LAB_J_QUIET", "8"))
        last, since, state, twice = None, time.monotonic(), None, 0.0
        while time.monotonic() - t_heal < 100:
            try:
                state = cluster(s)
            except LabFailure:
                time.sleep(1)
                continue
            promoted = [n for n, role in state.roles.items() if role == "Promoted"]
            if len(promoted) > 1 or len(state.vip_nodes) > 1:
                event(f"after the heal: promoted on {promoted}, VIP on {state.vip_nodes}")
                twice = time.monotonic() - t_heal
            demoting = any(how == "still running" for _, how in
                           demote_timings(read_from(logs[p]["pacemaker"], offsets[p]["pacemaker"])))
            key = json.dumps([old_primary_report(state, primary), state.online.get(primary),
                              state.nodes_with_status("PRI"), promoted, state.vip_nodes])
            if key != last or demoting or not state.online.get(primary):
                last, since = key, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
            time.sleep(1)
        t_settled = time.monotonic()
        if state is None:
            raise LabFailure(f"no cluster state from {sync} after the heal")
    finally:
        try:
            set_bridge_port(p, True)
        except LabFailure:
            pass
        open(stop_path, "w").close()
        try:
            writer.wait(timeout=15)
        except subprocess.TimeoutExpired:
            writer.kill()
            writer.wait(timeout=15)
    acks = read_acks(acks_path)
    acked_ids = {k for k, _ in acks}
    after_cut = [k for k, t in acks if t >= t_cut]
    after_heal = [k for k, t in acks if t >= t_heal]
    last_ack = max((t for _, t in acks), default=t_cut) - t_cut
    for name, t in sorted(events.items(), key=lambda kv: kv[1]):
        print(f"    +{t:5.1f} s  {name}")
    print(f"    +{last_ack:5.1f} s  last acknowledged commit on {primary}; +{t_heal - t_cut:.1f} s heal"
          + (f" (cut prolonged while {primary} demoted)" if t_heal - t_cut > cut_seconds + 1 else "") + "; "
          f"+{t_settled - t_cut:.1f} s settled"
          + (f"; two promoted instances or VIPs until +{t_heal - t_cut + twice:.1f} s" if twice else ""))
    old = old_primary_report(state, primary)
    pri = state.nodes_with_status("PRI")
    if state.status(sync) == "PRI" and state.roles.get(sync) == "Promoted":
        new = s
    elif len(pri) == 1 and pri[0] != primary:
        new = node_index(pri[0])
    else:
        raise LabFailure(f"no new primary after the heal (PRI: {pri})\n{state.render()}")
    r = psql(new, f"select id from {table}", timeout=20)
    if r.returncode != 0:
        raise LabFailure(f"{node_name(new)}: reading {table} failed: {r.stderr.strip()}")
    present = {int(x) for x in r.stdout.split()}
    lost = sorted(acked_ids - present)
    pg_log = read_from(logs[p]["postgresql"], offsets[p]["postgresql"])
    demotes = demote_timings(read_from(logs[p]["pacemaker"], offsets[p]["pacemaker"]))
    lock_after = nx(p, ["test", "-f", LOCK]).returncode == 0
    in_recovery = psql(p, "select pg_is_in_recovery()", timeout=5).stdout.strip() if postmaster_running(p) else "down"
    figures = {
        "agent": AGENT, "variant": label, "wal_sender_timeout": shown, "cut_seconds": round(t_heal - t_cut, 1),
        "acknowledged": len(acked_ids), "acknowledged_after_cut": len(after_cut),
        "acknowledged_after_heal": len(after_heal), "lost": len(lost),
        "dual_primary_until_after_heal": round(twice, 1),
        "lost_ids": lost[:10], "events": events, "last_ack_after_cut": round(last_ack, 1),
        "demotes": [[d, how] for d, how in demotes],
        "lock_before_heal": lock_before_heal, "lock_after_heal": lock_after,
        "running_at_heal": running_at_heal, "new_primary": node_name(new), "old_primary": primary,
        "old_primary_after_heal": old, "old_primary_in_recovery": in_recovery,
        "forked_off_logged": "forked off" in pg_log,
        "sync_wait_cancelled": pg_log.count("canceling the wait for synchronous replication"),
    }
    demote_text = "; ".join(f"{d:.1f} s ({how})" if d is not None else how for d, how in demotes) or "none logged"
    print(f"  [{label}] acknowledged {len(acked_ids)} (after the cut {len(after_cut)}), lost on the new primary "
          f"{node_name(new)}: {len(lost)}" + (f" (ids {lost[:5]}…)" if lost else ""))
    print(f"  [{label}] {primary}: demote {demote_text}; {LOCK} {'kept' if lock_before_heal else 'removed'} before the"
          f" heal, {'present' if lock_after else 'absent'} after; PostgreSQL "
          f"{'still running' if running_at_heal else 'stopped'} at the heal")
    print(f"  [{label}] {primary} after the heal: {old['role']} {old['status']} / {old['data_status']} / "
          f"{old['score']}, in recovery: {in_recovery}, 'forked off' in its log: {figures['forked_off_logged']}; "
          f"new failed actions: {old['failures'] or 'none'}")
    print(state.render())
    return figures


def reclone_old_primary(name, primary):
    """Put the returned old primary back as a standby of `primary`: node standby (Pacemaker stops it
    there), pg_basebackup, lock removed, cleanup, node back online."""
    i = node_index(name)
    set_node_standby(name, True)
    wait_for(f"{name} stopped", lambda st: name not in st.roles, 120, node=node_index(primary))
    rebuild_standby(i, node_index(primary))
    set_node_standby(name, False)


def partition_verdict(f):
    """What pgsql-swift must show in a partition (the agent fix): the failed expectations."""
    problems = []
    if f["lost"]:
        problems.append(f"{f['lost']} acknowledged commits are missing on the new primary {f['new_primary']}")
    if not (f["lock_before_heal"] and f["lock_after_heal"]):
        problems.append(f"{f['old_primary']} lost {LOCK} (before the heal: {f['lock_before_heal']}, "
                        f"after: {f['lock_after_heal']})")
    bound = float(os.environ.get("LAB_J_DEMOTE_BOUND", "15"))
    slow = [d for d, _ in f["demotes"] if d is None or d > bound]
    if not f["demotes"] or slow:
        problems.append(f"{f['old_primary']}'s demote without quorum did not end within {bound:.0f} s "
                        f"({f['demotes'] or 'no demote logged'})")
    # After the heal the old primary may not pass for a standby: a failed action names the divergence or
    # the lock, or PostgreSQL stays down there behind PGSQL.lock.
    reported = [x for x in f["old_primary_after_heal"]["failures"]
                if "diverged" in x or "forked off" in x or "PGSQL.lock" in x]
    if not reported and not (f["old_primary_in_recovery"] == "down" and f["lock_after_heal"]):
        problems.append(f"{f['old_primary']} after the heal is neither reported as diverged nor held by {LOCK} "
                        f"({f['old_primary_after_heal']}, PostgreSQL in recovery: {f['old_primary_in_recovery']})")
    return problems


def scenario_j():
    """Network partition of the primary's node (3 nodes, rep_mode=sync, no-quorum-policy=stop, no fencing),
    with a writer on that node recording every acknowledged commit: wal_sender_timeout 5 s and the
    default, each cut for LAB_J_CUT s (prolonged while the isolated node demotes, up to LAB_J_DEMOTE_BOUND s
    after its demote began), then healed; acknowledged commits missing on the new primary are counted.
    The stock agent only reports; pgsql-swift must lose none, keep PGSQL.lock, demote within
    LAB_J_DEMOTE_BOUND s and report the old primary as diverged (LAB_REPORT_ONLY=1: report only)."""
    if node_count() != 3 or NO_QUORUM_POLICY != "stop":
        raise LabFailure("scenario j needs a 3-node lab configured with LAB_NO_QUORUM_POLICY=stop")
    cut = float(os.environ.get("LAB_J_CUT", "20"))
    variants = os.environ.get("LAB_J_VARIANTS", "5s default").split()
    report_only = AGENT != "pgsql-swift" or os.environ.get("LAB_REPORT_ONLY") == "1"
    results, problems = [], []
    for k, label in enumerate(variants):
        if k > 0:
            last = results[-1]
            reclone_old_primary(last["old_primary"], last["new_primary"])
        f = partition_round(label, None if label == "default" else label, cut)
        results.append(f)
        problems += [f"[{label}] {x}" for x in partition_verdict(f)]
    path = os.path.join(LAB_ROOT, f"partition-{AGENT}.json")
    with open(path, "w") as out:
        json.dump(results, out, indent=1)
    print(f"  partition figures ({AGENT}, LAB_J_CUT {cut:.0f} s; saved to {path}):")
    for f in results:
        demote = ", ".join(f"{d:.1f} s" if d is not None else how for d, how in f["demotes"]) or "none"
        old = f["old_primary_after_heal"]
        until = f["dual_primary_until_after_heal"]
        dual = f"until {until:.0f} s after it" if until else "no"
        print(f"    {AGENT:11} wal_sender_timeout={f['wal_sender_timeout']:5} cut {f['cut_seconds']:4.1f} s:"
              f" acknowledged {f['acknowledged']}, lost {f['lost']}; demote {demote};"
              f" lock {'kept' if f['lock_after_heal'] else 'removed'}; two promoted/VIPs after the heal: {dual};"
              f" old primary: {old['role']} {old['status']}, {'; '.join(old['failures']) or 'no failed action'}")
    if problems and report_only:
        print(f"  REPORT ONLY ({'stock agent' if AGENT != 'pgsql-swift' else 'LAB_REPORT_ONLY=1'}); "
              f"what pgsql-swift must not show:")
        for x in problems:
            print(f"    - {x}")
    elif problems:
        raise LabFailure("partition (scenario j):\n  " + "\n  ".join(problems))


def failover_once():
    """The demo's failover: kill -9 the primary's postmaster, wait for the standby to take over."""
    _, old, standbys, _ = wait_ready()
    new = standbys[0]
    print(f"killing -9 the postmaster of the primary {old}; waiting for {new} to take over")
    pid, secs = kill_primary_and_write(old, new)
    print(f"an INSERT through the virtual IP {LAB_VIP} committed {secs:.2f} s after the kill (pid {pid})")
    wait_for(f"{new} PRI and {old} STOP", lambda st: st.status(new) == "PRI" and st.status(old) == "STOP", 60)


SCENARIOS = {"a": scenario_a, "b": scenario_b, "c": scenario_c, "d": scenario_d, "e": scenario_e, "f": scenario_f, "g": scenario_g,
             "h": scenario_h, "i": scenario_i, "j": scenario_j}


# ---------------------------------------------------------------- benchmarks


def stats(values):
    if not values:
        return "no samples"
    return f"{min(values):.3f} / {statistics.median(values):.3f} / {max(values):.3f}"


def results_file(name):
    return os.path.join(LAB_ROOT, f"{name}-{AGENT}.json")


def save_results(name, data):
    with open(results_file(name), "w") as f:
        json.dump(data, f, indent=1)


def bench_failover(runs):
    """kill -9 of the primary's postmaster → INSERT through the VIP commits (then rebuild + rejoin)."""
    samples, pri, rejoin = [], [], []
    for k in range(1, runs + 1):
        _, old, standbys, _ = wait_ready()
        new = standbys[0]
        o, n = node_index(old), node_index(new)
        # A random pause first: readiness is observed right after a primary monitor, so killing at
        # once would always land at the same phase of the 3 s monitor cycle.
        _, secs = kill_primary_and_write(old, new, pause=random.uniform(0, 3))
        _, _, tp = wait_for(f"{new} PRI", lambda st: st.status(new) == "PRI", 60, interval=0.2)
        t1 = time.monotonic()
        rebuild_standby(o, n)
        wait_ready()
        samples.append(secs)
        pri.append(tp + secs)
        rejoin.append(time.monotonic() - t1)
        print(f"  run {k}: {old} -> {new}: write through VIP {secs:.2f} s, rejoin {rejoin[-1]:.1f} s")
    print(f"failover ({AGENT}, n={runs}) kill -9 -> write through VIP, min/median/max s: {stats(samples)}")
    print(f"rejoin   ({AGENT}, n={runs}) basebackup + cleanup -> PRI+HS:sync, min/median/max s: {stats(rejoin)}")
    save_results("failover", {"write_vip": samples, "rejoin": rejoin})


def clone_active(st):
    return bool(st.roles)


def bench_coldstart(runs):
    """Resource cold start: target-role Stopped → Started, time until PRI + HS:sync."""
    samples = []
    i = alive_node()
    for k in range(1, runs + 1):
        wait_ready()
        nx(i, ["crm_resource", "-r", CLONE, "--meta", "-p", "target-role", "-v", "Stopped"], timeout=30)
        wait_for("every instance stopped", lambda st: not clone_active(st), 120)
        locks = [node_name(j) for j in range(1, node_count() + 1) if nx(j, ["test", "-f", LOCK]).returncode == 0]
        for j in range(1, node_count() + 1):
            nx(j, ["rm", "-f", LOCK])
        t0 = time.monotonic()
        nx(i, ["crm_resource", "-r", CLONE, "--meta", "-p", "target-role", "-v", "Started"], timeout=30)
        _, _, _, _ = wait_ready(300)
        samples.append(time.monotonic() - t0)
        print(f"  run {k}: PRI + HS:sync {samples[-1]:.1f} s after start (PGSQL.lock left by the stop on: "
              f"{', '.join(locks) or 'none'})")
    print(f"cold start ({AGENT}, n={runs}) target-role Started -> PRI+HS:sync, min/median/max s: {stats(samples)}")
    save_results("coldstart", {"seconds": samples})


# Runs inside a node: waits (up to 60 s) for a recurring monitor of the agent and copies its environment.
# A pgsql-swift standby monitor lives ~10 ms every 4 s, so /proc is swept every millisecond (a bash
# sweep took ~30 ms and missed it in one CI run).
CAPTURE_ENV = r"""
import os, sys, time
agent, out = sys.argv[1:3]
end = time.monotonic() + 60
while time.monotonic() < end:
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/cmdline", "rb") as f:
                argv = [a.decode(errors="replace") for a in f.read().split(b"\0")]
            # "<agent> monitor", or "/bin/sh <agent> monitor" for the shell agent
            if argv[:2] != [agent, "monitor"] and argv[1:3] != [agent, "monitor"]:
                continue
            with open(f"/proc/{d}/environ", "rb") as f:
                env = [e.decode(errors="replace") for e in f.read().split(b"\0") if e]
        except OSError:
            continue
        if any(e.startswith("OCF_RESKEY_CRM_meta_interval=") and e.split("=", 1)[1] not in ("", "0") for e in env):
            with open(out + ".tmp", "w") as f:
                f.write("\n".join(env) + "\n")
            os.replace(out + ".tmp", out)
            sys.exit(0)
    time.sleep(0.001)
sys.exit(1)
"""

# Runs inside the node: the agent with exactly the captured environment, its CPU from wait4()'s
# rusage (microsecond resolution; /usr/bin/time prints 10 ms), then again under strace for execs.
MEASURE = r"""
import os, subprocess, sys, time
envf, agent, action, out = sys.argv[1:5]
env = dict(line.split("=", 1) for line in open(envf).read().splitlines() if "=" in line)
t0 = time.monotonic()
pid = os.posix_spawn(agent, [agent, action], env, file_actions=[
    (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0), (os.POSIX_SPAWN_OPEN, 2, "/dev/null", os.O_WRONLY, 0)])
_, status, usage = os.wait4(pid, 0)
wall = time.monotonic() - t0
subprocess.run(["strace", "-f", "-qq", "-e", "trace=execve", "-o", out + ".strace", agent, action],
               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
execs = sum(1 for line in open(out + ".strace") if "execve(" in line and line.rstrip().endswith("= 0"))
print(os.waitstatus_to_exitcode(status), f"{wall:.4f}", f"{usage.ru_utime:.4f}", f"{usage.ru_stime:.4f}", execs)
"""


def agent_path():
    return f"/usr/lib/ocf/resource.d/heartbeat/{AGENT}"


def capture_monitor_env(node, role):
    """The environment pacemaker-execd gives a recurring monitor of the agent on node (a file in node)."""
    envf = os.path.join(LAB_ROOT, f"env-{AGENT}-{role}-monitor.env")
    r = nx(node_index(node), ["python3", "-c", CAPTURE_ENV, agent_path(), envf], timeout=70)
    if r.returncode != 0:
        raise LabFailure(f"{node}: could not capture a live {AGENT} monitor's environment")
    return envf


def bench_actions(runs):
    """Per-monitor cost on the primary and a standby with the environment pacemaker-execd passes."""
    _, primary, standbys, _ = wait_ready()
    results = {}
    for role, node in (("primary", primary), ("standby", standbys[0])):
        i = node_index(node)
        envf = capture_monitor_env(node, role)
        walls, cpus, execs, rcs = [], [], [], []
        for _ in range(runs):
            r = nx(i, ["python3", "-c", MEASURE, envf, agent_path(), "monitor", f"/tmp/measure-{AGENT}"], timeout=60)
            fields = r.stdout.split()
            if r.returncode != 0 or len(fields) != 5:
                raise LabFailure(f"{node}: measuring monitor failed: {r.stdout} {r.stderr}")
            rc, wall, user, system, ex = fields
            rcs.append(int(rc))
            walls.append(float(wall))
            cpus.append(float(user) + float(system))
            execs.append(int(ex) - 1)  # minus the agent itself
        results[role] = {"wall": walls, "cpu": cpus, "execs": execs, "rcs": rcs}
        print(f"monitor on the {role} ({AGENT}, {node}, n={runs}, rc {sorted(set(rcs))}): "
              f"wall {stats(walls)} s, CPU {stats(cpus)} s, child execs {stats(execs)}")
    save_results("actions", results)


def compare(baseline, candidate):
    """Print ratios candidate/baseline from two agents' saved benchmark results."""
    def load(agent, name):
        try:
            with open(os.path.join(LAB_ROOT, f"{name}-{agent}.json")) as f:
                return json.load(f)
        except (OSError, ValueError):
            return None
    print(f"{'measure':44} {baseline:>12} {candidate:>12}  ratio")
    rows = []
    for name, key, label in (("failover", "write_vip", "failover kill -9 -> write via VIP (s)"),
                             ("coldstart", "seconds", "cold start -> PRI+HS:sync (s)")):
        a, b = load(baseline, name), load(candidate, name)
        rows.append((label, a and a[key], b and b[key]))
    for role in ("primary", "standby"):
        for key, label in (("cpu", "CPU (s)"), ("wall", "wall (s)"), ("execs", "child execs")):
            a, b = load(baseline, "actions"), load(candidate, "actions")
            rows.append((f"monitor on the {role}, {label}", a and a[role][key], b and b[role][key]))
    for label, a, b in rows:
        ma = statistics.median(a) if a else None
        mb = statistics.median(b) if b else None
        ratio = f"{mb / ma:.3f}" if ma and mb is not None else "-"
        fa = f"{ma:.3f}" if ma is not None else "n/a"
        fb = f"{mb:.3f}" if mb is not None else "n/a"
        print(f"{label:44} {fa:>12} {fb:>12}  {ratio}")


def compare_checkpoints(directory, baseline, candidate):
    """Compare the attribute tables two agents left at every checkpoint of the same scenarios."""
    problems, compared = [], 0
    for name in sorted(os.listdir(directory)):
        prefix = f"checkpoints-{baseline}-"
        if not name.startswith(prefix) or name.startswith(f"checkpoints-{candidate}-"):
            continue
        other = os.path.join(directory, name.replace(prefix, f"checkpoints-{candidate}-", 1))
        if not os.path.exists(other):
            problems.append(f"{name}: no {candidate} run to compare with")
            continue
        with open(os.path.join(directory, name)) as f:
            a = json.load(f)
        with open(other) as f:
            b = json.load(f)
        for checkpoint in sorted(set(a) | set(b)):
            compared += 1
            if a.get(checkpoint) == b.get(checkpoint):
                print(f"  same  {checkpoint}: {json.dumps(a.get(checkpoint), sort_keys=True)}")
                continue
            problems.append(f"{checkpoint}: {baseline} {json.dumps(a.get(checkpoint), sort_keys=True)}\n"
                            f"        {candidate} {json.dumps(b.get(checkpoint), sort_keys=True)}")
    for p in problems:
        print(f"  DIFF  {p}")
    if compared == 0:
        raise LabFailure(f"no checkpoints of {baseline} in {directory}")
    if problems:
        raise LabFailure(f"{len(problems)} checkpoint table(s) differ between {baseline} and {candidate}")
    print(f"attribute tables identical at all {compared} checkpoints ({baseline} vs {candidate})")


# ---------------------------------------------------------------- main


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[0], argv[1:]
    try:
        if cmd == "wait-online":
            timeout = float(args[0]) if args else 150
            n = node_count()
            wait_for(f"{n} nodes online", lambda st: sum(st.online.values()) == n, timeout, interval=1, node=1)
        elif cmd == "configure":
            configure()
        elif cmd == "wait-ready":
            state, primary, standbys, secs = wait_ready(float(args[0]) if args else 240)
            print(f"READY {secs:.2f} {primary} {' '.join(standbys)}")
            print(state.render())
        elif cmd == "table":
            print(cluster().render())
        elif cmd == "scenario":
            for name in args:
                if name not in SCENARIOS:
                    raise LabFailure(f"unknown scenario {name!r} ({' '.join(SCENARIOS)})")
                print(f"== scenario {name} ({AGENT}): {SCENARIOS[name].__doc__}")
                t0 = time.monotonic()
                SCENARIOS[name]()
                print(f"== scenario {name} passed ({time.monotonic() - t0:.1f} s)")
        elif cmd == "bench":
            what = args[0] if args else ""
            runs = int(args[1]) if len(args) > 1 else 10
            {"failover": bench_failover, "coldstart": bench_coldstart, "actions": bench_actions}[what](runs)
        elif cmd == "failover":
            failover_once()
        elif cmd == "compare-checkpoints":
            compare_checkpoints(args[0], args[1], args[2])
        elif cmd == "compare":
            compare(args[0], args[1])
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except (LabFailure, KeyError) as e:
        print(f"LAB FAILURE: {e}", file=sys.stderr)
        if cmd in ("scenario", "bench", "wait-ready", "wait-online", "configure"):
            print_diagnostics()
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
