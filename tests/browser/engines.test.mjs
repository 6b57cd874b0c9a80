// What depends on the browser engine, in Firefox (Debian's firefox-esr) and WebKit (WebKitGTK's MiniBrowser)
// through tests/browser/engines.mjs, against the real local authorization server: the whole sign-in by
// redirect and by popup, with DPoP (the engine's Web Crypto signs the proofs, its IndexedDB keeps the key across
// a reload), restore on reload, sign-out, renewal shared by two tabs (Web Locks and BroadcastChannel), the
// strict CSP with Trusted Types, the attacks whose outcome rests on the browser's URL parsing, postMessage
// origins and Referer, and the look (screenshots in tests/artifacts/engine-*.png).
// Chromium runs every other suite; ENGINES=chromium,firefox,webkit runs this one in all three.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clickButton, ENGINES, logIn, open, shadowText, signIn, sitePages, startEngine, waitForEvent } from './engines.mjs';
import { exchangeUriVariants, foreignServer, introspect, jwtParts, OVERFLOWING, REFUSED_ATTRIBUTES, site, thumbprint } from './support.mjs';

let pages, demo;
before(async () => {
  pages = await sitePages();
  demo = await site({ pages: pages.dir });
});
after(async () => { await demo?.close(); await pages?.close(); });

// The token requests that count: one the server answered with a DPoP nonce challenge is sent again with the
// nonce (the short-lived client of refresh.html must send one: oidc-server.mjs).
const tokenFetches = (fetches) => fetches.filter((f) => new URL(f.url).pathname.endsWith('/token') && f.error !== 'use_dpop_nonce');
// Whether the server takes `token` as live (its introspection: a DPoP-bound token works only with the page's key).
const active = async (token) => (await introspect(demo.issuer, token)).active;
const signedInAs = (t, name) => t.waitFor((n) => document.getElementById('signin').shadowRoot.textContent.includes(`Signed in as ${n}`), name);

// The element's fetch() of the userinfo endpoint, in the tab: its status and the user it names, or why it rejected.
const fetchUserinfo = (t) => t.evaluate(async (url) => {
  try {
    const response = await document.getElementById('signin').fetch(url);
    return { status: response.status, sub: response.ok ? (await response.json()).sub : null };
  } catch (e) {
    return { rejected: `${e?.code}: ${e?.message}` };
  }
}, `${demo.issuer}/userinfo`);

