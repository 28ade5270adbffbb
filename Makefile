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

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python -m tests.benchmarks.bench_flow

bench-sla: install
	$(BIN)/python -m tests.benchmarks.bench_sla

bench-docs: install
	$(BIN)/python -m tests.benchmarks.bench_documents

bench-projections: install
	$(BIN)/python -m tests.benchmarks.bench_projection_batches

.PHONY: install run demo test bench bench-sla bench-docs bench-projections
