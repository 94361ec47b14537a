#!/usr/bin/env bash
# Installs what the build needs, once: the wasm32 target, the wasm-bindgen CLI at the version pinned in
# Cargo.toml, and the npm dev dependencies. Each step is skipped when its tool is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "› installing the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    rustup component add "$component"
  fi
done

# The CLI must match the crate exactly (see the pin in Cargo.toml).
pinned=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$pinned" ]; then
  echo "› installing wasm-bindgen-cli $pinned (builds from source, about 3 minutes)"
  # No --locked: the registry mirror lacks a version the CLI's lock file names.
  cargo install wasm-bindgen-cli --version "$pinned"
fi

# npm ci when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "› installing npm dev dependencies"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
fi
