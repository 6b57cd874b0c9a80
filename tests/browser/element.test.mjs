// The browser shell in headless Chromium: the element renders, follows its attributes live, reports bad
// attributes, keeps several instances apart, and unmounts when removed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { events, launch, newPage, open, shadowText, site, waitForEvent } from './support.mjs';

let browser, demo;
before(async () => { [browser, demo] = await Promise.all([launch(), site()]); });
after(async () => { await browser?.close(); await demo?.close(); });

const ready = (page, path) => open(page, `${demo.origin}${path}`);

test('renders a real, styled button from one script and one tag', async () => {
  const page = await newPage(browser);
  await ready(page, '/');
  const button = page.locator('#signin button');
  assert.equal(await button.textContent(), 'Sign in with Anypoint Platform');
  assert.equal(await button.getAttribute('type'), 'button');
  assert.equal(await button.isEnabled(), true);
  const styled = await page.evaluate(() => {
    const root = document.getElementById('signin').shadowRoot;
    return [root.adoptedStyleSheets.length, root.querySelectorAll('style').length, getComputedStyle(root.querySelector('button')).minHeight];
  });
  assert.deepEqual(styled, [1, 0, '40px'], 'styles come from an adopted stylesheet, not inline <style>');
  assert.deepEqual(await events(page), []);
  assert.deepEqual(page.consoleErrors, []);
});

test('attributes update the element live', async () => {
  const page = await newPage(browser);
  await ready(page, '/');
  await page.evaluate(() => document.getElementById('signin').removeAttribute('clientid'));
  const error = await waitForEvent(page, 'anypoint-signin-error');
  assert.equal(error.detail.code, 'missing_client_id');
  assert.match(await shadowText(page), /Set the clientid attribute/);
  assert.equal(await page.locator('#signin button').isEnabled(), false);

  await page.evaluate(() => document.getElementById('signin').setAttribute('client-id', 'anypoint-signin-demo'));
  await page.waitForFunction(() => !document.getElementById('signin').shadowRoot.querySelector('[role=alert]'));
  assert.equal(await page.locator('#signin button').isEnabled(), true, 'the old hyphenated spelling works too');

  // Each bad value: one more error event, with its own code.
  const nextError = async (change) => {
    const before = (await events(page, 'anypoint-signin-error')).length;
    await page.evaluate(change);
    await page.waitForFunction((n) => window.__events.filter((e) => e.type === 'anypoint-signin-error').length > n, before);
    const errors = await events(page, 'anypoint-signin-error');
    assert.equal(errors.length, before + 1, JSON.stringify(errors.slice(before)));
    return errors.at(-1).detail.code;
  };
  assert.equal(await nextError(() => document.getElementById('signin').setAttribute('redirecturi', 'javascript:alert(1)')),
    'invalid_redirect_uri');
  await page.evaluate(() => document.getElementById('signin').setAttribute('redirecturi', location.origin + '/'));
  assert.equal(await nextError(() => document.getElementById('signin').setAttribute('storage', 'local')), 'invalid_storage');
});

test('several elements on one page work independently', async () => {
  const page = await newPage(browser);
  await page.goto(`${demo.origin}/multi.html`);
  await page.waitForFunction(() => window.__events.filter((e) => e.type === 'anypoint-signin-error').length >= 3);
  const errors = Object.fromEntries((await events(page, 'anypoint-signin-error')).map((e) => [e.target, e.detail.code]));
  assert.deepEqual(errors, { 'no-client': 'missing_client_id', 'bad-redirect': 'invalid_redirect_uri', 'bad-region': 'invalid_region' });
  assert.equal(await page.locator('#good button').isEnabled(), true);
  assert.match(await shadowText(page, 'bad-region'), /region "mars" is not one of us, eu, ca, jp, gov/);
  assert.equal(page.consoleErrors.length, 3, 'each bad element logs once');
  assert.ok(page.consoleErrors.every((m) => m.startsWith('anypoint-signin:')));
});

test('removing an element unmounts it (once the removing script is done), adding it back mounts it again', async () => {
  const page = await newPage(browser);
  await ready(page, '/');
  const count = await page.evaluate(async () => {
    const el = document.getElementById('signin');
    el.remove();
    await new Promise((r) => setTimeout(r, 0));
    const afterRemove = el.shadowRoot.childElementCount;
    document.body.append(el);
    await new Promise((r) => setTimeout(r, 0));
    return [afterRemove, el.shadowRoot.childElementCount, el.shadowRoot.querySelectorAll('button').length];
  });
  assert.deepEqual(count, [0, 1, 1]);
  assert.deepEqual(page.consoleErrors, []);
});

test('an unreachable authority is reported when signing in, and the button stays usable', async () => {
  const page = await newPage(browser);
  await ready(page, '/');
  await page.evaluate(() => document.getElementById('signin').setAttribute('authority', 'http://127.0.0.1:9/nowhere'));
  await page.locator('#signin button').click();
  const error = await waitForEvent(page, 'anypoint-signin-error');
  assert.equal(error.detail.code, 'discovery_failed');
  assert.match(await shadowText(page), /Could not load http:\/\/127\.0\.0\.1:9\/nowhere\/\.well-known\/openid-configuration/);
  assert.equal(await page.locator('#signin button').isEnabled(), true);
});

test('an Anypoint region falls back to the documented endpoints when discovery is unreachable', async () => {
  const page = await newPage(browser);
  await ready(page, '/');
  await page.evaluate(() => {
    const el = document.getElementById('signin');
    el.removeAttribute('authority');
    el.setAttribute('region', 'eu');
  });
  // No machine here reaches Anypoint: discovery and the authorize request are stopped before they leave.
  const authorize = new Promise((resolve) => page.route('https://eu1.anypoint.mulesoft.com/**', (route) => {
    if (route.request().isNavigationRequest()) resolve(route.request().url());
    return route.abort();
  }));
  await page.locator('#signin button').click();
  const url = new URL(await authorize);
  assert.equal(`${url.origin}${url.pathname}`, 'https://eu1.anypoint.mulesoft.com/accounts/api/v2/oauth2/authorize');
  assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(url.searchParams.get('client_id'), 'anypoint-signin-demo');
});
