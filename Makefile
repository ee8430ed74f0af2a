# Rongcheng Mall — `make run` starts the platform, `make test` checks everything.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
PYTEST_ARGS ?= -n auto --dist loadfile
HOST   ?= 127.0.0.1

.PHONY: run run-callcenter test test-midnight lint pytest setup deps messages translations migrate demo static clean

run: setup
	HASHED_STATIC=true $(PY) manage.py serve --host $(HOST) --port $(PORT)

# `make run` with the call center lab (docs/callcenter.md): Kamailio, rtpengine and the lab
# engine on 127.0.0.1, the workspace's soft phone registered over Kamailio's WebSocket, the
# web process's engine commands sent to the lab's loop over Redis when REDIS_URL is set
# (rongcheng/callcenter/commands.py; without it the workspace says they stay in the page). Needs
# Debian's kamailio, kamailio-websocket-modules and rtpengine-daemon.
LAB_SIP_PORT     ?= 5070
LAB_WS_PORT      ?= 5066
LAB_HOTLINE_PORT ?= 5080
run-callcenter: setup
	$(PY) manage.py callcenter_lab --check
	$(PY) manage.py callcenter_lab --sip-port $(LAB_SIP_PORT) --ws-port $(LAB_WS_PORT) \
	  --hotline-port $(LAB_HOTLINE_PORT) & lab=$$!; trap 'kill $$lab; wait $$lab' EXIT; \
	CALLCENTER_SIP_WS_URL=ws://127.0.0.1:$(LAB_WS_PORT) CALLCENTER_SIP_DOMAIN=127.0.0.1:$(LAB_SIP_PORT) \
	  $(if $(REDIS_URL),CALLCENTER_ENGINE=rongcheng.callcenter.commands.WorkerChannelEngine) \
	  HASHED_STATIC=true $(PY) manage.py serve --host $(HOST) --port $(PORT)

# Everything `make run` needs before it starts; each step is skipped when nothing changed.
setup: $(VENV)/.installed node_modules/.installed translations migrate demo static

# Hashed and compressed static files for `make run` (long browser caching), collected again
# only when a static source changed.
STATIC_DIR := $(or $(RONGCHENG_VAR_DIR),var)/static
STATIC_SOURCES := $(shell find rongcheng -path '*/static/*' -type f 2>/dev/null)
static: $(STATIC_DIR)/staticfiles.json
$(STATIC_DIR)/staticfiles.json: $(STATIC_SOURCES) $(VENV)/.installed node_modules/.installed
	HASHED_STATIC=true $(PY) manage.py collectstatic --no-input --clear -v 0

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet -c constraints.txt --group dev
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Compile .po to .mo with Babel, so no system gettext is needed; only catalogues that changed.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po locale_vendor/*/LC_MESSAGES/django.po))
translations: $(MO_FILES)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(VENV)/.installed
	$(VENV)/bin/pybabel compile --domain django --directory locale --locale $* --use-fuzzy --statistics

locale_vendor/%/LC_MESSAGES/django.mo: locale_vendor/%/LC_MESSAGES/django.po $(VENV)/.installed
	$(VENV)/bin/pybabel compile --domain django --directory locale_vendor --locale $* --statistics

# Extract every translatable string of Python code and Jinja2 templates into the catalogue.
messages: $(VENV)/.installed
	$(VENV)/bin/pybabel extract --mapping babel.cfg --keywords "_ gettext_lazy kept_gettext pgettext:1c,2 ngettext:1,2" --no-location --sort-output --output locale/django.pot .
	$(VENV)/bin/pybabel update --domain django --input-file locale/django.pot --output-dir locale --no-fuzzy-matching --ignore-obsolete

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_regions -v 0

demo: $(VENV)/.installed
	$(PY) manage.py load_demo

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

pytest: $(VENV)/.installed node_modules/.installed translations
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test: lint pytest

# The whole suite with the clock at four instants around midnight in Shanghai (R-13: nothing
# may depend on the hour). Not part of `make test`: run it when a change touches dates.
MIDNIGHT := 2026-12-31T23:30:00+08:00 2027-01-01T00:30:00+08:00 2026-12-31T15:59:00+00:00 2026-12-31T16:01:00+00:00
test-midnight: $(VENV)/.installed node_modules/.installed translations
	for at in $(MIDNIGHT); do RONGCHENG_FROZEN_AT=$$at $(VENV)/bin/pytest $(PYTEST_ARGS) || exit 1; done

# Re-resolve the pinned versions from pyproject.toml's dependency groups.
deps:
	$(PYTHON) -m venv /tmp/rongcheng-deps && /tmp/rongcheng-deps/bin/pip install --quiet --upgrade "pip>=25.1"
	/tmp/rongcheng-deps/bin/pip install --quiet --group dev --group bench
	/tmp/rongcheng-deps/bin/pip freeze --exclude-editable | sort > constraints.txt
	rm -rf /tmp/rongcheng-deps

clean:
	rm -rf $(VENV) node_modules var staticfiles
