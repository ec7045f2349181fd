# `make run` serves the shop with demo data; `make test` runs every test. Both install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: install install-dev vendor run serve test test-postgres audit bench translations extract-messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d storefront/translations

# Front-end packages the app serves (package.json `dependencies`), copied from node_modules into
# static/vendor/<package>/ (git-ignored): the app never loads code from a CDN.
VENDOR_FILES := static/vendor/chart.js/chart.umd.min.js static/vendor/chart.js/chart.umd.min.js.map

static/vendor/chart.js/%: node_modules/.installed
	mkdir -p $(@D)
	cp node_modules/chart.js/dist/$* $@

vendor: $(VENDOR_FILES)

install: $(VENV)/.installed translations vendor

install-dev: install $(VENV)/.installed-dev node_modules/.installed

## Serve the shop at http://$(HOST):$(PORT), creating the database and demo data on first run.
run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load --if-empty
	$(BIN)/flask search rebuild
	$(BIN)/flask run --host $(HOST) --port $(PORT)

## Run the whole test suite (SQLite, or PostgreSQL when TEST_DATABASE_URL is set).
test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Lighthouse and the Nu HTML checker against a running instance (see README).
audit: install-dev
	$(BIN)/python -m bench.audit

## The national-scale benchmark on PostgreSQL (see README).
bench: install-dev
	$(BIN)/python -m bench.run

## After changing user-facing strings: refresh the message catalogues, then translate what is new.
extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l --ignore-dirs='.* node_modules' --no-location --sort-output -o storefront/translations/messages.pot .
	$(BIN)/pybabel update -i storefront/translations/messages.pot -d storefront/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) node_modules instance static/vendor
