// End to end, in Debian's Chromium against the real local authorization server (oidc-provider): a person
// clicks the button, logs in on the server's page and comes back; and the callback attacks and failures the
// element must refuse. Nothing here stubs the server; the network fault is injected on the wire. More attacks
// are in attacks.test.mjs, more faults in faults.test.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertRefused, captureCallback, events, introspect, launch, newPage, open, recordRequests, recordTokenRequests, shadowText,
  signIn, site, storedDiscovery, waitForEvent } from './support.mjs';

let browser, demo;
before(async () => { [browser, demo] = await Promise.all([launch(), site()]); });
after(async () => { await browser?.close(); await demo?.close(); });

describe('sign-in with the public client (PKCE in the browser)', () => {
  test('click, log in, come back signed in; reload keeps it; sign out revokes', async () => {
    const page = await newPage(browser);
    const tokenRequests = recordTokenRequests(page);
    await open(page, `${demo.origin}/`);
    assert.match(await shadowText(page), /Sign in with Anypoint Platform/);

    const authorize = page.waitForRequest((r) => r.url().includes('/accounts/api/v2/oauth2/authorize'));
    const back = signIn(page, { login: 'max.mule' });
    const query = new URL((await authorize).url()).searchParams;
    assert.equal(query.get('response_type'), 'code');
    assert.equal(query.get('client_id'), 'anypoint-signin-demo');
    assert.equal(query.get('redirect_uri'), `${demo.origin}/`);
    assert.equal(query.get('code_challenge_method'), 'S256');
    assert.match(query.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
    assert.match(query.get('state'), /^[A-Za-z0-9_-]{43}$/);
    assert.ok(query.get('nonce'));
    assert.equal(query.get('scope'), 'openid profile email');

    await back;
    const signin = await waitForEvent(page, 'anypoint-signin');
    assert.ok(signin.detail.accessToken.length > 10);
    // The local server advertises DPoP (ES256): dpop="auto" binds the tokens to the page's key (dpop.test.mjs).
    assert.equal(signin.detail.tokenType, 'DPoP');
    assert.ok(signin.detail.expiresAt > Date.now());
    assert.match(signin.detail.idToken, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.equal(signin.detail.profile.name, 'Max Mule');
    assert.equal(signin.detail.refreshToken, undefined);
    assert.ok(signin.composed, 'events cross the shadow boundary');
    assert.equal(signin.href, `${demo.origin}/`, 'code and state were gone before the event fired');
    assert.equal(page.url(), `${demo.origin}/`);
    assert.equal(tokenRequests.length, 1);
    const compat = await events(page, 'signedinchange');
    assert.deepEqual(compat.map((e) => e.detail.value), [true]);
    assert.equal((await events(page, 'accesstokenchange'))[0].detail.value, signin.detail.accessToken);

    await page.waitForFunction(() => /Signed in as Max Mule/.test(document.getElementById('signin').shadowRoot.textContent));
    const props = await page.evaluate(() => { const e = document.getElementById('signin'); return [e.signedIn, e.accessToken]; });
    assert.deepEqual(props, [true, signin.detail.accessToken]);
    assert.deepEqual(await page.evaluate(() => Object.keys(localStorage)), [], 'nothing in localStorage');
    await page.screenshot({ path: 'tests/artifacts/signed-in.png' });

    await page.reload();
    const restored = await waitForEvent(page, 'anypoint-signin');
    assert.equal(restored.detail.accessToken, signin.detail.accessToken, 'storage=session keeps the sign-in');
    assert.equal(tokenRequests.length, 1, 'restored without a new exchange');

    // A DPoP-bound token works only with the page's key: the server's introspection says whether it is live.
    const active = async () => (await introspect(demo.issuer, signin.detail.accessToken)).active;
    assert.equal(await active(), true);
    const revoked = page.waitForResponse((r) => r.url().endsWith('/revoke'));
    await page.locator('#signin button', { hasText: 'Sign out' }).click();
    await waitForEvent(page, 'anypoint-signout');
    assert.equal((await revoked).status(), 200);
    assert.equal(await active(), false, 'the access token was revoked at the server');
    assert.match(await shadowText(page), /Sign in with Anypoint Platform/);
    assert.equal(await page.evaluate(() => document.getElementById('signin').signedIn), false);
    await page.reload();
    await page.waitForFunction(() => document.getElementById('signin')?.shadowRoot?.textContent.includes('Sign in'));
    assert.deepEqual(await events(page, 'anypoint-signin'), [], 'signed out stays signed out');
    assert.deepEqual(page.consoleErrors, []);
  });

  test('storage=memory loses the sign-in on reload', async () => {
    const page = await newPage(browser);
    await page.goto(`${demo.origin}/memory.html`);
    await signIn(page);
    await waitForEvent(page, 'anypoint-signin');
    await page.reload();
    await page.waitForFunction(() => document.getElementById('signin')?.shadowRoot?.textContent.includes('Sign in with'));
    assert.deepEqual(await events(page, 'anypoint-signin'), []);
    assert.deepEqual(await page.evaluate(() => Object.keys(sessionStorage)), [], 'no token in sessionStorage');
  });
});

describe('the discovery document kept with the attempt', () => {
  test('the callback page finishes with the copy fetched before the redirect, without fetching it again', async () => {
    const page = await newPage(browser);
    const callback = await captureCallback(page, `${demo.origin}/`);
    const kept = Object.values(await storedDiscovery(page)).map((text) => JSON.parse(text));
    assert.equal(kept.length, 1);
    assert.equal(kept[0].issuer, demo.issuer);
    assert.equal(kept[0].token_endpoint, `${demo.issuer}/token`);
    const discovery = recordRequests(page, '/.well-known/openid-configuration');
    const tokenRequests = recordTokenRequests(page);
    page.consoleErrors = []; // captureCallback's refused script
    await page.goto(callback.href);
    assert.equal((await waitForEvent(page, 'anypoint-signin')).detail.profile.name, 'Max Mule');
    assert.deepEqual(discovery, [], 'no discovery request on the callback page');
    assert.deepEqual(tokenRequests, [`${demo.issuer}/token`]);
    assert.deepEqual(await storedDiscovery(page), {}, 'consumed with the attempt');
    assert.deepEqual(page.consoleErrors, []);
  });

  test('without one (a sign-in started before it was kept), the callback page fetches it and signs in', async () => {
    const page = await newPage(browser);
    const callback = await captureCallback(page, `${demo.origin}/`);
    await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.includes(':discovery:'))
      .forEach((k) => sessionStorage.removeItem(k)));
    const discovery = recordRequests(page, '/.well-known/openid-configuration');
    page.consoleErrors = []; // captureCallback's refused script
    await page.goto(callback.href);
    assert.equal((await waitForEvent(page, 'anypoint-signin')).detail.profile.name, 'Max Mule');
    assert.equal(discovery.length, 1);
    assert.deepEqual(page.consoleErrors, []);
  });
});

