// The benchmark: <anypoint-signin> against peer pages doing the same job with other libraries (each bundled
// and minified with esbuild, a plain button; bench/common.mjs lists them), in Debian's Chromium, on loopback
// next to the real local authorization server. Prints two tables (each page's bytes and timings as median
// (min–max); ours / each peer) and writes them as JSON.
//
//   node bench/run.mjs [--runs N] [--json FILE] [--no-build] [--slow]
//
// Timings are read in the page (performance.now(), event timestamps), never in tests. BENCHMARKS.md has the
// method.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launch, logIn } from '../tests/browser/support.mjs';
import { startSite } from '../playground/serve.mjs';
import { OUT, RUNS, SLOW, arg, buildPages, firstPaint, instrument, kb, ms, printTable, rotate, stats, throttle } from './common.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const JSON_OUT = arg('--json', here('results.json'));

// When the last of the files the button waits for (ours: the modules and the main wasm, not the lazy chunk;
// a peer: its bundle) finished arriving.
const arrived = (page, files) => page.evaluate((names) => Math.max(...performance.getEntriesByType('resource')
  .filter((r) => names.some((n) => r.name.endsWith(n))).map((r) => r.responseEnd)), files);

// support.mjs's logIn follows the top-level navigations the page records, as its newPage does.
function recordNavigations(page) {
  page.navigations = [];
  page.on('request', (r) => {
    if (r.isNavigationRequest() && r.frame() === page.mainFrame() && r.method() === 'GET') page.navigations.push(new URL(r.url()));
  });
}

async function once(browser, origin, { name, files, seen, click, callback: noCallback }) {
  const context = await browser.newContext();
  await context.addInitScript(instrument, seen);
  const page = await context.newPage();
  await throttle(context, page);
  recordNavigations(page);
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('requestfailed', (r) => errors.push(`${r.url()}: ${r.failure()?.errorText}`));
  try {
    // 1. First paint of the button, from the page's start (performance.now()'s origin) and after the files arrived.
    const button = await firstPaint(page, `${origin}/${name}.html`);
    const render = button - (await arrived(page, files));

    // 2. Click → the navigation to the authorize URL, or the popup's opening (cancelled: nothing leaves the page).
    await page.evaluate(() => { window.__bench.cancel = true; });
    await page.locator(click).first().click();
    await page.waitForFunction(() => window.__bench.navigate !== null, null, { timeout: 15000 });
    const clickTime = await page.evaluate(() => window.__bench.navigate - window.__bench.click);
    if (noCallback) return { render, click: clickTime, button };

    // 3. A whole sign-in; on the callback page, files arrived → sign-in event, less the token endpoint's time.
    await page.reload();
    await page.waitForLoadState('networkidle');
    let tokenServer = null;
    page.on('requestfinished', (r) => {
      if (new URL(r.url()).pathname.endsWith('/token')) { const t = r.timing(); tokenServer = t.responseStart - t.requestStart; }
    });
    const from = page.navigations.length;
    await page.locator(click).first().click();
    await logIn(page, { from });
    await page.waitForFunction(() => window.__bench.signin !== null, null, { timeout: 15000 });
    const signin = await page.evaluate(() => window.__bench.signin);
    const callback = signin - (await arrived(page, files)) - tokenServer;
    return { render, click: clickTime, callback, tokenServer, button, signin: signin - tokenServer };
  } catch (e) {
    // Which page failed, and what it logged.
    throw new Error(`${name}: ${e.message}\n${errors.join('\n')}`);
  } finally {
    await context.close();
  }
}

if (!process.argv.includes('--no-build')) execFileSync(here('../scripts/build.sh'), { stdio: 'inherit' });
const pages = await buildPages();
const [browser, site] = await Promise.all([launch(), startSite({ pages: OUT })]);
const samples = Object.fromEntries(pages.map((p) => [p.name, []]));
try {
  for (let i = 0; i < RUNS; i++) {
    for (const p of rotate(pages, i)) samples[p.name].push(await once(browser, site.origin, p));
    process.stderr.write(`bench: run ${i + 1}/${RUNS}\r`);
  }
} finally {
  await browser.close();
  await site.close();
}
process.stderr.write('\n');

const KEYS = ['button', 'click', 'signin', 'render', 'callback', 'tokenServer'];
const result = {
  date: new Date().toISOString(),
  chromium: browser.version(),
  runs: RUNS,
  network: SLOW ? '9 Mbit/s, 40 ms latency' : 'loopback',
  pages: pages.map(({ name, label, files, firstPaint: first, total, callback }) => ({
    name, label, files, bytes: { firstPaint: first, total }, noCallback: callback,
    timings: Object.fromEntries(KEYS.map((k) => [k, stats(samples[name].map((s) => s[k]))])),
  })),
};
writeFileSync(JSON_OUT, `${JSON.stringify(result, null, 2)}\n`);

const [ours, ...peers] = result.pages;
console.log(`${RUNS} runs, ${result.network}, ms as median (min–max)\n`);
printTable([
  ['page', 'gzip before the button', 'gzip in all', 'page start → button visible', 'click → authorize',
    'callback page start → sign-in event − token endpoint', 'files arrived → button', '(token endpoint)'],
  null,
  ...result.pages.map((p) => [p.label, kb(p.bytes.firstPaint.gzip), kb(p.bytes.total.gzip), ms(p.timings.button),
    ms(p.timings.click), ms(p.timings.signin), ms(p.timings.render), ms(p.timings.tokenServer)]),
]);
console.log('');
const ratio = (a, b) => (a && b ? (a / b).toFixed(2) : 'n/a');
printTable([
  ['ours / peer', 'gzip before the button', 'gzip in all', 'page start → button visible', 'click → authorize',
    'callback page start → sign-in event − token endpoint'],
  null,
  ...peers.map((p) => [p.label, ratio(ours.bytes.firstPaint.gzip, p.bytes.firstPaint.gzip), ratio(ours.bytes.total.gzip, p.bytes.total.gzip),
    ...['button', 'click', 'signin'].map((k) => ratio(ours.timings[k]?.median, p.timings[k]?.median))]),
]);
for (const p of peers) if (p.noCallback) console.log(`\n${p.label}: callback n/a: ${p.noCallback}`);
console.log(`\nwrote ${JSON_OUT}`);
