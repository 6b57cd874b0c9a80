// Shared by the browser tests: Debian's Chromium through playwright-core, the demo site with the test pages
// and the real local authorization server, and the steps a person takes on that server's login pages.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { chromium } from 'playwright-core';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSite } from '../../playground/serve.mjs';
import { CONFIDENTIAL_CLIENT, OAUTH_PATH } from '../../playground/oidc-server.mjs';

export const PAGES = join(fileURLToPath(import.meta.url), '../pages');
export const EVENTS = ['anypoint-signin', 'anypoint-signout', 'anypoint-signin-error', 'anypoint-code-exchange',
  'signedinchange', 'accesstokenchange'];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

// A port on loopback nothing listens on now, for a server that must be told its port.
export const freePort = () => new Promise((ok, fail) => {
  const server = createNetServer().once('error', fail).listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => ok(port));
  });
});

// The confidential client's secret on site()'s authorization server (serve.mjs's default, passed explicitly):
// introspect() authenticates with it.
export const SITE_SECRET = process.env.ANYPOINT_DEV_CLIENT_SECRET ?? 'dev-confidential-secret';

export function site(options = {}) {
  return startSite({ pages: PAGES, clientSecret: SITE_SECRET, ...options });
}

// The authorization server's introspection of `token` (RFC 7662), asked by the confidential client: whether it
// is active, and for a DPoP-bound one the thumbprint of its key (cnf.jkt). How a test asks "does this token
// work" of a DPoP-bound token, which only the page's key can present.
export async function introspect(issuer, token, secret = SITE_SECRET) {
  const answer = await fetch(`${issuer}/introspect`, { method: 'POST',
    body: new URLSearchParams({ token, client_id: CONFIDENTIAL_CLIENT, client_secret: secret }) });
  assert.equal(answer.status, 200, 'introspection answered');
  return answer.json();
}

// --- DPoP (RFC 9449), as the tests read it.

// A JWT's header and payload, decoded (not verified).
export function jwtParts(jwt) {
  const [header, payload] = jwt.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
  return { header, payload };
}

// The DPoP proof a Playwright request carries ({jwt, header, payload}), or null.
export function proofOf(request) {
  const jwt = request.headers().dpop;
  return jwt ? { jwt, ...jwtParts(jwt) } : null;
}

