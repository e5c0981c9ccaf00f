# Two commands: `make run` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
comma := ,

.PHONY: run run-sso test system-packages install migrate demo screenshots bench bench-staff load lint lock clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# requirements.lock pins every package to the versions CI tested (regenerate it
# with `make lock` after changing pyproject.toml's dependencies).
$(STAMP): pyproject.toml requirements.lock | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	DEBUG=true $(PY) manage.py migrate --noinput

demo: migrate
	DEBUG=true $(PY) manage.py seed_demo

run: demo
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

# Sign in with the school's account, tried on the demo (README): the tests' OpenID Connect provider
# (oidc-provider-mock) on 127.0.0.1:9400 knows each demo account's email, and says head passed MFA;
# stranger@conduct.example.org is known to it but not invited to Conduct.
SSO_DEMO_ENV = CONDUCT_OIDC_PROVIDERS=demo CONDUCT_OIDC_DEMO_SERVER_URL=http://127.0.0.1:9400 \
	CONDUCT_OIDC_DEMO_CLIENT_ID=conduct-demo CONDUCT_OIDC_DEMO_SECRET=demo-secret \
	CONDUCT_OIDC_DEMO_DOMAINS=conduct.example.org CONDUCT_OIDC_DEMO_NAME="your demo school account"
sso_claims = --user-claims '{"sub":"$(1)@conduct.example.org","email":"$(1)@conduct.example.org","email_verified":true$(2)}'
run-sso: demo
	$(VENV)/bin/oidc-provider-mock --port 9400 --require-nonce true \
	  $(foreach u,office deputy chair office2 head2 trust dpo setup stranger,$(call sso_claims,$(u))) \
	  $(call sso_claims,head,$(comma)"amr":["pwd"$(comma)"mfa"]) & \
	trap 'kill $$!' EXIT; DEBUG=true $(SSO_DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# Chromium and the letter fonts first (installed as root, otherwise the exact command is
# printed and make stops): a fresh machine runs the browser tests rather than skipping them.
# pytest exits 5 when it collects nothing; a full run always collects, so 5 is a failure here too.
# The suite ends by saying how many browser tests ran (tests/conftest.py).
# pytest-xdist runs it on two processes (each with its own test database). No test relies on
# xdist_group: pytest-xdist 3.8 names a group in the test's id in a way pytest 9 no longer reads,
# so --dist loadgroup spreads grouped tests like any others. PYTEST_XDIST= runs it serially.
PYTEST_XDIST ?= -n 2 --dist loadgroup
test: install system-packages
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -q $(PYTEST_XDIST) $(PYTEST_ARGS)

system-packages:
	bash .ci/system-packages

# Chromium drives the pages; poppler's pdftoppm turns each kind of letter into PNG pages.
screenshots: install system-packages
	DJANGO_ALLOW_ASYNC_UNSAFE=true CONDUCT_SCREENSHOTS=1 $(PY) -m pytest -q tests/browser/test_screenshots.py

# The page benchmark on DATABASE_URL (default: SQLite bench/bench.sqlite3); writes bench/results.md.
# BENCH_ARGS="--generate 200000" (re)creates the data first; `bench/run.py letters` times the letters.
bench: install
	$(PY) bench/run.py pages $(BENCH_ARGS)

# Staff time (issue 25.1): headless Chromium clicks through the ban story and the quick log on a fresh demo
# database and counts, per role, pages, fields, characters, clicks, uploads and words read, with a
# keystroke-level estimate; writes its section of bench/results.md. BENCH_STAFF_ARGS=--check fails on a missed target.
bench-staff: install system-packages
	$(PY) bench/staff_time.py $(BENCH_STAFF_ARGS)

# gunicorn (2 workers, 127.0.0.1) under 50 locust users for 60 s, then conduct_audit. PostgreSQL only:
# DATABASE_URL=postgres://... holding the benchmark's data.
load: install
	$(PY) bench/load.py $(LOAD_ARGS)

# ruff, bandit on the app code and pip-audit on the dependencies (skipped with a
# message where PyPI's vulnerability data cannot be reached).
lint: install
	bash .ci/static-checks

lock: install
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e ' > requirements.lock

clean:
	rm -rf $(VENV) staticfiles
