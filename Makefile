# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
export PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test test-sqlite test-postgres lint browser-deps bench clean

$(BIN)/facilitator: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## make run: install, seed a demo group (once), print its links and serve on $(HOST):$(PORT)
run: $(BIN)/facilitator
	$(BIN)/facilitator demo --reuse
	$(BIN)/facilitator serve --host $(HOST) --port $(PORT)

## make test: install what tests need (Chromium included) and run the whole suite
test: $(BIN)/facilitator browser-deps lint test-sqlite test-postgres

lint: $(BIN)/facilitator
	$(BIN)/ruff check .

test-sqlite: $(BIN)/facilitator
	$(BIN)/python -m pytest -q

test-postgres: $(BIN)/facilitator
	TEST_DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -q -m "not browser"

browser-deps:
	@{ command -v chromium && { command -v nginx || test -x /usr/sbin/nginx; }; } >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium nginx; }

bench: $(BIN)/facilitator
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
