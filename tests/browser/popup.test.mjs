// mode="popup" against the real local authorization server: the sign-in runs in a popup whose redirect page
// hands the response back with postMessage; the opener exchanges the code. A blocked popup falls back to the
// tab (unless the page cancels the error event); a closed popup is reported.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { events, launch, newPage, open, shadowText, signIn, site, waitForEvent } from './support.mjs';

let browser, demo;
before(async () => { [browser, demo] = await Promise.all([launch(), site()]); });
after(async () => { await browser?.close(); await demo?.close(); });

const isToken = (r) => new URL(r.url()).pathname.endsWith('/token');

// A click on popup.html's button, and the popup showing the server's login form.
async function popupAtLogin() {
  const page = await newPage(browser);
  await open(page, `${demo.origin}/popup.html`);
  const opened = page.waitForEvent('popup');
  await page.locator('#signin button').click();
  const popup = await opened;
  await popup.waitForSelector('input[name="login"]');
  return { page, popup };
}

test('signs in in a popup; the page never leaves, the popup never exchanges', async () => {
  const page = await newPage(browser);
  await open(page, `${demo.origin}/popup.html`);
  const opened = page.waitForEvent('popup');
  await page.locator('#signin button').click();
  const popup = await opened;
  const popupTokenRequests = [];
  popup.on('request', (r) => { if (isToken(r)) popupTokenRequests.push(r); });
  const pageTokenRequests = [];
  page.on('request', (r) => { if (isToken(r)) pageTokenRequests.push(r); });
  assert.equal(await page.evaluate(() => document.getElementById('signin').shadowRoot.querySelector('button').getAttribute('aria-busy')), 'true');

  await popup.waitForSelector('input[name="login"]');
  await popup.fill('input[name="login"]', 'max.mule');
  await popup.fill('input[name="password"]', 'any password');
  await popup.click('button[type="submit"]');
  await popup.click('button:has-text("Continue")');
  await popup.waitForEvent('close');

  const signin = await waitForEvent(page, 'anypoint-signin');
  assert.equal(signin.detail.profile.name, 'Max Mule');
  assert.equal(page.url(), `${demo.origin}/popup.html`);
  assert.equal(page.navigations.length, 1, 'the tab stayed on its page');
  assert.equal(pageTokenRequests.length, 1, 'the opener exchanged the code');
  assert.equal(popupTokenRequests.length, 0, 'the popup did not');
  assert.match(await shadowText(page), /Signed in as Max Mule/);
  assert.deepEqual(page.consoleErrors, []);
});

test('a blocked popup is reported, then the tab signs in instead', async () => {
  const page = await newPage(browser);
  // What a popup blocker does: window.open returns null.
  await page.addInitScript(() => { window.open = () => null; });
  await open(page, `${demo.origin}/popup.html`);
  await signIn(page);
  const signin = await waitForEvent(page, 'anypoint-signin');
  assert.ok(signin.detail.accessToken);
  // The event fired on the page the tab then left; its console line remains.
  assert.deepEqual(page.consoleErrors, ['anypoint-signin: The browser blocked the sign-in window: signing in in this tab instead. (popup_blocked)']);
  assert.equal(page.navigations.filter((u) => u.pathname.endsWith('/authorize')).length, 1, 'the tab went to sign in');
});

test('a page that cancels popup_blocked keeps the tab where it is', async () => {
  const page = await newPage(browser);
  await page.addInitScript(() => {
    window.open = () => null;
    document.addEventListener('anypoint-signin-error', (e) => { if (e.detail.code === 'popup_blocked') e.preventDefault(); });
  });
  await open(page, `${demo.origin}/popup.html`);
  await page.locator('#signin button').click();
  assert.equal((await waitForEvent(page, 'anypoint-signin-error')).detail.code, 'popup_blocked');
  assert.match(await shadowText(page), /blocked the sign-in window/);
  assert.match(await shadowText(page), /Try again/);
  assert.equal(page.navigations.length, 1);
});

test('closing the popup is reported; messages from other windows are ignored', async () => {
  const { page, popup } = await popupAtLogin();
  // A forged response from a window that is not the popup changes nothing.
  await page.evaluate(() => window.postMessage({ type: 'anypoint-signin:callback', query: '?code=forged&state=forged' }, '*'));
  await popup.close();
  const error = await waitForEvent(page, 'anypoint-signin-error');
  assert.equal(error.detail.code, 'popup_closed');
  assert.equal((await events(page, 'anypoint-signin-error')).length, 1, 'the forged message was not taken');
  assert.match(await shadowText(page), /closed before the sign-in finished/);
  assert.deepEqual(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.includes(':pending:'))), [], 'the attempt is forgotten');
  await page.locator('#signin').screenshot({ path: 'tests/artifacts/popup-closed.png' });
});

test('an element removed while its popup is open closes the popup, and fires nothing more', async () => {
  const { page, popup } = await popupAtLogin();
  const closed = popup.waitForEvent('close');
  // Listened on the element itself: once it is out of the document, the document no longer hears it.
  await page.evaluate(() => {
    const el = document.getElementById('signin');
    window.__after = [];
    el.addEventListener('anypoint-signin-error', (e) => window.__after.push(e.detail.code));
    el.remove();
  });
  await closed;
  await page.waitForTimeout(500); // nothing must happen: the time the closed popup takes to be noticed
  assert.deepEqual(await page.evaluate(() => window.__after), [], 'no popup_closed from an element that left');
  assert.deepEqual(page.consoleErrors, []);
});
