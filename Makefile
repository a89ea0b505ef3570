# GXD Workbench: every target sets up what it needs on a machine with Python 3.11, pip and apt.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 5006
ADDRESS ?= localhost
ORIGINS ?= localhost:$(PORT) 127.0.0.1:$(PORT)
CHROMIUM := /usr/bin/chromium
SHARED_DATA := $(abspath ../shared/data)
export GXD_DATA_DIR ?= $(if $(wildcard $(SHARED_DATA)),$(SHARED_DATA),)

.PHONY: install serve test lab bench lint chromium clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,lab]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 > /dev/null
	touch $@

# Debian's chromium (and CJK fonts for the 日本語 pages) for the browser tests;
# never a browser download of Playwright's own.
chromium:
	@if [ -x $(CHROMIUM) ] && dpkg -s fonts-noto-cjk > /dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get > /dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq chromium fonts-noto-cjk > /dev/null; \
	elif [ ! -x $(CHROMIUM) ]; then \
		echo "chromium not found: browser tests will skip (install it: sudo apt-get install chromium fonts-noto-cjk)"; \
	fi

test: $(STAMP) chromium
	$(BIN)/ruff check gxdlib apps tests benchmarks
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env

# Serves every dashboard page; set GXD_PASSWORD to put them behind a login. The password and
# GXD_COOKIE_SECRET (generated when not given) reach the server through its environment only,
# never its command line, where ps would show them (make passes variables from its environment or
# command line to the recipe's environment).
# TLS_CERTFILE and TLS_KEYFILE (PEM paths) serve HTTPS directly.
serve: $(STAMP)
	$(BIN)/python -m gxdlib.dashboards.server apps/*.py --index overview --port $(PORT) \
		--address $(ADDRESS) $(foreach origin,$(ORIGINS),--allow-websocket-origin $(origin)) \
		$(if $(TLS_CERTFILE),--ssl-certfile $(TLS_CERTFILE) --ssl-keyfile $(TLS_KEYFILE),)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	for script in benchmarks/bench_*.py; do $(BIN)/python "$$script" || exit 1; done

lint: $(STAMP)
	$(BIN)/ruff check gxdlib apps tests benchmarks
	$(BIN)/ruff format --check gxdlib apps tests benchmarks

clean:
	rm -rf $(VENV) test-artifacts
