// The Leptos-native API in Chromium: examples/leptos-app (built by scripts/test.sh) signs in with the
// SignIn component, without the custom element, and its other components follow the session context.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, logIn, newPage, site, waitForEvent } from './support.mjs';

let browser, demo;
before(async () => { [browser, demo] = await Promise.all([launch(), site()]); });
after(async () => { await browser?.close(); await demo?.close(); });

test('the SignIn component signs in, and the app reads the session from context', async () => {
  const page = await newPage(browser);
  await page.goto(`${demo.origin}/leptos.html`);
  const signInButton = page.getByRole('button', { name: 'Sign in with Anypoint Platform' });
  await signInButton.waitFor();
  assert.equal(await page.evaluate(() => customElements.get('anypoint-signin')), undefined, 'no custom element');
  await page.getByText('Not signed in.').waitFor();

  const from = page.navigations.length;
  await signInButton.click();
  await logIn(page, { from });
  const signin = await waitForEvent(page, 'anypoint-signin');
  await page.getByText(/^Hello, Max Mule\. Your access token ends in …/).waitFor();
  const tail = [...signin.detail.accessToken].reverse().slice(0, 4).join('');
  assert.ok((await page.locator('main').textContent()).includes(`ends in …${tail}.`), 'the token from context');
  assert.equal(page.url(), `${demo.origin}/leptos.html`);

  // The app's own button uses the context to sign out; the SignIn button follows.
  await page.locator('main button', { hasText: 'Sign out' }).click();
  assert.equal((await waitForEvent(page, 'anypoint-signout')).detail.reason, 'user');
  await page.getByText('Not signed in.').waitFor();
  await signInButton.waitFor();
  assert.deepEqual(page.consoleErrors, []);
});
