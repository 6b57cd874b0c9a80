#!/usr/bin/env bash
# Installs what is missing and runs every test: formatting and lints, the pure core and the playground
# server natively, then the element and the playground in headless Chromium against the real local
# authorization server, and what depends on the engine in Firefox and WebKit too (tests/browser/engines.test.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser

echo "== rustfmt, clippy, docs"
cargo fmt --all --check
cargo clippy --workspace --all-targets -q -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps -q

echo "== the core has no browser in it"
# Its whole dependency tree, every feature on: no browser binding or view crate may creep in.
if cargo tree -p anypoint-signin-core --all-features -e normal,build --prefix none |
  grep -E '^(web-sys|js-sys|wasm-bindgen|leptos|gloo)'; then
  echo "anypoint-signin-core depends on the browser crates above" >&2
  exit 1
fi

echo "== core and playground server (cargo test)"
cargo test --workspace -q

echo "== build"
scripts/build.sh
# Once for the whole run: every browser test's site runs this binary (playground/serve.mjs).
cargo build -q -p anypoint-signin-playground
# The Leptos-native API's example, for its browser test (tests/browser/leptos.test.mjs).
source scripts/toolchain.sh
wasm_cargo build -q --release -p anypoint-signin-leptos-example --target wasm32-unknown-unknown
wasm-bindgen --target web --no-typescript --out-dir tests/browser/pages/leptos-example \
  target/wasm32-unknown-unknown/release/leptos_app.wasm

echo "== browser (node --test: Chromium; engines.test.mjs also Firefox and WebKit)"
mkdir -p tests/artifacts
node --test --test-concurrency=1 tests/browser/
