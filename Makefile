# Two commands: `make run` (the app on the bundled data) and `make test` (lint + every test).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
HOST ?= 127.0.0.1
DB := data/warehouse.duckdb
SNAPSHOT := data/observations.parquet data/sources.parquet data/monthly.parquet data/industry.parquet \
	data/eu_regions.parquet data/eu_observations.parquet indicators/eu_variables.toml \
	indicators/catalog.toml indicators/industries.toml indicators/alerts.toml \
	indicators/breaks.toml indicators/monthly.toml indicators/goalposts.toml indicators/regions.csv

.PHONY: run test build lint system-deps clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: requirements.txt | $(VENV)/bin/activate
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/activate
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	touch $(VENV)/.runtime-installed $@

# The warehouse is rebuilt from the bundled snapshot when missing or older than the snapshot.
$(DB): $(SNAPSHOT) | $(VENV)/.runtime-installed
	$(PY) -m etl build --db $(DB)

build: $(VENV)/.runtime-installed $(DB)

run: $(VENV)/.runtime-installed $(DB)
	$(PY) -m streamlit run app.py --server.address $(HOST) --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

# Debian packages for the tests: chromium (browser tests) and poppler-utils (pdftoppm, brief
# tests). Installed when missing and we may install packages; otherwise the tests that need them
# fail with a message saying how to install them.
SYSTEM_PACKAGES := chromium:chromium poppler-utils:pdftoppm
system-deps:
	@missing=""; for pair in $(SYSTEM_PACKAGES); do pkg=$${pair%%:*}; cmd=$${pair##*:}; \
	  command -v $$cmd >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "WARNING: missing Debian packages:$$missing (cannot install them here); the tests that need them will fail. Install with: sudo apt-get install$$missing"; fi; \
	fi

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .

test: $(VENV)/.dev-installed system-deps
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

clean:
	rm -rf $(VENV) $(DB) tests/artifacts
