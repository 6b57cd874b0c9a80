// Where the render time goes: the bench's ours.html with the steps between "the files arrived" and "the button
// is in the shadow root" timed in the page. Prints the median of each step over N fresh browser contexts.
//
//   node bench/split.mjs [--runs N] [--js-flags FLAGS] [--profile [--top N]] [--dists DIR_A,DIR_B]
//
// --dists compares two builds (copies of www/dist) on the same machine load: the runs alternate between them,
// each copied into www/dist before its page loads; www/dist is left holding DIR_B.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startSite } from '../playground/serve.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const arg = (name, fallback) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : fallback; };
const RUNS = Math.min(Math.max(Number(arg('--runs', 10)) || 10, 1), 50);
const OUT = '/tmp/split-pages';

function instrument() {
  const t = (window.__t = {});
  const now = () => performance.now();
  const mark = (k) => { t[k] ??= now(); };
  const watch = (root) => {
    new MutationObserver((_, o) => { if (root.querySelector('button')) { mark('buttonObserved'); o.disconnect(); } })
      .observe(root, { childList: true, subtree: true });
  };
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) { mark('attachShadow'); const r = attachShadow.call(this, init); watch(r); return r; };
  // The first button inserted in a shadow root, synchronously.
  for (const [proto, names] of [[Node.prototype, ['appendChild', 'insertBefore']], [Element.prototype, ['append', 'before', 'after', 'prepend']]]) {
    for (const name of names) {
      const f = proto[name];
      proto[name] = function (...a) {
        const r = f.apply(this, a);
        if (t.buttonInserted === undefined && this.getRootNode() instanceof ShadowRoot && this.getRootNode().querySelector('button')) mark('buttonInserted');
        return r;
      };
    }
  }
  const wrap = (obj, name, before, after) => {
    const f = obj[name];
    return (...a) => { mark(before); const r = f.apply(obj, a); mark(after); return r; };
  };
  const is = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    mark('instantiateCall');
    const r = await is(source, imports);
    mark('instantiated');
    const exports = { ...r.instance.exports };
    exports.__wbindgen_start = wrap(r.instance.exports, '__wbindgen_start', 'startBegin', 'startEnd');
    exports.define = wrap(r.instance.exports, 'define', 'defineBegin', 'defineEnd');
    return { module: r.module, instance: { exports } };
  };
  const define = customElements.define;
  customElements.define = function (tag, cls, opts) {
    if (tag === 'anypoint-signin') {
      const cc = cls.prototype.connectedCallback;
      cls.prototype.connectedCallback = function () { mark('connectedBegin'); cc.call(this); mark('connectedEnd'); };
      mark('ceDefineBegin');
    }
    const r = define.call(this, tag, cls, opts);
    if (tag === 'anypoint-signin') mark('ceDefineEnd');
    return r;
  };
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT);
cpSync(here('pages'), OUT, { recursive: true });
const flags = arg('--js-flags', null);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic', ...(flags ? [`--js-flags=${flags}`] : [])],
});
const site = await startSite({ pages: OUT });
const DISTS = arg('--dists', '').split(',').filter(Boolean);
const rows = DISTS.length ? DISTS.map(() => []) : [[]];
const profiles = [];
const PROFILE = process.argv.includes('--profile');
try {
  for (let i = 0; i < RUNS * rows.length; i++) {
    const which = i % rows.length;
    if (DISTS.length) {
      rmSync(here('../www/dist'), { recursive: true, force: true });
      cpSync(DISTS[which], here('../www/dist'), { recursive: true });
    }
    const context = await browser.newContext();
    await context.addInitScript(instrument);
    const page = await context.newPage();
    const cdp = PROFILE && await context.newCDPSession(page);
    if (cdp) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 50 }); await cdp.send('Profiler.start'); }
    await page.goto(`${site.origin}/ours.html`);
    await page.waitForFunction(() => window.__t.buttonObserved !== undefined, null, { timeout: 15000 });
    if (cdp) profiles.push((await cdp.send('Profiler.stop')).profile);
    await page.waitForLoadState('networkidle');
    rows[which].push(await page.evaluate(async () => {
      const res = performance.getEntriesByType('resource').filter((r) => r.name.includes('/anypoint-signin/'));
      const wasm = res.find((r) => r.name.endsWith('.wasm'));
      const arrived = Math.max(...res.map((r) => r.responseEnd));
      // A second, separate compile of the same bytes (from the cache): what compiling costs by itself.
      const bytes = await (await fetch(wasm.name)).arrayBuffer();
      const c0 = performance.now();
      await WebAssembly.compile(bytes);
      const compile = performance.now() - c0;
      // A second element once everything is warm: what mounting costs without first-call costs.
      const w0 = performance.now();
      const second = document.createElement('anypoint-signin');
      for (const a of document.getElementById('signin').attributes) if (a.name !== 'id') second.setAttribute(a.name, a.value);
      document.body.append(second);
      const warm = performance.now() - w0;
      second.remove();
      return { warm, arrived, wasmRequest: wasm.requestStart, wasmEnd: wasm.responseEnd, compile, ...window.__t };
    }));
    await context.close();
  }
} finally {
  await browser.close();
  await site.close();
}
const median = (xs) => { const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const steps = [
  ['wasm fetch: request → last byte', (r) => r.wasmEnd - r.wasmRequest],
  ['instantiateStreaming: call → resolved', (r) => r.instantiated - r.instantiateCall],
  ['  of which after the last byte', (r) => r.instantiated - r.arrived],
  ['resolved → __wbindgen_start', (r) => r.startBegin - r.instantiated],
  ['__wbindgen_start', (r) => r.startEnd - r.startBegin],
  ['start end → define() called', (r) => r.defineBegin - r.startEnd],
  ['define() → customElements.define', (r) => r.ceDefineBegin - r.defineBegin],
  ['customElements.define → connectedCallback', (r) => r.connectedBegin - r.ceDefineBegin],
  ['connectedCallback → attachShadow', (r) => r.attachShadow - r.connectedBegin],
  ['attachShadow → button inserted (mount)', (r) => r.buttonInserted - r.attachShadow],
  ['button inserted → connectedCallback end', (r) => r.connectedEnd - r.buttonInserted],
  ['connectedCallback end → define() end', (r) => r.defineEnd - r.connectedEnd],
  ['define() end → button observed', (r) => r.buttonObserved - r.defineEnd],
  ['RENDER (files arrived → button observed)', (r) => r.buttonObserved - r.arrived],
  ['a second element, warm: connectedCallback', (r) => r.warm],
  ['separate WebAssembly.compile of the bytes', (r) => r.compile],
];
console.log(`median of ${RUNS} runs${flags ? ` (--js-flags=${flags})` : ''}`);
if (DISTS.length) console.log(`${''.padEnd(46)} ${DISTS.map((d) => basename(d).slice(-10).padStart(10)).join(' ')}`);
for (const [name, f] of steps) console.log(`${name.padEnd(46)} ${rows.map((r) => `${median(r.map(f)).toFixed(2).padStart(7)} ms`).join(' ')}`);

// Inclusive sample time per function, summed over the runs' profiles (only with --profile).
if (PROFILE) {
  const total = new Map();
  let all = 0;
  for (const p of profiles) {
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    p.samples.forEach((id, i) => {
      const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
      if (byId.get(id).callFrame.functionName === '(idle)' || byId.get(id).callFrame.functionName === '(program)') return;
      all += dt;
      const seen = new Set();
      for (let n = id; n !== undefined; n = parent.get(n)) {
        const f = byId.get(n).callFrame;
        const name = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`.slice(0, 160);
        if (seen.has(name)) continue;
        seen.add(name);
        total.set(name, (total.get(name) ?? 0) + dt);
      }
    });
  }
  console.log(`busy ${(all / RUNS).toFixed(2)} ms per run`);
  for (const [name, t] of [...total].sort((a, b) => b[1] - a[1]).slice(0, Number(arg('--top', 60)))) console.log(`${(t / RUNS).toFixed(2).padStart(7)} ${name}`);
}
