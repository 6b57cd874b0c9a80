// Hardening: attacks and hostile answers beyond attacks.test.mjs and faults.test.mjs, each performed in
// Chromium against the real local authorization server, its answers altered on the wire. Where an attack needs
// another origin (a hostile authorization server, a thief), a recording server on loopback plays it
// (foreignServer), so that what the browser would send there is seen, not assumed. SECURITY.md lists them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertRefused, captureCallback, EVENTS, events, exchangeUriVariants, foreignServer, launch, newPage, open, shadowText,
  signIn, site, waitForEvent } from './support.mjs';

let browser, demo;
before(async () => { [browser, demo] = await Promise.all([launch(), site()]); });
after(async () => { await browser?.close(); await demo?.close(); });

const CORS = { 'access-control-allow-origin': '*' };
const isToken = (url) => url.pathname.endsWith('/token');
const grantOf = (route) => new URLSearchParams(route.request().postData() ?? '').get('grant_type');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The elements of configured.html, from its next load on (a cookie, so it can be set before the first one).
const configure = (page, elements) => page.context().addCookies([{ name: 'test-elements',
  value: encodeURIComponent(JSON.stringify(elements)), url: demo.origin }]);

// Until the element has either signed in or failed; the first such event.
async function settled(page, timeout = 15000) {
  await page.waitForFunction(() => window.__events.some((e) => e.type === 'anypoint-signin' || e.type === 'anypoint-signin-error'),
    null, { timeout });
  return (await events(page)).find((e) => e.type === 'anypoint-signin' || e.type === 'anypoint-signin-error');
}

// Whether `fn(arg)` becomes true in the page within `timeout` ms.
const becomes = (page, fn, arg, timeout) => page.waitForFunction(fn, arg, { timeout }).then(() => true, () => false);

const pendingKeys = (page) => page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('anypoint-signin:pending:')));
const sessionKeys = (page) => page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('anypoint-signin:session:')));

// An id_token with `claims` and a signature nobody made: the element checks claims, not signatures (SECURITY.md).
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const forge = (claims) => `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.c2lnbmF0dXJl`;
const claimsOf = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

// The real server's answers to the `grant` requests of the token endpoint, as `change(json)` rewrites them.
function rewriteTokens(page, grant, change) {
  return page.route(isToken, async (route) => {
    if (grantOf(route) !== grant) return route.continue();
    const response = await route.fetch();
    route.fulfill({ response, json: change(await response.json()) });
  });
}

// Listens on the element itself, then takes it out of the document (whose listeners no longer hear it):
// what it fires from then on is in window.__after.
const removeListened = (page) => page.evaluate((names) => {
  const el = document.getElementById('signin');
  window.__after = [];
  for (const type of names) el.addEventListener(type, () => window.__after.push(type));
  el.remove();
}, EVENTS);

