# The two commands of the README are `make start` and `make test`; each installs what it needs.
.PHONY: start test pkg lint test-rust test-js test-types test-size test-browser fuzz bench clean

SOURCES := Cargo.toml Cargo.lock $(shell find src pkg/src -type f) pkg/index.d.ts pkg/package.json scripts/build-pkg.sh

## pkg: build the npm package into pkg/dist (wasm-opt -Oz), printing its size
pkg: pkg/dist/.built
pkg/dist/.built: $(SOURCES) package.json
	scripts/build-pkg.sh
	touch $@

## start: serve the dashboard (www/) on a loopback port it prints — over IndexedDB, or ?store=memory for the embedded store
start: pkg
	node scripts/serve.mjs

## test: every test — format, lints (native and wasm32), native Rust, the Node suite on the built package
## (with a throwaway PostgreSQL server), types, the package's size ceiling, and the browser suite in headless Chromium
test: lint test-rust test-js test-types test-size test-browser

lint:
	scripts/ensure-tools.sh
	cargo fmt --check
	cargo clippy --all-targets --quiet -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown --quiet -- -D warnings

test-rust:
	cargo test --quiet

test-js: pkg
	scripts/with-postgres.sh node --test tests/js/

test-types: pkg
	npx --no-install tsc -p tests/types/tsconfig.json

# Fails when the .wasm + glue grow past the ceiling in bench/size.mjs (and says how far from the 50 KB budget).
test-size: pkg
	node bench/size.mjs

# One browser at a time: each file starts its own Chromium, and the machine has two cores.
test-browser: pkg
	scripts/ensure-chromium.sh
	node --test --test-concurrency=1 tests/browser/

## fuzz: cargo fuzz on every target for FUZZ_SECONDS each (default 60; CI runs it after make test);
## installs cargo-fuzz when missing. What each target checks: fuzz/README.md
fuzz:
	scripts/ensure-tools.sh
	scripts/fuzz.sh

## bench: every benchmark beside its baselines (plain JS, XState, raw drivers), one table with the targets
## (BENCH_QUICK=1 for a smoke run); the latest table is in BENCHMARKS.md
bench: pkg
	scripts/with-postgres.sh node bench/run.mjs

clean:
	rm -rf pkg/dist target node_modules fuzz/target fuzz/scratch fuzz/artifacts
