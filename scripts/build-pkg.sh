#!/usr/bin/env bash
# Builds the npm package into pkg/dist/: the engine as WebAssembly (cargo → wasm-bindgen → wasm-opt -Oz),
# and three entry points bundled from pkg/src/ — Node ESM, Node CommonJS, and a browser ES module.
# Prints the sizes raw and gzipped.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh

out=pkg/dist
glue=$out/glue
wasm=target/wasm32-unknown-unknown/release/ops_ux_engine.wasm

cargo build --release --target wasm32-unknown-unknown --quiet
rm -rf "$out" && mkdir -p "$glue"
# One glue for every entry point: the `web` target's ESM, initialised by each entry its own way.
wasm-bindgen "$wasm" --target web --out-dir "$glue" --out-name ops_ux_engine --no-typescript
npx --no-install wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals "$glue/ops_ux_engine_bg.wasm" -o "$out/ops_ux_engine_bg.wasm"
rm "$glue/ops_ux_engine_bg.wasm"

bundle() { npx --no-install esbuild "pkg/src/$1" --bundle --log-level=warning --target=es2022 "${@:2}"; }
bundle entry-node.mjs --platform=node --format=esm --outfile=$out/node.mjs
# The glue's default (URL-fetching) init is never called from CommonJS, so its import.meta may be empty.
bundle entry-node.cjs --platform=node --format=cjs --outfile=$out/node.cjs --log-override:empty-import-meta=silent
# Minified: the browser bundle is what a page downloads (and what the size budget counts).
bundle entry-browser.js --platform=browser --format=esm --minify --outfile=$out/browser.js
rm -rf "$glue"
# CommonJS consumers of a "type": "module" package need the declarations under a .d.cts name.
cp pkg/index.d.ts $out/index.d.cts

size() { printf '%-28s %8d B raw  %8d B gzipped\n' "$1" "$(wc -c <"$1")" "$(gzip -9c "$1" | wc -c)"; }
size $out/ops_ux_engine_bg.wasm
size $out/browser.js
