// The benchmark: <anypoint-signin> against a peer page doing the same job with oidc-client-ts (bundled and
// minified with esbuild, a plain button), in Debian's Chromium, on loopback next to the real local
// authorization server. Prints a table (bytes; timings as min/median/max, ours vs peer, and the ratio) and
// writes it as JSON.
//
//   node bench/run.mjs [--runs N] [--json FILE] [--no-build]
//
// Timings are read in the page (performance.now(), event timestamps), never in tests. BENCHMARKS.md has the
// method.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { launch, logIn } from '../tests/browser/support.mjs';
import { startSite } from '../playground/serve.mjs';
import { TARGET_GZIP, bundleSizes, sizeOf } from './sizes.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const arg = (name, fallback) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : fallback; };
const RUNS = Math.min(Math.max(Number(arg('--runs', 10)) || 10, 1), 50);
const JSON_OUT = arg('--json', here('results.json'));
const OUT = here('out');

// Both pages and the peer's bundle, in one folder the demo server serves (every page is a redirect URI).
async function buildPages() {
  if (!process.argv.includes('--no-build')) execFileSync(here('../scripts/build.sh'), { stdio: 'inherit' });
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT);
  cpSync(here('pages'), OUT, { recursive: true });
  await build({ entryPoints: [here('peer.js')], bundle: true, minify: true, format: 'esm', target: 'es2022',
    outfile: `${OUT}/peer.js`, logLevel: 'warning' });
}

// Installed before any script of each document: when the first button appears (light DOM or a shadow root),
// when the page hears of a sign-in, the click's timestamp, and the start of the navigation that follows it
// (cancelled when asked, so the click can be timed without leaving the page).
function instrument() {
  const b = (window.__bench = { button: null, signin: null, click: null, navigate: null, cancel: false });
  const watch = (root) => {
    const seen = () => root.querySelector('button') && (b.button ??= performance.now());
    new MutationObserver((_, o) => { if (seen()) o.disconnect(); }).observe(root, { childList: true, subtree: true });
  };
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) { const root = attachShadow.call(this, init); watch(root); return root; };
  watch(document);
  for (const type of ['anypoint-signin', 'peer-signin']) document.addEventListener(type, () => { b.signin ??= performance.now(); });
  addEventListener('click', (e) => { b.click = e.timeStamp; }, true);
  navigation.addEventListener('navigate', (e) => { b.navigate ??= performance.now(); if (b.cancel) e.preventDefault(); });
}

// When the last of the element's files (its modules and the wasm; the peer's bundle) finished arriving.
const arrived = (page, files) => page.evaluate((names) => Math.max(...performance.getEntriesByType('resource')
  .filter((r) => names.some((n) => r.name.endsWith(n))).map((r) => r.responseEnd)), files);

// support.mjs's logIn follows the top-level navigations the page records, as its newPage does.
function recordNavigations(page) {
  page.navigations = [];
  page.on('request', (r) => {
    if (r.isNavigationRequest() && r.frame() === page.mainFrame() && r.method() === 'GET') page.navigations.push(new URL(r.url()));
  });
}

async function once(browser, origin, { path, files }) {
  const context = await browser.newContext();
  await context.addInitScript(instrument);
  const page = await context.newPage();
  recordNavigations(page);
  try {
    // 1. First paint of the button, after the files arrived.
    await page.goto(`${origin}${path}`);
    await page.waitForFunction(() => window.__bench.button !== null, null, { timeout: 15000 });
    await page.waitForLoadState('networkidle');
    const button = await page.evaluate(() => window.__bench.button);
    const render = button - (await arrived(page, files));

    // 2. Click → the navigation to the authorize URL (cancelled: nothing leaves the page).
    await page.evaluate(() => { window.__bench.cancel = true; });
    await page.locator('#signin button').first().click();
    await page.waitForFunction(() => window.__bench.navigate !== null, null, { timeout: 15000 });
    const click = await page.evaluate(() => window.__bench.navigate - window.__bench.click);

    // 3. A whole sign-in; on the callback page, module ready → sign-in event, less the token endpoint's time.
    await page.reload();
    await page.waitForLoadState('networkidle');
    let tokenServer = null;
    page.on('requestfinished', (r) => {
      if (new URL(r.url()).pathname.endsWith('/token')) { const t = r.timing(); tokenServer = t.responseStart - t.requestStart; }
    });
    const from = page.navigations.length;
    await page.locator('#signin button').first().click();
    await logIn(page, { from });
    await page.waitForFunction(() => window.__bench.signin !== null, null, { timeout: 15000 });
    const signin = await page.evaluate(() => window.__bench.signin);
    const callback = signin - (await arrived(page, files)) - tokenServer;
    // The same two from the navigation's start (performance.now()'s origin): what a visitor waits for,
    // including downloading and compiling the files.
    return { render, click, callback, tokenServer, button, signin: signin - tokenServer };
  } finally {
    await context.close();
  }
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { min: s[0], median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, max: s.at(-1), runs: s.length };
};

