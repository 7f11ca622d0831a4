# Two commands do everything on a fresh machine (see README):
#   make serve   build the site from data/ and serve it with live reload
#   make test    run the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1
export PYTHONPATH := $(CURDIR)

.PHONY: site serve edit check test quick lint bench schemas clean

$(VENV)/installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

site: $(VENV)/installed
	$(PY) -m bulletin build

# Bad data never stops the server: it shows the located errors on every page until the next
# good save (bulletin/serve_errors.py), so a failed `make site` here does not stop it either.
serve: $(VENV)/installed
	-$(PY) -m bulletin build
	$(PY) -m mkdocs serve --livereload

edit: $(VENV)/installed
	scripts/edit-locally

check: $(VENV)/installed
	$(PY) -m bulletin check $(CHECK_ARGS)

# The whole suite on every core (pytest-xdist), after the house rules (lint, format, types).
test: lint
	scripts/ensure-chromium
	$(PY) -m pytest -n auto --dist loadfile

# The edit loop: lint and every test but the browser ones.
quick: lint
	$(PY) -m pytest -n auto --dist loadfile -m "not browser"

# Types: mypy on bulletin/, strict on the records' path (pyproject.toml [tool.mypy]).
lint: $(VENV)/installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

bench: $(VENV)/installed
	$(PY) benchmarks/bench.py

schemas: $(VENV)/installed
	$(PY) -m bulletin schema schemas

clean:
	rm -rf site .site.new .site.old
