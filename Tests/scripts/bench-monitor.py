#!/usr/bin/env python3
"""Plain-mode monitor cost: pgsql-swift against the shell agent ocf:heartbeat:pgsql, same server,
alternating runs. Prints median/min/max wall and CPU (user+sys of the agent and all its children,
from wait4), the ratio, and how many programs each exec's (strace -f -e trace=execve)."""
import os, statistics, subprocess, sys, tempfile, time

RUNS = int(os.environ.get("RUNS", "20"))
SWIFT = os.environ.get("AGENT", "/usr/lib/ocf/resource.d/heartbeat/pgsql-swift")
SHELL = "/usr/lib/ocf/resource.d/heartbeat/pgsql"

def run(agent):
    start = time.monotonic()
    pid = os.posix_spawn(agent, [agent, "monitor"], os.environ,
                         file_actions=[(os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0),
                                       (os.POSIX_SPAWN_OPEN, 2, "/dev/null", os.O_WRONLY, 0)])
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - start
    return os.waitstatus_to_exitcode(status), wall, usage.ru_utime + usage.ru_stime

def execs(agent):
    with tempfile.NamedTemporaryFile() as trace:
        subprocess.run(["strace", "-f", "-qq", "-e", "trace=execve", "-o", trace.name, agent, "monitor"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        lines = open(trace.name).read().splitlines()
    # The agent's own execve is not a child process.
    return sum(1 for l in lines if "execve(" in l and "= 0" in l) - 1

def fmt(values):
    ms = sorted(v * 1000 for v in values)
    return f"median {statistics.median(ms):7.2f} ms  (min {ms[0]:.2f}, max {ms[-1]:.2f})"

agents = {"pgsql-swift": SWIFT, "pgsql (shell)": SHELL}
results = {name: {"wall": [], "cpu": [], "rc": set()} for name in agents}
for _ in range(RUNS):
    for name, path in agents.items():
        rc, wall, cpu = run(path)
        results[name]["wall"].append(wall)
        results[name]["cpu"].append(cpu)
        results[name]["rc"].add(rc)

print(f"plain-mode monitor, {RUNS} alternating runs each, same PostgreSQL server")
for name, r in results.items():
    print(f"{name:14s} rc={sorted(r['rc'])}  wall {fmt(r['wall'])}   cpu {fmt(r['cpu'])}")
    if r["rc"] != {0}:
        sys.exit(f"{name}: monitor did not return 0")
swift, shell = results["pgsql-swift"], results["pgsql (shell)"]
print(f"ratio pgsql-swift/shell: wall {statistics.median(swift['wall']) / statistics.median(shell['wall']):.3f}  "
      f"cpu {statistics.median(swift['cpu']) / statistics.median(shell['cpu']):.3f}")
try:
    print(f"child processes exec'd per monitor: pgsql-swift {execs(SWIFT)}, shell {execs(SHELL)}")
except FileNotFoundError:
    print("strace not installed: exec counts skipped")
