# The course's commands. Each target makes .venv (python3 -m venv) and installs
# into it the exact versions in constraints.txt, again whenever a requirements
# file, constraints.txt or pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt
DEPS   := requirements.txt constraints.txt pyproject.toml

.PHONY: lab test lint notebooks bench check student site slides slides-pdf slide-metadata pythons clean

# JupyterLab refuses to start as root unless told; containers and cloud machines often run as root.
ALLOW_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.stamp-run: $(BIN)/python $(DEPS)
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.stamp-dev: $(VENV)/.stamp-run requirements-dev.txt
	$(PIP) -r requirements-dev.txt
	touch $@

## make lab: JupyterLab on the course (localhost only, with a token, as JupyterLab does by default)
## (ACTS_TALK=1 make lab: every figure and explorer in talk size; LAB_ARGS="--port=9999" passes options on)
lab: $(VENV)/.stamp-run
	$(BIN)/jupyter lab --ip=127.0.0.1 $(ALLOW_ROOT) $(LAB_ARGS) notebooks/00_why_activation_functions.ipynb

## make test: lint, then every test in tests/ and every notebook through nbval
test: $(VENV)/.stamp-dev lint
	$(BIN)/python -m pytest tests notebooks --nbval --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg

lint: $(VENV)/.stamp-dev
	$(BIN)/ruff check acts tests bench tools notebooks

## make notebooks: re-execute every notebook in place, top to bottom, in a fresh kernel
## (one notebook: make notebooks NOTEBOOKS=notebooks/01_saturated.ipynb)
NOTEBOOKS ?= notebooks/*.ipynb
notebooks: $(VENV)/.stamp-dev
	@set -e; for nb in $(NOTEBOOKS); do [ -e "$$nb" ] || continue; echo "executing $$nb"; \
		$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
			--ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.timeout=600 \
			--ExecutePreprocessor.store_widget_state=False "$$nb"; done

## make bench: run every benchmark script in bench/
bench: $(VENV)/.stamp-dev
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

## make check: a pre-class check (about a minute): kernel, acts, an explorer reacting to a slider, browser-test prerequisites
check: $(VENV)/.stamp-run
	$(BIN)/python tools/preclass_check.py

## make student: copies of the notebooks without the solutions, in student/, for an instructor to hand out
student: $(VENV)/.stamp-run
	$(BIN)/python tools/student_copies.py student

## make site: the whole course as a static website in site/ (an index and one page per notebook)
site: $(VENV)/.stamp-dev
	$(BIN)/python tools/make_site.py site

## make slides: handout decks in slides/ (reveal.js): explorers as static figures, speaker notes (key S),
## every slide fits (long outputs on slides of their own), reveal.js and MathJax copied next to them by npm so the
## folder works offline (no npm: SLIDES_ARGS=--cdn, the decks then load them online; SLIDES_ARGS=--measure measures
## every slide in Chromium)
slides: $(VENV)/.stamp-run
	$(BIN)/python tools/make_slides.py slides $(SLIDES_ARGS)

## make slides-pdf: the decks, and a PDF handout next to each (one page per slide; headless Chromium, dev requirements)
## (SLIDES_ARGS=--notes: each slide's speaker notes on a page after it, NN_name.notes.pdf)
slides-pdf: $(VENV)/.stamp-dev
	$(BIN)/python tools/make_slides.py slides --pdf $(SLIDES_ARGS)

## make slide-metadata: set every notebook's slide types by the rules in tools/slides.py (after editing a notebook)
slide-metadata: $(VENV)/.stamp-run
	$(BIN)/python tools/slides.py notebooks/*.ipynb

## make pythons: install the pinned environment with the oldest and the newest supported Python found here, run notebook 00
pythons:
	$(PYTHON) tools/check_pythons.py $(PYTHONS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache student site