describe('sign-in with the confidential client through exchangeuri', () => {
  test('the backend exchanges the code with its secret', async () => {
    const page = await newPage(browser);
    const tokenRequests = recordTokenRequests(page);
    const exchanges = [];
    page.on('request', (r) => { if (r.url().endsWith('/api/exchange')) exchanges.push(JSON.parse(r.postData())); });
    await page.goto(`${demo.origin}/backend.html`);
    await signIn(page);
    const signin = await waitForEvent(page, 'anypoint-signin');
    assert.ok(signin.detail.accessToken);
    assert.equal(signin.detail.profile.name, 'Max Mule');
    assert.equal(exchanges.length, 1);
    assert.deepEqual(Object.keys(exchanges[0]).sort(), ['client_id', 'code', 'code_verifier', 'redirect_uri']);
    assert.equal(exchanges[0].client_id, 'anypoint-signin-confidential');
    assert.equal(tokenRequests.length, 0, 'the browser never called the token endpoint');
    // The backend is the client: its tokens are not bound to a key of the page's (no DPoP with exchangeuri).
    assert.equal(signin.detail.tokenType, 'Bearer');
    assert.equal((await fetch(`${demo.issuer}/userinfo`, { headers: { authorization: `Bearer ${signin.detail.accessToken}` } })).status, 200);
  });
});

