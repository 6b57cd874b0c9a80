// What a page downloads for the element, and its size raw, gzip (level 9) and brotli (quality 11, as a CDN
// serves it). Shared by the benchmark and the size-budget test; sizes are deterministic.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { moduleGraph } from '../scripts/module-graph.mjs';

export const DIST = fileURLToPath(new URL('../www/dist', import.meta.url));

// Issue 21's target for everything the package can download (wasm + JS + CSS), gzip. (Issue 5's 40 KB was out
// of reach for a Leptos element: BENCHMARKS.md, "The floor".)
export const TARGET_GZIP = 100 * 1024;

export function sizeOf(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

// What a page that loads `entry` downloads (scripts/module-graph.mjs), with the sizes and their total.
export function bundleSizes(dir = DIST, entry = 'anypoint-signin.js') {
  const files = moduleGraph(dir, entry).sort().map((file) => ({ file, ...sizeOf(readFileSync(join(dir, file))) }));
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const f of files) for (const k of Object.keys(total)) total[k] += f[k];
  return { files, total };
}
