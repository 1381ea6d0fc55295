# The two commands of README.md: `make demo` (the main job) and `make test` (every test).
SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)
SWIFT ?= swift

.PHONY: deps build test bench demo clean proto proto-check

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

# Every test: unit, property, cross-process determinism and crash tests.
# Serial (--no-parallel): on a 2-core machine, suites that block threads while they wait for child
# processes starved the in-process metrics server's start in a parallel run (a flaky CI failure); the
# whole suite takes under a minute serially.
test: deps proto-check
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel

# Release-build benchmarks; prints the figures quoted in Docs/benchmarks.md.
bench: deps
	$(SWIFT) build -c release --product ai-registry
	$(SWIFT) build -c release --product registry-bench
	.build/release/registry-bench all

demo: deps
	$(SWIFT) build -c release --product ai-registry
	$(SWIFT) build -c release --product round-driver
	.build/release/round-driver demo --data-dir ./data/demo

# Regenerate Sources/Wire/Generated from proto/ (protoc + the pinned protoc-gen-swift).
proto:
	scripts/generate-proto.sh

# Fails when the committed generated code is stale.
proto-check:
	scripts/generate-proto.sh --check

clean:
	rm -rf .build
