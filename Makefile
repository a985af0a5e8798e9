# exlb — the two commands a user needs are `make image` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
TSX := node --import=tsx
NPM_STAMP := node_modules/.exlb-npm-ci

.PHONY: help deps image run test test-unit test-integration test-boot bench typecheck clean

help:
	@echo "make image   build out/exlb-<version>.{ova,qcow2,vhdx,cdx.json,exlbfw} and out/manifest.json"
	@echo "             (EXLB_VERSION=X.Y.Z: as version X.Y.Z; EXLB_SIGNING_KEY=FILE: the bundle's Ed25519 key)"
	@echo "make test    type-check and run every test (unit, integration, boot under QEMU)"
	@echo "make run     boot the qcow2 in QEMU on this terminal (web UI on 127.0.0.1:4444)"
	@echo "make bench   build/boot/engine benchmarks, written to out/bench*.json"
	@echo "make clean   remove out/ (the stage cache in ~/.cache/exlb stays)"
	@echo "options: make image IMAGE_ARGS=..., make run RUN_ARGS=..., make bench BENCH_ARGS=..."
	@echo "         (listed by node --import=tsx scripts/{image,run,bench}.ts --help)"

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

deps: $(NPM_STAMP)
	$(TSX) scripts/host-deps.ts

typecheck: deps
	npx tsc --noEmit -p .

image: deps
	$(TSX) scripts/image.ts $(IMAGE_ARGS)

run: image
	$(TSX) scripts/run.ts $(RUN_ARGS)

# Three phases, one after the other, so the QEMU boots (TCG, CPU-bound) never compete with the
# load and failover tests in network namespaces on a 2-core machine.

# The boot phase: the test that boots two guests at once runs first and alone (after another test had started it
# would hold one boot slot idle until that test ended), then the others, two guests at a time.
PAIR_BOOT_TESTS := test/boot/ha-pair.test.ts
define boot_tests
	npx ava $(PAIR_BOOT_TESTS)
	npx ava $(filter-out $(PAIR_BOOT_TESTS),$(wildcard test/boot/*.test.ts))
endef

test: deps typecheck image
	@stray=$$(find test -name '*.test.ts' | grep -vE '^test/(unit|render|image|integration|boot)/' || true); \
	  if [ -n "$$stray" ]; then echo "test files outside the test phases: $$stray" >&2; exit 1; fi
	npx ava 'test/unit/**/*.test.ts' 'test/render/**/*.test.ts' 'test/image/**/*.test.ts'
	npx ava 'test/integration/**/*.test.ts'
	$(boot_tests)

test-unit: deps image
	npx ava 'test/unit/**/*.test.ts'

test-integration: deps image
	npx ava 'test/integration/**/*.test.ts'

test-boot: deps image
	$(boot_tests)

# BENCH_ARGS: options of scripts/bench.ts, e.g. make bench BENCH_ARGS='--only engine --rounds 1' (see --help).
bench: deps image
	$(TSX) scripts/bench.ts $(BENCH_ARGS)

clean:
	rm -rf out
