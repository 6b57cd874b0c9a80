// Issue 16's loading rules, in Chromium against the real local server: the main module shows the button; the
// flows' chunk (split_flows.wasm: sign-in, callback, renewal) comes after the first paint, at once on pages that
// need it, and its failure is reported and retried like any network failure.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { events, launch, newPage, open, recordRequests, shadowText, signIn, site, waitForEvent } from './support.mjs';

let browser, demo;
before(async () => { [browser, demo] = await Promise.all([launch(), site()]); });
after(async () => { await browser?.close(); await demo?.close(); });

const CHUNK = '/split_flows.wasm';
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
// A browser that is never idle: the chunk then comes only on pointerenter, focus or a click.
const neverIdle = () => { window.requestIdleCallback = () => 0; };

const timing = (page, end) => page.evaluate((e) => performance.getEntriesByType('resource')
  .filter((r) => new URL(r.name).pathname.endsWith(e)).map((r) => ({ start: r.startTime, end: r.responseEnd })), end);

async function signedOutPage(...scripts) {
  const page = await newPage(browser);
  for (const script of [watchButton, ...scripts]) await page.addInitScript(script);
  const chunks = recordRequests(page, CHUNK);
  await open(page, `${demo.origin}/`);
  return { page, chunks };
}

test('a signed-out page shows the button before it requests the flows, then fetches them when idle', async () => {
  const { page, chunks } = await signedOutPage();
  await page.waitForFunction((c) => performance.getEntriesByType('resource').some((r) => r.name.endsWith(c)), CHUNK);
  const [chunk] = await timing(page, CHUNK);
  const button = await page.evaluate(() => window.__button);
  assert.ok(chunk.start > button, `the chunk was requested at ${chunk.start} ms, after the button at ${button} ms`);
  assert.equal(chunks.length, 1);
  assert.deepEqual(page.consoleErrors, []);
});

for (const [how, act] of [
  ['the pointer reaches the button', (page) => page.hover('#signin button')],
  ['the button gets the focus', (page) => page.keyboard.press('Tab')],
]) {
  test(`the flows are fetched at once when ${how}`, async () => {
    const { page, chunks } = await signedOutPage(neverIdle);
    await page.waitForLoadState('networkidle');
    assert.equal(chunks.length, 0, 'not while the browser is busy');
    await act(page);
    await page.waitForFunction((c) => performance.getEntriesByType('resource').some((r) => r.name.endsWith(c)), CHUNK);
    assert.equal(chunks.length, 1);
  });
}

test('a click before the flows arrived still signs in: the button shows it is working, then goes', async () => {
  const { page, chunks } = await signedOutPage(neverIdle);
  await page.route(`**${CHUNK}`, async (route) => { await new Promise((r) => setTimeout(r, 400)); await route.continue(); });
  // A click without the pointer passing over the button first (a keyboard, a script).
  await page.evaluate(() => document.getElementById('signin').shadowRoot.querySelector('button').click());
  const busy = await page.evaluate(() => document.getElementById('signin').shadowRoot.querySelector('button').getAttribute('aria-busy'));
  assert.equal(busy, 'true');
  await page.waitForURL((u) => u.pathname.includes('/oauth2/') || u.pathname.includes('/interaction/'), { timeout: 15000 });
  assert.equal(chunks.length, 1);
});

test('flows that do not load give an error event; the next click tries again and signs in', async () => {
  const { page } = await signedOutPage(neverIdle);
  await page.route(`**${CHUNK}`, (route) => route.abort('internetdisconnected'));
  await page.locator('#signin button').click();
  const error = await waitForEvent(page, 'anypoint-signin-error');
  assert.equal(error.detail.code, 'network_error');
  assert.match(error.detail.message, /split_flows\.wasm/);
  assert.ok(page.consoleErrors.some((e) => /split_flows\.wasm/.test(e)), page.consoleErrors.join('\n'));
  assert.match(await shadowText(page), /did not load/);
  await page.unrouteAll();
  page.consoleErrors.length = 0;
  await signIn(page);
  const signin = await waitForEvent(page, 'anypoint-signin');
  assert.equal(signin.detail.profile.name, 'Max Mule');
  assert.deepEqual(page.consoleErrors, []);
});

// Requested by the entry module with the main module, not after it: no waterfall; and fetched once (the
// loader takes the entry's request).
async function assertFetchedWithMain(page) {
  const chunks = await timing(page, CHUNK);
  const [main] = await timing(page, MAIN);
  assert.equal(chunks.length, 1, 'one request for the chunk on this page');
  assert.ok(chunks[0].start < main.end, `the chunk was requested at ${chunks[0].start} ms, before the main module arrived at ${main.end} ms`);
}

test('the callback page and a signed-in page fetch the flows together with the main module', async () => {
  const page = await newPage(browser);
  // Routed, so never from the HTTP cache: each page downloads its files.
  await page.route('**/anypoint-signin/**', (route) => route.continue());
  await open(page, `${demo.origin}/`);
  await signIn(page);
  await waitForEvent(page, 'anypoint-signin');
  await assertFetchedWithMain(page);

  await page.reload();
  await page.waitForFunction(() => window.__events.some((e) => e.type === 'anypoint-signin'));
  assert.match(await shadowText(page), /Signed in as Max Mule/);
  await assertFetchedWithMain(page);
  assert.deepEqual(page.consoleErrors, []);
});

test('a session announced by another tab loads the flows when the answer arrives', async () => {
  const context = await browser.newContext();
  const first = await newPage(browser, context);
  await open(first, `${demo.origin}/`);
  await signIn(first);
  await waitForEvent(first, 'anypoint-signin');
  // A new tab: its sessionStorage is empty, so the entry module fetches nothing early, and it is never idle.
  const second = await newPage(browser, context);
  await second.addInitScript(neverIdle);
  const chunks = recordRequests(second, CHUNK);
  await open(second, `${demo.origin}/`);
  await waitForEvent(second, 'anypoint-signin');
  assert.match(await shadowText(second), /Signed in as Max Mule/);
  assert.equal(chunks.length, 1);
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
