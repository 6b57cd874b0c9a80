// Faults the element survives, in Chromium against the real local authorization server: each one injected
// on the wire (or in the browser), then the element must show a clear error, fire it, log it, store nothing,
// and sign in on "Try again" once the fault is gone. SECURITY.md lists them; tests/browser/e2e.test.mjs has the
// network failure at the token endpoint and Back from the authorize page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertRefused, captureCallback, elementFetch, introspect, launch, logIn, newPage, open, shadowText, signIn, site, waitForEvent } from './support.mjs';

let browser, demo;
before(async () => { [browser, demo] = await Promise.all([launch(), site()]); });
after(async () => { await browser?.close(); await demo?.close(); });

const isToken = (url) => url.pathname.endsWith('/token');
const isDiscovery = (url) => url.pathname.endsWith('/.well-known/openid-configuration');
const CORS = { 'access-control-allow-origin': '*' };

// What the tab keeps in sessionStorage, by kind: pending attempts (with their discovery documents) and sessions.
const stored = (page) => page.evaluate(() => {
  const keys = Object.keys(sessionStorage);
  return { pending: keys.filter((k) => k.includes(':pending:') || k.includes(':discovery:')).length,
    sessions: keys.filter((k) => k.includes(':session:')).length };
});

// After the fault: refused with `code` (and `message`), shown in the element, nothing signed in or stored.
// Then `heal()` removes the fault and "Try again" must sign in, leaving exactly one session and no attempt.
async function survives(page, { code, message, heal }) {
  const error = await assertRefused(page, code);
  if (message) assert.match(error.detail.message, message);
  assert.ok((await shadowText(page)).includes(error.detail.message), 'the message is shown in the element');
  assert.equal((await stored(page)).sessions, 0);
  await heal();
  await signIn(page, { hasText: 'Try again' });
  const signin = await waitForEvent(page, 'anypoint-signin');
  assert.equal(signin.detail.profile.name, 'Max Mule');
  assert.deepEqual(await stored(page), { pending: 0, sessions: 1 });
}

// As a browser that blocks site data does: reading sessionStorage throws while the cookie block-storage=1 is set.
async function blockableStorage(page) {
  await page.addInitScript(() => {
    const real = Object.getOwnPropertyDescriptor(window, 'sessionStorage').get;
    Object.defineProperty(window, 'sessionStorage', {
      get() {
        if (document.cookie.includes('block-storage=1')) throw new DOMException('Access is denied.', 'SecurityError');
        return real.call(this);
      },
    });
  });
}

// Refused as storage_unavailable (event, console, message in the element, no token, clean URL); unblocked,
// "Try again" signs in.
async function storageRefusedThenRetried(page) {
  await assertRefused(page, 'storage_unavailable');
  assert.match(await shadowText(page), /blocks sessionStorage/);
  await page.context().clearCookies({ name: 'block-storage' });
  await signIn(page, { hasText: 'Try again' });
  assert.equal((await waitForEvent(page, 'anypoint-signin')).detail.profile.name, 'Max Mule');
}

describe('the token endpoint failing', () => {
  for (const [name, fault, code, message] of [
    ['answering 500', (route) => route.fulfill({ status: 500, body: 'upstream failure', headers: CORS }),
      'token_request_failed', /HTTP 500/],
    ['answering malformed JSON', (route) => route.fulfill({ status: 200, body: '{"access_token": 12', headers: CORS }),
      'invalid_token_response', /not valid/],
    ['answering JSON of the wrong shape', (route) => route.fulfill({ status: 200, headers: CORS,
      body: '{"access_token": 12, "token_type": "Bearer"}' }),
      'invalid_token_response', /the `access_token` field is not a string/],
    // The first answer is lost on the way back; the server then rightly refuses the spent code.
    ['answering 400 invalid_grant (the code was already redeemed)', async (route) => {
      await route.fetch();
      route.fulfill({ response: await route.fetch() });
    }, 'token_request_failed', /HTTP 400 \(invalid_grant\)/],
    // A CORS refusal: the real answer, allowed for another origin only.
    ['answering with CORS for another origin', async (route) => {
      const response = await route.fetch();
      route.fulfill({ response, headers: { ...response.headers(), 'access-control-allow-origin': 'https://another.example' } });
    }, 'network_error', /Could not reach the token endpoint/],
  ]) {
    test(name, async () => {
      const page = await newPage(browser);
      await page.goto(`${demo.origin}/`);
      await page.route(isToken, fault);
      await signIn(page);
      await survives(page, { code, message, heal: () => page.unrouteAll() });
    });
  }

  test('hanging past the timeout', async () => {
    const page = await newPage(browser);
    await page.clock.install();
    await page.goto(`${demo.origin}/`);
    let held;
    const reached = new Promise((resolve) => page.route(isToken, (route) => { held = route; resolve(); }));
    await signIn(page);
    await reached;
    await page.clock.runFor('00:31');
    await survives(page, {
      code: 'network_error',
      message: /did not answer within 30 seconds/,
      heal: async () => { await page.unrouteAll(); await held.abort().catch(() => {}); },
    });
  });

  test('the network going offline mid-exchange', async () => {
    const page = await newPage(browser);
    await page.goto(`${demo.origin}/`);
    await page.route(isToken, async (route) => {
      await page.context().setOffline(true);
      route.continue().catch(() => {});
    });
    await signIn(page);
    await survives(page, {
      code: 'network_error',
      heal: async () => { await page.unrouteAll(); await page.context().setOffline(false); },
    });
  });
});

