# Two commands for a fresh machine with Python 3.10+ and make:
#   make lab    set up .venv on first use, then open JupyterLab on the notebooks
#   make test   same setup, then run the whole test suite
# and, for contributors, `make quick`: the suite without its slow tests (a few minutes).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# What pip installs besides the course: the tests' tools, and numba (about 60 MB), which only makes
# big photographs decode faster and the trellis run faster (helpers/jpeg/_compiled.py, _trellis._paths).
# On a slow connection: make lab EXTRAS=test
EXTRAS ?= test,fast

.PHONY: lab test quick lint test-oldest execute site benchmark clean

# The stamp is newer than pyproject.toml once the install succeeded, so
# re-running `make lab` or `make test` skips the install when nothing changed.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --editable ".[$(EXTRAS)]"
	touch $(STAMP)

# JupyterLab with kernel messages sent at once (helpers/lab.py says why), and
# --allow-root when run as root (containers, Codespaces).
lab: $(STAMP)
	$(BIN)/python -m helpers.lab notebooks/

test: $(STAMP)
	$(BIN)/python -m pytest

# The loop for contributors: unit tests, doctests and nbval of every chapter,
# without the tests marked slow (every slider stepped, the browser).
quick: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

# ruff with the settings in pyproject.toml (tests/test_lint.py runs it too).
lint: $(STAMP)
	$(BIN)/python -m ruff check .

# The oldest versions the project claims (constraints/oldest.txt) on the oldest
# Python it supports, in a venv of its own: python3.10 if it runs (a pyenv shim
# on PATH may be there and not run), else pyenv's newest 3.10, else $(PYTHON).
OLDEST_PYTHON ?= $(shell if python3.10 -c '' 2>/dev/null; then echo python3.10; \
	elif p=$$(pyenv prefix 3.10 2>/dev/null) && [ -x "$$p/bin/python3.10" ]; then echo "$$p/bin/python3.10"; \
	else echo $(PYTHON); fi)
OLDEST := .venv-oldest

# Rebuilt from scratch when the pins change: no newer package is left behind.
$(OLDEST)/.installed: pyproject.toml constraints/oldest.txt
	rm -rf $(OLDEST)
	$(OLDEST_PYTHON) -m venv $(OLDEST)
	$(OLDEST)/bin/python -m pip install --quiet --constraint constraints/oldest.txt --editable ".[test,fast]"
	touch $@

test-oldest: $(OLDEST)/.installed
	@$(OLDEST)/bin/python -c 'import sys; print("test-oldest on Python", sys.version.split()[0])'
	$(OLDEST)/bin/python -m pytest

# Re-execute every notebook top to bottom in a fresh kernel and save it with
# its outputs (run this after editing a chapter, then commit the result).
execute: $(STAMP)
	$(BIN)/python tools/run_notebooks.py --write

# The course as a static website in build/site/ (tools/website.py): every slider works there
# without Python. SITE_REPOSITORY=github.com/owner/name adds "open in Binder / Colab" links.
SITE_REPOSITORY ?=
site: $(STAMP)
	$(BIN)/python tools/website.py --repository "$(SITE_REPOSITORY)"

# mozjpeg for bench_tables.py comes from npm (benchmarks/node/package.json); without npm, or
# offline, its columns say "n/a".
benchmark: $(STAMP)
	$(BIN)/python -m pip install --quiet --editable ".[test,fast,bench]"
	if command -v npm >/dev/null 2>&1; then \
		npm install --prefix benchmarks/node --no-audit --no-fund --loglevel=error || true; fi
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) $(OLDEST)
