# iopstudy: one command to reproduce, one to test.
# Works on a fresh machine with Python 3.11, pip and make: the first target run creates .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
LANG_FIG ?= en

.PHONY: all install build reproduce figures test bench scan-pii clean

all: reproduce

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

build: $(STAMP)
	$(BIN)/iopstudy build

reproduce: $(STAMP)
	$(BIN)/iopstudy reproduce --lang $(LANG_FIG)

figures: $(STAMP)
	$(BIN)/iopstudy reproduce --only figures --lang $(LANG_FIG)

scan-pii: $(STAMP)
	$(BIN)/iopstudy scan-pii data/processed reports

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf data/processed/* reports/*
