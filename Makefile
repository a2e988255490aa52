# The two commands of the README:
#   make demo   set up, load a synthetic platform, print what to do next, run the server
#   make test   run the whole test suite (DATABASE_URL=postgres://... to run it on PostgreSQL)

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_VIDEOS ?= 20000
DEMO_ENV := DJANGO_DEBUG=true
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint format install bench browsers clean

$(BIN)/.installed: pyproject.toml clients/python/pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' -e './clients/python[all]'
	@touch $@

install: $(BIN)/.installed

demo: install
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input -v 0
	@$(DEMO_ENV) $(BIN)/python manage.py shell --no-imports -c "from catalog.models import Video; import sys; sys.exit(0 if Video.objects.exists() else 1)" \
		|| $(DEMO_ENV) $(BIN)/python manage.py seed_platform --videos $(DEMO_VIDEOS)
	@$(DEMO_ENV) $(BIN)/python manage.py shell --no-imports -c "from transparency.models import Release; import sys; sys.exit(0 if Release.objects.exists() else 1)" \
		|| $(DEMO_ENV) $(BIN)/python manage.py publish_transparency --end 20261031
	@$(DEMO_ENV) $(BIN)/python manage.py demo_welcome --url http://$(HOST):$(PORT)
	$(DEMO_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest

lint: install  # the linter, the formatter and the import contract (pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

browsers:  # Debian's Chromium and its driver, for the browser tests (needs root)
	command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver)

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var/*.sqlite3* var/dev-secret-key
