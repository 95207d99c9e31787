# Youth Voice: `make run` sets everything up and starts the platform; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
RASA_VENV := .venv-rasa
YV := $(VENV)/bin/youthvoice

.PHONY: setup run test test-sqlite test-postgres lint train safeguarding-model themes-model console-assets system-deps bench clean

setup: $(VENV)/.installed $(RASA_VENV)/.installed train safeguarding-model themes-model console-assets

# The platform's venv: Python >= 3.11, reinstalled only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed as '$(PYTHON)' (set PYTHON=...)."; exit 1; }
	[ -x $(VENV)/bin/python ] || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e ".[test]"
	touch $@

# Rasa's own venv: Python 3.10 and the exact versions in bot/requirements-rasa.lock.
# pip < 24.1 because some of Rasa 3.6's pinned dependencies carry legacy version metadata.
$(RASA_VENV)/.installed: bot/requirements-rasa.lock
	@py310=$$(scripts/find-python310.sh) || exit 1; \
	  [ -x $(RASA_VENV)/bin/python ] || $$py310 -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install -q "pip<24.1" wheel
	$(RASA_VENV)/bin/pip install -q -r bot/requirements-rasa.lock
	touch $@

# Retrains only when bot/config.yml, bot/domain.yml or bot/data/ changed.
train: $(VENV)/.installed $(RASA_VENV)/.installed
	$(YV) bot train

# Rebuilds the safeguarding classifier only when analysis/data/safeguarding changed.
safeguarding-model: $(VENV)/.installed
	$(YV) analyse train-safeguarding

# Rebuilds the theme pipeline only when its labelled answers, officers' corrections, the
# taxonomy or the pipeline code changed.
themes-model: $(VENV)/.installed
	$(YV) analyse train --if-changed

# GOV.UK Frontend for the console, from the pinned npm packages; rebuilt when they or the Sass change.
console-assets: web/static/govuk/.built

web/static/govuk/.built: web/frontend/package-lock.json web/frontend/console.scss scripts/build-console-assets.sh
	scripts/build-console-assets.sh

run: setup
	$(YV) init
	$(YV) run

system-deps:
	scripts/install-system-deps.sh

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The whole suite, on SQLite and then on PostgreSQL (a throwaway server the tests start).
test: setup system-deps lint test-sqlite test-postgres

test-sqlite: setup
	YV_TEST_DB=sqlite $(VENV)/bin/pytest

test-postgres: setup system-deps
	YV_TEST_DB=postgresql $(VENV)/bin/pytest

# Loopback load on the SMS webhook, bounded in time (about 3 minutes); prints figures.
bench: setup
	$(VENV)/bin/python bench/safeguarding_quality.py
	$(VENV)/bin/python bench/themes_quality.py
	$(VENV)/bin/python bench/sms_load.py

clean:
	rm -rf $(VENV) $(RASA_VENV) bot/models bot/.rasa analysis/models .pytest_cache web/static/govuk web/frontend/node_modules