// The RFC 7638 thumbprint of a public EC or RSA JWK: what the server binds a token to (cnf.jkt).
export function thumbprint(jwk) {
  const members = jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

// A proof's `ath`: the access token's SHA-256, base64url.
export const ath = (token) => createHash('sha256').update(token).digest('base64url');

// Whether a token endpoint answer (a Playwright Response, or null) is a DPoP nonce challenge: 400 use_dpop_nonce
// with a DPoP-Nonce header, which the element answers by sending the same request again with the nonce in its
// proof. The local server asks it of the short-lived client (oidc-server.mjs).
export async function isNonceChallenge(response) {
  if (response?.status() !== 400 || !response.headers()['dpop-nonce']) return false;
  // A body no longer readable (the page left) is taken for one, on the header's word.
  return response.json().then((json) => json.error === 'use_dpop_nonce', () => true);
}

// Of Playwright `requests` to the token endpoint, those the server did not answer with a nonce challenge: the
// requests that count (a challenged one is sent again).
export async function withoutNonceChallenges(requests) {
  const challenged = await Promise.all(requests.map(async (r) => isNonceChallenge(await r.response())));
  return requests.filter((_, i) => !challenged[i]);
}

// The element's DPoP keys in the page's IndexedDB (database anypoint-signin, store dpop-keys): each record's
// key and what the page can learn of it (the private key's extractability and whether exporting it fails, the
// public key as a JWK). Never creates the database: opening one that does not exist would.
export const dpopKeys = (page) => page.evaluate(async () => {
  const done = (request) => new Promise((ok, fail) => { request.onsuccess = () => ok(request.result); request.onerror = () => fail(request.error); });
  if (!(await indexedDB.databases()).some((d) => d.name === 'anypoint-signin')) return [];
  const db = await done(indexedDB.open('anypoint-signin'));
  let entries;
  try {
    if (!db.objectStoreNames.contains('dpop-keys')) return [];
    const store = db.transaction('dpop-keys').objectStore('dpop-keys');
    const [keys, values] = await Promise.all([done(store.getAllKeys()), done(store.getAll())]);
    entries = keys.map((key, i) => [key, values[i]]);
  } finally {
    db.close();
  }
  return Promise.all(entries.map(async ([key, { privateKey, publicKey }]) => ({
    key,
    algorithm: privateKey.algorithm,
    extractable: privateKey.extractable,
    usages: privateKey.usages,
    exportPrivate: await crypto.subtle.exportKey('jwk', privateKey).then(() => 'exported', (e) => e.name),
    publicJwk: await crypto.subtle.exportKey('jwk', publicKey),
  })));
});

// The element's fetch(url, init) in the page: {status, text} of its response, or {rejected: {code, message,
// error}} (error: whether it rejected with an Error).
export const elementFetch = (page, url, init, id = 'signin') => page.evaluate(async ([u, i, el]) => {
  try {
    const response = await document.getElementById(el).fetch(u, i);
    return { status: response.status, text: await response.text() };
  } catch (e) {
    return { rejected: { code: e?.code, message: e?.message, error: e instanceof Error } };
  }
}, [url, init, id]);

// A page that records every event the elements fire (with the address bar at that moment) and every console
// error and warning, from before any script of the page runs. A new browser profile, or a new tab of `context`'s.
export async function newPage(browser, context) {
  context ??= await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript((names) => {
    window.__events = [];
    for (const type of names) {
      document.addEventListener(type, (e) => {
        window.__events.push({ type, target: e.target.id, detail: e.detail, href: location.href, composed: e.composed });
      });
    }
  }, EVENTS);
  recordNavigations(page);
  page.consoleErrors = [];
  page.consoleWarnings = [];
  // Only the site's own pages count: the authorization server's login page is not ours.
  const ours = () => !page.url().includes('/accounts/api/v2/oauth2/');
  // Chromium logs each answer of 400 and over as a console error. A DPoP nonce challenge of the token endpoint
  // (which the element answers: the short-lived client must send a nonce, oidc-server.mjs) is not an error of
  // the page's; told by its 400 with a DPoP-Nonce header (the console line comes after the response).
  const challenged = new Set();
  page.on('response', (r) => {
    if (r.status() === 400 && r.headers()['dpop-nonce'] && new URL(r.url()).pathname.endsWith('/token')) challenged.add(r.url());
  });
  const challenge = (m) => /status of 400/.test(m.text()) && challenged.has(m.location().url);
  page.on('console', (m) => {
    if (m.type() === 'error' && ours() && !challenge(m)) page.consoleErrors.push(m.text());
    if (m.type() === 'warning' && ours()) page.consoleWarnings.push(m.text());
  });
  page.on('pageerror', (e) => page.consoleErrors.push(String(e)));
  return page;
}

export const events = (page, type) => page.evaluate((t) => window.__events.filter((e) => !t || e.type === t), type);

export async function waitForEvent(page, type, target) {
  await page.waitForFunction(([t, id]) => window.__events.some((e) => e.type === t && (!id || e.target === id)),
    [type, target], { timeout: 15000 });
  return (await events(page, type)).filter((e) => !target || e.target === target).at(-1);
}

// Opens `url` and waits until the element has rendered.
export async function open(page, url, id = 'signin') {
  await page.goto(url);
  await page.waitForFunction((i) => document.getElementById(i)?.shadowRoot?.childElementCount, id);
}

// The element's visible text (its shadow root).
export const shadowText = (page, id = 'signin') =>
  page.evaluate((i) => document.getElementById(i)?.shadowRoot?.textContent ?? null, id);

// Every top-level GET navigation, redirect hops included (form posts are not pages to act on): how a test follows a sign-in through the
// authorization server whatever pages it shows (login, consent, or none when the session is remembered).
function recordNavigations(page) {
  page.navigations = [];
  page.on('request', (r) => {
    const top = r.isNavigationRequest() && r.frame() === page.mainFrame();
    if (top && r.method() === 'GET') page.navigations.push(new URL(r.url()));
  });
}

async function nextNavigation(page, from, timeout = 15000) {
  const deadline = Date.now() + timeout;
  while (page.navigations.length <= from) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a navigation');
    await new Promise((r) => setTimeout(r, 25));
  }
  return page.navigations[from];
}

const isCallback = (url) => !url.pathname.startsWith(OAUTH_PATH) && url.searchParams.has('state');

// oidc-provider's development login and consent pages, as a person fills them in; returns the callback URL
// the server sent the browser to. `from` is the navigation count before the click that left the site.
export async function logIn(page, { login = 'max.mule', from = 0 } = {}) {
  for (let i = from; ; i++) {
    const url = await nextNavigation(page, i);
    if (isCallback(url)) return url;
    if (!url.pathname.includes('/interaction/')) continue;
    await page.waitForURL((u) => u.href === url.href, { timeout: 15000 });
    await page.waitForSelector('button[type="submit"]', { timeout: 15000 });
    i = page.navigations.length - 1;
    if (await page.locator('input[name="login"]').count()) {
      await page.fill('input[name="login"]', login);
      await page.fill('input[name="password"]', 'any password');
    }
    await page.click('button[type="submit"]');
  }
}

// Clicks the element's button and goes through the authorization server; returns the callback URL.
export async function signIn(page, { id = 'signin', login, hasText } = {}) {
  const from = page.navigations.length;
  await page.locator(`#${id} button`, hasText ? { hasText } : {}).first().click();
  return logIn(page, { login, from });
}

