# crm-notebooks: two commands do everything.
#   make run   set up .venv if needed, execute every notebook into build/ (+ HTML index)
#   make test  set up .venv if needed, run the unit tests, doctests and every notebook
#   make lab   open JupyterLab on the collection
#   make site  build the offline HTML site into build/site/ (npm ci once for MathJax/reveal.js)
#   make slides  lecture decks of every chapter into build/slides/ (offline; plumbing code hidden)
#   make slides-full  the same decks with every cell's code shown (NN_x.full.slides.html)
#   make site-test  build the site and check it in headless Chromium (needs Debian's chromium)
#   make exercises  regenerate lessons/exercises/ and lessons/solutions/ from lessons/source/
#   make grade SUBMISSIONS=dir/  run and score a class's exercise notebooks -> build/grades/
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.crmlab-installed
JOBS   ?= 2

.PHONY: setup run test lab lint repro site slides slides-full site-test exercises grade clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@bash tools/install_cjk_font.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade --quiet pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev,site]'
	@# RISE 0.43 pulled in @jupyterlab/mathjax3-extension, which JupyterLab 4 flags as
	@# incompatible (it has MathJax built in); RISE is pinned to 0.42 now: drop the leftover
	@$(BIN)/python -m pip uninstall --quiet --yes jupyterlab-mathjax3 2>/dev/null || true
	@touch $(STAMP)

run: setup
	$(BIN)/python tools/run_notebooks.py

test: setup
	CRMLAB_WRITE_GUARD=1 $(BIN)/python -m pytest -n $(JOBS) --dist loadfile
	$(BIN)/ruff check .

lab: setup
	$(BIN)/jupyter lab --notebook-dir=. $$([ "$$(id -u)" = 0 ] && echo --allow-root)

# run every notebook twice and compare the tagged result cells byte for byte
repro: setup
	$(BIN)/python tools/run_notebooks.py --no-html --build-dir build/repro-a
	$(BIN)/python tools/run_notebooks.py --no-html --build-dir build/repro-b
	cmp build/repro-a/results.json build/repro-b/results.json && echo "reproducible: tagged results identical"

site: setup
	$(BIN)/python tools/build_site.py

slides: setup
	$(BIN)/python tools/build_slides.py --all

slides-full: setup
	$(BIN)/python tools/build_slides.py --all --full-code

site-test: setup
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -q && apt-get install -y -q chromium; }
	CRMLAB_BROWSER_TEST=1 $(BIN)/python -m pytest -p no:xdist tests/test_site_browser.py

exercises: setup
	$(BIN)/python tools/make_exercises.py

grade: setup
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder/ [GRADE_OUT=build/grades]"; exit 2; }
	$(BIN)/python tools/grade.py "$(SUBMISSIONS)" --out "$(or $(GRADE_OUT),build/grades)"

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf build
