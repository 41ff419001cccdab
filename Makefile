# crm-notebooks: two commands do everything.
#   make run   set up .venv if needed, execute every notebook into build/ (+ HTML index)
#   make test  set up .venv if needed, run the unit tests, doctests and every notebook
#   make lab   open JupyterLab on the collection
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.crmlab-installed
JOBS   ?= 2

.PHONY: setup run test lab lint repro clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@bash tools/install_cjk_font.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade --quiet pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	@touch $(STAMP)

run: setup
	$(BIN)/python tools/run_notebooks.py

test: setup
	CRMLAB_WRITE_GUARD=1 $(BIN)/python -m pytest -n $(JOBS) --dist loadfile
	$(BIN)/ruff check .

lab: setup
	$(BIN)/jupyter lab --notebook-dir=.

# run every notebook twice and compare the tagged result cells byte for byte
repro: setup
	$(BIN)/python tools/run_notebooks.py --no-html --build-dir build/repro-a
	$(BIN)/python tools/run_notebooks.py --no-html --build-dir build/repro-b
	cmp build/repro-a/results.json build/repro-b/results.json && echo "reproducible: tagged results identical"

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf build
