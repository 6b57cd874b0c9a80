// What the benchmark scripts share (bench/run.mjs, bench/embeds.mjs, bench/warm.mjs): the pages, the peers'
// bundles, the instrumentation installed in every document, and the statistics.
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleSizes, sizeOf } from './sizes.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
export const OUT = here('out');
export const arg = (name, fallback) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : fallback; };
export const RUNS = Math.min(Math.max(Number(arg('--runs', 10)) || 10, 1), 50);
export const SLOW = process.argv.includes('--slow');

// Read from node_modules: not every package exports its package.json.
const version = (pkg) => JSON.parse(readFileSync(here(`../node_modules/${pkg}/package.json`), 'utf8')).version;

// Each peer: bench/pages/NAME.html + bench/peers/NAME.js (bundled), from the npm package `pkg`. `seen`: what in
// the page (or a shadow root) is the visible button; `click`: what to click. `callback`: why the whole
// sign-in cannot be timed against this server, when it cannot.
const PEERS = [
  { name: 'oidc-client-ts', pkg: 'oidc-client-ts' },
  { name: 'oauth4webapi', pkg: 'oauth4webapi' },
  { name: 'no-library', label: 'no library' },
  { name: 'keycloak-js', pkg: 'keycloak-js',
    callback: 'the library sends the token request with credentials, which this server’s CORS answer (no Access-Control-Allow-Credentials) refuses' },
  { name: 'auth0-spa-js', pkg: '@auth0/auth0-spa-js', short: 'auth0-spa-js',
    callback: 'the library posts to ${domain}/oauth/token; this server’s token endpoint is /token' },
  { name: 'anypoint-signin-lit', pkg: '@anypoint-web-components/anypoint-signin', short: 'Lit element (anypoint-signin)', seen: '.buttonText', click: '#signin',
    callback: 'no PKCE (the server requires it), and the element leaves the code exchange to the page' },
];

// The pages under OUT as the demo server serves them (every page is a redirect URI), with the peers' bundles
// built by esbuild into one minified ES module each. Returns every page with its files and sizes.
export async function buildPages() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT);
  cpSync(here('pages'), OUT, { recursive: true });
  await build({ entryPoints: PEERS.map((p) => here(`peers/${p.name}.js`)), bundle: true, minify: true, format: 'esm',
    target: 'es2022', outdir: OUT, logLevel: 'warning' });
  const all = bundleSizes();
  const ours = { name: 'ours', label: 'ours', seen: 'button', click: '#signin button',
    files: all.files.map((f) => `/anypoint-signin/${f.file}`), entry: '/anypoint-signin/anypoint-signin.js',
    firstPaint: all.total, total: all.total };
  return [ours, ...PEERS.map((p) => {
    const size = sizeOf(readFileSync(`${OUT}/${p.name}.js`));
    return { seen: 'button', click: '#signin button', label: p.pkg && `${p.short ?? p.pkg} ${version(p.pkg)}`, ...p,
      files: [`/${p.name}.js`], entry: `/${p.name}.js`, firstPaint: size, total: size };
  })];
}

// Installed before any script of each document: when the first visible button (`seen`) appears in the document
// or a shadow root, when the page hears of a sign-in, the click's timestamp, and the start of the navigation
// that follows it, or the popup it opens (cancelled when asked, so the click can be timed without leaving).
export function instrument(seen) {
  const b = (window.__bench = { button: null, signin: null, click: null, navigate: null, cancel: false });
  const watch = (root) => {
    const found = () => root.querySelector(seen) && (b.button ??= performance.now());
    new MutationObserver((_, o) => { if (found()) o.disconnect(); }).observe(root, { childList: true, subtree: true });
  };
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) { const root = attachShadow.call(this, init); watch(root); return root; };
  watch(document);
  for (const type of ['anypoint-signin', 'peer-signin']) document.addEventListener(type, () => { b.signin ??= performance.now(); });
  addEventListener('click', (e) => { b.click = e.timeStamp; }, true);
  navigation.addEventListener('navigate', (e) => { b.navigate ??= performance.now(); if (b.cancel) e.preventDefault(); });
  const open = window.open;
  window.open = function (...a) { b.navigate ??= performance.now(); return b.cancel ? null : open.apply(this, a); };
}

// A modest network instead of loopback (Chromium's emulation: 9 Mbit/s, 40 ms latency), with --slow.
export async function throttle(context, page) {
  if (!SLOW) return;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions',
    { offline: false, latency: 40, downloadThroughput: 9e6 / 8, uploadThroughput: 9e6 / 8 });
}

// Loads `url` and waits for the visible button and the network's rest; returns page start → button (ms).
export async function firstPaint(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => window.__bench.button !== null, null, { timeout: 15000 });
  await page.waitForLoadState('networkidle');
  return page.evaluate(() => window.__bench.button);
}

// The order of the pages in run `i`: rotated, so drift in the machine's load hits each alike.
export const rotate = (xs, i) => [...xs.slice(i % xs.length), ...xs.slice(0, i % xs.length)];

export const stats = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!s.length) return null;
  const mid = s.length >> 1;
  return { min: s[0], median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, max: s.at(-1), runs: s.length };
};

export const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
// "median (min–max)", or n/a.
export const ms = (s) => (s ? `${s.median.toFixed(1)} (${s.min.toFixed(0)}–${s.max.toFixed(0)})` : 'n/a');

// A markdown table (null: the header's rule).
export function printTable(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r?.[c] ?? '').length)));
  for (const r of rows) {
    if (!r) console.log(`|${widths.map((w, c) => (c ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
    else console.log(`| ${r.map((x, c) => String(x).padEnd(widths[c])).join(' | ')} |`);
  }
}
