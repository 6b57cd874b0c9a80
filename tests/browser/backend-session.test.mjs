// The element with each backend library as a token-mediating backend (RFC 10017), against the real local
// authorization server, whose confidential client's access tokens last seconds here: the refresh token never
// reaches the page, renewals go through the backend and rotate it, storage="memory" survives a reload from the
// backend alone, two tabs opening together refresh once, sign-out revokes at the provider, and a backend of the
// earlier contract (that hands the refresh token out) is not trusted with one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIDENTIAL_CLIENT } from '../../playground/oidc-server.mjs';
import { SECRET, nodeSite, rustSite, unseal } from './backends.mjs';
import { events, launch, newPage, open, signIn, waitForEvent } from './support.mjs';

const SECONDS = 6;
let browser;
const backends = {};
before(async () => {
  [browser, backends.node, backends.rust] = await Promise.all([launch(), nodeSite({ confidentialSeconds: SECONDS }),
    rustSite({ confidentialSeconds: SECONDS })]);
});
after(async () => {
  await browser?.close();
  await Promise.all(Object.values(backends).map((b) => b.close()));
});

// The backend requests of a browser context as they are sent, each with (a promise of) its answer's text.
function recordBackend(context) {
  const calls = [];
  context.on('request', (r) => {
    if (new URL(r.url()).pathname !== '/api/exchange') return;
    calls.push({ body: r.postDataJSON(), answer: r.response().then((a) => a?.text()).catch(() => null) });
  });
  return calls;
}
const kinds = (calls) => calls.map(({ body }) => body.action ?? body.grant_type ?? 'authorization_code');

// The refresh token the backend keeps for the context, read from its HttpOnly cookie (which no page script sees).
async function keptToken(context) {
  const cookie = (await context.cookies()).find((c) => c.name === 'anypoint-signin');
  return cookie && unseal(cookie.name, cookie.value).refresh_token;
}

// Everything a script of the page could read: storage, cookies, the events' details.
const readable = (page) => page.evaluate(() => JSON.stringify({ session: { ...sessionStorage }, local: { ...localStorage },
  cookie: document.cookie, events: window.__events }));

async function active(backend, token) {
  const answer = await fetch(`${backend.issuer}/introspect`, { method: 'POST',
    body: new URLSearchParams({ token, client_id: CONFIDENTIAL_CLIENT, client_secret: SECRET }) });
  return (await answer.json()).active;
}

const signedIn = (page) => page.evaluate(() => document.getElementById('signin').signedIn);

for (const name of ['node', 'rust']) {
  describe(`the element through the ${name} backend`, () => {
    test('the refresh token reaches no page script; the backend renews, rotating it', async () => {
      const backend = backends[name];
      const page = await newPage(browser);
      const calls = recordBackend(page.context());
      await open(page, `${backend.origin}/backend-offline.html`);
      await signIn(page);
      const first = (await waitForEvent(page, 'anypoint-signin')).detail;
      const token = await keptToken(page.context());
      assert.ok(token && await active(backend, token), 'the provider issued a refresh token (the test can fail)');
      assert.match(await page.evaluate(() => document.cookie), /^anypoint-signin-hint=1$/, 'the hint alone');
      // Renewed through the backend before the access token's few seconds run out.
      await page.waitForFunction((at) => window.__events.some((e) => e.type === 'anypoint-signin' && e.detail.accessToken !== at),
        first.accessToken, { timeout: SECONDS * 1000 });
      const rotated = await keptToken(page.context());
      assert.notEqual(rotated, token, 'rotated, and kept by the backend');
      assert.deepEqual(kinds(calls), ['authorization_code', 'refresh_token']);
      assert.deepEqual(calls[1].body, { grant_type: 'refresh_token', client_id: CONFIDENTIAL_CLIENT }, 'no token sent');
      const answers = await Promise.all(calls.map((c) => c.answer));
      assert.ok(answers.every((a) => a?.includes('access_token')), 'every answer read');
      const seen = [await readable(page), ...answers, ...page.consoleErrors, ...page.consoleWarnings].join('\n');
      for (const refresh of [token, rotated]) assert.ok(!seen.includes(refresh), 'in no storage, cookie, event, answer or console line');
      assert.deepEqual(await events(page, 'anypoint-signin-error'), []);
      await page.context().close();
    });

    test('storage="memory": a reload signs in again from the backend alone; sign-out revokes there', async () => {
      const backend = backends[name];
      const page = await newPage(browser);
      const calls = recordBackend(page.context());
      await open(page, `${backend.origin}/backend-memory.html`);
      await signIn(page);
      const first = (await waitForEvent(page, 'anypoint-signin')).detail;
      assert.equal(await page.evaluate(() => Object.keys(sessionStorage).some((k) => k.includes(':session:'))), false);
      await page.reload();
      const restored = (await waitForEvent(page, 'anypoint-signin')).detail;
      assert.notEqual(restored.accessToken, first.accessToken);
      assert.equal(restored.profile.name, 'Max Mule', 'the user, from the new id_token');
      assert.deepEqual(kinds(calls), ['authorization_code', 'refresh_token'], 'one refresh');

      const token = await keptToken(page.context());
      await page.evaluate(() => document.getElementById('signin').signOut());
      await waitForEvent(page, 'anypoint-signout');
      await page.waitForFunction(() => !document.cookie.includes('anypoint-signin-hint'));
      assert.deepEqual(kinds(calls).at(-1), 'sign_out');
      assert.equal(await active(backend, token), false, 'revoked at the provider');
      assert.equal(await keptToken(page.context()), undefined, 'the cookie is gone');
      // A signed-out visitor's page asks the backend nothing.
      const before = calls.length;
      await page.reload();
      await page.waitForFunction(() => document.getElementById('signin')?.shadowRoot?.childElementCount);
      await page.waitForTimeout(500);
      assert.equal(calls.length, before);
      assert.equal(await signedIn(page), false);
      await page.context().close();
    });
  });
}

