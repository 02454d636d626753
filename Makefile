# Two commands: `make lab` to study, `make test` to check everything.
# Both create .venv from python3 and install requirements.txt plus the
# helpers package (editable); a stamp keyed to the requirements' content
# means a second run with nothing changed installs nothing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
REQ_KEY := $(shell cat requirements.txt pyproject.toml | sha256sum | cut -c1-16)
STAMP := $(VENV)/.installed-$(REQ_KEY)
# JupyterLab reads its port from JUPYTER_PORT itself; pass extra flags in LAB_ARGS.
LAB_ARGS ?=
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
BROWSER_FLAG := $(if $(or $(DISPLAY),$(WAYLAND_DISPLAY),$(filter Darwin,$(shell uname -s))),,--no-browser)
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb notebooks/solutions/*.ipynb))

.PHONY: help install hygiene lab test test-python test-notebooks test-browser lint bench html notebooks clean

help:
	@echo "make lab           set up .venv and start JupyterLab on notebooks/"
	@echo "make test          set up .venv and run every test and notebook (nbval, strict)"
	@echo "make test-browser  open notebook 05 in headless Chromium and drag its sliders"
	@echo "make bench         print the speed of every method against OpenCV and SciPy"
	@echo "make html          render the executed notebooks into site/"
	@echo "make notebooks     regenerate student notebooks and navigation, then re-run all"

install: $(STAMP)

# Keyed to content only: touching or re-checking-out the files does not reinstall.
$(STAMP):
	@bash tools/make_venv.sh "$(PYTHON)" "$(VENV)"
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

lab: $(STAMP)
	$(BIN)/jupyter lab $(BROWSER_FLAG) $(ROOT_FLAG) --ServerApp.root_dir=notebooks $(LAB_ARGS)

test: $(STAMP) lint test-python test-notebooks hygiene

# The shared notebook hygiene check, when the shared folder sits beside the repo.
hygiene:
	@if [ -f ../shared/tools/check_notebooks.py ]; then $(BIN)/python ../shared/tools/check_notebooks.py; \
	else echo "hygiene: ../shared/tools/check_notebooks.py not found, skipped"; fi

lint: $(STAMP)
	$(BIN)/ruff check .

test-python: $(STAMP)
	$(BIN)/python -m pytest tests -q --ignore=tests/browser

# The notebooks run in parallel (pytest-xdist), NOTEBOOK_WORKERS at a time; --dist loadfile
# keeps each notebook on one worker, since its cells share one kernel. NOTEBOOK_WORKERS=0 runs them in turn.
NOTEBOOK_WORKERS ?= 2
test-notebooks: $(STAMP)
	$(BIN)/python -m pytest -q -n $(NOTEBOOK_WORKERS) --dist loadfile --nbval --nbval-current-env --nbval-sanitize-with nbval_sanitize.cfg $(NOTEBOOKS)

test-browser: $(STAMP)
	@bash tools/check_chromium.sh
	$(BIN)/python -m pytest -q tests/browser

bench: $(STAMP)
	$(BIN)/python bench/bench_methods.py

html: $(STAMP)
	$(BIN)/python tools/build_site.py

notebooks: $(STAMP)
	$(BIN)/python tools/build_notebooks.py

clean:
	rm -rf $(VENV) site