// Until the server says `token` no longer works: the element revokes it after the sign-out, in the background.
async function revoked(token) {
  for (const deadline = Date.now() + 15000; await active(token);) {
    if (Date.now() > deadline) throw new Error('the access token still works');
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Waits for an accesstokenchange whose token is none of `seen`, and returns it.
async function nextToken(t, seen) {
  await t.waitFor((old) => window.__events.some((e) => e.type === 'accesstokenchange' && e.detail.value && !old.includes(e.detail.value)),
    seen, 20000);
  return (await t.events('accesstokenchange')).map((e) => e.detail.value).find((v) => v && !seen.includes(v));
}

for (const name of ENGINES) {
  describe(name, () => {
    let engine;
    before(async () => {
      engine = await startEngine(name);
      console.log(`  ${name}: ${engine.version}`);
    });
    after(() => engine?.close());
    // A new profile for each test (closed after it), and its first tab.
    const profile = async (t) => {
      const p = await engine.newProfile();
      t.after(() => p.close());
      return p;
    };
    const newTab = async (t) => (await profile(t)).newTab();

    test('by redirect: signs in on a clean URL, restores on reload without a new exchange, signs out and revokes', async (t) => {
      const tab = await newTab(t);
      await open(tab, `${demo.origin}/`);
      assert.match(await shadowText(tab), /Sign in with Anypoint Platform/);
      await signIn(tab, demo.origin);
      const signin = await waitForEvent(tab, 'anypoint-signin');
      assert.equal(signin.detail.profile.name, 'Max Mule');
      assert.ok(signin.composed, 'events cross the shadow boundary');
      assert.equal(signin.href, `${demo.origin}/`, 'code and state were gone before the event fired');
      assert.equal(await tab.url(), `${demo.origin}/`);
      const exchanges = tokenFetches(await tab.fetches());
      assert.equal(exchanges.length, 1);
      await signedInAs(tab, 'Max Mule');
      await tab.screenshot(`tests/artifacts/engine-${name}-signed-in.png`);

      // DPoP with this engine's Web Crypto: an ES256 proof with the token request, a token bound to its key, and
      // the element's fetch() presenting it (the server checks the signature).
      assert.equal(signin.detail.tokenType, 'DPoP');
      assert.equal(await tab.evaluate(() => document.getElementById('signin').tokenType), 'DPoP');
      assert.ok(exchanges[0].proof, 'the token request carried a DPoP proof');
      const proof = jwtParts(exchanges[0].proof);
      assert.deepEqual([proof.header.typ, proof.header.alg, proof.payload.htm, proof.payload.htu],
        ['dpop+jwt', 'ES256', 'POST', `${demo.issuer}/token`]);
      assert.equal((await introspect(demo.issuer, signin.detail.accessToken)).cnf?.jkt, thumbprint(proof.header.jwk));
      assert.deepEqual(await fetchUserinfo(tab), { status: 200, sub: 'max.mule' });

      await tab.reload();
      const restored = await waitForEvent(tab, 'anypoint-signin');
      assert.equal(restored.detail.accessToken, signin.detail.accessToken, 'storage=session keeps the sign-in');
      assert.deepEqual(tokenFetches(await tab.fetches()), [], 'restored without a new exchange');
      assert.equal(await active(signin.detail.accessToken), true);
      assert.deepEqual(await fetchUserinfo(tab), { status: 200, sub: 'max.mule' }, 'the key came back from IndexedDB');

      await clickButton(tab, { hasText: 'Sign out' });
      assert.equal((await waitForEvent(tab, 'anypoint-signout')).detail.reason, 'user');
      await revoked(signin.detail.accessToken);
      assert.match(await shadowText(tab), /Sign in with Anypoint Platform/);
      assert.deepEqual(await tab.errors(), []);
      await open(tab, `${demo.origin}/`);
      assert.deepEqual(await tab.events('anypoint-signin'), [], 'signed out stays signed out');
    });

    test('on a page that leaks its URL in Referer: nothing but the element\'s own files is requested before the callback is cleaned', async (t) => {
      const tab = await newTab(t);
      await open(tab, `${demo.origin}/unsafe-referrer.html`);
      await signIn(tab, demo.origin);
      await waitForEvent(tab, 'anypoint-signin');
      const fetches = await tab.fetches();
      // A request's Referer is the address bar when it is made.
      const withCode = fetches.filter((f) => /[?&]code=/.test(f.href));
      assert.ok(withCode.length > 0, 'the page arrived with the code (the test can fail)');
      for (const f of withCode) assert.ok(f.url.startsWith(`${demo.origin}/anypoint-signin/`), `${f.url} requested from ${f.href}`);
      assert.deepEqual(tokenFetches(fetches).map((f) => [f.url, f.href]),
        [[`${demo.issuer}/token`, `${demo.origin}/unsafe-referrer.html`]]);
      assert.deepEqual(await tab.errors(), []);
    });

    test('by popup: the opener exchanges the code, stays on its page, and ignores a message from another window', async (t) => {
      const tab = await newTab(t);
      await open(tab, `${demo.origin}/popup.html`);
      const popup = await tab.popup(() => clickButton(tab));
      // A forged response from a window that is not the popup (the page itself) changes nothing.
      await tab.evaluate(() => window.postMessage({ type: 'anypoint-signin:callback', query: '?code=forged&state=forged' }, '*'));
      await logIn(popup, demo.origin);
      const signin = await waitForEvent(tab, 'anypoint-signin');
      assert.equal(signin.detail.profile.name, 'Max Mule');
      assert.equal(await tab.url(), `${demo.origin}/popup.html`);
      assert.equal(tokenFetches(await tab.fetches()).length, 1, 'the opener exchanged the code');
      assert.deepEqual(await tab.events('anypoint-signin-error'), [], 'the forged message was not taken');
      await signedInAs(tab, 'Max Mule');
      for (const deadline = Date.now() + 15000; !(await popup.isClosed());) {
        assert.ok(Date.now() < deadline, 'the popup closes itself');
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.deepEqual(await tab.errors(), []);
    });

    test('two tabs share the session and one renewal (Web Locks, BroadcastChannel); sign-out reaches both', async (t) => {
      const p = await profile(t);
      const a = await p.newTab();
      await open(a, `${demo.origin}/refresh.html`);
      await signIn(a, demo.origin);
      const first = (await waitForEvent(a, 'anypoint-signin')).detail;
      const b = await p.newTab();
      await open(b, `${demo.origin}/refresh.html`);
      assert.equal((await waitForEvent(b, 'anypoint-signin')).detail.accessToken, first.accessToken, 'asked the first tab');

      const renewed = await nextToken(a, [first.accessToken]);
      assert.equal(await nextToken(b, [first.accessToken]), renewed, 'both tabs hold the one renewed token');
      // a's first token request (that counts) was the code exchange; every other is a refresh.
      const refreshes = [...tokenFetches(await a.fetches()).slice(1), ...tokenFetches(await b.fetches())];
      assert.equal(refreshes.length, 1, 'one refresh request for two tabs');
      assert.ok(refreshes[0].at < first.expiresAt, 'renewed before the old token expired');
      assert.equal(await active(renewed), true, 'the renewed token works');
      // The tabs share the session's DPoP key: each presents the renewed token.
      for (const tab of [a, b]) assert.equal((await fetchUserinfo(tab)).status, 200);

      await clickButton(a, { hasText: 'Sign out' });
      assert.equal((await waitForEvent(b, 'anypoint-signout')).detail.reason, 'user');
      assert.deepEqual([...await a.errors(), ...await b.errors()], []);
    });

    test('under the strict CSP with Trusted Types (where the engine has them): signs in and out, no violation', async (t) => {
      const tab = await newTab(t);
      await open(tab, `${demo.origin}/strict-csp.html`);
      const types = await tab.evaluate(() => {
        const has = 'trustedTypes' in window;
        try { document.createElement('div').innerHTML = '<b>x</b>'; return { has, enforced: false }; } catch { return { has, enforced: true }; }
      });
      console.log(`  ${name}: Trusted Types ${types.has ? 'enforced' : 'not implemented: the page runs without them'}`);
      assert.equal(types.enforced, types.has, 'an engine with Trusted Types enforces them here (the test can fail)');
      await tab.evaluate(() => { window.__errors = []; }); // the violation just provoked
      await signIn(tab, demo.origin);
      const signin = await waitForEvent(tab, 'anypoint-signin');
      await signedInAs(tab, 'Max Mule');
      await clickButton(tab, { hasText: 'Sign out' });
      await waitForEvent(tab, 'anypoint-signout');
      await revoked(signin.detail.accessToken);
      assert.deepEqual(await tab.errors(), []);
    });

    test('attribute values this engine\'s URL parser takes elsewhere are refused before any request', async (t) => {
      const thief = await foreignServer();
      t.after(thief.close);
      const refused = [...REFUSED_ATTRIBUTES, ...Object.values(exchangeUriVariants(thief.url.slice('http://'.length)))
        .map((uri) => ['exchangeuri', uri, 'invalid_exchange_uri'])];
      const tab = await newTab(t);
      await open(tab, `${demo.origin}/`);
      // One element for each, on one page; then signIn() on each must go nowhere.
      const codes = await tab.evaluate(async (cases) => {
        cases.forEach(([attribute, value], i) => {
          const el = document.createElement('anypoint-signin');
          el.id = `x${i}`;
          for (const [k, v] of Object.entries({ clientid: 'anypoint-signin-confidential', redirecturi: `${location.origin}/`,
            authority: document.getElementById('signin').getAttribute('authority'), [attribute]: value })) el.setAttribute(k, v);
          document.body.append(el);
        });
        const errorOf = (i) => window.__events.find((e) => e.type === 'anypoint-signin-error' && e.target === `x${i}`);
        for (let n = 0; n < 100 && !cases.every((_, i) => errorOf(i)); n++) await new Promise((r) => setTimeout(r, 50));
        window.__still = true;
        cases.forEach((_, i) => document.getElementById(`x${i}`).signIn());
        return cases.map((_, i) => errorOf(i)?.detail.code ?? null);
      }, refused);
      assert.deepEqual(codes, refused.map(([, , code]) => code));
      await tab.waitFor((n) => window.__events.filter((e) => e.type === 'anypoint-signin-error').length === 2 * n, refused.length);
      assert.equal(await tab.evaluate(() => window.__still && location.href), `${demo.origin}/`, 'signIn() went nowhere');
      assert.deepEqual((await tab.fetches()).filter((f) => !f.url.startsWith(demo.origin) && !f.url.startsWith(demo.issuer)), []);
      assert.deepEqual(thief.requests, []);
    });

    test('the look: themes and languages, signed out and in, nothing overflows (screenshots)', async (t) => {
      const tab = await newTab(t);
      const gallery = async (query) => {
        await tab.goto(`${demo.origin}/looks.html${query}`);
        await tab.waitFor(() => [...document.querySelectorAll('anypoint-signin')].every((e) => e.shadowRoot?.querySelector('button')));
      };
      const background = () => tab.evaluate(() => getComputedStyle(document.getElementById('signin').shadowRoot.querySelector('button')).backgroundColor);
      for (const [theme, expected] of [['light', 'rgb(255, 255, 255)'], ['dark', 'rgb(27, 37, 48)']]) {
        await gallery(`?theme=${theme}`);
        assert.equal(await background(), expected, theme);
        assert.deepEqual(await tab.evaluate(OVERFLOWING), [], theme);
        await tab.screenshot(`tests/artifacts/engine-${name}-${theme}.png`);
      }
      await gallery('?locales=1');
      const labels = await tab.evaluate(() => [...document.querySelectorAll('anypoint-signin[size=medium]')]
        .map((e) => e.shadowRoot.querySelector('button').textContent));
      assert.deepEqual(labels, ['Sign in with Anypoint Platform', 'Iniciar sesión con Anypoint Platform',
        'Se connecter avec Anypoint Platform', 'Mit Anypoint Platform anmelden', 'Anypoint Platform でサインイン',
        'Entrar com a Anypoint Platform']);
      await signIn(tab, demo.origin);
      await waitForEvent(tab, 'anypoint-signin');
      await gallery('?locales=1');
      await tab.waitFor(() => [...document.querySelectorAll('anypoint-signin')].every((e) => /Max Mule/.test(e.shadowRoot.textContent)));
      assert.deepEqual(await tab.evaluate(OVERFLOWING), []);
      await tab.screenshot(`tests/artifacts/engine-${name}-locales-signed-in.png`);
      assert.deepEqual(await tab.errors(), []);
    });
  });
}
