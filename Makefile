# Two commands: `make lab` to study, `make test` to check everything.
# Both create .venv from python3 and install requirements.txt plus the
# helpers package (editable); a stamp keyed to the requirements' content
# means a second run with nothing changed installs nothing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
REQ_KEY := $(shell cat requirements.txt pyproject.toml tools/lab_overrides.json | sha256sum | cut -c1-16)
STAMP := $(VENV)/.installed-$(REQ_KEY)
# JupyterLab reads its port from JUPYTER_PORT itself; pass extra flags in LAB_ARGS.
LAB_ARGS ?=
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
BROWSER_FLAG := $(if $(or $(DISPLAY),$(WAYLAND_DISPLAY),$(filter Darwin,$(shell uname -s))),,--no-browser)
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb notebooks/solutions/*.ipynb))

# The site's own copies of MathJax and reveal.js: every package of package-lock.json, downloaded from
# the npm registry and checked against the lock file's sha512 by tools/fetch_assets.py (Python only,
# no Node.js), into node_modules/ as npm ci would; again only when the lock file changes.
ASSETS_STAMP := node_modules/.fetched

.PHONY: presenter help install install-colab install-py312 install-grading assets hygiene lab test test-python test-notebooks test-browser test-colab test-colab-python test-colab-notebooks test-py312 lint bench html slides handouts notebooks clean grading grading-test

help:
	@echo "make lab           set up .venv and start JupyterLab on the repository, open notebooks/00_start_here"
	@echo "make test          set up .venv and run every test and notebook (nbval, strict)"
	@echo "make test-browser  headless Chromium: 07's sliders, a RISE slideshow, the offline site"
	@echo "make test-colab    the tests and every notebook in a Colab-like .venv-colab (Python 3.13, ipywidgets 7)"
	@echo "make test-py312    the tests under Python 3.12"
	@echo "make bench         print the speed of every method against OpenCV and SciPy"
	@echo "make html          render the executed notebooks into site/ (fetches MathJax once)"
	@echo "make slides        the same site plus every lesson as a reveal.js slide deck"
	@echo "make handouts      one PDF per lesson in handouts/ (the student page, printed by headless Chromium) and its answer key"
	@echo "make presenter     the presenter's copy of every lesson in presenter/ (answers one key press later, notes on every section)"
	@echo "make notebooks     regenerate student notebooks and navigation, re-run what changed (REPLACE=05: reset lesson 05)"
	@echo "make grading       nbgrader source notebooks in grading/ (nbgrader in its own .venv-grading)"
	@echo "make grading-test  release, submit, autograde: solutions full marks, blank and patched zero"

install: $(STAMP)

# Keyed to content only: touching or re-checking-out the files does not reinstall.
$(STAMP):
	@bash tools/make_venv.sh "$(PYTHON)" "$(VENV)"
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@# JupyterLab defaults for this environment: RISE slides scroll when they are long
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp tools/lab_overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	rm -f $(VENV)/.installed-*
	touch $@

# Served from the repository root, so links such as ../docs/teaching.md work; the URL it
# opens (or prints, without a display) is notebook 00.
START_URL := /lab/tree/notebooks/00_start_here.ipynb
lab: $(STAMP)
	$(BIN)/jupyter lab $(BROWSER_FLAG) $(ROOT_FLAG) --ServerApp.root_dir=. --LabApp.default_url=$(START_URL) $(LAB_ARGS)

test: $(STAMP) lint test-python test-notebooks hygiene

# The shared notebook hygiene check, when the shared folder sits beside the repo.
hygiene:
	@if [ -f ../shared/tools/check_notebooks.py ]; then $(BIN)/python ../shared/tools/check_notebooks.py; \
	else echo "hygiene: ../shared/tools/check_notebooks.py not found, skipped"; fi

lint: $(STAMP)
	$(BIN)/ruff check .

# The tests run on TEST_WORKERS processes (pytest-xdist); each test uses its own temporary folder.
# TEST_WORKERS=0 runs them in one process.
TEST_WORKERS ?= 2
PYTEST_TESTS := -m pytest tests -q --ignore=tests/browser -n $(TEST_WORKERS)
test-python: $(STAMP) $(ASSETS_STAMP)
	$(BIN)/python $(PYTEST_TESTS)

# The notebooks run in parallel (pytest-xdist), NOTEBOOK_WORKERS at a time; --dist loadfile
# keeps each notebook on one worker, since its cells share one kernel. NOTEBOOK_WORKERS=0 runs them in turn.
# Three workers on two cores: a worker waiting for its kernel to start or answer leaves a core idle
# (measured on 2 cores, 19 notebooks: serial 95 s, two workers 61 s, three 54 s).
NOTEBOOK_WORKERS ?= 3
test-notebooks: $(STAMP)
	$(BIN)/python -m pytest -q -n $(NOTEBOOK_WORKERS) --dist loadfile --nbval --nbval-current-env --nbval-sanitize-with nbval_sanitize.cfg $(NOTEBOOKS)

test-browser: $(STAMP) $(ASSETS_STAMP)
	@bash tools/check_chromium.sh
	$(BIN)/python -m pytest -q tests/browser

# Google Colab, approximated: Python 3.13 with constraints-colab.txt's versions (ipywidgets 7.7.1,
# numpy 2.1.3, OpenCV 5.0, ...) in .venv-colab; the tests, then every notebook under nbval (strict),
# compared with the outputs stored from .venv. conftest.py fails any cell whose output shows an error.
COLAB_PYTHON ?= $(shell bash tools/find_python.sh 3.13)
COLAB_VENV := .venv-colab
COLAB_STAMP := $(COLAB_VENV)/.installed-$(shell cat constraints-colab.txt pyproject.toml | sha256sum | cut -c1-16)
$(COLAB_STAMP):
	@test -n "$(COLAB_PYTHON)" || { echo "make test-colab needs Python 3.13: none found on PATH or in pyenv; set COLAB_PYTHON=/path/to/python3.13" >&2; exit 1; }
	rm -rf $(COLAB_VENV)
	$(COLAB_PYTHON) -m venv $(COLAB_VENV)
	$(COLAB_VENV)/bin/python -m pip install --quiet -c constraints-colab.txt -e ".[test]"
	touch $@

install-colab: $(COLAB_STAMP)

test-colab: test-colab-python test-colab-notebooks

test-colab-python: $(COLAB_STAMP) $(ASSETS_STAMP)
	$(COLAB_VENV)/bin/python $(PYTEST_TESTS)

test-colab-notebooks: $(COLAB_STAMP)
	$(COLAB_VENV)/bin/python -m pytest -q -n $(NOTEBOOK_WORKERS) --dist loadfile --nbval --nbval-current-env --nbval-sanitize-with nbval_sanitize.cfg $(NOTEBOOKS)

# The tests under Python 3.12 with the newest libraries (.venv-py312); the notebooks run under
# 3.11 (make test) and 3.13 (make test-colab).
PY312_PYTHON ?= $(shell bash tools/find_python.sh 3.12)
PY312_VENV := .venv-py312
PY312_STAMP := $(PY312_VENV)/.installed-$(shell cat pyproject.toml | sha256sum | cut -c1-16)
$(PY312_STAMP):
	@test -n "$(PY312_PYTHON)" || { echo "make test-py312 needs Python 3.12: none found on PATH or in pyenv; set PY312_PYTHON=/path/to/python3.12" >&2; exit 1; }
	rm -rf $(PY312_VENV)
	$(PY312_PYTHON) -m venv $(PY312_VENV)
	$(PY312_VENV)/bin/python -m pip install --quiet -e ".[test]"
	touch $@

install-py312: $(PY312_STAMP)

test-py312: $(PY312_STAMP) $(ASSETS_STAMP)
	$(PY312_VENV)/bin/python $(PYTEST_TESTS)

bench: $(STAMP)
	$(BIN)/python bench/bench_methods.py

assets: $(ASSETS_STAMP)

$(ASSETS_STAMP): package-lock.json tools/fetch_assets.py
	$(PYTHON) tools/fetch_assets.py
	touch $@

html: $(STAMP) $(ASSETS_STAMP)
	$(BIN)/python tools/build_site.py

slides: $(STAMP) $(ASSETS_STAMP)
	$(BIN)/python tools/build_site.py --slides

# One PDF per lesson (student version as the site renders it, answers at the end) and one answer key
# per lesson (handouts/answer-keys/), checked after printing.
handouts: $(STAMP) $(ASSETS_STAMP)
	@bash tools/check_chromium.sh
	$(BIN)/python tools/handouts.py

# The copy to present from (tools/presenter.py): made from the committed notebooks, nothing runs.
presenter: $(STAMP)
	$(BIN)/python tools/presenter.py

# A student notebook changed by hand is never overwritten: the script stops and names it.
# REPLACE="05 07" puts those lessons' student notebooks back as the series made them.
REPLACE ?=
notebooks: $(STAMP)
	$(BIN)/python tools/build_notebooks.py $(if $(strip $(REPLACE)),--replace $(REPLACE),)

# nbgrader pins notebook 7 and jupyter-client < 9, so it lives in its own venv and never moves
# the JupyterLab and RISE of .venv; keyed to content like .venv.
GRADING_VENV := .venv-grading
GRADING_KEY := $(shell cat requirements.txt tools/grading/requirements.txt pyproject.toml | sha256sum | cut -c1-16)
GRADING_STAMP := $(GRADING_VENV)/.installed-$(GRADING_KEY)

$(GRADING_STAMP):
	@bash tools/make_venv.sh "$(PYTHON)" "$(GRADING_VENV)"
	$(GRADING_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(GRADING_VENV)/bin/python -m pip install --quiet -r tools/grading/requirements.txt
	$(GRADING_VENV)/bin/python -m pip install --quiet --no-deps -e .
	rm -f $(GRADING_VENV)/.installed-*
	touch $@

install-grading: $(GRADING_STAMP)

grading: $(GRADING_STAMP)
	$(GRADING_VENV)/bin/python tools/grading/build_grading.py

grading-test: $(GRADING_STAMP)
	$(GRADING_VENV)/bin/python tools/grading/build_grading.py --autograde

clean:
	rm -rf $(VENV) $(COLAB_VENV) $(PY312_VENV) $(GRADING_VENV) grading site handouts presenter node_modules
