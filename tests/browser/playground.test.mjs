// The developer playground (playground/site on the Rust playground-server) in Debian's Chromium, against the
// real local authorization server: the page loads clean under its CSP, the form drives the live element and
// the snippets, and a whole sign-in in each exchange mode fills the event log and the token inspector.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { webUrl } from '../../playground/site/check.js';
import { events, launch, newPage, open, shadowText, signIn, site, waitForEvent } from './support.mjs';

const PLAYGROUND = join(fileURLToPath(import.meta.url), '../../../playground/site');
const SERVE = join(fileURLToPath(import.meta.url), '../../../playground/serve.mjs');
const SECRET = 'playground-test-secret';
const DESKTOP = { width: 1360, height: 900 };
const PHONE = { width: 390, height: 844 };

let browser, demo;
before(async () => {
  [browser, demo] = await Promise.all([launch(), site({ pages: PLAYGROUND, clientSecret: SECRET })]);
});
after(async () => { await browser?.close(); await demo?.close(); });

const field = (page, name) => page.locator(`#config [name="${name}"]`);
const snippetText = (page) => page.locator('#snippet').textContent();
const attr = (page, name) => page.evaluate((n) => document.getElementById('signin').getAttribute(n), name);
const logTypes = (page) => page.locator('#log li').evaluateAll((items) => items.map((i) => i.dataset.type));

async function openPlayground(viewport = DESKTOP) {
  const page = await newPage(browser);
  await page.setViewportSize(viewport);
  await open(page, `${demo.origin}/`);
  return page;
}

describe('the playground page', () => {
  test('loads with the local server configured, no console errors, under a strict CSP', async () => {
    const page = await openPlayground();
    assert.match(await shadowText(page), /Sign in with Anypoint Platform/);
    assert.equal(await attr(page, 'clientid'), 'anypoint-signin-demo');
    assert.equal(await attr(page, 'authority'), demo.issuer);
    assert.equal(await attr(page, 'redirecturi'), `${demo.origin}/`);
    assert.equal(await attr(page, 'scopes'), 'openid profile email');
    assert.equal(await attr(page, 'exchangeuri'), null);
    const snippet = await snippetText(page);
    assert.ok(snippet.includes(`authority="${demo.issuer}"`), snippet);
    assert.ok(snippet.includes('<script src="/anypoint-signin/anypoint-signin-head.js"></script>'));
    assert.equal(await page.locator('#step-redirect').textContent(), `${demo.origin}/`);
    assert.match(await page.locator('#server-text').textContent(), /Local authorization server/);
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
    assert.equal(await page.locator('script:not([src])').count(), 0, 'no inline script');
    assert.deepEqual(page.consoleErrors, []);
    const unnamed = await page.locator('input, select, button, [role=tab]').evaluateAll((nodes) =>
      nodes.filter((n) => !(n.labels?.[0]?.textContent.trim() || n.getAttribute('aria-label') || n.textContent.trim()))
        .map((n) => n.outerHTML));
    assert.deepEqual(unnamed, [], 'every control has a name');
    const html = await (await fetch(`${demo.origin}/`)).text();
    assert.ok(!html.includes(SECRET), 'the secret is not in the page');
  });

  test('editing the form updates the live element and every snippet', async () => {
    const page = await openPlayground();
    await page.getByRole('checkbox', { name: 'offline_access' }).check();
    await field(page, 'extraScopes').fill('read:organization');
    assert.equal(await attr(page, 'scopes'), 'openid profile email offline_access read:organization');
    assert.ok((await snippetText(page)).includes('scopes="openid profile email offline_access read:organization"'));
    assert.ok(await page.locator('#step-refresh').isVisible(), 'the checklist asks for the refresh grant');

    // An empty client ID: the element itself refuses it, visibly and with an event in the log.
    await field(page, 'clientid').fill('');
    await waitForEvent(page, 'anypoint-signin-error');
    assert.match(await shadowText(page), /client/i);
    assert.ok((await logTypes(page)).includes('anypoint-signin-error'));
    await field(page, 'clientid').fill('my-connected-app');
    assert.equal(await attr(page, 'clientid'), 'my-connected-app');

    await page.getByRole('radio', { name: 'Anypoint' }).check();
    await field(page, 'region').selectOption('eu');
    assert.equal(await attr(page, 'region'), 'eu');
    assert.equal(await attr(page, 'authority'), null);
    await field(page, 'label-signin').fill('Log in with Anypoint');
    await field(page, 'theme').selectOption('dark');
    await field(page, 'dpop').selectOption('off');
    await field(page, '--anypoint-signin-radius').fill('999px');
    assert.equal(await attr(page, 'label-signin'), 'Log in with Anypoint');
    assert.equal(await attr(page, 'theme'), 'dark');
    assert.equal(await attr(page, 'dpop'), 'off');
    assert.equal(await page.evaluate(() => document.getElementById('signin').style.getPropertyValue('--anypoint-signin-radius')), '999px');

    const expected = ['clientid="my-connected-app"', 'region="eu"', 'dpop="off"', 'label-signin="Log in with Anypoint"', 'theme="dark"'];
    const checks = { html: ['--anypoint-signin-radius: 999px;', "addEventListener('anypoint-signin'"],
      react: ['ref={ref}', "from 'react'"], vue: ['@anypoint-signin="onSignIn"', 'isCustomElement'],
      angular: ['CUSTOM_ELEMENTS_SCHEMA', '(anypoint-signin)="signedIn($event)"'],
      leptos: ['on:anypoint-signin=move |event: web_sys::Event|', 'use leptos::prelude::*;'] };
    for (const [lang, extra] of Object.entries(checks)) {
      await page.getByRole('tab', { name: new RegExp(`^${lang}$`, 'i') }).click();
      assert.equal(await page.getByRole('tab', { selected: true }).getAttribute('data-lang'), lang);
      const text = await snippetText(page);
      for (const piece of [...expected, ...extra]) assert.ok(text.includes(piece), `${lang} snippet has ${piece}:\n${text}`);
    }
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getByRole('tab', { selected: true }).getAttribute('data-lang'), 'backend');
    const backend = await snippetText(page);
    for (const piece of ["from 'anypoint-signin/server'", 'clientId: "my-connected-app"', 'anypoint_signin_server::router(config)',
      'issuer: "https://eu1.anypoint.mulesoft.com/accounts/api/v2/oauth2"', 'ANYPOINT_CLIENT_SECRET=']) {
      assert.ok(backend.includes(piece), `backend snippet has ${piece}:\n${backend}`);
    }

    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: demo.origin });
    await page.getByRole('button', { name: 'Copy', exact: true }).first().click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await snippetText(page));

    // The configuration survives a reload (and so the trip to the authorization server).
    await page.reload();
    await page.waitForFunction(() => document.getElementById('signin')?.shadowRoot?.childElementCount);
    assert.equal(await attr(page, 'clientid'), 'my-connected-app');
    assert.equal(await field(page, 'region').inputValue(), 'eu');
    await page.getByRole('button', { name: 'Reset' }).click();
    assert.equal(await attr(page, 'clientid'), 'anypoint-signin-demo');
    assert.equal(await attr(page, 'authority'), demo.issuer);
    assert.equal(await attr(page, 'dpop'), null, 'the default is left out');
    // The refused client ID is logged on purpose; the EU region's discovery document is out of reach offline
    // (the element then uses Anypoint's documented paths).
    const allowed = /missing_client_id|ERR_NAME_NOT_RESOLVED/;
    assert.deepEqual(page.consoleErrors.filter((m) => !allowed.test(m)), []);
  });
});

