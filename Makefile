# The README's two commands are `make demo` and `make test`; both bootstrap .venv and the QEMU
# test guest themselves.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PYTEST_ARGS ?=
PY_DIRS := $(wildcard sdk server tests scripts examples bench typing_tests)

.PHONY: demo test guest lint docs generate check-generated bench fuzz load venv clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[server,dev]'
	@touch $(STAMP)

venv: $(STAMP)

## The main job: a server on a fresh data dir, driven through the SDK by examples/qemu_tour.py:
## real VMs on the QEMU backend, or (saying why, loudly) the simulated backend without QEMU.
demo: $(STAMP) guest
	@scripts/demo

## The tests: every test in tests/, in parallel on the machine's cores.
test: $(STAMP) guest
	$(BIN)/pytest -n auto -q $(PYTEST_ARGS)

## The QEMU test guest, built by the system python3 (stdlib only) once per input change and cached
## in ~/.cache/vmkit/images (`make clean` keeps it). As root it apt-installs the Debian packages it
## needs, QEMU included. Where it cannot, this says so and goes on: the QEMU tests skip with the
## reason and `make demo` falls back to the simulated backend.
guest:
	@$(PYTHON) scripts/build-test-guest || { \
	  echo "=================================================================================="; \
	  echo "==> NO QEMU TEST GUEST: scripts/build-test-guest failed (see above)."; \
	  echo "==> The QEMU tests will skip and make demo will run on the simulated backend."; \
	  echo "=================================================================================="; \
	} >&2

## Static gates run by CI: ruff, mypy --strict (code and typing_tests/), spec lint, generated code current.
lint: $(STAMP) check-generated
	$(BIN)/ruff check $(PY_DIRS)
	$(BIN)/ruff format --check $(PY_DIRS)
	$(BIN)/mypy
	$(BIN)/mypy --strict typing_tests
	$(BIN)/openapi-spec-validator spec/vmkit.yaml
	$(BIN)/python scripts/unasync.py --check

## The docs site (mkdocs-material + mkdocstrings) into .site/; any warning fails the build.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir .site

generate: $(STAMP)
	scripts/generate

## Regenerates into the work tree and fails if anything changed (or appeared) under generated dirs.
check-generated: $(STAMP)
	scripts/generate
	@git diff --exit-code --stat -- sdk/vmkit/_generated sdk/vmkit/peers sdk/vmkit/_sync || \
	  (echo "generated code is stale: run 'make generate' and commit the result" >&2; exit 1)
	@test -z "$$(git status --porcelain --untracked-files=all -- sdk/vmkit/_generated sdk/vmkit/peers sdk/vmkit/_sync)" || \
	  (git status --short -- sdk/vmkit/_generated sdk/vmkit/peers sdk/vmkit/_sync; \
	   echo "generated files are not committed: run 'make generate' and commit the result" >&2; exit 1)

## Benchmarks that print ratios measured side by side (bench/README.md); never a pass/fail gate.
bench: $(STAMP) guest
	$(BIN)/python bench/server_throughput.py
	$(BIN)/python bench/sdk_overhead.py
	$(BIN)/python bench/import_time.py
	$(BIN)/python bench/qemu_lifecycle.py
	$(BIN)/python bench/events_fanout.py

## The long schemathesis run: the fuzz tests of `make test` with far more examples per operation
## and more, longer stateful scenarios (docs/reliability.md). FUZZ_ARGS=... adds pytest options.
fuzz: $(STAMP)
	VMKIT_FUZZ_EXAMPLES=300 VMKIT_FUZZ_SCENARIOS=300 VMKIT_FUZZ_STEPS=25 \
	  $(BIN)/pytest -n auto -q -p no:cacheprovider --timeout 3600 \
	  tests/server/test_srv_fuzz.py tests/server/test_srv_fuzz_stateful.py $(FUZZ_ARGS)

## 200 concurrent SDK clients, a mixed workload, 60 s on the simulated backend: throughput and
## p50/p99 (bench/load.py; LOAD_ARGS="--seconds 10 --clients 50" and so on).
load: $(STAMP)
	$(BIN)/python bench/load.py $(LOAD_ARGS)

## Build outputs in the tree only: the test guest's cache in ~/.cache/vmkit stays.
clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .demo .site
