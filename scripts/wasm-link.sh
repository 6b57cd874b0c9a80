#!/usr/bin/env bash
# The linker for the wasm build (scripts/toolchain.sh sets it, and WASM_LD, the real wasm-ld): the same link,
# minus wasm-streams' stream classes. Leptos always depends on server_fn, whose browser client brings
# wasm-streams, whose #[wasm_bindgen] classes (IntoUnderlyingSource, -ByteSource, -Sink) are exports, so the
# linker keeps them and, through the vtables their futures take, code that nothing here calls. Not exported,
# they are never linked: 13 KB less wasm, 5.3 KB gzip with the imports the glue loses (BENCHMARKS.md).
# wasm-bindgen's glue still declares the classes, unused.
set -euo pipefail
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = --export ] && [[ "${2:-}" == *intounderlying* ]]; then shift 2; continue; fi
  args+=("$1")
  shift
done
exec "${WASM_LD:?scripts/toolchain.sh sets WASM_LD}" "${args[@]}"
