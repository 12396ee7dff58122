# Two commands for a fresh machine with Python 3.10+ and make:
#   make lab    set up .venv on first use, then open JupyterLab on the notebooks
#   make test   same setup, then run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: lab test execute benchmark clean

# The stamp is newer than pyproject.toml once the install succeeded, so
# re-running `make lab` or `make test` skips the install when nothing changed.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --editable ".[test]"
	touch $(STAMP)

# As root (containers, Codespaces) JupyterLab refuses to start without --allow-root.
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

test: $(STAMP)
	$(BIN)/python -m pytest

# Re-execute every notebook top to bottom in a fresh kernel and save it with
# its outputs (run this after editing a chapter, then commit the result).
execute: $(STAMP)
	$(BIN)/python benchmarks/run_notebooks.py --write

benchmark: $(STAMP)
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV)
