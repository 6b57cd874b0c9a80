// Where the render time goes: bench/pages/ours.html with each step between "the files arrived" and "the first
// button is in the shadow root" timed in the page (wrapped browser and glue calls). Prints the median of each
// step over N fresh browser contexts, and what a second, warm element costs (the rest is first-call cost:
// V8 compiles wasm and JS functions lazily, on their first call).
//
//   node bench/split.mjs [--runs N] [--dists DIR_A,DIR_B] [--slow] [--callback]
//
// Uses www/dist as built. --dists compares two builds (copies of www/dist) on the same machine load: the runs
// alternate between them, each copied into www/dist before its page loads; www/dist ends up holding DIR_B.
// --slow emulates a modest network (9 Mbit/s, 40 ms latency: Chromium's network emulation) instead of loopback,
// for what depends on when each file is requested. --callback also signs in and times the callback page (the
// flows' lazy chunk, when the build has one, is fetched there before the code exchange).
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, logIn } from '../tests/browser/support.mjs';
import { startSite } from '../playground/serve.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const arg = (name, fallback) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : fallback; };
const RUNS = Math.min(Math.max(Number(arg('--runs', 10)) || 10, 1), 50);
const DISTS = arg('--dists', '').split(',').filter(Boolean);
const SLOW = process.argv.includes('--slow');
const CALLBACK = process.argv.includes('--callback');
const DIST = here('../www/dist');
const OUT = here('out');

// Installed before any script of the page: marks the first time each step is reached.
function instrument() {
  const t = (window.__t = {});
  const mark = (k) => { t[k] ??= performance.now(); };
  // As the benchmark sees the button: a MutationObserver on the shadow root.
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    mark('attachShadow');
    const root = attachShadow.call(this, init);
    new MutationObserver((_, o) => { if (root.querySelector('button')) { mark('buttonObserved'); o.disconnect(); } })
      .observe(root, { childList: true, subtree: true });
    return root;
  };
  // The moment the first button is inserted, synchronously.
  for (const [proto, names] of [[Node.prototype, ['appendChild', 'insertBefore']], [Element.prototype, ['append', 'before', 'after', 'prepend']]]) {
    for (const name of names) {
      const f = proto[name];
      proto[name] = function (...a) {
        const r = f.apply(this, a);
        const root = this.getRootNode();
        if (t.buttonInserted === undefined && root instanceof ShadowRoot && root.querySelector('button')) mark('buttonInserted');
        return r;
      };
    }
  }
  const timed = (exports, name, before, after) => (...a) => { mark(before); const r = exports[name](...a); mark(after); return r; };
  const instantiateStreaming = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    mark('instantiateCall');
    const r = await instantiateStreaming(source, imports);
    // The main module only: a lazy chunk (split_*.wasm) is instantiated later, with no exports the glue calls.
    if (!r.instance.exports.define) return r;
    mark('instantiated');
    const exports = { ...r.instance.exports };
    exports.__wbindgen_start = timed(r.instance.exports, '__wbindgen_start', 'startBegin', 'startEnd');
    exports.define = timed(r.instance.exports, 'define', 'defineBegin', 'defineEnd');
    return { module: r.module, instance: { exports } };
  };
  const define = customElements.define;
  customElements.define = function (tag, cls, options) {
    if (tag !== 'anypoint-signin') return define.call(this, tag, cls, options);
    const connected = cls.prototype.connectedCallback;
    cls.prototype.connectedCallback = function () { mark('connectedBegin'); connected.call(this); mark('connectedEnd'); };
    mark('customElementsDefine');
    return define.call(this, tag, cls, options);
  };
  document.addEventListener('anypoint-signin', () => mark('signin'));
}

