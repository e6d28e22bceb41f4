# Two commands set everything up on a fresh machine: `make play` and `make test`.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup play test lint typecheck unit bench clean node-tools

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

play: setup
	$(BIN)/simulator

lint: setup
	$(BIN)/ruff check simulator tests
	$(BIN)/ruff format --check simulator tests

typecheck: setup
	$(BIN)/mypy

# Node tools the tests call (xAPI validation), pinned by tests/node/package-lock.json and
# installed from the npm registry only when the lockfile changes.
NODE_STAMP := tests/node/node_modules/.installed

$(NODE_STAMP): tests/node/package.json tests/node/package-lock.json
	cd tests/node && npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

node-tools: $(NODE_STAMP)

unit: setup $(NODE_STAMP)
	$(BIN)/pytest

test: lint typecheck unit

# Benchmarks live in tests/benchmarks/bench_*.py so `make test` never times anything;
# each prints medians and its ratio to a baseline measured in the same run.
bench: setup
	$(BIN)/pytest tests/benchmarks -o addopts= -o python_files='bench_*.py' -s -q \
		--benchmark-columns=median,iqr,rounds

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
