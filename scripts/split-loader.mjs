// wasm-split-cli's loader (__wasm_split.js), with one change: a chunk the entry module requested early
// (www/src/anypoint-signin.js, on pages that need the flows at once) is compiled as it downloads, while the
// main module is, not once the main module asks for it; it is taken once, and a retry after a failure
// fetches afresh.
//   node scripts/split-loader.mjs IN OUT
import { readFileSync, writeFileSync } from 'node:fs';

const [from, to] = process.argv.slice(2);
const edits = [
  [/\bfetch\((new URL\("\.\/[\w.-]+\.wasm", import\.meta\.url\))\)/g, 'compiled($1)'],
  [/\bWebAssembly\.instantiateStreaming\((\w+), (\w+)\)/g, '$1.then((module) => WebAssembly.instantiate(module, $2))'],
];
let source = readFileSync(from, 'utf8');
for (const [pattern, replacement] of edits) {
  if (!pattern.test(source)) throw new Error(`${from}: no ${pattern} (has wasm-split-cli changed?)`);
  source = source.replace(pattern, replacement);
}
writeFileSync(to, `${source}
const early = new Map();
// The entry module's request for a chunk, before the main module is even compiled.
export function handOver(url, request) {
  const module = WebAssembly.compileStreaming(request);
  // Reported, if it fails, by the flow that takes it.
  module.catch(() => {});
  early.set(String(url), module);
}
function compiled(url) {
  const module = early.get(url.href) ?? WebAssembly.compileStreaming(fetch(url));
  early.delete(url.href);
  return module;
}
`);
