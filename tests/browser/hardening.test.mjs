// Hardening: attacks beyond attacks.test.mjs and faults.test.mjs, each performed in Chromium against the real
// local authorization server: a callback taken by the wrong element (mix-up), exchangeuri abuse, the element
// taken out of the page or moved mid-flow, a host that already has a shadow root. Where an attack needs another
// origin (a hostile authorization server, a thief), a recording server on loopback plays it (foreignServer),
// so that what the browser would send there is seen, not assumed. SECURITY.md lists them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertRefused, captureCallback, EVENTS, events, exchangeUriVariants, foreignServer, launch, newPage, open, shadowText, signIn, site, waitForEvent } from './support.mjs';
import { isToken, sleep, configure, settled, becomes, pendingKeys, sessionKeys, rewriteTokens, removeListened, hostileServer, tokenRequestsTo } from './hardening.mjs';

let browser, demo;
before(async () => { [browser, demo] = await Promise.all([launch(), site()]); });
after(async () => { await browser?.close(); await demo?.close(); });

describe('mix-up through the element that takes the callback', () => {
  test('authority changed between the click and the callback: attempt_mismatch, nothing sent to the new one', async (t) => {
    const hostile = await hostileServer();
    t.after(hostile.close);
    const page = await newPage(browser);
    const callback = await captureCallback(page, `${demo.origin}/configured.html`);
    await configure(page, demo.origin, [{ id: 'signin', authority: `${hostile.url}/oauth2` }]);
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
    await configure(page, demo.origin, [{ id: 'signin', clientid: 'anypoint-signin-short' }]);
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
    await configure(page, demo.origin, [{ id: 'signin', redirecturi: `${demo.origin}/index.html` }]);
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
    await configure(page, demo.origin, [{ id: 'evil', authority: `${hostile.url}/oauth2` }, { id: 'signin' }]);
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
      await configure(page, demo.origin, [{ id: 'signin', clientid: 'anypoint-signin-confidential', exchangeuri: uri }]);
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
