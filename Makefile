# iopstudy: one command to reproduce, one to test.
# Works on a fresh machine with Python 3.11, pip and make: the first target run creates .venv and
# installs the package in editable mode with everything the notebooks and the tests use
# (the extras `all` and `test`; `pip install iopstudy` alone gives the light core).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
# Python's bytecode caches on (some machines switch them off): every process of a run, kernels and
# test workers included, would otherwise compile the package and the tests again
unexport PYTHONDONTWRITEBYTECODE
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
LANG_FIG ?= en
# figure formats of `make figures`, the presenters' export: the paper and the 16:9 slide version
# of every figure as PNG, PDF and SVG (`make reproduce` writes the paper version as PNG and PDF);
# e.g. make figures FORMATS=png
FORMATS  ?= all

# the installer of the environments: uv (taken from PyPI into the environment by pip, in about a
# second) installs the scientific stack in a third of pip's time, bytecode compiled as pip does;
# pip does it when uv cannot (no wheel of uv for the platform, a package index configured for pip
# only); INSTALLER=pip uses pip from the start
INSTALLER ?= uv

.PHONY: all install build reproduce figures test test-min bench scan-pii smoke docs lab clean

all: reproduce

# $(call install_into,VENV,PIP-ARGUMENTS); arguments with a comma go in a variable (make splits on it)
MAIN_REQS := -e '.[all,test]'
MIN_REQS  := -c .ci/min-versions.txt -e '.[all,test,crosscheck]'
define install_into
	@echo "installing $(2) into $(1) with $(INSTALLER)"
	@if [ "$(INSTALLER)" = uv ] && $(1)/bin/python -m pip install --quiet uv \
	    && $(1)/bin/uv pip install --quiet --compile-bytecode --python $(1)/bin/python $(2); then :; \
	else \
	    if [ "$(INSTALLER)" = uv ]; then echo "uv could not install: installing with pip"; fi; \
	    $(1)/bin/python -m pip install --quiet --upgrade pip && $(1)/bin/python -m pip install --quiet $(2); \
	fi
endef

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(call install_into,$(VENV),$(MAIN_REQS))
	@touch $(STAMP)

install: $(STAMP)

build: $(STAMP)
	$(BIN)/iopstudy build

reproduce: $(STAMP)
	$(BIN)/iopstudy reproduce --lang $(LANG_FIG)

figures: $(STAMP)
	$(BIN)/iopstudy reproduce --only figures --lang $(LANG_FIG) --formats $(FORMATS)

scan-pii: $(STAMP)
	$(BIN)/iopstudy scan-pii data/processed reports

# the whole suite on both cores, with the newest releases (pandas 3); the notebook tests share
# two reproduce runs (tests/conftest.py); --dist loadfile keeps a file's tests on one worker
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile

# the same suite with the oldest versions iopstudy declares (.ci/min-versions.txt: pandas 2.2)
# and the cross-checks against lifelines, in a second environment, .venv-min
MIN_VENV  := .venv-min
MIN_STAMP := $(MIN_VENV)/.installed-stamp
$(MIN_STAMP): pyproject.toml setup.py .ci/min-versions.txt
	$(PYTHON) -m venv $(MIN_VENV)
	$(call install_into,$(MIN_VENV),$(MIN_REQS))
	@touch $(MIN_STAMP)

test-min: $(MIN_STAMP)
	$(MIN_VENV)/bin/python -m pytest -n 2 --dist loadfile

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# the sdist and the wheel (kept in dist/), checked; the wheel installed in a fresh venv and used
# from a folder outside the repository (CI runs this after the tests)
smoke:
	DIST=$(CURDIR)/dist bash .ci/smoke.sh

DOCS_STAMP := $(VENV)/.docs-stamp
$(DOCS_STAMP): $(STAMP)
	$(call install_into,$(VENV),-e '.[docs]')
	@touch $(DOCS_STAMP)

# the documentation site: guides, API reference, data pages and the notebooks of the last
# `make reproduce` (it stops with "run make reproduce first" when there are none)
docs: $(DOCS_STAMP)
	$(BIN)/sphinx-build -W --keep-going -b html docs docs/_build/html
	@echo "open docs/_build/html/index.html"

# JupyterLab on notebooks/ with the environment's python3 kernel, the one `make reproduce` uses
# (as root, e.g. in a container: make lab LAB_ARGS=--allow-root)
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks $(LAB_ARGS)

clean:
	rm -rf data/processed/* reports/* build dist docs/_build docs/_generated
