#!/usr/bin/env bash
# Builds www/dist: the wasm (release, built for size: scripts/toolchain.sh), its wasm-bindgen glue, wasm-opt
# -Oz, and the entry modules, minified. Expects what scripts/setup.sh installs.
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

# One module: the flows in a chunk of their own cost more than they saved once the button is drawn before any
# wasm ("The split, decided with numbers", BENCHMARKS.md).
rm -rf "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" "$wasm"
# Debian's wasm-opt (108) corrupts modules that use reference types; the npm binaryen package's is current.
# --converge repeats -Oz while it still shrinks the module. The producers and target-features sections name the
# compiler and the features it used: nothing reads them at run time (-0.4 KB gzip, BENCHMARKS.md).
for f in "$out"/*.wasm; do
  node_modules/.bin/wasm-opt -Oz --converge --strip-producers --strip-target-features \
    --enable-reference-types --enable-bulk-memory --enable-multivalue \
    --enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int \
    -o "$f" "$f"
done
cp www/src/*.js www/src/anypoint-signin.css "$out/"
# The entry point with the placeholder stylesheet inlined (src/placeholder.rs), twice: the module, and the classic
# script for <head> (anypoint-signin-head.js: wrapped in a function, reading its own URL for import.meta.url;
# loaded as a module it has none, and says so),
# which runs before the first frame.
entry=(www/src/anypoint-signin.js --bundle --loader:.css=text --external:./define.js
  --format=esm --target=es2022 --allow-overwrite --log-level=warning)
node_modules/.bin/esbuild "${entry[@]}" --outfile="$out/anypoint-signin.js"
node_modules/.bin/esbuild "${entry[@]}" --outfile="$out/anypoint-signin-head.js" \
  --define:import.meta.url=base --footer:js='})();' \
  --banner:js='(()=>{const base=document.currentScript?.src;if(!base)return console.error("anypoint-signin: anypoint-signin-head.js is a classic script: load it with <script src>, not type=module (the module is anypoint-signin.js).");'
# The glue with its snippets (js/*.js, imported by nothing else) bundled in: fewer files for a page to request,
# which matters over HTTP/1.1's six connections per host. wasm-bindgen's glue lists a snippet module once per
# raw import (same namespace object): a harmless duplicate key, silenced.
node_modules/.bin/esbuild "$out/anypoint_signin.js" --bundle --format=esm \
  --target=es2022 --outfile="$out/anypoint_signin.js" --allow-overwrite --log-level=warning \
  --log-override:duplicate-object-key=silent
rm -r "$out/snippets"
# Minified in place, one file each: the package's entry points share one glue module (one wasm instance).
mapfile -t scripts < <(find "$out" -name '*.js')
node_modules/.bin/esbuild "${scripts[@]}" --minify --format=esm --target=es2022 --outbase="$out" \
  --outdir="$out" --allow-overwrite --log-level=warning
# V8 compiles a function lazily, on its first call, unless the file says all its functions run at load: the glue's
# do (wasm imports the element calls while it first renders), so V8 compiles them while the file streams in,
# off the main thread (bench/split.mjs: about 3 ms less before the first button). Other engines ignore it.
sed -i '1i //# allFunctionsCalledOnLoad' "$out/anypoint_signin.js"
# Each entry point names every module it needs, so a page fetches them at once, not in a chain.
node scripts/module-graph.mjs flatten "$out" $(cd www/src && ls *.js) anypoint-signin-head.js
node www/meta/generate.mjs "$out"

for f in "$out"/*.wasm "$out"/anypoint_signin.js; do
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