describe('the page doing the exchange itself (cancelable anypoint-code-exchange)', () => {
  test('respondWith hands the element the token response', async () => {
    const page = await newPage(browser);
    const tokenRequests = recordTokenRequests(page);
    await open(page, `${demo.origin}/custom-exchange.html`);
    await signIn(page);
    const signin = await waitForEvent(page, 'anypoint-signin');
    assert.equal(signin.detail.profile.name, 'Max Mule');
    const [exchange] = await events(page, 'anypoint-code-exchange');
    assert.equal(exchange.detail.clientId, 'anypoint-signin-confidential');
    assert.equal(exchange.detail.tokenEndpoint, `${demo.issuer}/token`);
    assert.match(exchange.detail.codeVerifier, /^[\w-]{43}$/);
    assert.equal(tokenRequests.length, 0, 'the element did not exchange the code itself');
    // The page's backend redeemed the code without a proof of the element's: a Bearer token, taken as one
    // (not as a server that ignored the element's proof, which the console would be warned of).
    assert.equal(signin.detail.tokenType, 'Bearer');
    assert.deepEqual(page.consoleWarnings.filter((w) => /DPoP/.test(w)), []);
  });

  test('cancelling without responding is an error, not a hang', async () => {
    const page = await newPage(browser);
    await page.addInitScript(() => { window.__forgetToRespond = true; });
    await open(page, `${demo.origin}/custom-exchange.html`);
    await signIn(page);
    await assertRefused(page, 'exchange_not_handled');
  });
});

describe('callbacks the element refuses', () => {
  test('a tampered state is refused without a token request', async () => {
    const page = await newPage(browser);
    const callback = await captureCallback(page, `${demo.origin}/`);
    const tokenRequests = recordTokenRequests(page);
    callback.searchParams.set('state', 'forged-state');
    await page.goto(callback.href);
    await assertRefused(page, 'state_mismatch');
    assert.equal(tokenRequests.length, 0);
    assert.match(await shadowText(page), /not started in this browser tab/);
  });

  test('a replayed callback is refused the second time, without a second token request', async () => {
    const page = await newPage(browser);
    const callback = await captureCallback(page, `${demo.origin}/`);
    const tokenRequests = recordTokenRequests(page);
    await page.goto(callback.href);
    await waitForEvent(page, 'anypoint-signin');
    await page.goto(callback.href);
    await assertRefused(page, 'state_mismatch');
    assert.equal(tokenRequests.length, 1);
  });

  test('a callback from another issuer is refused (RFC 9207 mix-up)', async () => {
    const page = await newPage(browser);
    const callback = await captureCallback(page, `${demo.origin}/`);
    assert.equal(callback.searchParams.get('iss'), demo.issuer, 'the server sends iss');
    const tokenRequests = recordTokenRequests(page);
    callback.searchParams.set('iss', 'https://attacker.example/accounts/api/v2/oauth2');
    await page.goto(callback.href);
    await assertRefused(page, 'issuer_mismatch');
    assert.equal(tokenRequests.length, 0);
  });

  test('a code the server did not issue for this attempt fails at the token endpoint', async () => {
    const page = await newPage(browser);
    const callback = await captureCallback(page, `${demo.origin}/`);
    callback.searchParams.set('code', `${callback.searchParams.get('code')}x`);
    await page.goto(callback.href);
    const error = await assertRefused(page, 'token_request_failed');
    assert.match(error.detail.message, /invalid_grant/);
  });

  test('the user cancelling at the server gives access_denied', async () => {
    const page = await newPage(browser);
    await page.goto(`${demo.origin}/`);
    await page.locator('#signin button').click();
    await page.waitForSelector('input[name="login"]');
    await page.click('a[href$="/abort"]');
    await assertRefused(page, 'access_denied');
    assert.match(await shadowText(page), /cancelled|denied/);
  });
});

describe('failures the element survives', () => {
  test('a network failure at the token endpoint, then a retry that works', async () => {
    const page = await newPage(browser);
    await page.goto(`${demo.origin}/`);
    await page.route((url) => url.pathname.endsWith('/token'), (route) => route.abort('internetdisconnected'));
    await signIn(page);
    await assertRefused(page, 'network_error');
    await page.unrouteAll();
    assert.match(await shadowText(page), /Try again/);
    await signIn(page, { hasText: 'Try again' });
    const signin = await waitForEvent(page, 'anypoint-signin');
    assert.ok(signin.detail.accessToken);
  });

  test('Back from the authorize page leaves a usable button', async () => {
    const page = await newPage(browser);
    await open(page, `${demo.origin}/`);
    await page.locator('#signin button').click();
    await page.waitForURL((url) => url.pathname.includes('/interaction/'));
    await page.goBack();
    await page.waitForFunction(() => document.getElementById('signin')?.shadowRoot?.querySelector('button:not([disabled])'));
    assert.match(await shadowText(page), /Sign in with Anypoint Platform/);
    await signIn(page);
    assert.ok((await waitForEvent(page, 'anypoint-signin')).detail.accessToken);
  });
});
