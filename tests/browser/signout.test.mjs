// Sign-out at the provider (signout="provider", OpenID Connect RP-Initiated Logout) against the real local
// server: the tokens are revoked, the user is sent to its end_session_endpoint and back, and the provider's
// session is gone (the next sign-in asks for the login again). Without an end_session_endpoint: here only, said so.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { events, launch, newPage, open, shadowText, signIn, site, waitForEvent } from './support.mjs';

let browser, demo;
before(async () => { [browser, demo] = await Promise.all([launch(), site()]); });
after(async () => { await browser?.close(); await demo?.close(); });

test('signout="provider" revokes, ends the provider session, and comes back to the redirect URI', async () => {
  const page = await newPage(browser);
  const revocations = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.endsWith('/revoke')) revocations.push(r.url()); });
  await open(page, `${demo.origin}/provider-signout.html`);
  await signIn(page);
  const { idToken } = (await waitForEvent(page, 'anypoint-signin')).detail;
  const leaving = page.waitForRequest((r) => new URL(r.url()).pathname.endsWith('/logout'));
  await page.locator('#signin button', { hasText: 'Sign out' }).click();
  const logout = new URL((await leaving).url());
  assert.equal(logout.searchParams.get('id_token_hint'), idToken);
  assert.equal(logout.searchParams.get('client_id'), 'anypoint-signin-demo');
  assert.equal(logout.searchParams.get('post_logout_redirect_uri'), `${demo.origin}/provider-signout.html`);
  assert.ok(revocations.length >= 1, 'the tokens were revoked first');

  // oidc-provider asks the user to confirm, then sends them back.
  await page.waitForURL((u) => u.pathname.endsWith('/logout'));
  await page.locator('button[type=submit], button[name=logout]').first().click();
  await page.waitForURL((u) => u.href.startsWith(`${demo.origin}/provider-signout.html`));
  await page.waitForFunction(() => document.getElementById('signin')?.shadowRoot?.textContent.includes('Sign in'));

  // The provider's session is gone: signing in again shows its login form.
  const from = page.navigations.length;
  await page.locator('#signin button').click();
  await page.waitForSelector('input[name="login"]', { timeout: 15000 });
  assert.ok(page.navigations.slice(from).some((u) => u.pathname.includes('/interaction/')));
});

test('without an end_session_endpoint, sign-out ends the session here and says why', async () => {
  const page = await newPage(browser);
  await page.route((url) => url.pathname.endsWith('/.well-known/openid-configuration'), async (route) => {
    const response = await route.fetch();
    const { end_session_endpoint: _, ...rest } = await response.json();
    route.fulfill({ response, json: rest });
  });
  await open(page, `${demo.origin}/provider-signout.html`);
  await signIn(page);
  await waitForEvent(page, 'anypoint-signin');
  await page.locator('#signin button', { hasText: 'Sign out' }).click();
  assert.equal((await waitForEvent(page, 'anypoint-signout')).detail.reason, 'user');
  const error = await waitForEvent(page, 'anypoint-signin-error');
  assert.equal(error.detail.code, 'discovery_failed');
  assert.match(error.detail.message, /end_session_endpoint/);
  assert.match(await shadowText(page), /Try again.*end_session_endpoint/, 'shown, with a button to sign in again');
  assert.equal(page.url(), `${demo.origin}/provider-signout.html`, 'the user stays on the page');
  assert.deepEqual(await events(page, 'anypoint-signin').then((e) => e.length), 1);
});
