# pulumi-mixpeek: the two commands are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The Python examples (those with a requirements.txt) each get a venv; the TypeScript and Go
# ones their npm packages (package-lock.json) and Go modules (go.mod).
EXAMPLES := $(wildcard examples/*/requirements.txt)
EXAMPLE_VENVS := $(EXAMPLES:requirements.txt=venv/.installed)
NODE_EXAMPLES := $(wildcard examples/*/package-lock.json)
NODE_EXAMPLE_MODULES := $(NODE_EXAMPLES:package-lock.json=node_modules/.installed)
GO_EXAMPLES := $(dir $(wildcard examples/*/go.mod))

.PHONY: help venv pulumi examples policy sdk lint test demo bench emulator schema dist clean

help:
	@echo "make demo    # run examples/quickstart end to end against a local Mixpeek server"
	@echo "make test    # lint + the whole test suite (unit, emulator, integration, engine)"
	@echo "make lint    # ruff + mypy"
	@echo "make bench   # the provider against its floors (bench/results.md); BENCH_ARGS=--large adds N=1000"
	@echo "make schema  # regenerate schema.json, docs/reference.md and the README's tables"
	@echo "make dist    # build the wheels and sdists into dist/ (provider; local server) and the plugin archive"
	@echo "make emulator  # run the local Mixpeek API server in the foreground (http://127.0.0.1:8765)"
	@echo "make sdk     # the official mixpeek SDK $(SDK_TODAY) in its own virtualenv ($(SDK_TODAY_VENV))"

# The provider with its dev tools, and the local server (its own distribution, emulator/).
$(STAMP): pyproject.toml emulator/pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required" >&2; exit 2; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]' -e ./emulator
	touch $@

venv: $(STAMP)

# Builds the Pulumi CLI from the Go module proxy on first use (minutes), then cached.
pulumi:
	@scripts/bootstrap-pulumi >/dev/null

examples/%/venv/.installed: examples/%/requirements.txt pyproject.toml
	test -x examples/$*/venv/bin/python || $(PYTHON) -m venv examples/$*/venv
	cd examples/$* && venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

# npm ci from the lock file; the generated SDK (file:../../sdk/nodejs) is installed as a copy
# and compiled by its postinstall script, so a regenerated SDK reinstalls.
examples/%/node_modules/.installed: examples/%/package-lock.json examples/%/package.json \
		$(wildcard sdk/nodejs/*.ts sdk/nodejs/*/*.ts sdk/nodejs/*/*/*.ts sdk/nodejs/package.json)
	cd examples/$* && npm ci --no-audit --no-fund
	touch $@

examples: $(EXAMPLE_VENVS) $(NODE_EXAMPLE_MODULES)
	@# Go examples: fetch their modules from the proxy and compile them into Go's build cache
	@# (about a minute the first time on 2 cores, a second after).
	@for dir in $(GO_EXAMPLES); do \
		echo "go build ./... in $$dir"; \
		(cd $$dir && GOTOOLCHAIN=local GOFLAGS=-mod=readonly CGO_ENABLED=0 go build ./...) || exit 1; \
	done

# The policy pack's own virtualenv (policy/venv), which policy/run-pack starts.
policy/venv/.installed: policy/requirements.txt pyproject.toml
	test -x policy/venv/bin/python || $(PYTHON) -m venv policy/venv
	cd policy && venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

policy: policy/venv/.installed

# The official SDK of today's API level in a virtualenv of its own ($(SDK_TODAY_VENV)): the
# project's .venv holds mixpeek==1.3.1, the seed level's, and both are the package `mixpeek`.
# The tests start its python as a subprocess: the emulator driven by it
# (tests/emulator/test_sdk_today.py) and its CreateClusterRequest's verdicts
# (tests/integration/test_check_agrees.py). The venv ignores itself in git.
SDK_TODAY := 1.3.783
SDK_TODAY_VENV := .venv-sdk-$(SDK_TODAY)
SDK_TODAY_REQUIREMENTS := tests/sdk/requirements-$(SDK_TODAY).txt

$(SDK_TODAY_VENV)/.installed: $(SDK_TODAY_REQUIREMENTS)
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required" >&2; exit 2; }
	test -x $(SDK_TODAY_VENV)/bin/python || $(PYTHON) -m venv $(SDK_TODAY_VENV)
	echo '*' > $(SDK_TODAY_VENV)/.gitignore
	$(SDK_TODAY_VENV)/bin/python -m pip install -q --disable-pip-version-check \
		-r $(SDK_TODAY_REQUIREMENTS)
	touch $@

sdk: $(SDK_TODAY_VENV)/.installed

lint: venv
	$(VENV)/bin/ruff check provider emulator policy tests scripts/pulumi-run scripts/recover-pending scripts/demo scripts/plugin-archive bench
	$(VENV)/bin/mypy

test: venv pulumi examples policy sdk lint
	PULUMI_BIN_DIR="$$(scripts/bootstrap-pulumi)" $(VENV)/bin/pytest

demo: venv pulumi examples
	$(PY) scripts/demo

$(VENV)/.bench-installed: $(STAMP)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev,bench]'
	touch $@

# The provider against its floors with the real CLI (bench/results.md); BENCH_ARGS=--large
# adds N=1000.
bench: venv pulumi examples/quickstart/venv/.installed $(VENV)/.bench-installed
	$(PY) bench/run.py $(BENCH_ARGS)

# Regenerate schema.json, docs/reference.md and the README's generated tables from the
# declarations (tests/unit/test_schema.py fails when they are out of date), then the Node.js
# and Go SDKs from schema.json (sdk/nodejs, sdk/go; tests/engine/test_sdks.py fails when they
# are out of date).
schema: venv
	$(PY) -m pulumi_mixpeek.schema
	scripts/generate-sdks

# $(DIST) (dist/): the provider's wheel and sdist (pulumi_mixpeek only), the local server's
# (emulator/), and the plugin archive for `pulumi plugin install resource mixpeek <version>
# --file` (pulumi-resource-mixpeek-v<version>-linux-amd64.tar.gz: the wheel and its
# dependencies vendored for each CPython in PLUGIN_PYTHONS; scripts/plugin-archive/build.py).
DIST ?= dist
PLUGIN_PYTHONS ?= 3.11 3.12 3.13 3.14
dist: venv
	rm -rf $(DIST)
	$(PY) -m build --outdir $(DIST) .
	$(PY) -m build --outdir $(DIST) emulator
	$(PY) scripts/plugin-archive/build.py $(DIST)/pulumi_mixpeek-*.whl $(DIST) \
		$(addprefix --python ,$(PLUGIN_PYTHONS))

emulator: venv
	$(VENV)/bin/mixpeek-emulator --api-key $${MIXPEEK_API_KEY:-sk_local_demo} \
		--api-version 1.3.783

clean:
	rm -rf $(VENV) $(SDK_TODAY_VENV) examples/*/venv examples/*/node_modules examples/*/bin policy/venv .mixpeek-emulator .pulumi-state dist build
