# Two commands: `make run` (the app on the bundled data) and `make test` (lint + every test).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
HOST ?= 127.0.0.1
DB := data/warehouse.duckdb
SNAPSHOT := data/observations.parquet data/sources.parquet indicators/catalog.toml indicators/regions.csv

.PHONY: run test build lint chromium clean

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

# Debian's Chromium for the browser tests; installed when missing and we may install packages.
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "WARNING: chromium is not installed and cannot be installed here; browser tests will fail. Install it with: sudo apt-get install chromium"; fi; }

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .

test: $(VENV)/.dev-installed chromium
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

clean:
	rm -rf $(VENV) $(DB) tests/artifacts
