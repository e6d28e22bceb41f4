# Two commands set everything up on a fresh machine: `make play` and `make test`.
# Every Python package comes from uv.lock (`uv sync --frozen`): the same versions for every
# developer, CI and newcomer. uv itself is pinned here and installed into the venv by pip.
VENV       ?= .venv
PYTHON     ?= python3
UV_VERSION := 0.13.9
BIN        := $(VENV)/bin
UV         := UV_PROJECT_ENVIRONMENT=$(abspath $(VENV)) $(BIN)/uv
STAMP      := $(VENV)/.installed

.PHONY: setup play test lint typecheck unit bench fuzz lock clean node-tools lrs

setup: $(STAMP)

$(STAMP): pyproject.toml uv.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(UV) sync --frozen --all-extras --inexact --quiet
	touch $(STAMP)

play: setup
	$(BIN)/simulator

# Move the locks forward on purpose, then prove the result.
lock: setup
	$(UV) lock --upgrade
	$(BIN)/uv lock --upgrade --project tests/lrs
	$(MAKE) test

# Ralph, the real LRS the delivery tests start on 127.0.0.1, in a venv of its own
# (tests/lrs/uv.lock): its pins (click, FastAPI) never reach the project's environment.
LRS_VENV  := .venv-lrs
LRS_STAMP := $(LRS_VENV)/.installed

$(LRS_STAMP): $(STAMP) tests/lrs/pyproject.toml tests/lrs/uv.lock
	UV_PROJECT_ENVIRONMENT=$(abspath $(LRS_VENV)) $(BIN)/uv sync --frozen --quiet \
		--project tests/lrs
	touch $(LRS_STAMP)

lrs: $(LRS_STAMP)

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

unit: setup $(NODE_STAMP) $(LRS_STAMP)
	$(BIN)/pytest

test: lint typecheck unit

# Benchmarks live in tests/benchmarks/bench_*.py so `make test` never times anything;
# each prints medians and its ratio to a baseline measured in the same run.
bench: setup
	$(BIN)/pytest tests/benchmarks -o addopts= -o python_files='bench_*.py' -s -q \
		--benchmark-columns=median,iqr,rounds

# A long random fuzz run (hypothesis): FUZZ_EXAMPLES cases per property (8 properties).
# `make test` runs the same properties bounded and derandomised.
FUZZ_EXAMPLES ?= 15000
fuzz: setup
	HYPOTHESIS_PROFILE=fuzz FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/hostile/test_fuzz.py \
		-o addopts= -q -p no:cacheprovider --hypothesis-show-statistics

clean:
	rm -rf $(VENV) $(LRS_VENV) .mypy_cache .ruff_cache .pytest_cache
