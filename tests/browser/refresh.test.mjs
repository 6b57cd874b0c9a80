// Expiry and renewal against the real local authorization server, whose `anypoint-signin-short` client gets
// access tokens of a few seconds: renewal with the refresh token (offline_access), one renewal for two tabs
// (Web Locks), sign-out on expiry without a refresh token, and restore on load with the expiry checked.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dpopKeys, elementFetch, events, introspect, launch, newPage, open, shadowText, signIn, site, waitForEvent,
  withoutNonceChallenges } from './support.mjs';

let browser, demo;
before(async () => { [browser, demo] = await Promise.all([launch(), site()]); });
after(async () => { await browser?.close(); await demo?.close(); });

// Every refresh_token grant the browser context sends to the token endpoint: {at, request}.
function recordRefreshes(context) {
  const refreshes = [];
  context.on('request', (r) => {
    if (new URL(r.url()).pathname.endsWith('/token') && /grant_type=refresh_token/.test(r.postData() ?? '')) refreshes.push({ at: Date.now(), request: r });
  });
  return refreshes;
}

// When each refresh that counts was sent: a DPoP nonce challenge (the short-lived client must answer one, as a
// tab without the server's nonce yet does: oidc-server.mjs) makes the element send the same refresh again.
async function renewals(refreshes) {
  const counted = await withoutNonceChallenges(refreshes.map((r) => r.request));
  return refreshes.filter((r) => counted.includes(r.request)).map((r) => r.at);
}

// Waits for an accesstokenchange whose token is none of `seen`, and returns it.
async function nextToken(page, seen) {
  await page.waitForFunction((old) => window.__events.some((e) => e.type === 'accesstokenchange' && e.detail.value && !old.includes(e.detail.value)),
    seen, { timeout: 20000 });
  return (await events(page, 'accesstokenchange')).map((e) => e.detail.value).find((v) => v && !seen.includes(v));
}

