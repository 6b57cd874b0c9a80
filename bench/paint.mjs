// Paint before wasm (issue 21): when the sign-in button is on screen, whether the page jumps when it arrives,
// and what a click made the moment it shows does. Our element against a floor page (the same page with a plain
// HTML <button> whose click handler does location.assign() to a fixed URL on the local authorization server,
// and no library), in two layouts: the button in a site header row, and alone in a centred sign-in card above a
// paragraph of text. Ours twice: with the README's embed in <head> (the classic head script, which draws the
// placeholder and keeps clicks from the first frame) and with the module script tag alone.
//
//   node bench/paint.mjs [--runs N] [--slow] [--json FILE] [--variants]
//
// --variants adds two pages of ours: the stylesheet alone (no script: what the stylesheet's own request costs;
// no eager click, nothing could act on it) and the stylesheet with the preload hints and the module script (the
// embed before the head script, still the way for a server-rendered page that keeps scripts out of <head>).
//
// Uses www/dist as built (scripts/build.sh), with the local authorization server and playground-server on
// loopback, in Debian's Chromium (tests/browser/support.mjs). --slow: 9 Mbit/s and 40 ms latency (Chromium's
// network emulation, as bench/run.mjs). Each page loads twice per run, each time in a fresh context:
//
//   - a passive load, left alone until the element is rendered and the network idle: page start → button
//     visible, and the layout shift over the load (CLS);
//   - an eager load: a real mouse click (Playwright's page.mouse, at the centre of the button's box) sent as soon
//     as the page reports the button visible, then page start → the browser's request for /authorize.
//
// "Visible": a requestAnimationFrame loop, from an init script installed before any of the page's own, checks
// the button (#signin: our element or the floor's <button>) in every frame: the first frame whose callback finds
// a box of non-zero width and height, `visibility: visible`, a non-zero opacity and no `display: none` is the
// frame that paints it (rAF callbacks run just before that frame's style, layout and paint). The time is
// performance.now() in that callback, from the page's start (the navigation's time origin). For ours, the box
// exists only once something draws it: an undefined <anypoint-signin> without the placeholder stylesheet is an
// empty inline box of zero width, and a defined one has no width before its shadow root holds the button.
//
// CLS: a PerformanceObserver for 'layout-shift' (buffered) from the same init script, the sum of every entry
// without recent input, read once the element is rendered, the network idle, and two more frames and 100 ms
// have passed. Page start → /authorize: the request's wallTime (CDP Network.requestWillBeSent on the page's
// target) minus the page's performance.timeOrigin, for the request page.waitForRequest() sees; the request is
// answered with an empty page (CDP Fetch, that URL only), so the server's login page (and its external font)
// never loads. A click that leads to no /authorize request within 10 s counts as lost; the time's median is over
// the kept ones. The table also says how many clicks came before the entry module had run (it lends the
// placeholder role=button: until then nothing on the page can keep a click) and how long the click event took to
// reach the page (Playwright's move, press and release; input waits for a busy main thread).
//
// playground-server sends the files uncompressed: on the 9 Mbit/s link the wasm costs its raw size, not gzip's.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { launch } from '../tests/browser/support.mjs';
import { startSite } from '../playground/serve.mjs';
import { OUT, RUNS, SLOW, arg, ms, printTable, rotate, stats, throttle } from './common.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const JSON_OUT = arg('--json', here('paint.json'));
const PAGES = `${OUT}/paint`;
const NETWORK = SLOW ? '9 Mbit/s, 40 ms latency' : 'loopback';
const CLICK_TIMEOUT = 10000;

// The README's embed (README.md: the classic head script, which draws the placeholder and keeps clicks before
// the first frame), the module script tag alone, and (--variants) the stylesheet in <head> with the module and
// the preload hints, as a server-rendered page without the head script would have them.
const HEAD = '<script src="/anypoint-signin/anypoint-signin-head.js"></script>';
const SCRIPT = '<script type="module" src="/anypoint-signin/anypoint-signin.js"></script>';
const STYLESHEET = '<link rel="stylesheet" href="/anypoint-signin/anypoint-signin.css">';
const HINTS = ['<link rel="modulepreload" href="/anypoint-signin/anypoint-signin.js">',
  '<link rel="preload" href="/anypoint-signin/anypoint_signin_bg.wasm" as="fetch" crossorigin>'];

