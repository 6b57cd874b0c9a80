// wasm-split-cli's loader (__wasm_split.js), with one addition: a chunk the entry module already requested
// (www/src/anypoint-signin.js, on pages that need the flows at once) is taken from it rather than fetched
// again, once; a retry after a failure fetches afresh.
//   node scripts/split-loader.mjs IN OUT
import { readFileSync, writeFileSync } from 'node:fs';

const [from, to] = process.argv.slice(2);
const fetches = /\bfetch\((new URL\("\.\/[\w.-]+\.wasm", import\.meta\.url\))\)/g;
const source = readFileSync(from, 'utf8');
if (!fetches.test(source)) throw new Error(`${from}: no chunk fetch to hand over (has wasm-split-cli changed?)`);
writeFileSync(to, `${source.replace(fetches, 'take($1)')}
const early = new Map();
// The entry module's request for a chunk, before the wasm starts.
export function handOver(url, request) {
  early.set(String(url), request);
}
function take(url) {
  const request = early.get(url.href) ?? fetch(url);
  early.delete(url.href);
  return request;
}
`);
