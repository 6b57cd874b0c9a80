// A page written for the earlier Lit <anypoint-signin> (8.0.1) works when only its script changes: its
// attribute names, its events beside ours, its anypointcodeexchange with event.code and detail.result; and
// what cannot carry over (the implicit flow) is refused with a clear error. README: "Coming from the earlier
// element".
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, open, shadowText, signIn, site, waitForEvent } from './support.mjs';

let browser, demo;
before(async () => { [browser, demo] = await Promise.all([launch(), site()]); });
after(async () => { await browser?.close(); await demo?.close(); });

const EARLIER = ['anypointsignin', 'anypointsignout', 'anypointsigninawareerror', 'anypointcodeexchange'];

// A page that also records the earlier element's events, with what a handler of that time would read.
async function earlierPage() {
  const page = await newPage(browser);
  await page.addInitScript((names) => {
    window.__earlier = [];
    for (const type of names) {
      document.addEventListener(type, (e) => window.__earlier.push({ type, detail: e.detail, code: e.code,
        bubbles: e.bubbles, composed: e.composed }));
    }
  }, EARLIER);
  return page;
}

const earlier = (page, type) => page.evaluate((t) => window.__earlier.filter((e) => e.type === t), type);

test('a page written for the earlier element signs in and out, with its labels and its events', async () => {
  const page = await earlierPage();
  await open(page, `${demo.origin}/earlier.html`);
  assert.match(await shadowText(page), /Log in with Anypoint/, 'labelsignin');
  await signIn(page);
  const signin = await waitForEvent(page, 'anypoint-signin');
  await page.waitForFunction(() => window.__earlier.some((e) => e.type === 'anypointsignin'));
  const [old] = await earlier(page, 'anypointsignin');
  assert.equal(old.detail.accessToken, signin.detail.accessToken);
  assert.ok(old.bubbles && old.composed);
  assert.ok((await waitForEvent(page, 'signedinchange')).detail.value);
  assert.match(await shadowText(page), /Log out/, 'labelsignout');

  await page.locator('#signin button', { hasText: 'Log out' }).click();
  await page.waitForFunction(() => window.__earlier.some((e) => e.type === 'anypointsignout'));
  assert.equal((await earlier(page, 'anypointsignout'))[0].detail.reason, 'user');
  assert.deepEqual(page.consoleErrors, []);
});

test('anypointcodeexchange: the page redeems event.code (with the verifier) and hands back detail.result', async () => {
  const page = await earlierPage();
  const tokenRequests = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.endsWith('/token')) tokenRequests.push(r.url()); });
  await open(page, `${demo.origin}/earlier-exchange.html`);
  await signIn(page);
  const signin = await waitForEvent(page, 'anypoint-signin');
  assert.ok(signin.detail.accessToken);
  assert.equal(signin.detail.profile.name, 'Max Mule', 'the id_token the page forwarded was checked and read');
  const [exchange] = await earlier(page, 'anypointcodeexchange');
  assert.ok(exchange.code && exchange.code === exchange.detail.code, 'the code is on the event');
  assert.ok(exchange.detail.codeVerifier, 'and the verifier in its detail');
  assert.deepEqual(tokenRequests, [], 'the browser never called the token endpoint: the page\'s backend did');
  assert.deepEqual(page.consoleErrors, []);
});

test('authtype="implicit" is refused with a clear error, in both events', async () => {
  const page = await earlierPage();
  await page.goto(`${demo.origin}/earlier.html`);
  await page.evaluate(() => document.getElementById('signin').setAttribute('authtype', 'implicit'));
  const error = await waitForEvent(page, 'anypoint-signin-error');
  assert.equal(error.detail.code, 'invalid_attribute');
  assert.match(error.detail.message, /implicit.*authorization code and PKCE/);
  await page.waitForFunction(() => window.__earlier.some((e) => e.type === 'anypointsigninawareerror'));
  assert.equal((await earlier(page, 'anypointsigninawareerror'))[0].detail, error.detail.message);
});