describe('another site\'s page, with the session cookie in the browser', () => {
  for (const name of ['node', 'rust']) {
    test(`${name}: its form and its script are refused (403), and the session is untouched`, async () => {
      const backend = backends[name];
      const page = await newPage(browser);
      await open(page, `${backend.origin}/backend-offline.html`);
      await signIn(page);
      await waitForEvent(page, 'anypoint-signin');
      const token = await keptToken(page.context());
      const answers = [];
      page.on('response', (r) => { if (r.url().endsWith('/api/exchange')) answers.push(r.status()); });
      // localhost is another site than 127.0.0.1: the same server, reached under another name.
      await page.goto(`${backend.origin.replace('127.0.0.1', 'localhost')}/backend-offline.html`);
      const target = `${backend.origin}/api/exchange`;
      await page.evaluate((url) => fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include',
        body: JSON.stringify({ action: 'sign_out', client_id: 'anypoint-signin-confidential' }) }), target);
      await Promise.all([page.waitForNavigation(), page.evaluate((url) => {
        const form = Object.assign(document.createElement('form'), { method: 'POST', action: url, enctype: 'text/plain' });
        form.append(Object.assign(document.createElement('input'), { name: '{"grant_type":"refresh_token","x":"', value: '"}' }));
        document.body.append(form);
        form.submit();
      }, target)]);
      assert.deepEqual(answers, [403, 403]);
      assert.match(await page.content(), /access_denied/);
      assert.equal(await keptToken(page.context()), token, 'the cookie is as it was');
      assert.equal(await active(backend, token), true, 'and its refresh token too');
      await page.context().close();
    });
  }
});

describe('the element, through the rust backend', () => {
  test('two tabs opening with only the backend session: one refresh, both signed in', async () => {
    const backend = backends.rust;
    const context = await browser.newContext();
    const calls = recordBackend(context);
    const signing = await newPage(browser, context);
    await open(signing, `${backend.origin}/backend-offline.html`);
    await signIn(signing);
    await waitForEvent(signing, 'anypoint-signin');
    await signing.close();
    const tabs = await Promise.all([newPage(browser, context), newPage(browser, context)]);
    await Promise.all(tabs.map((tab) => tab.goto(`${backend.origin}/backend-offline.html`)));
    const sessions = await Promise.all(tabs.map((tab) => waitForEvent(tab, 'anypoint-signin')));
    assert.equal(sessions[0].detail.accessToken, sessions[1].detail.accessToken, 'one session, shared');
    assert.deepEqual(kinds(calls), ['authorization_code', 'refresh_token']);
    await context.close();
  });

  test('a backend of the earlier contract: its refresh token is dropped, never stored, and the developer told', async () => {
    const backend = backends.rust;
    const page = await newPage(browser);
    await page.route('**/api/exchange', async (route) => {
      const answer = await route.fetch();
      const tokens = { ...(await answer.json()), refresh_token: 'earlier-contract-refresh-token' };
      // As such a backend answers: the token in the body, no cookie.
      await route.fulfill({ status: answer.status(), contentType: 'application/json', body: JSON.stringify(tokens) });
    });
    await page.context().clearCookies();
    await open(page, `${backend.origin}/backend-offline.html`);
    await signIn(page);
    await waitForEvent(page, 'anypoint-signin');
    assert.ok(!(await readable(page)).includes('earlier-contract-refresh-token'));
    assert.ok(page.consoleWarnings.some((w) => w.includes('returned a refresh token, which the element does not keep')),
      page.consoleWarnings.join('\n'));
    await page.context().close();
  });
});
