// Warm loads: each page loaded three times in one browser context (the HTTP cache warm from the second load
// on), page start → button visible for each; what the files came from (transferSize: 0 = the HTTP cache
// without asking, headers only = revalidated, 304); and, from a trace of our page's three loads, whether V8
// compiled the wasm or took its code from a cache: within the context, and in a persistent profile across
// browser restarts (a new renderer: only Chromium's disk code cache can help there).
//
//   node bench/warm.mjs [--runs N] [--slow] [--cache]
//
// The demo server sends no Cache-Control for static files (Last-Modified only), so whether a warm load asks
// the server again depends on how old the files are (heuristic freshness: a tenth of their age). --cache puts
// a proxy in front of it, for the benchmark only, that adds `Cache-Control: max-age=3600` to everything but
// the pages (the playground and the tests are unchanged).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { launch } from '../tests/browser/support.mjs';
import { startSite } from '../playground/serve.mjs';
import { OUT, RUNS, SLOW, buildPages, firstPaint, instrument, ms, printTable, rotate, stats, throttle } from './common.mjs';

const CACHE = process.argv.includes('--cache');
const LOADS = ['cold', 'warm', 'warm again'];

// The pages' links and redirect URIs keep the site's origin; only the first-paint loads go through the proxy.
function cachingProxy(target) {
  const server = createServer((req, res) => {
    const upstream = request(new URL(req.url, target), { method: req.method, headers: req.headers }, (r) => {
      const headers = { ...r.headers };
      if (!String(headers['content-type']).startsWith('text/html')) headers['cache-control'] = 'max-age=3600';
      res.writeHead(r.statusCode, headers);
      r.pipe(res);
    });
    req.pipe(upstream);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }),
  })));
}

// Where each of the page's files came from on this load: a revalidated file (304) transferred its headers
// only, fewer bytes than the body it reuses plus the 150 or so bytes of headers a full answer has.
const sources = (page, files) => page.evaluate((names) => performance.getEntriesByType('resource')
  .filter((r) => names.some((n) => r.name.endsWith(n)))
  .map((r) => (r.transferSize === 0 ? 'cache' : r.transferSize - r.encodedBodySize < 100 ? '304' : 'network')), files);

// page start → button visible with a trace of the load (CDP, which works in persistent contexts too), and the
// trace's wasm compile and code-cache events counted by name (wasm.CompileLazy: a function compiled on its
// first call; wasm.GetNativeModuleFromCache: V8 reusing a module compiled in this renderer; Blink's
// v8.wasm.moduleCacheHit / v8.wasm.cachedModule: Chromium's code cache read / written).
async function tracedLoad(context, page, url) {
  const cdp = await context.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const complete = new Promise((ok) => cdp.once('Tracing.tracingComplete', ok));
  await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: {
    includedCategories: ['disabled-by-default-devtools.timeline', 'v8.wasm', 'disabled-by-default-v8.wasm.detailed'] } });
  const button = await firstPaint(page, url);
  await cdp.send('Tracing.end');
  await complete;
  const counts = {};
  for (const e of events) if (/wasm/i.test(`${e.name} ${e.cat}`) && /cache|compile/i.test(e.name)) counts[e.name] = (counts[e.name] ?? 0) + 1;
  return { button, events: counts };
}

async function loads(browser, origin, p, { trace } = {}) {
  const context = await browser.newContext();
  await context.addInitScript(instrument, p.seen);
  const page = await context.newPage();
  await throttle(context, page);
  const out = [];
  try {
    for (const load of LOADS) {
      const url = `${origin}/${p.name}.html`;
      const { button, events } = trace ? await tracedLoad(context, page, url) : { button: await firstPaint(page, url) };
      out.push({ load, button, from: await sources(page, p.files), events });
    }
  } finally {
    await context.close();
  }
  return out;
}

// Our page in a persistent profile, the browser restarted between loads (support.mjs launch's flags).
async function acrossRestarts(origin, p) {
  const profile = mkdtempSync(join(tmpdir(), 'bench-warm-'));
  const out = [];
  try {
    for (const load of ['cold', 'restarted', 'restarted again']) {
      const context = await chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
          '--disable-sync', '--no-first-run', '--disable-quic'] });
      try {
        await context.addInitScript(instrument, p.seen);
        const page = context.pages()[0] ?? (await context.newPage());
        out.push({ load, ...(await tracedLoad(context, page, `${origin}/${p.name}.html`)), from: await sources(page, p.files) });
        // V8 hands the code cache its module once enough of it is compiled, or after a delay (2 s by default).
        await page.waitForTimeout(3000);
      } finally {
        await context.close();
      }
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  return out;
}

const pages = await buildPages();
const [browser, site] = await Promise.all([launch(), startSite({ pages: OUT })]);
const proxy = CACHE ? await cachingProxy(site.origin) : null;
const origin = proxy?.origin ?? site.origin;
const samples = Object.fromEntries(pages.map((p) => [p.name, []]));
let traced;
let restarts;
try {
  traced = await loads(browser, origin, pages[0], { trace: true });
  restarts = await acrossRestarts(origin, pages[0]);
  for (let i = 0; i < RUNS; i++) {
    for (const p of rotate(pages, i)) samples[p.name].push(await loads(browser, origin, p));
    process.stderr.write(`warm: run ${i + 1}/${RUNS}\r`);
  }
} finally {
  await browser.close();
  await proxy?.close();
  await site.close();
}
process.stderr.write('\n');

console.log(`page start → button visible, ms as median (min–max), ${RUNS} runs, ${SLOW ? '9 Mbit/s, 40 ms latency' : 'loopback'}, ${CACHE ? 'Cache-Control: max-age=3600' : 'the demo server’s headers (Last-Modified only)'}\n`);
const tally = (xs) => Object.entries(xs.flat().reduce((n, x) => ({ ...n, [x]: (n[x] ?? 0) + 1 }), {})).map(([k, v]) => `${k} ${v}`).join(', ');
printTable([
  ['page', ...LOADS, 'warm / cold', ...LOADS.slice(1).map((l) => `files, ${l}`)],
  null,
  ...pages.map((p) => {
    const per = LOADS.map((_, l) => stats(samples[p.name].map((s) => s[l].button)));
    return [p.label, ...per.map(ms), (per[1].median / per[0].median).toFixed(2),
      ...LOADS.slice(1).map((_, l) => tally(samples[p.name].map((s) => s[l + 1].from)))];
  }),
]);
console.log('\nours, one traced context, then a persistent profile across browser restarts (wasm compile / cache trace events):');
for (const t of [...traced, ...restarts]) console.log(`  ${t.load.padEnd(10)} button ${t.button.toFixed(1)} ms, files ${tally([t.from])}: ${JSON.stringify(t.events)}`);
