// Hostile and broken token endpoint answers, each in Chromium against the real local authorization server, its
// answers altered on the wire (hardening.mjs): renewed id_tokens, redirects on token requests, hostile token
// responses. SECURITY.md lists them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertRefused, events, foreignServer, launch, newPage, open, shadowText, signIn, site, waitForEvent } from './support.mjs';
import { CORS, isToken, grantOf, sleep, settled, becomes, forge, claimsOf, rewriteTokens } from './hardening.mjs';

let browser, demo;
before(async () => { [browser, demo] = await Promise.all([launch(), site()]); });
after(async () => { await browser?.close(); await demo?.close(); });

describe('a renewed id_token', () => {
  for (const [what, change] of [
    ['another user (sub)', (claims) => ({ ...claims, sub: 'mallory' })],
    ['another issuer (iss)', (claims) => ({ ...claims, iss: 'https://attacker.example/oauth2' })],
    ['another client (aud)', (claims) => ({ ...claims, aud: 'another-client' })],
  ]) {
    test(`for ${what} is refused (invalid_id_token), and the renewed access token not adopted`, async () => {
      const page = await newPage(browser);
      let renewed;
      await rewriteTokens(page, 'refresh_token', (json) => {
        renewed = json.access_token;
        const { iss, aud, exp, iat, sub } = claimsOf(json.id_token);
        return { ...json, id_token: forge(change({ iss, aud, exp, iat, sub, name: 'Mallory' })) };
      });
      await open(page, `${demo.origin}/refresh.html`);
      await signIn(page);
      const first = (await waitForEvent(page, 'anypoint-signin')).detail;
      // Renewal comes a quarter of the 6 s lifetime before expiry: refused, or adopted.
      await page.waitForFunction((old) => window.__events.some((e) => e.type === 'anypoint-signin-error'
        || (e.type === 'accesstokenchange' && e.detail.value && e.detail.value !== old)), first.accessToken, { timeout: 15000 });
      assert.ok(renewed, 'the server did renew (the test can fail)');
      const signins = await events(page, 'anypoint-signin');
      assert.deepEqual(signins.filter((e) => e.detail.accessToken === renewed), [], 'the renewed token was handed out');
      assert.notEqual(await page.evaluate(() => document.getElementById('signin').accessToken), renewed);
      const error = await waitForEvent(page, 'anypoint-signin-error');
      assert.equal(error.detail.code, 'invalid_id_token', error.detail.message);
      for (const e of signins) assert.equal(e.detail.profile.sub, first.profile.sub);
      const profile = await page.evaluate(() => document.getElementById('signin').profile);
      if (profile) assert.equal(profile.name, 'Max Mule');
      assert.doesNotMatch(await shadowText(page), /Mallory/);
    });
  }
});

describe('redirects on token requests', () => {
  // Answered with a 307 to another origin: fetch would re-POST the same body (code and verifier, refresh token,
  // token) there.
  const redirectTo = (thief) => (route) => route.fulfill({ status: 307, headers: { ...CORS, location: `${thief.url}/steal` } });
  const stolen = (thief) => thief.requests.map((r) => `${r.method} ${r.path} ${r.body}`);

  for (const [what, path, isRequest] of [
    ['the code exchange', '/', isToken],
    ['the exchangeuri backend', '/backend.html', (url) => url.pathname === '/api/exchange'],
  ]) {
    test(`of ${what}: nothing reaches the other origin, token_request_failed`, async (t) => {
      const thief = await foreignServer();
      t.after(thief.close);
      const page = await newPage(browser);
      await page.route(isRequest, redirectTo(thief));
      await open(page, `${demo.origin}${path}`);
      await signIn(page);
      await settled(page);
      assert.deepEqual(stolen(thief), []);
      await assertRefused(page, 'token_request_failed');
    });
  }

  test('of the refresh grant: nothing reaches the other origin, token_request_failed', async (t) => {
    const thief = await foreignServer();
    t.after(thief.close);
    const page = await newPage(browser);
    await page.route(isToken, (route) => (grantOf(route) === 'refresh_token' ? redirectTo(thief)(route) : route.continue()));
    await open(page, `${demo.origin}/refresh.html`);
    await signIn(page);
    const first = (await waitForEvent(page, 'anypoint-signin')).detail;
    await page.waitForFunction((old) => window.__events.some((e) => e.type === 'anypoint-signin-error'
      || (e.type === 'accesstokenchange' && e.detail.value && e.detail.value !== old)), first.accessToken, { timeout: 15000 });
    assert.deepEqual(stolen(thief), []);
    assert.equal((await waitForEvent(page, 'anypoint-signin-error')).detail.code, 'token_request_failed');
  });

  test('of the revocation on sign-out: nothing reaches the other origin, the sign-out completes', async (t) => {
    const thief = await foreignServer();
    t.after(thief.close);
    const page = await newPage(browser);
    await open(page, `${demo.origin}/`);
    await signIn(page);
    await waitForEvent(page, 'anypoint-signin');
    let redirected;
    const revoking = new Promise((resolve) => { redirected = resolve; });
    await page.route((url) => url.pathname.endsWith('/revoke'), async (route) => { await redirectTo(thief)(route); redirected(); });
    await page.locator('#signin button', { hasText: 'Sign out' }).click();
    assert.equal((await waitForEvent(page, 'anypoint-signout')).detail.reason, 'user');
    await revoking;
    // Nothing must happen: a second for the browser to follow the redirect if it does.
    for (let i = 0; i < 20 && !thief.requests.length; i++) await sleep(50);
    assert.deepEqual(stolen(thief), []);
    assert.match(await shadowText(page), /Sign in with Anypoint Platform/);
  });
});