async function signInThroughPlayground(page, exchange) {
  await page.getByRole('radio', { name: exchange === 'backend' ? 'Backend' : 'Browser' }).check();
  const tokenCalls = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith('/token') || path === '/api/exchange') tokenCalls.push(path);
  });
  const answers = [];
  page.on('response', async (r) => { if (r.url().endsWith('/api/exchange')) answers.push(await r.text()); });
  await signIn(page);
  const signin = await waitForEvent(page, 'anypoint-signin');
  await page.locator('#tokens table').first().waitFor();
  return { signin, tokenCalls, answers };
}

async function assertInspected(page, clientId) {
  assert.equal(await page.locator('#state').textContent(), 'Signed in as Max Mule');
  assert.match(await page.locator('#t-user').textContent(), /Max Mule · max\.mule@example\.com/);
  assert.deepEqual(await page.locator('#t-scopes .chip.on').allTextContents(), ['openid', 'profile', 'email']);
  assert.match(await page.locator('#countdown').textContent(), /^expires in (59|60):\d\d$/);
  const claims = Object.fromEntries(await page.locator('#t-jwts .jwt').first().locator('tr').evaluateAll(
    (rows) => rows.map((r) => [r.querySelector('th').textContent, r.querySelector('td code').textContent])));
  assert.equal(claims.sub, 'max.mule');
  assert.equal(claims.aud, clientId);
  assert.equal(claims.iss, demo.issuer);
  const types = await logTypes(page);
  for (const type of ['anypoint-signin', 'anypoint-code-exchange', 'signedinchange', 'accesstokenchange', 'page']) {
    assert.ok(types.includes(type), `the log has ${type}: ${types}`);
  }
  assert.match(await page.locator('#log li time').first().textContent(), /^\d\d:\d\d:\d\d\.\d{3}$/);
  assert.deepEqual(page.consoleErrors, []);
}

