# Two commands matter: `make run` and `make test`. Everything else is what they call.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint format check-workflows test-sqlite test-postgres clean bench translations screenshots

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

## make run: install, create instance/ with an SQLite database and demo data, serve on :5000
run: $(STAMP)
	$(BIN)/litigation check
	$(BIN)/litigation init-db
	$(BIN)/litigation demo --if-empty
	@cat instance/demo-logins.txt 2>/dev/null || echo "No demo logins: this database already had users (see litigation create-user)."
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl+C stops)"
	$(BIN)/litigation run --host $(HOST) --port $(PORT)

## make test: lint, then the whole suite on SQLite and, with TEST_DATABASE_URL set, on PostgreSQL
test: $(STAMP) lint check-workflows test-sqlite test-postgres

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-workflows: $(STAMP)
	$(BIN)/litigation check workflows.yaml

test-sqlite: $(STAMP)
	env -u TEST_DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: $(STAMP)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== the suite again on PostgreSQL: $$TEST_DATABASE_URL"; \
		$(BIN)/pytest -m "not browser" $(PYTEST_ARGS); \
	else \
		echo "TEST_DATABASE_URL not set: PostgreSQL run skipped"; \
	fi

## make bench: the whole product's benchmark at 1,000 cases on SQLite (a few minutes);
## bigger with CASES=100000 DATABASE_URL=postgresql://... (that database is EMPTIED first)
CASES ?= 1000
DATABASE_URL ?=
bench: $(STAMP)
	$(BIN)/python bench/run.py --cases $(CASES) $(if $(DATABASE_URL),--database-url $(DATABASE_URL))

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info

## make translations: extract new strings into the Russian catalogue, then compile it
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k msg --no-location --sort-output -o litigation/translations/messages.pot .
	$(BIN)/pybabel update -i litigation/translations/messages.pot -d litigation/translations -l ru --no-fuzzy-matching
	$(BIN)/pybabel compile -d litigation/translations -l ru

## make screenshots: the README's phone (390 px) and desktop (1366 px) screenshots of the case
## page and the dashboard, in Russian over the demo data, into docs/screenshots/
screenshots: $(STAMP)
	SCREENSHOTS=docs/screenshots $(BIN)/pytest -p no:cacheprovider tests/web/browser/test_screenshots.py
