// The loading rules, in Chromium against the real local server: the button shows before the element asks the
// authorization server anything; a signed-out page fetches discovery when the browser is idle or a click
// comes near; a click before it arrived still signs in; a discovery that does not load is reported and retried.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { events, launch, newPage, open, recordRequests, shadowText, signIn, site, waitForEvent } from './support.mjs';

let browser, demo;
before(async () => { [browser, demo] = await Promise.all([launch(), site()]); });
after(async () => { await browser?.close(); await demo?.close(); });

const DISCOVERY = '/.well-known/openid-configuration';
const MAIN = '/anypoint_signin_bg.wasm';

// When the first button appeared in the element's shadow root (performance.now()), from before any script.
const watchButton = () => {
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attachShadow.call(this, init);
    new MutationObserver((_, o) => {
      if (root.querySelector('button')) { window.__button ??= performance.now(); o.disconnect(); }
    }).observe(root, { childList: true, subtree: true });
    return root;
  };
};
// A browser that is never idle: discovery then comes only on pointerenter, focus or a click.
const neverIdle = () => { window.requestIdleCallback = () => 0; };

const timing = (page, end) => page.evaluate((e) => performance.getEntriesByType('resource')
  .filter((r) => new URL(r.name).pathname.endsWith(e)).map((r) => ({ start: r.startTime, end: r.responseEnd })), end);

async function signedOutPage(...scripts) {
  const page = await newPage(browser);
  for (const script of [watchButton, ...scripts]) await page.addInitScript(script);
  const discoveries = recordRequests(page, DISCOVERY);
  await open(page, `${demo.origin}/`);
  return { page, discoveries };
}

test('a signed-out page shows the button before it asks the server anything, then fetches discovery when idle', async () => {
  const { page, discoveries } = await signedOutPage();
  await page.waitForFunction((d) => performance.getEntriesByType('resource').some((r) => r.name.endsWith(d)), DISCOVERY);
  const [discovery] = await timing(page, DISCOVERY);
  const button = await page.evaluate(() => window.__button);
  assert.ok(discovery.start > button, `discovery was requested at ${discovery.start} ms, after the button at ${button} ms`);
  assert.equal(discoveries.length, 1);
  assert.deepEqual(page.consoleErrors, []);
});

for (const [how, act] of [
  ['the pointer reaches the button', (page) => page.hover('#signin button')],
  ['the button gets the focus', (page) => page.keyboard.press('Tab')],
]) {
  test(`discovery is fetched at once when ${how}`, async () => {
    const { page, discoveries } = await signedOutPage(neverIdle);
    await page.waitForLoadState('networkidle');
    assert.equal(discoveries.length, 0, 'not while the browser is busy');
    await act(page);
    await page.waitForFunction((d) => performance.getEntriesByType('resource').some((r) => r.name.endsWith(d)), DISCOVERY);
    assert.equal(discoveries.length, 1);
  });
}

test('a click before discovery arrived still signs in: the button shows it is working, then goes', async () => {
  const { page, discoveries } = await signedOutPage(neverIdle);
  await page.route(`**${DISCOVERY}`, async (route) => { await new Promise((r) => setTimeout(r, 400)); await route.continue(); });
  // A click without the pointer passing over the button first (a keyboard, a script).
  await page.evaluate(() => document.getElementById('signin').shadowRoot.querySelector('button').click());
  const busy = await page.evaluate(() => document.getElementById('signin').shadowRoot.querySelector('button').getAttribute('aria-busy'));
  assert.equal(busy, 'true');
  await page.waitForURL((u) => u.pathname.includes('/oauth2/') || u.pathname.includes('/interaction/'), { timeout: 15000 });
  assert.equal(discoveries.length, 1);
});

test('a discovery that does not load gives an error event; the next click tries again and signs in', async () => {
  const { page } = await signedOutPage(neverIdle);
  await page.route(`**${DISCOVERY}`, (route) => route.abort('internetdisconnected'));
  await page.locator('#signin button').click();
  const error = await waitForEvent(page, 'anypoint-signin-error');
  assert.equal(error.detail.code, 'discovery_failed');
  assert.ok(page.consoleErrors.some((e) => e.includes(error.detail.message)), page.consoleErrors.join('\n'));
  assert.equal(new URL(page.url()).origin, demo.origin, 'the page stays');
  await page.unrouteAll();
  page.consoleErrors.length = 0;
  await signIn(page);
  const signin = await waitForEvent(page, 'anypoint-signin');
  assert.equal(signin.detail.profile.name, 'Max Mule');
  assert.deepEqual(page.consoleErrors, []);
});

test('a signed-in page downloads the wasm once and shows the user', async () => {
  const page = await newPage(browser);
  // Routed, so never from the HTTP cache: each page downloads its files.
  await page.route('**/anypoint-signin/**', (route) => route.continue());
  await open(page, `${demo.origin}/`);
  await signIn(page);
  await waitForEvent(page, 'anypoint-signin');
  assert.equal((await timing(page, MAIN)).length, 1);
  await page.reload();
  await page.waitForFunction(() => window.__events.some((e) => e.type === 'anypoint-signin'));
  assert.match(await shadowText(page), /Signed in as Max Mule/);
  assert.equal((await timing(page, MAIN)).length, 1);
  assert.deepEqual(page.consoleErrors, []);
});

test('a session announced by another tab is shown by a tab that is never idle', async () => {
  const context = await browser.newContext();
  const first = await newPage(browser, context);
  await open(first, `${demo.origin}/`);
  await signIn(first);
  await waitForEvent(first, 'anypoint-signin');
  // A new tab: its sessionStorage is empty, so only the other tab's answer can sign it in.
  const second = await newPage(browser, context);
  await second.addInitScript(neverIdle);
  await open(second, `${demo.origin}/`);
  await waitForEvent(second, 'anypoint-signin');
  assert.match(await shadowText(second), /Signed in as Max Mule/);
  assert.deepEqual(await events(second, 'anypoint-signin-error'), []);
  await context.close();
});

test("the README's preload hints are used: the main module is downloaded once, with no warning", async () => {
  const page = await newPage(browser);
  const requests = recordRequests(page, MAIN);
  await open(page, `${demo.origin}/preload.html`);
  await page.waitForLoadState('networkidle');
  assert.equal(requests.length, 1, 'the entry module took the preloaded response');
  // Chromium warns about a preload nothing used after a few seconds.
  await page.waitForTimeout(3500);
  assert.deepEqual([...page.consoleErrors, ...page.consoleWarnings], []);
});
