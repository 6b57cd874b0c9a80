// The playground's "Check my connected app" panel against the real local authorization server, as it is (a
// good public client) and changed by the browser's routing: a token endpoint without CORS, a discovery
// document without S256.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, newPage, open, site } from './support.mjs';

const PLAYGROUND = join(fileURLToPath(import.meta.url), '../../../playground/site');
const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));

let browser, demo;
before(async () => {
  [browser, demo] = await Promise.all([launch(), site({ pages: PLAYGROUND })]);
});
after(async () => { await browser?.close(); await demo?.close(); });

const discoveryUrl = () => `${demo.issuer}/.well-known/openid-configuration`;
const tokenUrl = () => `${demo.issuer}/token`;

async function openPlayground() {
  const page = await newPage(browser);
  await page.setViewportSize({ width: 1360, height: 900 });
  await open(page, `${demo.origin}/`);
  return page;
}

// Presses Check and waits for its lines: {id: {status, label, text}}.
async function check(page) {
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await page.waitForFunction(() => {
    const list = document.getElementById('check-results');
    return !list.hasAttribute('aria-busy') && list.querySelector('[data-check="token"]');
  });
  return lines(page);
}

const lines = (page) => page.locator('#check-results li').evaluateAll((items) => Object.fromEntries(items.map((li) =>
  [li.dataset.check, { status: li.dataset.status, label: li.querySelector('.status').textContent, text: li.textContent }])));

// axe-core's WCAG 2.1 A/AA rules and best practices over the panel. Evaluated, not a <script>: the page's CSP
// allows no inline script.
async function axeViolations(page) {
  await page.evaluate(await readFile(AXE, 'utf8'));
  return page.evaluate(async () => (await window.axe.run('.verify', {
    runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] })).violations
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
}

// Every line of the panel lies within it (none placed elsewhere by a stray style).
const linesInside = (page) => page.locator('.verify').evaluate((card) => {
  const box = card.getBoundingClientRect();
  return [...card.querySelectorAll('#check-results li')].every((li) => {
    const r = li.getBoundingClientRect();
    return r.top >= box.top && r.bottom <= box.bottom && r.left >= box.left && r.right <= box.right;
  });
});

// The console errors of `page` that are not the browser's own reports on the token probe (its 400 answer to a
// made-up code, a CORS refusal): those the panel provokes on purpose.
function consoleErrors(page) {
  const probe = [];
  const aboutProbe = (m) => m.location().url === tokenUrl() || m.text().startsWith(`Access to fetch at '${tokenUrl()}'`);
  page.on('console', (m) => { if (m.type() === 'error' && aboutProbe(m)) probe.push(m.text()); });
  return () => page.consoleErrors.filter((m) => !probe.includes(m));
}

describe('check my connected app', () => {
  test('the default public client on the local server: every line green, and the popup opens on a click', async () => {
    const page = await openPlayground();
    const errors = consoleErrors(page);
    const found = await check(page);
    assert.deepEqual(Object.keys(found), ['discovery', 's256', 'iss', 'revocation', 'userinfo', 'end-session', 'token',
      'redirect-scheme', 'redirect-page', 'coop', 'popup']);
    for (const [id, { status, label }] of Object.entries(found)) {
      if (id === 'popup') continue;
      assert.equal(status, 'ok', `${id}: ${found[id].text}`);
      assert.match(label, /^✓OK$/, 'the status is a word, not a colour alone');
    }
    assert.match(found.s256.text, /S256/);
    assert.match(found.token.text, /readable invalid_grant/);
    assert.match(found.token.text, /the browser exchange can work/);
    assert.match(found['redirect-page'].text, /is this page/);
    assert.equal(found.popup.status, 'skip', 'no popup before a click');
    assert.ok(await linesInside(page));
    assert.deepEqual(await axeViolations(page), []);

    const opened = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Check popup' }).click();
    assert.equal((await opened).url(), 'about:blank');
    assert.equal((await lines(page)).popup.status, 'ok');
    assert.ok(await page.getByRole('button', { name: 'Check popup' }).evaluate((b) => b === document.activeElement),
      'focus stays on the button');
    assert.match(await page.locator('#announce').textContent(), /10 OK, 0 warnings, 0 failed/);
    assert.deepEqual(errors(), []);
  });

  test('a token endpoint without CORS: red, a backend (exchangeuri) is needed; with one, green', async () => {
    const page = await openPlayground();
    const errors = consoleErrors(page);
    const preflights = [];
    // The token endpoint's answer (and any preflight) without this page's origin in Access-Control-Allow-Origin:
    // the browser hides it. (Playwright gives a fulfilled response without that header one naming the page,
    // playwright#12929, so this one names another origin: to the browser, the same refusal.)
    await page.route(tokenUrl(), (route) => {
      if (route.request().method() === 'OPTIONS') preflights.push(route.request().url());
      return route.fulfill({ status: 400, contentType: 'application/json', body: '{"error":"invalid_grant"}',
        headers: { 'access-control-allow-origin': 'https://another-app.example' } });
    });
    const found = await check(page);
    assert.equal(found.discovery.status, 'ok');
    assert.equal(found.token.status, 'fail', found.token.text);
    assert.match(found.token.label, /Fail/);
    assert.match(found.token.text, /blocked by the browser \(CORS\)/);
    assert.match(found.token.text, /backend: set exchangeuri/);
    assert.deepEqual(preflights, [], 'a form POST needs no preflight');
    await page.locator('.verify').screenshot({ path: 'tests/artifacts/playground-check.png' });

    // The configuration changes: the panel says so, and the next check follows it.
    await page.getByRole('radio', { name: 'Backend' }).check();
    assert.ok(await page.locator('#check-stale').isVisible());
    const again = await check(page);
    assert.ok(await page.locator('#check-stale').isHidden());
    assert.equal(again.token.status, 'ok', again.token.text);
    assert.match(again.token.text, /the backend \(exchangeuri\) redeems the code/);
    assert.deepEqual(errors(), []);
  });

  test('a discovery document without S256: that line red', async () => {
    const page = await newPage(browser);
    const errors = consoleErrors(page);
    await page.route(discoveryUrl(), async (route) => {
      const answer = await route.fetch();
      const doc = { ...(await answer.json()), code_challenge_methods_supported: ['plain'] };
      return route.fulfill({ response: answer, json: doc });
    });
    await open(page, `${demo.origin}/`);
    const found = await check(page);
    assert.equal(found.discovery.status, 'ok', found.discovery.text);
    assert.equal(found.s256.status, 'fail', found.s256.text);
    assert.match(found.s256.text, /\["plain"\], without S256: the element refuses the server/);
    assert.match(found.s256.text, /Enable PKCE with S256/);
    assert.equal(found.token.status, 'ok', 'the other lines still run');
    await page.setViewportSize({ width: 390, height: 844 });
    assert.ok(await linesInside(page));
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), 0, 'fits a phone');
    assert.deepEqual(errors(), []);
  });
});
