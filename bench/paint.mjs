// Paint before wasm (issue 21): when the sign-in button is on screen, whether the page jumps when it arrives,
// and what a click made the moment it shows does. Our element against a floor page (the same page with a plain
// HTML <button> whose click handler does location.assign() to a fixed URL on the local authorization server,
// and no library), in two layouts: the button in a site header row, and alone in a centred sign-in card above a
// paragraph of text. Ours twice: with the README's embed in <head> (the classic head script, which draws the
// placeholder and keeps clicks from the first frame) and with the module script tag alone.
//
//   node bench/paint.mjs [--runs N] [--slow] [--json FILE] [--variants] [--peers]
//
// --variants adds two pages of ours: the stylesheet alone (no script: what the stylesheet's own request costs;
// no eager click, nothing could act on it) and the stylesheet with the preload hints and the module script (the
// embed before the head script, still the way for a server-rendered page that keeps scripts out of <head>).
//
// --peers adds bench/run.mjs's peers (bench/common.mjs's PEERS: oidc-client-ts, oauth4webapi, no library,
// keycloak-js, auth0-spa-js, the earlier Lit element), each a page in both layouts: the same layout HTML with the
// peer's own head script tag and host markup from its bench/pages/NAME.html ({{ISSUER}} and {{ORIGIN}} filled by
// the site alike; the redirect URI is the generated page, or the Lit element's popup page, lit-popup.html). Their
// bundles come from common.mjs's buildPages() (esbuild, into bench/out) and are copied next to the pages. The
// layout's attributes (size, width) are ours and not given to a peer. A peer's button is the one it draws: the
// <button> inside the host <div id="signin">, or the Lit element's shadow-root `.buttonText` (its `seen`), and
// that box, not the host's, is what "visible" checks and the eager click aims at. The Lit element opens a popup
// for /authorize (and signs in silently, prompt=none, in an iframe as it connects: not a click's request);
// keycloak-js and the discovery-based peers fetch the server's metadata first. A click kept is a top-level
// request for /authorize (the page's or a popup's) seen at the browser context's level; a popup's is answered
// with the same empty page through a browser-level CDP Fetch session, and timed by its own start time
// (Playwright's request timing). A page whose clicks never reach /authorize prints n/a and, below the table,
// the reason (the page's errors, or none within 10 s); a peer's page that never shows its button likewise.
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
// the button (#signin: our element or the floor's <button>; a peer's own button, see --peers) in every frame: the first frame whose callback finds
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
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { launch } from '../tests/browser/support.mjs';
import { startSite } from '../playground/serve.mjs';
import { OUT, RUNS, SLOW, arg, buildPages, ms, printTable, rotate, stats, throttle } from './common.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const JSON_OUT = arg('--json', here('paint.json'));
const PAGES = `${OUT}/paint`;
const NETWORK = SLOW ? '9 Mbit/s, 40 ms latency' : 'loopback';
const CLICK_TIMEOUT = 10000;
const PEERS = process.argv.includes('--peers');

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
// --peers: each peer of bench/run.mjs (built by buildPages(), which empties bench/out first), its head script tag
// and host markup taken from its bench/pages/NAME.html. `seen`: the peer's button, in the host's shadow root if it
// has one, else in the host.
const PEER_PAGES = here('pages');
if (PEERS) {
  for (const peer of (await buildPages()).filter((p) => p.name !== 'ours')) {
    const html = readFileSync(`${PEER_PAGES}/${peer.name}.html`, 'utf8');
    const head = html.match(/<script\b[^>]*\bsrc="[^"]*"[^>]*><\/script>/)?.[0];
    const host = html.match(/<([a-z][\w-]*)\b[^>]*\bid="signin"[^>]*>[\s\S]*?<\/\1>/)?.[0];
    if (!head || !host) throw new Error(`bench/pages/${peer.name}.html: no head script tag or no #signin host`);
    // Other pages the host points at (the Lit element's redirect page, lit-popup.html) go along.
    const extra = [...host.matchAll(/\{\{ORIGIN\}\}\/([\w.-]+\.html)/g)].map((m) => m[1]).filter((f) => f !== `${peer.name}.html`);
    KINDS[peer.name] = { label: peer.label ?? peer.name, head, host, peer: peer.name, seen: peer.seen, callback: peer.callback,
      bundle: peer.entry.slice(1), extra, ours: false };
  }
}
function pageHtml(layout, kind) {
  const name = `${kind}-${layout}.html`;
  const { head, ours, peer, host } = KINDS[kind];
  const button = peer
    ? () => host.replace(`{{ORIGIN}}/${peer}.html`, `{{ORIGIN}}/${name}`)
    : ours
      ? (attrs) => `<anypoint-signin id="signin" clientid="anypoint-signin-demo" authority="{{ISSUER}}" redirecturi="{{ORIGIN}}/${name}" ${attrs}></anypoint-signin>`
      : () => '<button type="button" id="signin">Sign in with Anypoint Platform</button>';
  const floorScript = ours || peer ? '' : `<script>
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
// `seen`: null for ours and the floor (#signin itself), else a peer's button inside #signin (or its shadow root).
function instrument(seen) {
  const target = () => {
    const host = document.getElementById('signin');
    return host && seen ? (host.shadowRoot ?? host).querySelector(seen) : host;
  };
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
    const button = target();
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
// The sign-in's request: a top-level navigation to /authorize, the page's own or a popup's (whose frame does not
// exist yet when the request starts), not an iframe's (the Lit element's silent prompt=none sign-in).
const topLevelAuthorize = (r) => {
  if (!isAuthorize(r.url()) || !r.isNavigationRequest()) return false;
  try { return r.frame().parentFrame() === null; } catch { return true; }
};
const EMPTY = { responseCode: 200, responseHeaders: [{ name: 'content-type', value: 'text/html' }],
  body: Buffer.from('<!doctype html><title>authorize</title>').toString('base64') };

async function newPage(browser, seen = null) {
  const context = await browser.newContext();
  await context.addInitScript(instrument, seen);
  const page = await context.newPage();
  await throttle(context, page);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return { context, page, errors };
}

// A passive load: visible, FCP, CLS once the button is rendered and the network idle.
async function passive(browser, origin, { name, ours, script, seen }) {
  const { context, page, errors } = await newPage(browser, seen);
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
async function eager(browser, origin, { name, seen: selector, peer }) {
  const { context, page, errors } = await newPage(browser, selector);
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
  // Each /authorize request's start on the page's target, by URL (the Lit element's silent iframe sends one too).
  const walls = new Map();
  cdp.on('Network.requestWillBeSent', (e) => { if (isAuthorize(e.request.url)) walls.set(e.request.url, e.wallTime * 1000); });
  const wallOf = (url) => new Promise((ok) => {
    const until = Date.now() + 2000;
    const poll = () => (walls.has(url) ? ok(walls.get(url)) : Date.now() > until ? ok(null) : setTimeout(poll, 10));
    poll();
  });
  // The authorization server's answer is replaced by an empty page: its login page would load more (and an
  // external font), and nothing after the request is timed. (A popup's: the browser-level session, --peers.)
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*/authorize*', requestStage: 'Request' }] });
  cdp.on('Fetch.requestPaused', ({ requestId }) => cdp.send('Fetch.fulfillRequest', { requestId, ...EMPTY }).catch(() => {}));
  try {
    // At the context's level: a popup's request is not the page's.
    const request = context.waitForEvent('request', { predicate: topLevelAuthorize, timeout: CLICK_TIMEOUT }).catch(() => null);
    await page.goto(`${origin}/${name}`, { waitUntil: 'commit' });
    const authorize = await request;
    await clicked;
    if (!seen) {
      if (!peer) throw new Error('the button never showed');
      return { visible: null, placeholder: false, click: null, armed: null, kept: false, authorize: null, navigate: null,
        via: null, reason: `the button never showed within ${CLICK_TIMEOUT / 1000} s${errors.length ? `; the page logged: ${errors.join(' | ')}` : ''}` };
    }
    let via = null;
    let at = null;
    if (authorize) {
      try { via = authorize.frame().page() === page ? 'page' : 'popup'; } catch { via = 'popup'; }
      if (via === 'page') at = await wallOf(authorize.url());
      else {
        // Not on the page's target: Playwright's own start time for the request (CDP's wallTime on the popup's).
        await Promise.race([authorize.response().catch(() => null), new Promise((ok) => { setTimeout(ok, 2000); })]);
        at = authorize.timing().startTime > 0 ? authorize.timing().startTime : null;
      }
    }
    return {
      visible: seen.visible, placeholder: !seen.defined, click: clickStamp, armed, kept: authorize !== null,
      authorize: at ? at - seen.origin : null,
      navigate, via,
      reason: authorize ? null : `no top-level request for /authorize within ${CLICK_TIMEOUT / 1000} s of the page's start`
        + `${clickStamp === null ? ' (the click never reached the page)' : ''}${errors.length ? `; the page logged: ${errors.join(' | ')}` : ''}`,
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
// The peers' bundles (bench/out/NAME.js) and the pages their hosts point at, served beside the pages.
for (const { bundle, extra } of Object.values(KINDS).filter((k) => k.peer)) {
  copyFileSync(`${OUT}/${bundle}`, `${PAGES}/${bundle}`);
  for (const f of extra) copyFileSync(`${PEER_PAGES}/${f}`, `${PAGES}/${f}`);
}

// The build measured (www/dist's files), checked again at the end: a rebuild during the run would mix two.
const DIST = here('../www/dist');
const fingerprint = () => createHash('sha256').update(readdirSync(DIST).filter((f) => /\.(js|css|wasm)$/.test(f)).sort()
  .map((f) => `${f}:${createHash('sha256').update(readFileSync(`${DIST}/${f}`)).digest('hex')}`).join()).digest('hex').slice(0, 16);
const dist = fingerprint();
const load = [loadavg()[0]];

const [browser, site] = await Promise.all([launch(), startSite({ pages: PAGES })]);
const samples = Object.fromEntries(variants.map((v) => [v.name, { passive: [], eager: [] }]));
if (PEERS) {
  // A popup's /authorize (the Lit element's) is not on the page's target: answered with the same empty page by a
  // browser-level Fetch session (only /authorize is intercepted; the page's own are answered by its session).
  const fetch = await browser.newBrowserCDPSession();
  fetch.on('Fetch.requestPaused', ({ requestId }) => fetch.send('Fetch.fulfillRequest', { requestId, ...EMPTY }).catch(() => {}));
  await fetch.send('Fetch.enable', { patterns: [{ urlPattern: '*/authorize*', requestStage: 'Request' }] });
}
try {
  for (let i = 0; i < RUNS; i++) {
    for (const v of rotate(variants, i)) {
      // A peer's page that fails is reported (n/a and why), not the end of the run.
      samples[v.name].passive.push(await passive(browser, site.origin, v).catch((e) => {
        if (!v.peer) throw e;
        return { visible: null, fcp: null, cls: null, shifts: [], placeholder: false, error: e.message.split('\n').join(' | ') };
      }));
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
const unique = (xs) => [...new Set(xs.filter(Boolean))];
const result = {
  date: new Date().toISOString(),
  chromium: browser.version(),
  runs: RUNS,
  network: NETWORK,
  dist,
  loadAverage: { start: round(load[0], 2), end: round(load[1], 2) },
  ...(PEERS && { peers: Object.values(KINDS).filter((k) => k.peer).map((k) => k.peer) }),
  pages: variants.map(({ name, layout, kind, label, peer, callback }) => {
    const { passive: p, eager: e } = samples[name];
    const kept = e.filter((s) => s.kept).length;
    const clsRuns = p.map((s) => s.cls).filter(Number.isFinite);
    return {
      name, layout, kind, label,
      // A peer's page: why the sign-in cannot finish against this server (bench/common.mjs), why a load failed,
      // and why clicks were lost.
      ...(peer && { peer: true, callback: callback ?? null, errors: unique(p.map((s) => s.error)), lost: unique(e.map((s) => s.reason)) }),
      visible: stats(p.map((s) => s.visible ?? NaN)),
      fcp: stats(p.map((s) => s.fcp ?? NaN)),
      cls: { ...stats(clsRuns), worst: clsRuns.length ? Math.max(...clsRuns) : null },
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
        passive: p.map((s) => ({ visible: round(s.visible), fcp: round(s.fcp), cls: round(s.cls, 5), shifts: s.shifts,
          // The box "visible" found and the eager click aims at (a peer's own button, not its host).
          ...(PEERS && { box: s.box && { width: round(s.box.width), height: round(s.box.height) } }) })),
        eager: e.map((s) => ({ visible: round(s.visible), click: round(s.click), armed: s.armed, authorize: round(s.authorize),
          navigate: round(s.navigate), kept: s.kept, ...(PEERS && { via: s.via }), ...(PEERS && s.reason && !s.kept && { reason: s.reason }) })),
      },
    };
  }),
};
// One file for both networks: this run replaces its own.
let previous = {};
try { previous = JSON.parse(readFileSync(JSON_OUT, 'utf8')); } catch { /* first run */ }
writeFileSync(JSON_OUT, `${JSON.stringify({ ...previous, [SLOW ? 'slow' : 'loopback']: result }, null, 2)}\n`);

const ratio = (a, b) => (a && b ? (a / b).toFixed(2) : 'n/a');
const fixed4 = (x) => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');
const cls = (c) => fixed4(c.worst);
console.log(`${RUNS} runs, ${NETWORK}, Chromium ${result.chromium}, www/dist ${dist}, load average ${load.map((l) => l.toFixed(2)).join(' → ')}; `
  + 'ms from page start as median (min–max); ratios: median / the floor\'s\n');
printTable([
  ['layout', 'page', 'button visible', '× floor', '(FCP)', 'CLS median', 'CLS worst', 'eager click → /authorize', '× floor',
    'clicks kept', '(before the entry ran: kept)', '(visible → click event)'],
  null,
  ...result.pages.map((p) => {
    const floor = result.pages.find((f) => f.layout === p.layout && f.kind === 'floor');
    return [p.layout, p.label, ms(p.visible), ratio(p.visible?.median, floor.visible?.median), ms(p.fcp),
      fixed4(p.cls.median), cls(p.cls),
      ...(p.eager.total === 0 ? ['—', '', '', '', ''] : [ms(p.eager.authorize), ratio(p.eager.authorize?.median, floor.eager.authorize?.median),
        `${p.eager.kept}/${p.eager.total}`, p.kind === 'floor' || p.peer ? '' : `${p.eager.beforeEntryKept}/${p.eager.beforeEntry}`,
        ms(p.eager.visibleToClick)])];
  }),
]);
// What a peer's figures above leave out: a load that failed, a click that never reached /authorize, and why.
for (const p of result.pages.filter((q) => q.peer)) {
  for (const error of p.errors ?? []) console.log(`\n${p.layout}, ${p.label}: a passive load failed (its figures are over the rest): ${error}`);
  if (p.eager.kept < p.eager.total) {
    console.log(`\n${p.layout}, ${p.label}: eager click → /authorize ${p.eager.kept ? 'over the kept clicks' : 'n/a'}, `
      + `${p.eager.total - p.eager.kept} of ${p.eager.total} lost: ${p.lost.join('; ')}`);
  }
}
if (PEERS) {
  const vias = (p) => unique(p.samples.eager.map((s) => s.via));
  for (const p of result.pages.filter((q) => q.peer && q.layout === 'card' && vias(q).includes('popup'))) {
    console.log(`\n${p.label}: /authorize in a popup (answered by the browser-level session, timed by its request's start)`);
  }
}

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
