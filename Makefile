# Two commands set everything up on a fresh machine: `make play` and `make test`.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup play test lint typecheck unit bench clean

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

unit: setup
	$(BIN)/pytest

test: lint typecheck unit

# Benchmarks live in tests/benchmarks/bench_*.py so `make test` never times anything;
# each prints medians and its ratio to a baseline measured in the same run.
bench: setup
	$(BIN)/pytest tests/benchmarks -o python_files='bench_*.py' --benchmark-enable -s -q \
		--benchmark-columns=median,iqr,rounds

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