async function once(browser, origin) {
  const context = await browser.newContext();
  await context.addInitScript(instrument);
  const page = await context.newPage();
  // support.mjs's logIn follows the top-level navigations the page records.
  page.navigations = [];
  page.on('request', (r) => {
    if (r.isNavigationRequest() && r.frame() === page.mainFrame() && r.method() === 'GET') page.navigations.push(new URL(r.url()));
  });
  if (SLOW) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions',
      { offline: false, latency: 40, downloadThroughput: 9e6 / 8, uploadThroughput: 9e6 / 8 });
  }
  try {
    await page.goto(`${origin}/ours.html`);
    await page.waitForFunction(() => window.__t.buttonObserved !== undefined, null, { timeout: 15000 });
    await page.waitForLoadState('networkidle');
    const paint = await page.evaluate(() => {
      const files = performance.getEntriesByType('resource').filter((r) => r.name.includes('/anypoint-signin/'));
      const wasm = files.find((r) => r.name.endsWith('/anypoint_signin_bg.wasm'));
      // A second element, everything warm.
      const w0 = performance.now();
      const second = document.createElement('anypoint-signin');
      for (const a of document.getElementById('signin').attributes) if (a.name !== 'id') second.setAttribute(a.name, a.value);
      document.body.append(second);
      const warm = performance.now() - w0;
      second.remove();
      return { ...window.__t, warm, arrived: Math.max(...files.map((r) => r.responseEnd)), wasmRequest: wasm.requestStart, wasmEnd: wasm.responseEnd };
    });
    if (!CALLBACK) return paint;

    // A whole sign-in through the server's pages; the callback page timed from its start, less the token
    // endpoint's own time (as bench/run.mjs does).
    await page.reload();
    await page.waitForLoadState('networkidle');
    let token = null;
    page.on('requestfinished', (r) => {
      if (new URL(r.url()).pathname.endsWith('/token')) { const t = r.timing(); token = t.responseStart - t.requestStart; }
    });
    const from = page.navigations.length;
    await page.locator('#signin button').first().click();
    await logIn(page, { from });
    await page.waitForFunction(() => window.__t.signin !== undefined, null, { timeout: 15000 });
    const callback = await page.evaluate(() => {
      // startTime: the token endpoint is cross-origin, so its other timings are zero.
      const find = (re) => performance.getEntriesByType('resource').find((r) => re.test(r.name));
      const chunk = find(/\/(split|chunk)_[^/]*\.wasm$/);
      const wasm = find(/\/anypoint_signin_bg\.wasm$/);
      return { signin: window.__t.signin, chunkRequest: chunk?.startTime, chunkEnd: chunk?.responseEnd,
        wasmRequest: wasm?.startTime, wasmEnd: wasm?.responseEnd, instantiated: window.__t.instantiated,
        tokenRequest: find(/\/token$/)?.startTime };
    });
    return { ...paint, callback: { ...callback, signin: callback.signin - token, token } };
  } finally {
    await context.close();
  }
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT);
cpSync(here('pages'), OUT, { recursive: true });
const [browser, site] = await Promise.all([launch(), startSite({ pages: OUT })]);
const rows = DISTS.length ? DISTS.map(() => []) : [[]];
try {
  for (let i = 0; i < RUNS * rows.length; i++) {
    const which = i % rows.length;
    if (DISTS.length) {
      rmSync(DIST, { recursive: true, force: true });
      cpSync(DISTS[which], DIST, { recursive: true });
    }
    rows[which].push(await once(browser, site.origin));
    process.stderr.write(`split: run ${i + 1}/${RUNS * rows.length}\r`);
  }
} finally {
  await browser.close();
  await site.close();
}
process.stderr.write('\n');

const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const steps = [
  ['wasm download: request → last byte', (r) => r.wasmEnd - r.wasmRequest],
  ['instantiateStreaming: call → resolved', (r) => r.instantiated - r.instantiateCall],
  ['  resolved after the last file arrived', (r) => r.instantiated - r.arrived],
  ['resolved → __wbindgen_start', (r) => r.startBegin - r.instantiated],
  ['__wbindgen_start', (r) => r.startEnd - r.startBegin],
  ['start end → define() called', (r) => r.defineBegin - r.startEnd],
  ['define() → customElements.define', (r) => r.customElementsDefine - r.defineBegin],
  ['customElements.define → connectedCallback', (r) => r.connectedBegin - r.customElementsDefine],
  ['connectedCallback → attachShadow', (r) => r.attachShadow - r.connectedBegin],
  ['attachShadow → button inserted (mount)', (r) => r.buttonInserted - r.attachShadow],
  ['button inserted → connectedCallback end', (r) => r.connectedEnd - r.buttonInserted],
  ['connectedCallback end → define() end', (r) => r.defineEnd - r.connectedEnd],
  ['define() end → button observed', (r) => r.buttonObserved - r.defineEnd],
  ['RENDER: files arrived → button observed', (r) => r.buttonObserved - r.arrived],
  ['a second element, warm: its connectedCallback', (r) => r.warm],
  ['page start → wasm requested', (r) => r.wasmRequest],
  ['PAGE START → button observed', (r) => r.buttonObserved],
  ...(CALLBACK ? [
    ['callback page start → main wasm requested', (r) => r.callback.wasmRequest],
    ['callback page start → main wasm arrived', (r) => r.callback.wasmEnd],
    ['callback page start → main wasm instantiated', (r) => r.callback.instantiated],
    ['callback page start → lazy chunk requested', (r) => r.callback.chunkRequest],
    ['callback page start → lazy chunk arrived', (r) => r.callback.chunkEnd],
    ['callback page start → token requested', (r) => r.callback.tokenRequest],
    ['(token endpoint)', (r) => r.callback.token],
    ['CALLBACK PAGE START → sign-in event − token endpoint', (r) => r.callback.signin],
  ] : []),
];
console.log(`medians of ${RUNS} runs${SLOW ? ', network 9 Mbit/s, 40 ms latency' : ''}`);
if (DISTS.length) console.log(`${''.padEnd(52)} ${DISTS.map((d) => basename(d).slice(-10).padStart(10)).join(' ')}`);
const show = (m) => (Number.isFinite(m) ? `${m.toFixed(2).padStart(7)} ms` : '    n/a   ');
for (const [name, f] of steps) console.log(`${name.padEnd(52)} ${rows.map((r) => show(median(r.map(f)))).join(' ')}`);
