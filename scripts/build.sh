#!/usr/bin/env bash
# Builds www/dist: the wasm (release), its wasm-bindgen glue, wasm-opt -Oz, and the entry module.
# Expects what scripts/setup.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh

out=www/dist
wasm=target/wasm32-unknown-unknown/release/anypoint_signin.wasm

echo "build: wasm ($WASM_TOOLCHAIN toolchain)"
wasm_cargo build --release --target wasm32-unknown-unknown

rm -rf "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" "$wasm"
# Debian's wasm-opt (108) corrupts modules that use reference types; the npm binaryen package's is current.
node_modules/.bin/wasm-opt -Oz --enable-reference-types --enable-bulk-memory --enable-multivalue \
  --enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int \
  -o "$out/anypoint_signin_bg.wasm" "$out/anypoint_signin_bg.wasm"
cp www/src/*.js "$out/"

for f in "$out"/anypoint_signin_bg.wasm "$out"/anypoint_signin.js; do
  printf 'build: %-34s %8d bytes, %7d gzip\n' "$(basename "$f")" "$(wc -c <"$f")" "$(gzip -9c "$f" | wc -c)"
done