await buildPages();
const ours = bundleSizes();
const peer = sizeOf(readFileSync(`${OUT}/peer.js`));
const [browser, site] = await Promise.all([launch(), startSite({ pages: OUT })]);
const samples = { ours: [], peer: [] };
try {
  const pages = {
    ours: { path: '/ours.html', files: ours.files.map((f) => `/${f.file}`) },
    peer: { path: '/peer.html', files: ['/peer.js'] },
  };
  for (let i = 0; i < RUNS; i++) {
    // Alternate which goes first, so drift in the machine's load hits both alike.
    for (const who of i % 2 ? ['peer', 'ours'] : ['ours', 'peer']) samples[who].push(await once(browser, site.origin, pages[who]));
    process.stderr.write(`bench: run ${i + 1}/${RUNS}\r`);
  }
} finally {
  await browser.close();
  await site.close();
}
process.stderr.write('\n');

const timing = (key) => ({ ours: stats(samples.ours.map((s) => s[key])), peer: stats(samples.peer.map((s) => s[key])) });
const result = {
  date: new Date().toISOString(),
  chromium: browser.version(),
  runs: RUNS,
  bytes: { ours: ours.total, oursFiles: ours.files, peer, targetGzip: TARGET_GZIP },
  timings: {
    render: timing('render'),
    click: timing('click'),
    callback: timing('callback'),
    tokenServer: timing('tokenServer'),
    button: timing('button'),
    signin: timing('signin'),
  },
  targets: { render: 16, click: 5, callback: 30 },
};
writeFileSync(JSON_OUT, `${JSON.stringify(result, null, 2)}\n`);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const ms = (s) => `${s.min.toFixed(1)} / ${s.median.toFixed(1)} / ${s.max.toFixed(1)}`;
const rows = [
  ['bytes', 'ours', 'peer (oidc-client-ts)', 'ours / peer'],
  null,
  ...['raw', 'gzip', 'brotli'].map((k) => [k, kb(ours.total[k]), kb(peer[k]), (ours.total[k] / peer[k]).toFixed(2)]),
  [],
  [`ms, min / median / max (${RUNS} runs)`, 'ours', 'peer (oidc-client-ts)', 'ours / peer (median)'],
  null,
  ...[['render', 'button rendered after module+wasm arrived'], ['click', 'click → authorize navigation'],
    ['callback', 'callback: module ready → sign-in event − token endpoint'],
    ['button', 'page start → button rendered'], ['signin', 'callback page start → sign-in event − token endpoint'],
    ['tokenServer', '(token endpoint server time)']]
    .map(([k, label]) => [label, ms(result.timings[k].ours), ms(result.timings[k].peer),
      (result.timings[k].ours.median / result.timings[k].peer.median).toFixed(2)]),
];
// Markdown tables (null: the header's rule), as BENCHMARKS.md shows them.
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r?.[c] ?? '').length)));
for (const r of rows) {
  if (!r) console.log(`|${widths.map((w, c) => (c ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
  else console.log(r.length ? `| ${r.map((x, c) => x.padEnd(widths[c])).join(' | ')} |` : '');
}
console.log(`\nissue 5 target: ${kb(TARGET_GZIP)} gzip; ours ${kb(ours.total.gzip)} gzip (${ours.total.gzip <= TARGET_GZIP ? 'met' : `over by ${kb(ours.total.gzip - TARGET_GZIP)}`}).`);
console.log(`wrote ${JSON_OUT}`);
