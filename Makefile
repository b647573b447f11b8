# pgsql-swift: build, install and test. Every target that touches the system needs root.
PREFIX_OCF ?= /usr/lib/ocf/resource.d/heartbeat
AGENT      ?= $(PREFIX_OCF)/pgsql-swift
OCFT_CONFIGS ?= /usr/share/resource-agents/ocft/configs
SWIFT_FLAGS = -Xswiftc -warnings-as-errors
APT_PACKAGES = postgresql-15 postgresql-client-15 libpq-dev pacemaker pacemaker-cli-utils corosync \
               resource-agents libxml2-utils strace time python3 iproute2 util-linux

.PHONY: all setup build install uninstall test unit-test integration-test check-installed e2e ocft demo demo-plain bench lab-bench clean

all: build

## Debian 12 packages the build, the tests and the demo need.
setup:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null

## The release binary: static Swift runtime (no toolchain needed on cluster nodes), libpq dynamic.
build:
	swift build -c release --static-swift-stdlib $(SWIFT_FLAGS)

install: build
	install -D -m 0755 .build/release/pgsql-swift $(DESTDIR)$(AGENT)
	install -D -m 0644 agents/ocft/pgsql-swift $(DESTDIR)$(OCFT_CONFIGS)/pgsql-swift

uninstall:
	rm -f $(DESTDIR)$(AGENT) $(DESTDIR)$(OCFT_CONFIGS)/pgsql-swift

# Agents the cluster lab runs: pgsql = the stock shell agent, pgsql-swift = this project.
E2E_AGENTS   ?= pgsql pgsql-swift
DEMO_AGENT   ?= pgsql-swift
BENCH_AGENTS ?= pgsql pgsql-swift
LAB_RESULTS  ?= /var/tmp/pgsql-swift-lab-results

## The whole test suite: unit tests, then integration tests (real PostgreSQL 15, the agent binary,
## ocf-tester), then the same integration tests and ocf-tester against the installed release agent,
## then the end-to-end scenarios in real Pacemaker clusters.
test: setup unit-test integration-test install check-installed e2e

unit-test:
	swift build --build-tests $(SWIFT_FLAGS)
	swift test --skip IntegrationTests

integration-test:
	swift build --build-tests $(SWIFT_FLAGS)
	swift test --no-parallel --filter IntegrationTests

check-installed:
	PGSQL_SWIFT_AGENT=$(AGENT) swift test --no-parallel --filter IntegrationTests
	crm_resource --show-metadata ocf:heartbeat:pgsql-swift | xmllint --noout --dtdvalid /usr/share/resource-agents/ra-api-1.dtd -
	crm_resource --show-metadata ocf:heartbeat:pgsql-swift | xmllint --noout --relaxng Tests/AgentTests/Fixtures/ra-api-1.1.rng -
	AGENT=$(AGENT) bash Tests/scripts/demo-plain.sh

## Scenarios a-j in namespaced 2- and 3-node Pacemaker clusters (root, Linux namespaces), for each
## agent; then the attribute tables of both agents are compared checkpoint by checkpoint.
e2e: install
	rm -rf $(LAB_RESULTS)
	for agent in $(E2E_AGENTS); do LAB_RESULTS=$(LAB_RESULTS) LAB_AGENT=$$agent bash Tests/lab/e2e.sh || exit 1; done
	if [ "$(words $(E2E_AGENTS))" = 2 ]; then \
	    python3 Tests/lab/labctl.py compare-checkpoints $(LAB_RESULTS) $(E2E_AGENTS); fi

## resource-agents' ocft cases against Debian's 15/main cluster (starts and stops it).
ocft: install
	ocft make pgsql-swift
	ocft test pgsql-swift 2>&1 | tee .build/ocft.log
	! grep -Eq 'ERROR|FAILED|[^ ]Failed' .build/ocft.log

## The main job: a 2-node cluster in namespaces, crm_mon -A, a failover, crm_mon -A again.
demo: setup install
	LAB_AGENT=$(DEMO_AGENT) bash Tests/lab/demo.sh

## Plain mode on a throw-away local PostgreSQL: start, monitor, stop.
demo-plain: install
	AGENT=$(AGENT) bash Tests/scripts/demo-plain.sh

## Monitor cost against the shell agent ocf:heartbeat:pgsql (prints medians and ratios).
bench: install
	AGENT=$(AGENT) bash Tests/scripts/bench-monitor.sh

## Cluster benchmarks: monitor cost with execd's environment, cold start, failover (both agents).
lab-bench: install
	LAB_RESULTS=$(LAB_RESULTS)/bench BENCH_AGENTS="$(BENCH_AGENTS)" bash Tests/lab/bench.sh

clean:
	rm -rf .build