// The page is left while the token expires, then `url` opens again in the tab and finds it expired. Left for a
// page of the site without the element, so that no element is alive to renew meanwhile (one would, at once, on
// seeing the expiry; a renewal cut off by leaving would have spent the rotated refresh token).
async function expireAway(page, url) {
  const elsewhere = `${demo.origin}/elsewhere.html`;
  await page.route(elsewhere, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>elsewhere</title>' }));
  await page.goto(elsewhere);
  await page.evaluate(() => {
    for (const [k, v] of Object.entries(sessionStorage)) {
      if (k.startsWith('anypoint-signin:session:')) sessionStorage.setItem(k, JSON.stringify({ ...JSON.parse(v), expiresAt: Date.now() - 1000 }));
    }
  });
  await page.goto(url);
}

// Whether the server takes `token` as live: DPoP-bound tokens work only with the page's key, so this asks the
// introspection endpoint; the page's own requests are elementFetch's.
const active = async (token) => (await introspect(demo.issuer, token)).active;
// Tokens the backend got (exchangeuri: the backend is the client, no DPoP) are Bearer tokens.
const bearerUserinfo = (token) => fetch(`${demo.issuer}/userinfo`, { headers: { authorization: `Bearer ${token}` } });
const stored = (page) => page.evaluate(() => Object.entries(sessionStorage).filter(([k]) => k.startsWith('anypoint-signin:session:')).map(([, v]) => JSON.parse(v)));

describe('renewal with offline_access', () => {
  test('two tabs share the session and exactly one renews it, before expiry, each time', async () => {
    const context = await browser.newContext();
    const refreshes = recordRefreshes(context);
    const a = await newPage(browser, context);
    const authorize = a.waitForRequest((r) => r.url().includes('/authorize?'));
    await a.goto(`${demo.origin}/refresh.html`);
    await signIn(a);
    assert.equal(new URL((await authorize).url()).searchParams.get('prompt'), 'consent', 'offline_access asks for consent');
    const first = (await waitForEvent(a, 'anypoint-signin')).detail;
    assert.equal(first.refreshToken, undefined, 'the refresh token is never in an event');
    assert.ok((await stored(a))[0].refreshToken, 'but it is kept for renewal');

    // A second tab of the same browser asks the first for the session.
    const b = await newPage(browser, context);
    await open(b, `${demo.origin}/refresh.html`);
    assert.equal((await waitForEvent(b, 'anypoint-signin')).detail.accessToken, first.accessToken);

    const renewedA = await nextToken(a, [first.accessToken]);
    const renewedB = await nextToken(b, [first.accessToken]);
    assert.equal(renewedB, renewedA, 'both tabs hold the one renewed token');
    const renewed = await renewals(refreshes);
    assert.equal(renewed.length, 1, 'one refresh request for two tabs');
    assert.ok(renewed[0] < first.expiresAt, 'renewed before the old token expired');
    assert.equal(await active(renewedA), true, 'the renewed token works');
    const signins = await events(a, 'anypoint-signin');
    assert.equal(signins.at(-1).detail.accessToken, renewedA, 'anypoint-signin fires again on renewal');
    assert.equal(signins.at(-1).detail.profile.name, 'Max Mule');

    // And again: the rotated refresh token works, still from one tab only.
    const again = await nextToken(b, [first.accessToken, renewedA]);
    assert.equal(await nextToken(a, [first.accessToken, renewedA]), again);
    assert.equal((await renewals(refreshes)).length, 2);
    assert.equal(await active(again), true);
    // The tabs share the session's DPoP key: each presents the session's token with it (renewing it first, so
    // near its expiry: tab b with the key it did not make).
    for (const tab of [a, b]) assert.equal((await elementFetch(tab, `${demo.issuer}/userinfo`)).status, 200);
    assert.deepEqual(await events(a, 'anypoint-signout'), []);
    assert.deepEqual([...a.consoleErrors, ...b.consoleErrors], []);

    // Signing out in one tab signs out the other.
    await a.locator('#signin').getByRole('button', { name: 'Sign out' }).click();
    assert.equal((await waitForEvent(b, 'anypoint-signout')).detail.reason, 'user');
    assert.deepEqual(await stored(b), []);
    await context.close();
  });

  test('a stored session whose token expired is renewed on load', async () => {
    const page = await newPage(browser);
    const refreshes = recordRefreshes(page.context());
    // A client whose tokens last an hour (configured.html's): the short-lived client's own renewal, due 4.5 s
    // after sign-in, would race the page's leaving below on a slow machine, and a renewal cut off by leaving
    // has spent the rotated refresh token.
    await page.context().addCookies([{ name: 'test-elements', url: demo.origin,
      value: encodeURIComponent(JSON.stringify([{ id: 'signin', scopes: 'openid profile email offline_access' }])) }]);
    await page.goto(`${demo.origin}/configured.html`);
    await signIn(page);
    const first = (await waitForEvent(page, 'anypoint-signin')).detail;
    await expireAway(page, `${demo.origin}/configured.html`);
    const restored = await waitForEvent(page, 'anypoint-signin');
    assert.notEqual(restored.detail.accessToken, first.accessToken, 'the expired token is never handed out');
    assert.ok(restored.detail.expiresAt > Date.now());
    assert.equal((await renewals(refreshes)).length, 1);
  });

  test('a refused renewal keeps the token until it expires, then signs out', async () => {
    const page = await newPage(browser);
    await page.goto(`${demo.origin}/refresh.html`);
    await signIn(page);
    await waitForEvent(page, 'anypoint-signin');
    await page.route((url) => url.pathname.endsWith('/token'), (route) => route.fulfill({ status: 400,
      contentType: 'application/json', headers: { 'access-control-allow-origin': '*' },
      body: JSON.stringify({ error: 'invalid_grant', error_description: 'grant revoked' }) }));
    const error = await waitForEvent(page, 'anypoint-signin-error');
    assert.equal(error.detail.code, 'token_request_failed');
    assert.equal(await page.evaluate(() => document.getElementById('signin').signedIn), true, 'still signed in until expiry');
    const signout = await waitForEvent(page, 'anypoint-signout');
    assert.equal(signout.detail.reason, 'expired');
    assert.match(await shadowText(page), /Your session expired/);
    assert.deepEqual(await dpopKeys(page), [], 'the session\'s DPoP key is deleted with it');
  });
});

describe('a confidential client (exchangeuri)', () => {
  test('offline_access: an expired stored session is renewed through the backend, which keeps the refresh token; the browser never calls the token endpoint', async () => {
    const page = await newPage(browser);
    const refreshes = recordRefreshes(page.context());
    const backend = [];
    page.on('request', (r) => { if (r.url().endsWith('/api/exchange')) backend.push(JSON.parse(r.postData())); });
    const exchanged = page.waitForResponse((r) => r.url().endsWith('/api/exchange'));
    await open(page, `${demo.origin}/backend.html`);
    await page.evaluate(() => document.getElementById('signin').setAttribute('scopes', 'openid profile email offline_access'));
    await signIn(page);
    assert.equal((await (await exchanged).json()).refresh_token, undefined, 'the backend keeps it');
    const first = (await waitForEvent(page, 'anypoint-signin')).detail;
    assert.equal(first.refreshToken, undefined, 'never in an event');
    const [kept] = await stored(page);
    assert.deepEqual([kept.refreshToken, kept.renewal], [undefined, 'backend'], 'renewed through the backend');

    // The next load renews it through the backend.
    await expireAway(page, `${demo.origin}/backend.html`);
    const renewed = (await waitForEvent(page, 'anypoint-signin')).detail;
    assert.notEqual(renewed.accessToken, first.accessToken);
    assert.equal(renewed.tokenType, 'Bearer', 'the backend is the client: no DPoP with exchangeuri');
    assert.equal((await bearerUserinfo(renewed.accessToken)).status, 200, 'the renewed token works');
    assert.deepEqual(backend.map((b) => b.grant_type ?? 'authorization_code'), ['authorization_code', 'refresh_token']);
    assert.equal(refreshes.length, 0, 'no refresh request from the browser to the token endpoint');
    assert.deepEqual(await events(page, 'anypoint-signin-error'), []);
  });
});

describe('expiry without a refresh token', () => {
  test('the element signs out cleanly when the token expires, with reason "expired"', async () => {
    const page = await newPage(browser);
    const refreshes = recordRefreshes(page.context());
    await page.goto(`${demo.origin}/expiry.html`);
    await signIn(page);
    const signin = (await waitForEvent(page, 'anypoint-signin')).detail;
    assert.deepEqual(await stored(page).then((s) => s.map((x) => x.refreshToken)), [undefined]);
    const signout = await waitForEvent(page, 'anypoint-signout');
    assert.deepEqual(signout.detail, { reason: 'expired' });
    assert.ok(Date.now() >= signin.expiresAt - 50, 'not before expiry');
    assert.deepEqual((await events(page, 'signedinchange')).map((e) => e.detail.value), [true, false]);
    assert.equal(await page.evaluate(() => document.getElementById('signin').accessToken), null);
    assert.deepEqual(await stored(page), []);
    assert.match(await shadowText(page), /Your session expired\. Please sign in again\./);
    assert.deepEqual(await dpopKeys(page), [], 'the session\'s DPoP key is deleted with it');
    assert.equal(refreshes.length, 0);
    await page.screenshot({ path: 'tests/artifacts/expired.png' });
  });

  test('an expired stored session is not restored on load', async () => {
    const page = await newPage(browser);
    await page.goto(`${demo.origin}/expiry.html`);
    await signIn(page);
    await waitForEvent(page, 'anypoint-signin');
    await page.evaluate(() => {
      for (const [k, v] of Object.entries(sessionStorage)) {
        if (k.startsWith('anypoint-signin:session:')) sessionStorage.setItem(k, JSON.stringify({ ...JSON.parse(v), expiresAt: Date.now() - 1 }));
      }
    });
    await open(page, `${demo.origin}/expiry.html`);
    assert.match(await shadowText(page), /Sign in with Anypoint Platform/);
    assert.deepEqual(await events(page, 'anypoint-signin'), []);
    assert.deepEqual(await stored(page), []);
  });
});
