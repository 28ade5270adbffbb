# Two commands a new machine needs: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

$(BIN)/sop: pyproject.toml requirements.lock
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $(BIN)/sop

install: $(BIN)/sop

run: install
	$(BIN)/sop up

demo: install
	$(BIN)/sop demo

# The dashboard and alert tests run a real Prometheus and promtool (Debian's `prometheus` package):
# installed here when missing and apt-get is at hand (as root), else one line says how to get them.
prometheus-tools:
	@if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian's prometheus package (prometheus, promtool) for the tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null; \
	  else \
	    echo "make test needs prometheus and promtool: run 'apt-get install --no-install-recommends prometheus' as root" >&2; exit 1; \
	  fi; \
	fi

# The PDF tests check every document with qpdf --check and pdffonts (Debian's qpdf and poppler-utils).
pdf-tools:
	@if ! command -v qpdf >/dev/null || ! command -v pdffonts >/dev/null; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian's qpdf and poppler-utils (qpdf, pdffonts) for the tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qpdf poppler-utils >/dev/null; \
	  else \
	    echo "make test needs qpdf and pdffonts: run 'apt-get install --no-install-recommends qpdf poppler-utils' as root" >&2; exit 1; \
	  fi; \
	fi

# The deployment tests run `docker-compose config` on deploy/compose.yaml (Debian's docker-compose 1.29.2; the
# compose plugin of Docker's own packages is not in Debian; no Docker engine is needed for `config`) and
# nginx with deploy/nginx/nginx.conf on loopback (Debian's nginx; policy-rc.d keeps its service from starting).
deploy-tools:
	@if ! command -v docker-compose >/dev/null || [ ! -x /usr/sbin/nginx ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian's docker-compose and nginx (docker-compose config, nginx) for the tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose nginx >/dev/null; \
	  else \
	    echo "make test needs docker-compose and nginx: run 'apt-get install --no-install-recommends docker-compose nginx' as root" >&2; exit 1; \
	  fi; \
	fi

test: install prometheus-tools pdf-tools deploy-tools
	$(BIN)/python -m pytest -q

# The event logs every test run replays (tests/histories/recorded/full-run) recorded again from a real system,
# about a minute: README, "Recorded histories", says when that is the right thing to do.
record-histories: install
	$(BIN)/python -m tests.histories.record

# The fault runs in full: more cases in flight, on SQLite and on PostgreSQL (make test runs the short one).
test-faults: install
	SOP_FAULT_CASES=24 $(BIN)/python -m pytest -q -m faults tests/e2e/test_faults.py

# Two processes of every service on one store, on SQLite and on PostgreSQL (make test runs SQLite's).
test-replicas: install
	$(BIN)/python -m pytest -q -m 'integration' tests/e2e/test_replicas.py

# The headline: the system beside a plain CRUD baseline, one driver, interleaved (under 10 min on 2 cores).
bench: install
	$(BIN)/python -m tests.benchmarks.bench_compare

# Where one step command's CPU goes, per service (a CPU-time sampler inside each service process).
bench-profile: install
	$(BIN)/python -m tests.benchmarks.bench_profile

# The flow beside raw Redis, raw event-store saves and routing called directly; replay rate.
bench-flow: install
	$(BIN)/python -m tests.benchmarks.bench_flow

# Issue 9: the register and audit trails rebuilt from event 1 of a large recorded log, beside reading and
# decoding the same events only (from Redis, and from the stores), in the same run (about a minute).
bench-replay: install
	$(BIN)/python -m tests.benchmarks.bench_replay

bench-sla: install
	$(BIN)/python -m tests.benchmarks.bench_sla

bench-docs: install
	$(BIN)/python -m tests.benchmarks.bench_documents

bench-chain: install
	$(BIN)/python -m tests.benchmarks.bench_chain

# Issue 11: step commands/s with the hash chain and per-subject encryption on beside both off, interleaved
# pairs of fresh systems, one driver (a few minutes on 2 cores).
bench-audit-cost: install
	$(BIN)/python -m tests.benchmarks.bench_audit_cost

bench-projections: install
	$(BIN)/python -m tests.benchmarks.bench_projection_batches

bench-webhooks: install
	$(BIN)/python -m tests.benchmarks.bench_webhooks

bench-redis: install
	$(BIN)/python -m tests.benchmarks.bench_redis_memory

bench-as-of: install
	$(BIN)/python -m tests.benchmarks.bench_as_of

# One and two processes of every service on PostgreSQL beside SQLite with one (issue 10's measure).
bench-replicas: install
	$(BIN)/python -m tests.benchmarks.bench_replicas

# Issue 9: RSS per service and submit latency with 100,000 cases in the stores beside 100, and CRUD with as many
# (the stores seeded through intake's own application, then worked off by the services: about 20 min on 2 cores).
bench-scale: install
	$(BIN)/python -m tests.benchmarks.bench_scale

.PHONY: install prometheus-tools pdf-tools deploy-tools run demo test test-faults test-replicas record-histories bench bench-profile bench-flow bench-replay bench-sla bench-docs bench-chain bench-audit-cost bench-projections bench-webhooks bench-redis bench-as-of bench-replicas bench-scale