// The site's own look, inline in every page (no request of its own).
const SITE_CSS = `body { font: 16px/1.5 Georgia, serif; margin: 0; background: #f6f7f9; color: #222; }
header { display: flex; align-items: center; gap: 16px; padding: 8px 16px; background: #fff; border-bottom: 1px solid #ddd; }
header nav { flex: 1; display: flex; gap: 12px; }
article { max-width: 680px; margin: 24px auto; padding: 0 16px; }
.card { max-width: 360px; margin: 48px auto 16px; padding: 24px; background: #fff; border-radius: 8px; text-align: center;
  box-shadow: 0 1px 3px rgba(0, 0, 0, .15); }
.below { max-width: 360px; margin: 0 auto; padding: 0 24px; }`;
const TEXT = 'Sign in to see your organisations, your applications and the APIs they use. The button takes you to the '
  + 'Anypoint Platform sign-in page and brings you back here; nothing is shared with this site but your name, your '
  + 'email address and a token that lets it call the APIs on your behalf, until you sign out.';

// Each layout: the page's body around the button (`button(attributes)` writes the element or the <button>).
const LAYOUTS = {
  header: (button) => `<header><strong>Example app</strong><nav><a href="#">Docs</a><a href="#">Pricing</a><a href="#">Blog</a></nav>
${button('size="small"')}</header>
<article><h1>Release notes</h1><p>${TEXT}</p><p>${TEXT}</p><p>${TEXT}</p></article>`,
  card: (button) => `<main class="card">
${button('width="wide"')}
</main>
<p class="below">${TEXT}</p>`,
};

// Ours (with the embed or the script tag alone) and the floor: a plain <button>, no library. Its click handler
// leaves for the local authorization server's /authorize with a fixed query (the URL is whole before the click).
const KINDS = {
  embed: { label: 'ours, README embed (head script)', head: HEAD, ours: true },
  script: { label: 'ours, module script tag alone', head: SCRIPT, ours: true },
  floor: { label: 'floor: plain <button>, no library', head: '', ours: false },
};
if (process.argv.includes('--variants')) {
  Object.assign(KINDS, {
    css: { label: '(ours, stylesheet alone, no script)', head: STYLESHEET, ours: true, script: false },
    cssmodule: { label: '(ours, stylesheet + hints + module)', head: [STYLESHEET, ...HINTS, SCRIPT].join('\n'), ours: true },
  });
}
function pageHtml(layout, kind) {
  const name = `${kind}-${layout}.html`;
  const { head, ours } = KINDS[kind];
  const button = ours
    ? (attrs) => `<anypoint-signin id="signin" clientid="anypoint-signin-demo" authority="{{ISSUER}}" redirecturi="{{ORIGIN}}/${name}" ${attrs}></anypoint-signin>`
    : () => '<button type="button" id="signin">Sign in with Anypoint Platform</button>';
  const floorScript = ours ? '' : `<script>
const authorize = '{{ISSUER}}/authorize?' + new URLSearchParams({ client_id: 'anypoint-signin-demo', redirect_uri: '{{ORIGIN}}/${name}',
  response_type: 'code', scope: 'openid profile email', state: 'paint-bench-state',
  code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' });
document.getElementById('signin').addEventListener('click', () => location.assign(authorize));
</script>`;
  return [name, `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>paint benchmark: ${kind}, ${layout}</title>
${head}
<style>${SITE_CSS}</style>
</head>
<body>
${LAYOUTS[layout](button)}
${floorScript}
</body>
</html>
`];
}

