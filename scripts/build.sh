#!/usr/bin/env bash
# Builds www/dist: the wasm (release), its wasm-bindgen glue, wasm-opt -Oz, and the entry module.
# Expects what scripts/setup.sh installs.
set -euo pipefail
# Then the rest of the npm package (www/): its manifest and types, and the list of what its tarball holds.
#   scripts/build.sh [--pack DIR]     (--pack also writes the tarball into DIR)
pack=
if [ "${1:-}" = --pack ]; then pack=$(realpath -m "${2:?--pack needs a folder}"); fi
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
node www/meta/generate.mjs "$out"

for f in "$out"/anypoint_signin_bg.wasm "$out"/anypoint_signin.js; do
  printf 'build: %-34s %8d bytes, %7d gzip\n' "$(basename "$f")" "$(wc -c <"$f")" "$(gzip -9c "$f" | wc -c)"
done

# The package is www/ (package.json, README.md, dist/): list the tarball npm would make, file by file.
(cd www && npm pack --dry-run --json --loglevel=error) | node -e '
  const [p] = JSON.parse(require("fs").readFileSync(0, "utf8"));
  for (const f of p.files) console.log(`build: package ${f.path.padEnd(52)} ${String(f.size).padStart(8)} bytes`);
  console.log(`build: package ${p.filename}: ${p.entryCount} files, ${p.unpackedSize} bytes, ${p.size} bytes packed`);'
if [ -n "$pack" ]; then
  mkdir -p "$pack"
  (cd www && npm pack --json --pack-destination "$pack" --loglevel=error) |
    node -e 'console.log(`build: wrote ${process.argv[1]}/${JSON.parse(require("fs").readFileSync(0, "utf8"))[0].filename}`)' "$pack"
fi
