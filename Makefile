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

# The site's own copies of MathJax and reveal.js (package.json, npm ci), for make html and make slides.
NODE_STAMP := node_modules/.package-lock.json

.PHONY: help install hygiene lab test test-python test-notebooks test-browser lint bench html slides notebooks clean grading grading-test

help:
	@echo "make lab           set up .venv and start JupyterLab on the repository, open notebooks/00_start_here"
	@echo "make test          set up .venv and run every test and notebook (nbval, strict)"
	@echo "make test-browser  headless Chromium: 07's sliders, a RISE slideshow, the offline site"
	@echo "make bench         print the speed of every method against OpenCV and SciPy"
	@echo "make html          render the executed notebooks into site/ (needs npm for MathJax)"
	@echo "make slides        the same site plus every lesson as a reveal.js slide deck"
	@echo "make notebooks     regenerate student notebooks and navigation, then re-run all"
	@echo "make grading       nbgrader source notebooks in grading/ (nbgrader in its own .venv-grading)"
	@echo "make grading-test  release, submit and autograde them: solutions full marks, blank zero"

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

test-python: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest tests -q --ignore=tests/browser

# The notebooks run in parallel (pytest-xdist), NOTEBOOK_WORKERS at a time; --dist loadfile
# keeps each notebook on one worker, since its cells share one kernel. NOTEBOOK_WORKERS=0 runs them in turn.
# Three workers on two cores: a worker waiting for its kernel to start or answer leaves a core idle
# (measured on 2 cores, 19 notebooks: serial 95 s, two workers 61 s, three 54 s).
NOTEBOOK_WORKERS ?= 3
test-notebooks: $(STAMP)
	$(BIN)/python -m pytest -q -n $(NOTEBOOK_WORKERS) --dist loadfile --nbval --nbval-current-env --nbval-sanitize-with nbval_sanitize.cfg $(NOTEBOOKS)

test-browser: $(STAMP) $(NODE_STAMP)
	@bash tools/check_chromium.sh
	$(BIN)/python -m pytest -q tests/browser

bench: $(STAMP)
	$(BIN)/python bench/bench_methods.py

# npm ci installs exactly package-lock.json's versions; again only when the lock file changes.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make html and make slides need Node.js and npm (apt-get install -y npm)" >&2; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

html: $(STAMP) $(NODE_STAMP)
	$(BIN)/python tools/build_site.py

slides: $(STAMP) $(NODE_STAMP)
	$(BIN)/python tools/build_site.py --slides

notebooks: $(STAMP)
	$(BIN)/python tools/build_notebooks.py

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

grading: $(GRADING_STAMP)
	$(GRADING_VENV)/bin/python tools/grading/build_grading.py

grading-test: $(GRADING_STAMP)
	$(GRADING_VENV)/bin/python tools/grading/build_grading.py --autograde

clean:
	rm -rf $(VENV) $(GRADING_VENV) grading site node_modules