// Installed before any script of each document (see the top of this file).
function instrument() {
  const b = (window.__paint = { visible: null, frame: null, box: null, defined: null, cls: 0, shifts: [], fcp: null,
    click: null, navigate: null, origin: performance.timeOrigin });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (!e.hadRecentInput) { b.cls += e.value; b.shifts.push([Math.round(e.startTime), e.value]); }
    }
  }).observe({ type: 'layout-shift', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') b.fcp = e.startTime;
  }).observe({ type: 'paint', buffered: true });
  const check = (frame) => {
    const button = document.getElementById('signin');
    if (button) {
      const r = button.getBoundingClientRect();
      const s = getComputedStyle(button);
      if (r.width > 0 && r.height > 0 && s.visibility === 'visible' && Number(s.opacity) > 0 && s.display !== 'none') {
        b.visible = performance.now();
        b.frame = frame;
        b.defined = button.matches(':defined');
        b.box = { x: r.x + r.width / 2, y: r.y + r.height / 2, width: r.width, height: r.height };
        // The eager load's binding (page.exposeBinding): clicks from Node at once.
        window.__paintVisible?.({ ...b.box, visible: b.visible, origin: b.origin, defined: b.defined });
        return;
      }
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
  // Whether the entry module had run when the click came (it lends the placeholder role=button), or the element
  // was defined: a click before either has nothing to keep it.
  addEventListener('click', (e) => {
    const button = document.getElementById('signin');
    const armed = button?.localName !== 'anypoint-signin' || button.hasAttribute('role') || button.matches(':defined');
    b.click ??= e.timeStamp;
    window.__paintClick?.(e.timeStamp, armed);
  }, true);
  navigation.addEventListener('navigate', () => { b.navigate ??= performance.now(); window.__paintNavigate?.(b.navigate); });
}

const isAuthorize = (url) => new URL(url).pathname.endsWith('/authorize');

async function newPage(browser) {
  const context = await browser.newContext();
  await context.addInitScript(instrument);
  const page = await context.newPage();
  await throttle(context, page);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return { context, page, errors };
}

// A passive load: visible, FCP, CLS once the button is rendered and the network idle.
async function passive(browser, origin, { name, ours, script }) {
  const { context, page, errors } = await newPage(browser);
  try {
    await page.goto(`${origin}/${name}`);
    await page.waitForFunction(() => window.__paint.visible !== null, null, { timeout: 20000 });
    if (ours && script !== false) {
      await page.waitForFunction(() => document.getElementById('signin').shadowRoot?.querySelector('button'), null,
        { timeout: 20000 });
    }
    await page.waitForLoadState('networkidle');
    await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(ok, 100)))));
    const r = await page.evaluate(() => window.__paint);
    return { visible: r.visible, fcp: r.fcp, cls: r.cls, shifts: r.shifts, placeholder: !r.defined, box: r.box };
  } catch (e) {
    throw new Error(`${name} (passive): ${e.message}\n${errors.join('\n')}`);
  } finally {
    await context.close();
  }
}

