#!/usr/bin/env bash
# Builds www/dist: the wasm (release, built for size: scripts/toolchain.sh), its wasm-bindgen glue, wasm-opt
# -Oz, and the entry module bundled with the glue and js/element.js into one minified anypoint-signin.js.
# Expects what scripts/setup.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh

out=www/dist
wasm=target/wasm32-unknown-unknown/release/anypoint_signin.wasm
glue=target/wasm-bindgen

echo "build: wasm ($WASM_TOOLCHAIN toolchain)"
wasm_cargo build --release --target wasm32-unknown-unknown

rm -rf "$out" "$glue"
mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$glue" "$wasm"
# Debian's wasm-opt (108) corrupts modules that use reference types; the npm binaryen package's is current.
# --converge repeats -Oz while it still shrinks the module. Leptos always brings server_fn's wasm-streams,
# whose #[wasm_bindgen] stream classes are exports, so never dead code: nothing here uses them, so they go.
node_modules/.bin/wasm-opt --remove-exports --pass-arg='remove-exports@*intounderlying*' -Oz --converge \
  --enable-reference-types --enable-bulk-memory --enable-multivalue \
  --enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int \
  -o "$out/anypoint_signin_bg.wasm" "$glue/anypoint_signin_bg.wasm"
# One request instead of three, minified. The glue finds the wasm
# with `new URL('anypoint_signin_bg.wasm', import.meta.url)`, which still points next to the bundle.
cp www/src/anypoint-signin.js "$glue/"
node_modules/.bin/esbuild "$glue/anypoint-signin.js" --bundle --minify --format=esm --target=es2022 \
  --log-level=warning --outfile="$out/anypoint-signin.js"

for f in "$out"/anypoint_signin_bg.wasm "$out"/anypoint-signin.js; do
  printf 'build: %-34s %8d bytes, %7d gzip\n' "$(basename "$f")" "$(wc -c <"$f")" "$(gzip -9c "$f" | wc -c)"
done
