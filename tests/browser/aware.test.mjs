// <anypoint-signin-aware>: the headless element shares the button's session on the same page and across tabs,
// against the real local authorization server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { events, launch, newPage, open, shadowText, signIn, site, waitForEvent } from './support.mjs';

let browser, demo;
before(async () => { [browser, demo] = await Promise.all([launch(), site()]); });
after(async () => { await browser?.close(); await demo?.close(); });

const state = (page, id = 'aware') => page.evaluate((i) => {
  const e = document.getElementById(i);
  return { signedIn: e.signedIn, accessToken: e.accessToken, name: e.profile?.name ?? null };
}, id);

test('on the same page, the aware element follows the button and can sign out', async () => {
  const page = await newPage(browser);
  await open(page, `${demo.origin}/aware.html`);
  assert.deepEqual(await state(page), { signedIn: false, accessToken: null, name: null });
  assert.equal(await page.evaluate(() => document.getElementById('aware').shadowRoot), null, 'no UI');
  await signIn(page);
  const signin = await waitForEvent(page, 'anypoint-signin', 'aware');
  assert.equal(signin.detail.profile.name, 'Max Mule');
  const button = await state(page, 'signin');
  assert.deepEqual(await state(page), button);
  assert.deepEqual(button, { signedIn: true, accessToken: signin.detail.accessToken, name: 'Max Mule' });
  assert.equal(await page.evaluate(() => document.getElementById('signin').profile.email), 'max.mule@example.com');

  await page.evaluate(() => document.getElementById('aware').signOut());
  assert.equal((await waitForEvent(page, 'anypoint-signout', 'signin')).detail.reason, 'user');
  await page.waitForFunction(() => document.getElementById('signin').shadowRoot.textContent.includes('Sign in with'));
  assert.deepEqual(await state(page), { signedIn: false, accessToken: null, name: null });
  assert.deepEqual(page.consoleErrors, []);

  // Alone on a page, it still reports a bad attribute.
  await page.goto(`${demo.origin}/aware-only.html`);
  await page.waitForFunction(() => customElements.get('anypoint-signin-aware'));
  await page.evaluate(() => document.getElementById('aware').removeAttribute('clientid'));
  assert.equal((await waitForEvent(page, 'anypoint-signin-error', 'aware')).detail.code, 'missing_client_id');
});

test('across tabs: a new tab is signed in at once, and a sign-out anywhere signs out everywhere', async () => {
  const context = await browser.newContext();
  const a = await newPage(browser, context);
  await a.goto(`${demo.origin}/aware.html`);
  await signIn(a);
  const token = (await waitForEvent(a, 'anypoint-signin', 'signin')).detail.accessToken;

  const b = await newPage(browser, context);
  await b.goto(`${demo.origin}/aware-only.html`);
  await waitForEvent(b, 'anypoint-signin', 'aware');
  assert.deepEqual(await state(b), { signedIn: true, accessToken: token, name: 'Max Mule' });
  await b.waitForFunction(() => document.getElementById('who').textContent === 'Max Mule');

  await a.locator('#signin').getByRole('button', { name: 'Sign out' }).click();
  await waitForEvent(b, 'anypoint-signout', 'aware');
  await b.waitForFunction(() => document.getElementById('who').textContent === 'Nobody');
  assert.deepEqual(await state(b), { signedIn: false, accessToken: null, name: null });

  // Signing in from the other tab's button reaches this tab's aware element too.
  const c = await newPage(browser, context);
  await c.goto(`${demo.origin}/aware.html`);
  await signIn(c);
  const again = (await waitForEvent(c, 'anypoint-signin', 'signin')).detail.accessToken;
  await b.waitForFunction(() => document.getElementById('who').textContent === 'Max Mule');
  assert.equal((await state(b)).accessToken, again);
  assert.match(await shadowText(a), /Signed in as Max Mule/);
  assert.equal((await events(b, 'anypoint-signin-error')).length, 0);
  await context.close();
});

test('a page that signs out from its anypoint-signin listener: no other tab takes up the ended session', async () => {
  const context = await browser.newContext();
  const b = await newPage(browser, context);
  await b.goto(`${demo.origin}/aware-only.html`);
  await b.waitForFunction(() => customElements.get('anypoint-signin-aware'));
  const a = await newPage(browser, context);
  // The first sign-in of the tab is undone by the page at once, in the event's own dispatch.
  await a.addInitScript(() => document.addEventListener('anypoint-signin', (e) => {
    if (sessionStorage.getItem('undone')) return;
    sessionStorage.setItem('undone', '1');
    e.target.signOut();
  }));
  await open(a, `${demo.origin}/`);
  await signIn(a);
  const first = (await waitForEvent(a, 'anypoint-signin', 'signin')).detail.accessToken;
  await waitForEvent(a, 'anypoint-signout', 'signin');
  assert.equal(await a.evaluate(() => document.getElementById('signin').signedIn), false);

  // A second sign-in reaches the other tab; the first, ended before it was told, never did.
  await signIn(a);
  const second = (await waitForEvent(a, 'anypoint-signin', 'signin')).detail.accessToken;
  await b.waitForFunction(() => document.getElementById('who').textContent === 'Max Mule');
  assert.notEqual(first, second);
  assert.deepEqual((await events(b, 'anypoint-signin')).map((e) => e.detail.accessToken), [second]);
  await context.close();
});