describe('hostile token responses', () => {
  test('expires_in 0 on every answer, the same refresh token each time: at most 3 refreshes in 4 s, then signed out', async () => {
    const page = await newPage(browser);
    const refreshes = [];
    let answer; // the real answer to the code exchange, with expires_in 0: replayed for every refresh
    await page.route(isToken, async (route) => {
      if (grantOf(route) === 'refresh_token') {
        refreshes.push(Date.now());
        return route.fulfill({ status: 200, headers: CORS, json: answer });
      }
      const response = await route.fetch();
      if (!response.ok()) return route.fulfill({ response }); // the DPoP nonce challenge, which the element answers
      answer = { ...(await response.json()), expires_in: 0 };
      route.fulfill({ response, json: answer });
    });
    await open(page, `${demo.origin}/refresh.html`);
    await signIn(page);
    const start = Date.now();
    assert.ok((await waitForEvent(page, 'anypoint-signin')).detail.accessToken);
    await sleep(4000 - (Date.now() - start)); // what the element does in 4 s is the point
    assert.ok(answer.refresh_token, 'the server issued a refresh token (the test can fail)');
    const inWindow = refreshes.filter((at) => at - start <= 4000).length;
    assert.ok(inWindow <= 3, `${inWindow} refresh requests in 4 s`);
    assert.equal((await waitForEvent(page, 'anypoint-signout')).detail.reason, 'expired');
    assert.ok((await events(page, 'anypoint-signin-error')).length >= 1, 'the failure is reported');
    await page.context().close();
  });

  test('expires_in 1e308: expiresAt is a real date, at most a year ahead', async () => {
    const page = await newPage(browser);
    await page.route(isToken, async (route) => {
      const response = await route.fetch();
      // Written as text: JSON.stringify would not write the number as 1e308.
      const body = JSON.stringify({ ...(await response.json()), expires_in: 0 }).replace('"expires_in":0', '"expires_in":1e308');
      route.fulfill({ response, body });
    });
    await open(page, `${demo.origin}/`);
    await signIn(page);
    const { expiresAt } = (await waitForEvent(page, 'anypoint-signin')).detail;
    assert.ok(Number.isFinite(expiresAt), `expiresAt ${expiresAt}`);
    assert.ok(expiresAt <= Date.now() + 366 * 24 * 3600 * 1000, `expiresAt ${expiresAt} is more than a year ahead`);
    assert.ok(!Number.isNaN(new Date(expiresAt).getTime()), `new Date(${expiresAt}) is not a valid date`);
  });

  test('a 1 MB error_description with bidi and control characters is cut short and cleaned, in the event and the element', async () => {
    const page = await newPage(browser);
    const description = `grant revoked \u202Eetadpu\u0007 \u0000 ${'A'.repeat(1024 * 1024)}`;
    await page.route(isToken, (route) => route.fulfill({ status: 400, headers: CORS, contentType: 'application/json',
      body: JSON.stringify({ error: 'invalid_grant', error_description: description }) }));
    await open(page, `${demo.origin}/`);
    await signIn(page);
    const error = await assertRefused(page, 'token_request_failed');
    const unsafe = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
    const shown = await page.evaluate(() => document.getElementById('signin').shadowRoot.querySelector('[part=error]')?.textContent);
    for (const [where, text] of [['the event\'s message', error.detail.message], ['the element\'s alert', shown]]) {
      assert.ok(text.length <= 500, `${where} is ${text.length} characters long`);
      assert.doesNotMatch(text, unsafe, `${where} holds a control or bidi character`);
    }
  });

  test('a userinfo endpoint that never answers: signed in within 10 s all the same', { timeout: 60000 }, async () => {
    const page = await newPage(browser);
    // The id_token without the claims the element would show, so it asks userinfo for a name.
    await rewriteTokens(page, 'authorization_code', (json) => {
      const { name, preferred_username: username, email, ...claims } = claimsOf(json.id_token);
      return { ...json, id_token: forge(claims) };
    });
    const hung = [];
    await page.route((url) => url.pathname.endsWith('/userinfo'), (route) => { hung.push(route); });
    await open(page, `${demo.origin}/`);
    await signIn(page);
    const start = Date.now();
    const arrived = await becomes(page, () => window.__events.some((e) => e.type === 'anypoint-signin'), null, 10000);
    assert.ok(hung.length, 'the element did ask userinfo (the test can fail)');
    assert.ok(arrived, `no anypoint-signin ${Date.now() - start} ms after the callback`);
    await page.context().close();
  });

  for (const [what, name, key] of [
    ['a 10,000-character name', Array.from({ length: 2000 }, (_, i) => `Name${i}`).join(' ').slice(0, 10000), 'Name0 Name1 Name2'],
    ['a name with an unterminated right-to-left override', 'Max \u202EMule', 'Max'],
  ]) {
    const long = name.length > 1000;
    test(`${what} stays on one line${long ? ', cut with an ellipsis, whole in a title' : ''}, isolated from the text around it`, async () => {
      const page = await newPage(browser);
      await rewriteTokens(page, 'authorization_code', (json) => ({ ...json, id_token: forge({ ...claimsOf(json.id_token), name }) }));
      await open(page, `${demo.origin}/`);
      await signIn(page);
      // Claims are cleaned like every server text: no control or bidi characters, at most 256 characters.
      const cleaned = name.replace(/[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu, '');
      const given = (await waitForEvent(page, 'anypoint-signin')).detail.profile.name;
      assert.ok(given.length <= 256 && cleaned.startsWith(given.replace(/…$/, '')), `profile.name ${given.slice(0, 80)}…`);
      await page.waitForFunction(() => /Sign out/.test(document.getElementById('signin').shadowRoot.textContent));
      const look = await page.evaluate(([full, key]) => {
        const el = document.getElementById('signin');
        const root = el.shadowRoot;
        const all = [...root.querySelectorAll('*')];
        const walker = document.createTreeWalker(root.querySelector('[part~=name]') ?? root, NodeFilter.SHOW_TEXT);
        let text;
        while ((text = walker.nextNode()) && !text.data.includes(key));
        // The elements around the shown name and nothing else: one must isolate it from the text around it.
        const wrappers = [];
        for (let n = text?.parentElement; n && n.textContent === text.data; n = n.parentElement) wrappers.push(n);
        return {
          height: el.getBoundingClientRect().height,
          ellipsis: all.some((n) => n.textContent.includes(key) && getComputedStyle(n).textOverflow === 'ellipsis'
            && n.scrollWidth > n.clientWidth),
          title: all.some((n) => n.getAttribute('title')?.includes(full.slice(0, 200))),
          isolated: wrappers.some((n) => n.tagName === 'BDI' || getComputedStyle(n).unicodeBidi === 'isolate'),
        };
      }, [cleaned, key]);
      assert.ok(look.height < 80, `the element is ${look.height} px high`);
      if (long) {
        assert.ok(look.ellipsis, 'the name is cut with an ellipsis');
        assert.ok(look.title, 'the name is in a title attribute');
      }
      assert.ok(look.isolated, 'the name is in a <bdi> (or unicode-bidi: isolate)');
    });
  }
});
