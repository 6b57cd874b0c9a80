// Where the render time goes: bench/pages/ours.html with each step between "the files arrived" and "the first
// button is in the shadow root" timed in the page (wrapped browser and glue calls). Prints the median of each
// step over N fresh browser contexts, and what a second, warm element costs (the rest is first-call cost:
// V8 compiles wasm and JS functions lazily, on their first call).
//
//   node bench/split.mjs [--runs N] [--dists DIR_A,DIR_B] [--slow]
//
// Uses www/dist as built. --dists compares two builds (copies of www/dist) on the same machine load: the runs
// alternate between them, each copied into www/dist before its page loads; www/dist ends up holding DIR_B.
// --slow emulates a modest network (9 Mbit/s, 40 ms latency: Chromium's network emulation) instead of loopback,
// for what depends on when each file is requested.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../tests/browser/support.mjs';
import { startSite } from '../playground/serve.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const arg = (name, fallback) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : fallback; };
const RUNS = Math.min(Math.max(Number(arg('--runs', 10)) || 10, 1), 50);
const DISTS = arg('--dists', '').split(',').filter(Boolean);
const SLOW = process.argv.includes('--slow');
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
}

async function once(browser, origin) {
  const context = await browser.newContext();
  await context.addInitScript(instrument);
  const page = await context.newPage();
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
    return await page.evaluate(() => {
      const files = performance.getEntriesByType('resource').filter((r) => r.name.includes('/anypoint-signin/'));
      const wasm = files.find((r) => r.name.endsWith('.wasm'));
      // A second element, everything warm.
      const w0 = performance.now();
      const second = document.createElement('anypoint-signin');
      for (const a of document.getElementById('signin').attributes) if (a.name !== 'id') second.setAttribute(a.name, a.value);
      document.body.append(second);
      const warm = performance.now() - w0;
      second.remove();
      return { ...window.__t, warm, arrived: Math.max(...files.map((r) => r.responseEnd)), wasmRequest: wasm.requestStart, wasmEnd: wasm.responseEnd };
    });
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
];
console.log(`medians of ${RUNS} runs${SLOW ? ', network 9 Mbit/s, 40 ms latency' : ''}`);
if (DISTS.length) console.log(`${''.padEnd(46)} ${DISTS.map((d) => basename(d).slice(-10).padStart(10)).join(' ')}`);
for (const [name, f] of steps) console.log(`${name.padEnd(46)} ${rows.map((r) => `${median(r.map(f)).toFixed(2).padStart(7)} ms`).join(' ')}`);
