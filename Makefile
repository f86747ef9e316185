# Two commands on a fresh machine: `make run` and `make test`. Only Python 3.11+ and make are needed.
# The newest python3.13 / 3.12 / 3.11 on the PATH, else python3 if it is 3.11 or newer (PYTHON=... overrides).
PYTHON ?= $(shell for v in 3.13 3.12 3.11; do command -v python$$v >/dev/null 2>&1 && python$$v -c '' 2>/dev/null && { echo python$$v; exit; }; done; \
	python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000
DEVSTACK := $(PY) scripts/devstack.py

.PHONY: run test lint format messages bench totp manage lock screenshots clean reset-demo

$(STAMP): requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" && command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 or newer is needed (3.11, 3.12 and 3.13 were tried): install it, or set PYTHON=/path/to/python3"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP) ## migrate, load demo data, run web + Celery worker + beat (embedded PostgreSQL if DATABASE_URL is unset)
	$(DEVSTACK) run --port $(PORT)

test: $(STAMP) ## the whole pytest suite against PostgreSQL
	$(DEVSTACK) test $(ARGS)

lint: $(STAMP) ## ruff, and the one-way dependencies between apps (import-linter)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(STAMP) ## update the fi/sv message files from the code and templates
	$(DEVSTACK) manage makemessages --no-location --no-obsolete -l fi -l sv -l en -i ".venv/*" -i "staticfiles/*" -i "tests/*"
	$(DEVSTACK) manage compilemessages -i .venv

screenshots: $(STAMP) ## regenerate docs/screenshots/ from the browser tests
	KP_SCREENSHOTS=1 $(DEVSTACK) test tests/browser -q

bench: $(STAMP) ## benchmark figures for the README: expert search, session feedback and hearings (need wrk), then notifications (set REDIS_URL for Redis)
	$(DEVSTACK) manage migrate --no-input -v 0
	$(DEVSTACK) manage bench --experts --feedback --hearings $(ARGS)

totp: $(STAMP) ## the current two-factor code of the demo staff accounts
	@$(DEVSTACK) manage demo_totp 2>/dev/null | tail -1

manage: $(STAMP) ## any manage.py command: make manage ARGS="createsuperuser"
	$(DEVSTACK) manage $(ARGS)

lock: ## re-pin requirements*.txt from requirements*.in (needs network)
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/pip install --quiet -r requirements.in
	.lockvenv/bin/pip freeze > requirements.txt
	.lockvenv/bin/pip install --quiet -r requirements-dev.in
	{ echo "# Test and lint tools, pinned (generated: make lock). Installs on top of requirements.txt."; \
	  echo "-r requirements.txt"; .lockvenv/bin/pip freeze | grep -vxFf requirements.txt; } > requirements-dev.txt
	rm -rf .lockvenv

reset-demo: ## delete the embedded demo database (.data/pg); the next `make run` creates it anew
	rm -rf .data/pg

clean:
	rm -rf $(VENV) staticfiles
