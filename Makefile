# The two commands: `make run` and `make test`. Everything else is set up from here.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements.lock | cut -d' ' -f1)
PYTEST_ARGS ?=

.PHONY: run test test-inner bench lint lock shell messages

$(STAMP): requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@rm -f $(VENV)/.installed-*
	@touch $@

## make run: embedded PostgreSQL + Redis (unless DATABASE_URL / REDIS_URL are set), migrate,
## load the demo county, serve on 127.0.0.1:$${PORT:-8000} with a Celery worker and beat.
run: $(STAMP)
	$(PY) -m portal.devstack run

## make test: lint, migration and deploy checks, then the whole pytest suite.
test: $(STAMP)
	$(PY) -m portal.devstack exec -- $(MAKE) --no-print-directory test-inner

test-inner:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	# The production settings pass the deploy checks. No database is named here: the demo data
	# a developer loaded with `make run` must not fail this (tests/portal cover that check).
	PORTAL_ENV=production SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-enough-secret-key-for-checks \
		ALLOWED_HOSTS=portal.example DEMO_PASSWORD= DATABASE_URL=postgres://127.0.0.1:1/none DATABASE_POOL=false \
		$(PY) manage.py check --deploy --fail-level WARNING
	$(PY) -m pytest $(PYTEST_ARGS)

## make bench: the reminder sweep's time and peak memory at the demo size and ten times it.
bench: $(STAMP)
	$(PY) -m portal.devstack exec -- $(PY) benchmarks/sweep.py --scale 1
	$(PY) -m portal.devstack exec -- $(PY) benchmarks/sweep.py --scale 10

lint: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## make lock: re-resolve the pinned dependencies after editing pyproject.toml.
lock: $(STAMP)
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -q -o requirements.lock

shell: $(STAMP)
	$(PY) -m portal.devstack exec -- $(PY) manage.py shell

## make messages: refresh and compile the translations (needs GNU gettext; dev only: the
## compiled .mo files are committed, so a fresh machine needs no gettext).
I18N_ENV := DATABASE_URL=postgres://localhost/x REDIS_URL=redis://localhost:1/0
I18N_APPS := cadres grassroots poverty supervision portal/reminders
messages: $(STAMP)
	for d in $(I18N_APPS); do (cd $$d && $(I18N_ENV) $(CURDIR)/$(PY) $(CURDIR)/manage.py makemessages -l zh_Hans -s --no-obsolete --no-location -v0); done
	$(I18N_ENV) $(PY) manage.py makemessages -l zh_Hans --no-obsolete --no-location -v0 \
		$(foreach d,$(I18N_APPS) .venv var static,-i '$(d)/*') $(foreach d,$(I18N_APPS),-i 'templates/$(notdir $(d))/*')
	$(I18N_ENV) $(PY) manage.py compilemessages -v0 --ignore .venv
