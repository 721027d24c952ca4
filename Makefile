# Two commands do everything on a fresh clone: `make run` and `make test`.
# Both create the virtual environment from uv.lock first; only Python 3.11 and make
# are assumed. uv itself is bootstrapped into .tools/ with pip, pinned.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install run test lint format ui clean
MANIFEST := target/manifest.json
DBT_FILES := $(shell find models macros seeds dbt_tests snapshots -type f 2>/dev/null) dbt_project.yml profiles.yml

$(UV):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required: run make PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: $(VENV)/.installed

# Dagster reads the dbt manifest at import: prepare it ahead, never at import time
$(MANIFEST): $(VENV)/.installed $(DBT_FILES)
	$(BIN)/dbt parse --project-dir . --profiles-dir . --quiet

## run: generate the sample (if no extracts are given), load, build, print the KPIs;
## EXTRACTS=path for your batches, plus MAPPING=salesforce|hubspot|file.yml for a CRM export
run: install $(MANIFEST)
	$(BIN)/salesperf run $(if $(EXTRACTS),--extracts $(EXTRACTS)) $(if $(MAPPING),--mapping $(MAPPING))

## test: lint, then the whole pytest suite (unit, loader, dbt unit tests, end to end)
test: install $(MANIFEST) lint
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src orchestration tests
	$(BIN)/ruff format --check src orchestration tests
	@mkdir -p target
	SALESPERF_WAREHOUSE=$(CURDIR)/target/lint.duckdb $(BIN)/sqlfluff lint models dbt_tests

format: install
	$(BIN)/ruff check --fix src orchestration tests
	$(BIN)/ruff format src orchestration tests

## ui: Dagster's webserver and daemon on http://127.0.0.1:3000 (DAGSTER_HOME=.dagster)
ui: install $(MANIFEST)
	$(BIN)/salesperf ui

clean:
	rm -rf $(VENV) $(TOOLS) target warehouse data .dagster
