// What a page downloads for the element, and its size raw, gzip (level 9) and brotli (quality 11, as a CDN
// serves it). Shared by the benchmark and the size-budget test; sizes are deterministic.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { moduleGraph } from '../scripts/module-graph.mjs';

// The chunks of the #[lazy] flows (wasm-split-cli names them split_*.wasm and, shared between flows,
// chunk_*.wasm): fetched by __wasm_split.js when a flow first runs, not before the first paint.
export const isLazyChunk = (file) => /^(split|chunk)_[^/]*\.wasm$/.test(file);

export const DIST = fileURLToPath(new URL('../www/dist', import.meta.url));

// The target for everything the element costs a page (wasm + JS + CSS), gzip.
export const TARGET_GZIP = 40 * 1024;

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

// What a signed-out page downloads before the button is visible: the same, without the lazy chunks.
export function firstPaintSizes(dir = DIST, entry = 'anypoint-signin.js') {
  const { files } = bundleSizes(dir, entry);
  const first = files.filter((f) => !isLazyChunk(f.file));
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const f of first) for (const k of Object.keys(total)) total[k] += f[k];
  return { files: first, total };
}