describe('the sign-in itself failing', () => {
  test('discovery unreachable', async () => {
    const page = await newPage(browser);
    await page.route(isDiscovery, (route) => route.abort('connectionrefused'));
    await open(page, `${demo.origin}/`);
    await page.locator('#signin button').click();
    await survives(page, { code: 'discovery_failed', message: /could not be reached/, heal: () => page.unrouteAll() });
  });

  test('the pending attempt expired', async () => {
    const page = await newPage(browser);
    const callback = await captureCallback(page, `${demo.origin}/`);
    // Eleven minutes at the login page, without waiting them: the attempt is made that old.
    await page.evaluate(() => {
      for (const key of Object.keys(sessionStorage).filter((k) => k.includes(':pending:'))) {
        const attempt = JSON.parse(sessionStorage.getItem(key));
        sessionStorage.setItem(key, JSON.stringify({ ...attempt, created_at: attempt.created_at - 11 * 60 * 1000 }));
      }
    });
    await page.goto(callback.href);
    await survives(page, { code: 'attempt_expired', heal: async () => {} });
  });

  test('sessionStorage blocked', async () => {
    const page = await newPage(browser);
    await blockableStorage(page);
    await page.context().addCookies([{ name: 'block-storage', value: '1', url: demo.origin }]);
    await open(page, `${demo.origin}/`);
    const before = page.navigations.length;
    await page.locator('#signin button').click();
    await waitForEvent(page, 'anypoint-signin-error');
    assert.equal(page.navigations.length, before, 'the user was not sent off on a sign-in that cannot finish');
    await storageRefusedThenRetried(page);
  });

  test('sessionStorage blocked while the user was away at the server', async () => {
    const page = await newPage(browser);
    await blockableStorage(page);
    await open(page, `${demo.origin}/`);
    await page.locator('#signin button').click();
    await page.waitForURL((url) => url.pathname.includes('/interaction/'));
    await page.context().addCookies([{ name: 'block-storage', value: '1', url: demo.origin }]);
    await logIn(page, { from: page.navigations.length - 1 });
    // Not a misleading state_mismatch: the attempt is there, the browser just won't show it.
    await storageRefusedThenRetried(page);
  });

  test('two tabs signing in at once each end signed in with their own tokens', async () => {
    const first = await newPage(browser);
    const second = await newPage(browser, first.context());
    for (const page of [first, second]) {
      await open(page, `${demo.origin}/`);
      await page.locator('#signin button').click();
      await page.waitForURL((url) => url.pathname.includes('/interaction/'));
    }
    const tokens = [];
    for (const page of [first, second]) {
      await logIn(page, { from: page.navigations.length - 1 });
      tokens.push((await waitForEvent(page, 'anypoint-signin')).detail.accessToken);
      assert.deepEqual(await stored(page), { pending: 0, sessions: 1 });
    }
    assert.notEqual(tokens[0], tokens[1]);
    // DPoP-bound to the page's key: the server's introspection says whether they are live.
    for (const token of tokens) assert.equal((await introspect(demo.issuer, token)).active, true, 'both tokens are live');
    // And each tab presents its session's token with its key, the first also after a reload, when it reads the key
    // back from IndexedDB (one store for both tabs: the key it finds there must be its session's).
    for (const page of [first, second]) assert.equal((await elementFetch(page, `${demo.issuer}/userinfo`)).status, 200);
    await first.reload();
    await waitForEvent(first, 'anypoint-signin');
    assert.equal((await elementFetch(first, `${demo.issuer}/userinfo`)).status, 200, 'the first tab\'s token after a reload');
  });
});