// Signs in from `url` but keeps the element off the callback page (its script is not served), so the attempt
// stays pending and the callback URL unused: the raw material of the attacks.
export async function captureCallback(page, url, { login } = {}) {
  // Rendered first: the wasm may still be on its way when the page's load event fires.
  await open(page, url);
  // And idle (discovery fetched ahead of the click), before the element's files are refused.
  await page.waitForLoadState('networkidle');
  await page.route('**/anypoint-signin/**', (route) => route.abort());
  const callback = await signIn(page, { login });
  await page.waitForLoadState();
  await page.unrouteAll();
  return callback;
}

// The URLs of every request to a path ending in `end` the page makes from now on.
export function recordRequests(page, end) {
  const requests = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.endsWith(end)) requests.push(r.url()); });
  return requests;
}

// The URLs of every token request the page makes from now on.
export const recordTokenRequests = (page) => recordRequests(page, '/token');

// The discovery documents the tab keeps with its pending attempts, by storage key.
export const storedDiscovery = (page) => page.evaluate(() => Object.fromEntries(Object.entries(sessionStorage)
  .filter(([k]) => k.startsWith('anypoint-signin:discovery:'))));

// The element refused with `code`: an error event and console error, no sign-in, no token, a clean URL.
export async function assertRefused(page, code, id = 'signin') {
  const error = await waitForEvent(page, 'anypoint-signin-error', id);
  assert.equal(error.detail.code, code, error.detail.message);
  assert.deepEqual(await events(page, 'anypoint-signin'), [], 'no sign-in');
  assert.equal(await page.evaluate((i) => document.getElementById(i).accessToken, id), null);
  assert.ok(!/[?&](code|state)=/.test(page.url()), `URL cleaned: ${page.url()}`);
  assert.ok(page.consoleErrors.some((m) => m.includes(code)), 'logged to the console');
  return error;
}

// Another origin on loopback, for the attacks that need one (a thief, a hostile authorization server): it
// records every request it receives ({method, path, body}, CORS preflights too) and answers each with the
// {status, json} of `answer(request, url)` (404 by default), allowing any origin, method and header, so that
// the browser really sends there what the page asks it to. `url` is its origin; close() stops it.
export async function foreignServer(answer = () => undefined) {
  const requests = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => { if (body.length < 1e6) body += chunk; });
    req.on('end', () => {
      const cors = { 'access-control-allow-origin': '*', 'access-control-allow-methods': '*',
        'access-control-allow-headers': '*', 'access-control-allow-private-network': 'true' };
      const request = { method: req.method, path: req.url, body };
      requests.push(request);
      if (req.method === 'OPTIONS') return res.writeHead(204, cors).end();
      const { status = 404, json = { error: 'not_found' } } = answer(request, url) ?? {};
      res.writeHead(status, { ...cors, 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify(json));
    });
  });
  await new Promise((ok, fail) => { server.once('error', fail); server.listen(0, '127.0.0.1', ok); });
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    requests,
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }),
  };
}

// Attribute values the element refuses before any request, with the error each gives: how the browser parses
// them decides, so engines.test.mjs runs them in every engine too.
export const REFUSED_ATTRIBUTES = [
  ['redirecturi', 'javascript:window.__xss=1', 'invalid_redirect_uri'],
  ['redirecturi', '/relative/callback', 'invalid_redirect_uri'],
  ['redirecturi', '//evil.example/callback', 'invalid_redirect_uri'],
  ['redirecturi', 'data:text/html,<script>window.__xss=1</script>', 'invalid_redirect_uri'],
  ['redirecturi', 'http://evil.example/callback', 'invalid_redirect_uri'],
  ['authority', 'javascript:window.__xss=1', 'invalid_authority'],
  ['exchangeuri', 'javascript:window.__xss=1', 'invalid_exchange_uri'],
  ['exchangeuri', '//evil.example/exchange', 'invalid_exchange_uri'],
];

// exchangeuri spellings that are "/…" to a check looking at their first characters, but that the URL parser
// (which reads "\" as "/" and drops tabs and newlines) takes to `host`, another origin: each must be refused.
export const exchangeUriVariants = (host) => ({
  backslash: `/\\${host}/steal`,
  tab: `/\t/${host}/steal`,
  'tab, backslash': `/\t\\${host}/x`,
  newline: `/\n/${host}/steal`,
});

// In the page: every element's button or user line that sticks out of its element or its own box.
export const OVERFLOWING = () => [...document.querySelectorAll('anypoint-signin')].flatMap((el) => {
  const host = el.getBoundingClientRect();
  return [...el.shadowRoot.querySelectorAll('button, .user, .error')].filter((node) => {
    const box = node.getBoundingClientRect();
    return node.scrollWidth > node.clientWidth + 1 || box.left < host.left - 1 || box.right > host.right + 1;
  }).map((node) => `${el.id} ${node.className}: ${node.textContent}`);
});
