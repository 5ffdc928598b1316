# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test lint bench load system-libs chromium clean

# The virtualenv is made once; the requirements are installed again whenever they
# change (the stamp file is older than a requirements file).
STAMP := $(VENV)/.requirements-installed

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# WeasyPrint needs Pango and a font; install them only when they are missing.
system-libs:
	@$(PYTHON) -c "import ctypes.util as u, sys; sys.exit(0 if u.find_library('pango-1.0') and u.find_library('pangoft2-1.0') else 1)" \
	  || (apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null)

chromium:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

run: $(STAMP) system-libs
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	@# The PDF report worker runs beside the server and stops with it.
	$(BIN)/flask reports work & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/flask run --host 127.0.0.1 --port 5000

# Synthetic register at scale (SQLite, or PostgreSQL with DATABASE_URL); prints figures.
bench: $(STAMP) system-libs
	$(BIN)/python -m bench.run

test: $(STAMP) system-libs chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check app tests bench load

clean:
	rm -rf $(VENV) instance .pytest_cache

# 60 s at 50 users under gunicorn on PostgreSQL (a database of its own), then a
# check of the database; needs PostgreSQL on 127.0.0.1:5432 and Redis on 6379.
load: $(STAMP)
	$(BIN)/python -m load.run