describe('a whole sign-in through the playground', () => {
  test('browser exchange (public client): the element redeems the code itself', async () => {
    const page = await openPlayground();
    const { signin, tokenCalls } = await signInThroughPlayground(page, 'browser');
    assert.equal(signin.detail.profile.name, 'Max Mule');
    assert.deepEqual(tokenCalls, ['/accounts/api/v2/oauth2/token']);
    await assertInspected(page, 'anypoint-signin-demo');
    // The API call the inspector offers goes through element.fetch(): the DPoP-bound token with its proof.
    await page.locator('#call-userinfo').click();
    await page.waitForFunction(() => /^HTTP \d+/.test(document.getElementById('t-call').textContent));
    const call = await page.locator('#t-call').textContent();
    assert.match(call, /^HTTP 200\n/);
    assert.equal(JSON.parse(call.slice(call.indexOf('\n') + 1)).sub, 'max.mule');
    await page.screenshot({ path: 'tests/artifacts/playground-desktop.png', fullPage: true });

    await page.locator('#signin button', { hasText: 'Sign out' }).click();
    await waitForEvent(page, 'anypoint-signout');
    assert.equal(await page.locator('#state').textContent(), 'Signed out');
    assert.ok(await page.locator('#tokens').isHidden());
  });

  test('backend exchange (confidential client): the Rust endpoint adds the secret, which never shows', async () => {
    const page = await openPlayground();
    const { tokenCalls, answers } = await signInThroughPlayground(page, 'backend');
    assert.deepEqual(tokenCalls, ['/api/exchange'], 'the browser never called the token endpoint');
    assert.equal(await attr(page, 'exchangeuri'), '/api/exchange');
    assert.equal(await attr(page, 'clientid'), 'anypoint-signin-confidential');
    assert.equal(answers.length, 1);
    assert.ok(answers[0].includes('access_token') && !answers[0].includes(SECRET), 'a token response, without the secret');
    await assertInspected(page, 'anypoint-signin-confidential');
    const exchange = (await events(page, 'anypoint-code-exchange'))[0];
    assert.equal(exchange.detail.clientId, 'anypoint-signin-confidential');
    assert.ok(!(await page.content()).includes(SECRET));
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: 'tests/artifacts/playground-phone.png', fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.equal(overflow, 0, 'nothing wider than a phone screen');
  });
});

describe('the backend exchange endpoint against the real authorization server', () => {
  // As the site's own page posts it: the endpoint refuses other origins.
  const post = (body) => fetch(`${demo.origin}/api/exchange`, { method: 'POST', body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', origin: demo.origin } });
  const request = () => ({ code: 'not-a-real-code', code_verifier: 'v'.repeat(43), redirect_uri: `${demo.origin}/`,
    client_id: 'anypoint-signin-confidential' });

  test('a code the server never issued: its own invalid_grant comes back (the secret authenticated)', async () => {
    const answer = await post(request());
    assert.equal(answer.status, 400);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    const text = await answer.text();
    assert.equal(JSON.parse(text).error, 'invalid_grant');
    assert.ok(!text.includes(SECRET));
  });

  test('the public client, and bodies without every field, are refused before the token endpoint', async () => {
    const other = await post({ ...request(), client_id: 'anypoint-signin-demo' });
    assert.equal(other.status, 401);
    assert.equal((await other.json()).error, 'invalid_client');
    const { code: _, ...noCode } = request();
    const missing = await post(noCode);
    assert.equal(missing.status, 400);
    assert.deepEqual(await missing.json(), { error: 'invalid_request', error_description: 'missing code' });
  });
});

describe('the run command', () => {
  test('a port already in use gets a clear message and exit status 1', async () => {
    const busy = new URL(demo.origin).port;
    const child = spawn(process.execPath, [SERVE, '--port', busy], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const [code] = await once(child, 'exit');
    assert.equal(code, 1);
    assert.match(stderr, new RegExp(`port ${busy} is already in use: pass --port N`));
  });
});

test('the check\'s rule for URLs is the element\'s, on the table the core runs too (core/tests/web-url-cases.json)', async () => {
  const cases = JSON.parse(await readFile(new URL('../../core/tests/web-url-cases.json', import.meta.url), 'utf8'));
  for (const [url, ok] of cases) assert.equal(webUrl(url) !== null, ok, url);
});
