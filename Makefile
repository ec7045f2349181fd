# `make run` serves the shop with demo data; `make test` runs every test. Both install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: vendor install install-dev run serve test test-postgres audit bench bench-cluster cluster translations extract-messages clean

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

# Front-end packages the site serves (Leaflet and its marker clusters for the map, Chart.js for the
# programme report and OCOP in figures), copied from node_modules into static/vendor/ (ignored by git). Only the runtime dependencies are installed when the development tools are absent.
VENDOR := static/vendor
$(VENDOR)/.installed: package.json package-lock.json
	test node_modules/.installed -nt package-lock.json || npm ci --omit=dev --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/leaflet $(VENDOR)/leaflet.markercluster
	cp -R node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images \
		node_modules/leaflet/LICENSE $(VENDOR)/leaflet/
	cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js node_modules/leaflet.markercluster/dist/*.css \
		node_modules/leaflet.markercluster/MIT-LICENCE.txt $(VENDOR)/leaflet.markercluster/
	mkdir -p $(VENDOR)/chart.js
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map \
		node_modules/chart.js/LICENSE.md $(VENDOR)/chart.js/
	touch $@

vendor: $(VENDOR)/.installed

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d storefront/translations

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

## NODES app nodes (gunicorn) behind nginx on 127.0.0.1:$(CLUSTER_PORT), on one PostgreSQL database (see README).
NODES ?= 3
CLUSTER_PORT ?= 8080
CLUSTER_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/ocop_cluster
CLUSTER_DIR ?= instance/cluster
cluster: install
	$(BIN)/python -m deploy.cluster --nodes $(NODES) --port $(CLUSTER_PORT) \
		--database-url $(CLUSTER_DATABASE_URL) --dir $(CLUSTER_DIR)

## The same load through nginx on 1 node and on 3 nodes, as ratios to the trivial route (see README).
bench-cluster: install-dev
	$(BIN)/python -m bench.cluster

## After changing user-facing strings: refresh the message catalogues, then translate what is new.
extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l --no-wrap --ignore-dirs='.* node_modules' --no-location --sort-output -o storefront/translations/messages.pot .
	$(BIN)/pybabel update -i storefront/translations/messages.pot -d storefront/translations --no-fuzzy-matching --no-wrap

clean:
	rm -rf $(VENV) node_modules instance $(VENDOR)
