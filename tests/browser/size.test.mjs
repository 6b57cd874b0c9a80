// The size budget: everything a page downloads for the element (www/dist: wasm + JS + CSS), gzip. Sizes are
// deterministic, so this is exact; timings are not, and live in the benchmark (bench/run.mjs) only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, TARGET_GZIP, bundleSizes, sizeOf } from '../../bench/sizes.mjs';

// A ratchet, not the goal: what the build reaches today plus a small margin, so the bundle cannot grow
// unnoticed. It drops to issue 21's 100 KB target (TARGET_GZIP) once the bundle fits. Measured on the Debian
// toolchain (the standard library built for size, see scripts/toolchain.sh). Lower it with every cut; raise it
// only on purpose, saying why in the commit. BENCHMARKS.md has its history (134 KB after issue 7; 106.5 KB
// after the second round of issue 5's cuts; 100.4 KB after the third; raised to 104.8 KB for the security
// issue's checks: WHATWG URL parsing, the attempt's redemption target, renewed id_tokens, bounded renewal,
// cleaned server text, redirects refused, tasks that stop with the element — 104.6 KB measured); 106.6 KB for
// the core split out (0.3 KB) and the earlier element's attributes and events (1.3 KB) — 106.4 KB measured;
// 107.2 KB for renewal through the backend, sign-out at the provider, attributes set after connecting — 107.0 KB
// measured; 118 KB for the flows in a lazily loaded chunk (issue 16: wasm-split-cli's plumbing, the calls across
// the split wasm-opt can no longer inline, the early fetch of the chunk) — 117.7 KB measured; 117.5 KB with the glue's snippets bundled in — 117.3 KB
// measured; 121.5 KB for the token-mediating backend (issue 20: the session from the backend on load, renewal
// and sign-out through it, one backend request at a time, the hint cookie read by the main module) — 121.4 KB
// measured; 123.1 KB for issue 21's placeholder in the entry module (the stylesheet inlined, the kept click) —
// 123.0 KB measured; 124.0 KB for discovery shared while in flight (many buttons, one request) — 123.9 KB
// measured; 124.2 KB for the entry's click keeper from <head> (elements adopted as parsed, the flows' chunk
// requested at a kept click, one entry per page) — 124.1 KB measured; 124.0 KB measured after issue 22's
// lifecycle, renewal step and token requests; 123.7 KB with the wasm's producers and target-features sections
// stripped (issue 21's bytes: BENCHMARKS.md) — 123.6 KB measured; 113.6 KB with the flows back in one module
// (issue 21: the split, decided with numbers, BENCHMARKS.md) — 113.5 KB measured; 113.8 KB for issue 22's
// choice enums, the protocol's Client values and the named CSS parts (116,430 bytes) — 113.70 KB measured;
// 113.6 KB with issue 22's JSON codec (json_object!, each field name once) — 116,240 bytes, 113.5 KB measured;
// 130.8 KB for DPoP and element.fetch (issue 23: the Web Crypto key kept in IndexedDB with its thumbprint, proofs, nonces and their
// retry, the fetch with its renewal and allow-list; BENCHMARKS.md) — 130.7 KB measured; 131.1 KB with fetch's
// failures said (network_error, fetch_refused for any input fetch() refuses) — 131.0 KB measured.
const BUDGET_GZIP = 131.1 * 1024;
// A rustup toolchain (a laptop with the wasm32 target) cannot build the standard library for size or with
// immediate-abort panics: BENCHMARKS.md estimates about 13 KB gzip more (no rustup wasm32 target here to
// measure it), so its builds get that much more room, not a pass.
const RUSTUP_ALLOWANCE_GZIP = 14 * 1024;
// Issue 21: what a page downloads before the button is visible is the entry point alone, which draws the
// placeholder: the module, or its classic build for <head> (or dist/anypoint-signin.css). 1.84 KB measured,
// 2.04 KB (head script 2.06) with the click keeper from <head>; the head script 2.13 KB with its message for a
// page that loads it as a module; 1.93 KB (head script 2.02) without the flows' chunk to fetch.
const PLACEHOLDER_BUDGET_GZIP = 2.05 * 1024;

const toolchain = execFileSync('bash', ['-c', 'source scripts/toolchain.sh && echo "$WASM_TOOLCHAIN"'],
  { cwd: new URL('../..', import.meta.url), encoding: 'utf8' }).trim();

test('everything the page downloads for the element fits the size budget', (t) => {
  const { files, total } = bundleSizes();
  assert.ok(files.some((f) => f.file === 'anypoint_signin_bg.wasm'), 'www/dist holds the build (scripts/build.sh)');
  assert.ok(files.some((f) => f.file === 'anypoint-signin.js'), 'www/dist holds the entry module');
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  for (const f of files) t.diagnostic(`${f.file}: ${f.raw} bytes, ${f.gzip} gzip, ${f.brotli} brotli`);
  t.diagnostic(`total: ${kb(total.gzip)} gzip, ${kb(total.brotli)} brotli; budget ${kb(BUDGET_GZIP)}; ` +
    `issue 21 target ${kb(TARGET_GZIP)} (${total.gzip <= TARGET_GZIP ? 'met' : `over by ${kb(total.gzip - TARGET_GZIP)}`})`);
  const budget = BUDGET_GZIP + (toolchain === 'debian' ? 0 : RUSTUP_ALLOWANCE_GZIP);
  t.diagnostic(`${toolchain} toolchain: budget ${kb(budget)}`);
  assert.ok(total.gzip <= budget, `the element is ${kb(total.gzip)} gzip, over its ${kb(budget)} budget (${toolchain})`);
  assert.ok(BUDGET_GZIP <= TARGET_GZIP || total.gzip > TARGET_GZIP,
    'the bundle now fits the 100 KB target: lower BUDGET_GZIP to TARGET_GZIP');
});

test('what shows the button, the entry point with its placeholder (module or head script), fits its budget', (t) => {
  for (const name of ['anypoint-signin.js', 'anypoint-signin-head.js']) {
    const entry = sizeOf(readFileSync(join(DIST, name)));
    t.diagnostic(`${name}: ${entry.gzip} bytes gzip, ${entry.brotli} brotli; budget ${PLACEHOLDER_BUDGET_GZIP}`);
    assert.ok(entry.gzip <= PLACEHOLDER_BUDGET_GZIP, `${name} is ${entry.gzip} bytes gzip`);
  }
});
