# Rawat: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DEBUG ?= 1

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed ## Create .venv and install the requirements

migrate: venv ## Apply database migrations
	$(PY) manage.py migrate --noinput

demo: migrate ## Load the demo shop (idempotent)
	$(PY) manage.py seed_demo

run: demo ## Install, migrate, load the demo shop, start the web server and the job cluster
	$(PY) manage.py compilemessages --ignore=.venv -v 0 || true
	$(PY) manage.py setup_schedules
	@echo ""
	@echo "  Rawat is starting at http://127.0.0.1:$(PORT)/  (log in as demo / demo)"
	@echo "  Admin: http://127.0.0.1:$(PORT)/admin/  (manager / manager)"
	@echo ""
	@trap 'kill 0' EXIT INT TERM; \
	$(PY) manage.py qcluster & \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

TEST_WORKERS ?= auto
test: venv ## Run the whole test suite (on every core; TEST_WORKERS=0 for one process)
	$(PY) -m pytest -n $(TEST_WORKERS)

lint: venv ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: venv ## Django system checks and missing migrations
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

messages: venv ## Extract and compile translations
	$(PY) manage.py makemessages -l id --ignore=.venv --ignore=staticfiles --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

bench-followups: venv ## Follow-ups: planning over 100k buyers / 1M orders (< 60 s), email sending rate (>= 200/s)
	$(PY) bench/followups_bench.py

bench-tone: venv ## Tone guard (500-char reply p99 < 2 ms, >= 5,000/s) and triage (>= 5,000/s), one core
	$(PY) bench/tone_triage_bench.py

eval: venv ## Tone guard and triage: P/R/F1 per category on tests/data (dev and held-out) and ../shared/eval
	$(PY) bench/evaluate.py

bench-import: venv ## Imports: 100k lines vs sqlite3.executemany (<= 3x) and django-import-export (>= 10x), 1M-line RSS (< 300 MB), PostgreSQL
	$(PY) bench/import_bench.py --write docs/benchmarks.md

bench-load: venv ## Load: gunicorn (4 workers) + qcluster; 50 sellers on PostgreSQL (0 errors, p95 < 500 ms), 10 SQLite writers (no "database is locked"); ~8 min
	$(PY) bench/load_bench.py --write docs/benchmarks.md

bench-pages: venv ## Seller pages at 1k vs 1M orders on SQLite and PostgreSQL (median < 300 ms, within 3x), query plans
	$(PY) bench/pages_bench.py --write docs/benchmarks.md

bench: bench-followups bench-tone bench-import bench-pages

.PHONY: help venv migrate demo run test lint check messages
.PHONY: bench bench-followups bench-tone bench-import bench-load bench-pages eval