// An eager load: a real click the moment the page reports the button visible; page start → /authorize.
async function eager(browser, origin, { name }) {
  const { context, page, errors } = await newPage(browser);
  let seen = null;
  let clickStamp = null;
  let armed = null;
  let navigate = null;
  let clicked = Promise.resolve();
  await page.exposeBinding('__paintVisible', (_, box) => {
    if (seen) return;
    seen = box;
    clicked = page.mouse.click(box.x, box.y).catch(() => {});
  });
  await page.exposeBinding('__paintClick', (_, t, a) => { if (clickStamp === null) [clickStamp, armed] = [t, a]; });
  await page.exposeBinding('__paintNavigate', (_, t) => { navigate ??= t; });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  let sent;
  const wall = new Promise((ok) => { sent = ok; });
  cdp.on('Network.requestWillBeSent', (e) => { if (isAuthorize(e.request.url)) sent(e.wallTime * 1000); });
  // The authorization server's answer is replaced by an empty page: its login page would load more (and an
  // external font), and nothing after the request is timed.
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*/authorize*', requestStage: 'Request' }] });
  cdp.on('Fetch.requestPaused', ({ requestId }) => cdp.send('Fetch.fulfillRequest', { requestId, responseCode: 200,
    responseHeaders: [{ name: 'content-type', value: 'text/html' }],
    body: Buffer.from('<!doctype html><title>authorize</title>').toString('base64') }).catch(() => {}));
  try {
    const request = page.waitForRequest((r) => isAuthorize(r.url()), { timeout: CLICK_TIMEOUT }).catch(() => null);
    await page.goto(`${origin}/${name}`, { waitUntil: 'commit' });
    const authorize = await request;
    await clicked;
    if (!seen) throw new Error('the button never showed');
    const at = authorize && (await Promise.race([wall, new Promise((ok) => { setTimeout(ok, 2000, null); })]));
    return {
      visible: seen.visible, placeholder: !seen.defined, click: clickStamp, armed, kept: authorize !== null,
      authorize: at ? at - seen.origin : null,
      navigate,
    };
  } catch (e) {
    throw new Error(`${name} (eager): ${e.message}\n${errors.join('\n')}`);
  } finally {
    await context.close();
  }
}

rmSync(PAGES, { recursive: true, force: true });
mkdirSync(PAGES, { recursive: true });
const variants = [];
for (const layout of Object.keys(LAYOUTS)) {
  for (const kind of Object.keys(KINDS)) {
    const [name, html] = pageHtml(layout, kind);
    writeFileSync(`${PAGES}/${name}`, html);
    variants.push({ name, layout, kind, ...KINDS[kind] });
  }
}

// The build measured (www/dist's files), checked again at the end: a rebuild during the run would mix two.
const DIST = here('../www/dist');
const fingerprint = () => createHash('sha256').update(readdirSync(DIST).filter((f) => /\.(js|css|wasm)$/.test(f)).sort()
  .map((f) => `${f}:${createHash('sha256').update(readFileSync(`${DIST}/${f}`)).digest('hex')}`).join()).digest('hex').slice(0, 16);
const dist = fingerprint();
const load = [loadavg()[0]];

const [browser, site] = await Promise.all([launch(), startSite({ pages: PAGES })]);
const samples = Object.fromEntries(variants.map((v) => [v.name, { passive: [], eager: [] }]));
try {
  for (let i = 0; i < RUNS; i++) {
    for (const v of rotate(variants, i)) {
      samples[v.name].passive.push(await passive(browser, site.origin, v));
      if (v.script !== false) samples[v.name].eager.push(await eager(browser, site.origin, v));
    }
    process.stderr.write(`paint: run ${i + 1}/${RUNS}\r`);
  }
} finally {
  await browser.close();
  await site.close();
}
process.stderr.write('\n');
load.push(loadavg()[0]);
if (fingerprint() !== dist) console.warn('www/dist changed during the run: the figures mix two builds');