// A hostile authorization server: a discovery document naming itself as issuer, with its own endpoints.
const hostileServer = () => foreignServer((request, url) => {
  if (request.path !== '/oauth2/.well-known/openid-configuration') return { status: 400, json: { error: 'invalid_grant' } };
  const at = (path) => `${url}/oauth2/${path}`;
  return { status: 200, json: { issuer: `${url}/oauth2`, authorization_endpoint: at('authorize'), token_endpoint: at('token'),
    userinfo_endpoint: at('userinfo'), revocation_endpoint: at('revoke'), response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'] } };
});
const tokenRequestsTo = (server) => server.requests.filter((r) => r.path.endsWith('/token')).map((r) => `${r.method} ${r.body}`);

describe('mix-up through the element that takes the callback', () => {
  test('authority changed between the click and the callback: attempt_mismatch, nothing sent to the new one', async (t) => {
    const hostile = await hostileServer();
    t.after(hostile.close);
    const page = await newPage(browser);
    const callback = await captureCallback(page, `${demo.origin}/configured.html`);
    await configure(page, [{ id: 'signin', authority: `${hostile.url}/oauth2` }]);
    page.consoleErrors = []; // captureCallback's refused script
    await page.goto(callback.href);
    await settled(page);
    assert.deepEqual(tokenRequestsTo(hostile), [], 'the code and verifier went to the hostile token endpoint');
    await assertRefused(page, 'attempt_mismatch');
    assert.deepEqual(await pendingKeys(page), [], 'the attempt is consumed');
  });

  test('attributes a framework sets right after connecting the element: it still finishes its own sign-in', async () => {
    const page = await newPage(browser);
    const callback = await captureCallback(page, `${demo.origin}/late-attributes.html`);
    page.consoleErrors = [];
    await page.goto(callback.href);
    assert.equal((await waitForEvent(page, 'anypoint-signin')).detail.profile.name, 'Max Mule');
    assert.deepEqual(await events(page, 'anypoint-signin-error'), []);
    assert.ok(!/[?&](code|state)=/.test(page.url()), `URL cleaned: ${page.url()}`);
  });

  test('clientid changed between the click and the callback: attempt_mismatch, the code never redeemed', async () => {
    const page = await newPage(browser);
    const callback = await captureCallback(page, `${demo.origin}/configured.html`);
    await configure(page, [{ id: 'signin', clientid: 'anypoint-signin-short' }]);
    page.consoleErrors = [];
    const tokenRequests = [];
    page.on('request', (r) => { if (isToken(new URL(r.url()))) tokenRequests.push(r.url()); });
    await page.goto(callback.href);
    await assertRefused(page, 'attempt_mismatch');
    assert.deepEqual(tokenRequests, []);
    assert.deepEqual(await pendingKeys(page), [], 'the attempt is consumed');
  });

  test('redirecturi changed between the click and the callback: the response still leaves the address bar, and its element finishes it', async () => {
    const page = await newPage(browser);
    const callback = await captureCallback(page, `${demo.origin}/configured.html`);
    await configure(page, [{ id: 'signin', redirecturi: `${demo.origin}/index.html` }]);
    page.consoleErrors = [];
    await page.goto(callback.href);
    assert.equal((await waitForEvent(page, 'anypoint-signin')).detail.profile.name, 'Max Mule');
    assert.ok(!/[?&](code|state)=/.test(page.url()), `URL cleaned: ${page.url()}`);
    assert.deepEqual(page.consoleErrors, []);
  });

  test('two elements of one client: the one naming a hostile authority does not take the other\'s callback', async (t) => {
    const hostile = await hostileServer();
    t.after(hostile.close);
    const page = await newPage(browser);
    await configure(page, [{ id: 'evil', authority: `${hostile.url}/oauth2` }, { id: 'signin' }]);
    await open(page, `${demo.origin}/configured.html`);
    await signIn(page);
    await settled(page);
    assert.deepEqual(tokenRequestsTo(hostile), [], 'the code and verifier went to the hostile token endpoint');
    const signin = await waitForEvent(page, 'anypoint-signin', 'signin');
    assert.equal(signin.detail.profile.name, 'Max Mule');
  });
});

describe('exchangeuri', () => {
  test('spellings the browser resolves to another origin are refused; "/api/exchange" still works', async (t) => {
    const thief = await foreignServer();
    t.after(thief.close);
    const host = thief.url.slice('http://'.length);
    const variants = exchangeUriVariants(host);
    const ours = [demo.origin, new URL(demo.issuer).origin];
    const seen = {};
    for (const [name, uri] of Object.entries(variants)) {
      const page = await newPage(browser);
      const elsewhere = [];
      // Asked by the site's pages (the server's login page has its own, fonts among them).
      page.on('request', (r) => {
        const url = new URL(r.url());
        if (r.frame().url().startsWith(demo.origin) && /^https?:$/.test(url.protocol) && !ours.includes(url.origin)) {
          elsewhere.push(`${r.method()} ${url.href}`);
        }
      });
      await configure(page, [{ id: 'signin', clientid: 'anypoint-signin-confidential', exchangeuri: uri }]);
      await open(page, `${demo.origin}/configured.html`);
      if (await page.locator('#signin button').isEnabled()) {
        // Accepted: the user signs in, and the callback page exchanges the code wherever it points.
        await signIn(page);
        await settled(page);
      } else {
        await page.evaluate(() => document.getElementById('signin').signIn());
      }
      seen[name] = { error: (await events(page, 'anypoint-signin-error'))[0]?.detail.code ?? null,
        elsewhere, stolen: thief.requests.splice(0).map((r) => `${r.method} ${r.path}`) };
      await page.context().close();
    }

    // The backend of backend.html, a path on the site, still exchanges the code.
    const page = await newPage(browser);
    const exchanged = page.waitForResponse((r) => r.url() === `${demo.origin}/api/exchange`);
    await open(page, `${demo.origin}/backend.html`);
    await signIn(page);
    assert.equal((await waitForEvent(page, 'anypoint-signin')).detail.profile.name, 'Max Mule');
    assert.equal((await exchanged).status(), 200);

    const refused = { error: 'invalid_exchange_uri', elsewhere: [], stolen: [] };
    assert.deepEqual(seen, Object.fromEntries(Object.keys(variants).map((name) => [name, refused])));
  });
});

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

describe('the element taken out of the page, or moved', () => {
  // Holds the code exchange's answer back until `release` resolves; `reached` resolves when it is held.
  function holdExchange(page) {
    let reach, release;
    const reached = new Promise((r) => { reach = r; });
    const released = new Promise((r) => { release = r; });
    const done = page.route(isToken, async (route) => {
      reach();
      await sleep(1500);
      await route.continue().catch(() => {}); // the element may have dropped the request
      release();
    });
    return { done, reached, released };
  }

  // Signs in on the index page; resolves once the code exchange's answer is held back.
  async function signInHeld(page) {
    const hold = holdExchange(page);
    await hold.done;
    await open(page, `${demo.origin}/`);
    await signIn(page);
    await hold.reached;
    return hold;
  }

  test('removed mid-exchange: no event from it afterwards, no error', async () => {
    const page = await newPage(browser);
    const hold = await signInHeld(page);
    await removeListened(page);
    await hold.released;
    await sleep(1000); // nothing must happen: the time for the answer to be read and acted on
    assert.deepEqual(await page.evaluate(() => window.__after), []);
    assert.deepEqual(await events(page, 'anypoint-signin'), []);
    assert.deepEqual(page.consoleErrors, []);
  });

  test('removed by an anypoint-signin listener, with a token about to expire: no anypoint-signout from it', async () => {
    const page = await newPage(browser);
    await rewriteTokens(page, 'authorization_code', (json) => ({ ...json, expires_in: 2 }));
    // A page that swaps the sign-in out once the user is in: it removes the element as the event arrives.
    await page.addInitScript((names) => {
      document.addEventListener('anypoint-signin', (event) => {
        const el = event.target;
        window.__after = [];
        for (const type of names) el.addEventListener(type, () => window.__after.push(type));
        el.remove();
      }, { once: true });
    }, EVENTS);
    await open(page, `${demo.origin}/`);
    await signIn(page);
    await waitForEvent(page, 'anypoint-signin');
    await sleep(4000); // nothing must happen, past the expiry
    assert.deepEqual((await page.evaluate(() => window.__after)).filter((type) => type === 'anypoint-signout'), []);
    assert.deepEqual(page.consoleErrors, []);
  });

  test('moved to another container mid-exchange: signed in, shown, one anypoint-signin, session stored', async () => {
    const page = await newPage(browser);
    const hold = await signInHeld(page);
    await page.evaluate(() => document.body.appendChild(document.createElement('section')).appendChild(document.getElementById('signin')));
    await hold.released;
    await waitForEvent(page, 'anypoint-signin');
    const shown = await becomes(page, () => {
      const el = document.getElementById('signin');
      return el.signedIn && /Max Mule/.test(el.shadowRoot.textContent) && /Sign out/.test(el.shadowRoot.textContent);
    }, null, 5000);
    assert.equal(await page.evaluate(() => document.getElementById('signin').signedIn), true, 'el.signedIn');
    assert.ok(shown, `the element shows: ${await shadowText(page)}`);
    assert.equal((await events(page, 'anypoint-signin')).length, 1);
    assert.equal((await sessionKeys(page)).length, 1, 'the session is stored');
    assert.deepEqual(page.consoleErrors, []);
  });

  test('an anypoint-signout listener that removes the element: no error, the event fired', async () => {
    const page = await newPage(browser);
    await open(page, `${demo.origin}/`);
    await signIn(page);
    await waitForEvent(page, 'anypoint-signin');
    const thrown = await page.evaluate(() => {
      const el = document.getElementById('signin');
      el.addEventListener('anypoint-signout', () => el.remove());
      try { el.signOut(); return null; } catch (e) { return String(e); }
    });
    assert.equal((await waitForEvent(page, 'anypoint-signout')).detail.reason, 'user');
    await page.evaluate(() => new Promise((r) => setTimeout(r, 100))); // errors of the listener reach the test
    assert.equal(thrown, null);
    assert.deepEqual(page.consoleErrors, []);
  });
});

describe('a host that already has a shadow root', () => {
  test('a closed declarative shadow root: shadow_root_unavailable, no uncaught error', async () => {
    const page = await newPage(browser);
    const uncaught = [];
    page.on('pageerror', (e) => uncaught.push(String(e)));
    await page.goto(`${demo.origin}/closed-shadow.html`);
    await page.waitForFunction(() => customElements.get('anypoint-signin'));
    await becomes(page, () => window.__events.some((e) => e.type === 'anypoint-signin-error'), null, 5000);
    assert.deepEqual(uncaught, []);
    const error = await waitForEvent(page, 'anypoint-signin-error');
    assert.equal(error.detail.code, 'shadow_root_unavailable', error.detail.message);
    assert.ok(page.consoleErrors.some((m) => m.includes('shadow_root_unavailable')), 'logged to the console');
  });
});