const round = (x, d = 1) => (x === null || x === undefined ? null : Number(x.toFixed(d)));
const result = {
  date: new Date().toISOString(),
  chromium: browser.version(),
  runs: RUNS,
  network: NETWORK,
  dist,
  loadAverage: { start: round(load[0], 2), end: round(load[1], 2) },
  pages: variants.map(({ name, layout, kind, label }) => {
    const { passive: p, eager: e } = samples[name];
    const kept = e.filter((s) => s.kept).length;
    return {
      name, layout, kind, label,
      visible: stats(p.map((s) => s.visible)),
      fcp: stats(p.map((s) => s.fcp)),
      cls: { ...stats(p.map((s) => s.cls)), worst: Math.max(...p.map((s) => s.cls)) },
      placeholderFirst: p.filter((s) => s.placeholder).length,
      eager: {
        visible: stats(e.map((s) => s.visible)),
        visibleToClick: stats(e.map((s) => (s.click === null ? NaN : s.click - s.visible))),
        authorize: stats(e.map((s) => s.authorize ?? NaN)),
        navigateEvent: stats(e.map((s) => s.navigate ?? NaN)),
        kept, total: e.length,
        // Clicks that came before the entry module had run (nothing on the page to keep them), and of those, kept.
        beforeEntry: e.filter((s) => s.armed === false).length,
        beforeEntryKept: e.filter((s) => s.armed === false && s.kept).length,
      },
      samples: {
        passive: p.map((s) => ({ visible: round(s.visible), fcp: round(s.fcp), cls: round(s.cls, 5), shifts: s.shifts })),
        eager: e.map((s) => ({ visible: round(s.visible), click: round(s.click), armed: s.armed, authorize: round(s.authorize),
          navigate: round(s.navigate), kept: s.kept })),
      },
    };
  }),
};
// One file for both networks: this run replaces its own.
let previous = {};
try { previous = JSON.parse(readFileSync(JSON_OUT, 'utf8')); } catch { /* first run */ }
writeFileSync(JSON_OUT, `${JSON.stringify({ ...previous, [SLOW ? 'slow' : 'loopback']: result }, null, 2)}\n`);

const ratio = (a, b) => (a && b ? (a / b).toFixed(2) : 'n/a');
const cls = (c) => c.worst.toFixed(4);
console.log(`${RUNS} runs, ${NETWORK}, Chromium ${result.chromium}, www/dist ${dist}, load average ${load.map((l) => l.toFixed(2)).join(' → ')}; `
  + 'ms from page start as median (min–max); ratios: median / the floor\'s\n');
printTable([
  ['layout', 'page', 'button visible', '× floor', '(FCP)', 'CLS median', 'CLS worst', 'eager click → /authorize', '× floor',
    'clicks kept', '(before the entry ran: kept)', '(visible → click event)'],
  null,
  ...result.pages.map((p) => {
    const floor = result.pages.find((f) => f.layout === p.layout && f.kind === 'floor');
    return [p.layout, p.label, ms(p.visible), ratio(p.visible?.median, floor.visible?.median), ms(p.fcp),
      p.cls.median.toFixed(4), cls(p.cls),
      ...(p.eager.total === 0 ? ['—', '', '', '', ''] : [ms(p.eager.authorize), ratio(p.eager.authorize?.median, floor.eager.authorize?.median),
        `${p.eager.kept}/${p.eager.total}`, p.kind === 'floor' ? '' : `${p.eager.beforeEntryKept}/${p.eager.beforeEntry}`,
        ms(p.eager.visibleToClick)])];
  }),
]);

// Issue 21's targets, for ours with the README embed (and the script tag alone, for reference).
const limit = SLOW ? 1.4 : 1.1;
console.log(`\nissue 21's targets (visible ≤ ${limit} × floor${SLOW ? '; eager click ≤ 440 ms' : ''}; CLS < 0.001 in every run; every eager click kept)\n`);
printTable([
  ['layout', 'page', 'visible × floor', 'CLS worst', 'eager click', 'kept'],
  null,
  ...result.pages.filter((p) => p.kind === 'embed' || p.kind === 'script').map((p) => {
    const floor = result.pages.find((f) => f.layout === p.layout && f.kind === 'floor');
    const r = p.visible.median / floor.visible.median;
    const click = p.eager.authorize?.median;
    return [p.layout, p.label, `${r.toFixed(2)} ${r <= limit ? 'met' : 'not met'}`,
      `${cls(p.cls)} ${p.cls.worst < 0.001 ? 'met' : 'not met'}`,
      SLOW ? `${click ? click.toFixed(0) : 'n/a'} ms ${click && click <= 440 ? 'met' : 'not met'}` : (click ? `${click.toFixed(0)} ms` : 'n/a'),
      `${p.eager.kept}/${p.eager.total} ${p.eager.kept === p.eager.total ? 'met' : 'not met'}`];
  }),
]);
console.log(`\nwrote ${JSON_OUT} (${SLOW ? 'slow' : 'loopback'})`);
