// Look, languages and accessibility in Debian's Chromium: every theme, size, shape and width rendered and
// screenshotted (tests/artifacts/look-*.png), axe-core run on each state, the six built-in languages, long
// labels that must not overflow, the keyboard, the accessible names, aria-busy and the live status.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { events, launch, newPage, OVERFLOWING, shadowText, signIn, site, waitForEvent } from './support.mjs';

const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
const THEMES = [['light', 'light'], ['dark', 'light'], ['auto', 'light'], ['auto', 'dark']];

let browser, demo;
before(async () => { [browser, demo] = await Promise.all([launch(), site()]); });
after(async () => { await browser?.close(); await demo?.close(); });

// Opens the gallery and waits until every element has rendered its button(s).
async function gallery(page, query = '') {
  await page.goto(`${demo.origin}/looks.html${query}`);
  await page.waitForFunction(() => [...document.querySelectorAll('anypoint-signin')]
    .every((e) => e.shadowRoot?.querySelector('button')));
}

// Signs in from the gallery, then opens it again with `query` (the redirect URI has no query): every element
// of the gallery restores the shared session.
async function signedInGallery(page, query, login) {
  await signIn(page, { login });
  await waitForEvent(page, 'anypoint-signin');
  await gallery(page, query);
  await page.waitForFunction(() => [...document.querySelectorAll('anypoint-signin')].every((e) => e.signedIn));
}

// axe-core's WCAG 2.1 A/AA rules and best practices over the page, shadow roots included.
async function axeViolations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary}`).join(' | ')}`);
  });
}

async function assertAccessible(page, what) {
  assert.deepEqual(await axeViolations(page), [], `axe-core on ${what}`);
}

const shot = (page, name) => page.screenshot({ path: `tests/artifacts/look-${name}.png`, fullPage: true, animations: 'disabled' });

const overflowing = (page) => page.evaluate(OVERFLOWING);

describe('themes, sizes, shapes and widths', () => {
  for (const [theme, scheme] of THEMES) {
    test(`theme=${theme} (${scheme} scheme): idle, working and error states pass axe-core`, async () => {
      const page = await newPage(browser);
      await page.emulateMedia({ colorScheme: scheme });
      await gallery(page, `?theme=${theme}${scheme === 'dark' ? '&bg=dark' : ''}`);
      const name = `${theme}${theme === 'auto' ? `-${scheme}` : ''}`;
      const background = await page.evaluate(() => getComputedStyle(document.getElementById('signin').shadowRoot.querySelector('button')).backgroundColor);
      assert.equal(background, theme === 'dark' || (theme === 'auto' && scheme === 'dark') ? 'rgb(27, 37, 48)' : 'rgb(255, 255, 255)');
      assert.deepEqual(await overflowing(page), []);
      await assertAccessible(page, `${name} idle`);
      await shot(page, `${name}-idle`);

      // Working: the discovery document is held (a reload drops the one fetched ahead), so the element stays
      // on its loading state before leaving.
      await page.route('**/.well-known/openid-configuration', () => {});
      await gallery(page, `?theme=${theme}${scheme === 'dark' ? '&bg=dark' : ''}`);
      await page.locator('#signin button').click();
      const busy = page.locator('#signin button[aria-busy="true"]');
      await busy.waitFor();
      assert.equal(await busy.isDisabled(), true);
      assert.match(await shadowText(page), /Signing in…/);
      await assertAccessible(page, `${name} working`);
      await shot(page, `${name}-working`);

      await page.evaluate(() => document.querySelectorAll('anypoint-signin').forEach((e, i) => i % 2 && e.removeAttribute('clientid')));
      await page.waitForFunction(() => document.getElementById('e1').shadowRoot.querySelector('[role=alert]'));
      assert.deepEqual(await overflowing(page), []);
      await assertAccessible(page, `${name} error`);
      await shot(page, `${name}-error`);
      assert.deepEqual(page.consoleErrors.filter((m) => !m.includes('missing_client_id')), []);
    });
  }

  test('signed in, every theme: the user, the avatar and sign-out pass axe-core', async () => {
    const page = await newPage(browser);
    await gallery(page);
    await signIn(page, { login: 'maximiliana.mule-von-der-vogelweide' });
    await waitForEvent(page, 'anypoint-signin');
    for (const [theme, scheme] of THEMES) {
      await page.emulateMedia({ colorScheme: scheme });
      await gallery(page, `?theme=${theme}${scheme === 'dark' ? '&bg=dark' : ''}`);
      await page.waitForFunction(() => [...document.querySelectorAll('anypoint-signin')].every((e) => e.signedIn));
      const name = `${theme}${theme === 'auto' ? `-${scheme}` : ''}`;
      assert.deepEqual(await overflowing(page), [], name);
      await assertAccessible(page, `${name} signed in`);
      await shot(page, `${name}-signed-in`);
    }
    const avatar = await page.evaluate(() => document.getElementById('signin').shadowRoot.querySelector('[part=avatar]').textContent);
    assert.equal(avatar, 'MM');
  });

  test('the icon-only width keeps accessible names for sign-in and sign-out', async () => {
    const page = await newPage(browser);
    await gallery(page);
    const icon = page.locator('anypoint-signin[width=icon]').first();
    await icon.getByRole('button', { name: 'Sign in with Anypoint Platform' }).waitFor();
    assert.equal(await icon.locator('button').getAttribute('title'), 'Sign in with Anypoint Platform');
    const labelBox = await icon.locator('.label').boundingBox();
    assert.ok(labelBox.width <= 1 && labelBox.height <= 1, 'the label is visually hidden');
    await signedInGallery(page, '');
    await icon.getByRole('button', { name: 'Sign out' }).waitFor();
  });
});

describe('languages', () => {
  test('the six built-in languages, chosen by locale or by the page language', async () => {
    const page = await newPage(browser);
    await gallery(page, '?locales=1');
    const labels = await page.evaluate(() => [...document.querySelectorAll('anypoint-signin[size=medium]')]
      .map((e) => [e.getAttribute('locale'), e.shadowRoot.querySelector('button').textContent, e.shadowRoot.firstElementChild.lang]));
    assert.deepEqual(labels, [
      ['en', 'Sign in with Anypoint Platform', 'en'],
      ['es', 'Iniciar sesión con Anypoint Platform', 'es'],
      ['fr', 'Se connecter avec Anypoint Platform', 'fr'],
      ['de', 'Mit Anypoint Platform anmelden', 'de'],
      ['ja', 'Anypoint Platform でサインイン', 'ja'],
      ['pt-BR', 'Entrar com a Anypoint Platform', 'pt'],
    ]);
    await assertAccessible(page, 'locales');
    await shot(page, 'locales');

    // Without a locale attribute, the page's lang decides; then the browser's language (en here).
    await page.evaluate(() => {
      document.documentElement.lang = 'de';
      const el = document.createElement('anypoint-signin');
      el.setAttribute('clientid', 'x');
      el.id = 'by-page';
      document.body.append(el);
    });
    await page.waitForFunction(() => document.getElementById('by-page').shadowRoot?.querySelector('button'));
    assert.match(await shadowText(page, 'by-page'), /Mit Anypoint Platform anmelden/);

    // Signed in, the line reads in each language, the name where the language puts it.
    await signedInGallery(page, '?locales=1');
    const lines = await page.evaluate(() => [...document.querySelectorAll('anypoint-signin[size=medium]')]
      .map((e) => e.shadowRoot.querySelector('[part=name]').textContent));
    assert.deepEqual(lines, ['Signed in as Max Mule', 'Sesión iniciada como Max Mule', 'Connecté en tant que Max Mule',
      'Angemeldet als Max Mule', 'Max Mule としてサインイン中', 'Conectado como Max Mule']);
    await assertAccessible(page, 'locales signed in');
    await shot(page, 'locales-signed-in');
  });

  test('long labels wrap inside a narrow container instead of overflowing', async () => {
    const page = await newPage(browser);
    const label = 'Mit Ihrem Anypoint-Platform-Unternehmenskonto anmelden und fortfahren';
    await gallery(page, `?locales=1&narrow=1&label=${encodeURIComponent(label)}`);
    assert.deepEqual(await overflowing(page), []);
    assert.equal(await page.locator('#signin button').textContent(), label);
    await shot(page, 'narrow');
    await signedInGallery(page, `?locales=1&narrow=1&label=${encodeURIComponent(label)}`,
      'maximiliana.mule-von-der-vogelweide-und-schwarzenberg');
    assert.deepEqual(await overflowing(page), []);
    await shot(page, 'narrow-signed-in');
  });
});

describe('keyboard, focus and announcements', () => {
  test('Tab reaches the button with a visible focus ring; Enter and Space start the sign-in', async () => {
    const page = await newPage(browser);
    await gallery(page);
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const el = document.activeElement;
      const button = el.shadowRoot.activeElement;
      const style = getComputedStyle(button);
      return [el.id, button.tagName, style.outlineStyle, style.outlineWidth, style.outlineColor];
    });
    assert.deepEqual(focus, ['signin', 'BUTTON', 'solid', '3px', 'rgb(11, 92, 173)']);
    // The ring is drawn outside the element's box: take a margin around it.
    const box = await page.locator('#signin').boundingBox();
    await page.screenshot({ path: 'tests/artifacts/look-focus.png', clip: { x: box.x - 8, y: box.y - 8, width: box.width + 16, height: box.height + 16 } });

    for (const key of ['Enter', ' ']) {
      const authorize = page.waitForRequest((r) => r.url().includes('/authorize?'));
      await page.route('**/authorize?**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>authorize</title>' }));
      await page.keyboard.press(key);
      assert.ok(await authorize, `${JSON.stringify(key)} starts the sign-in`);
      await page.waitForURL((url) => url.pathname.endsWith('/authorize'));
      await gallery(page);
      await page.unrouteAll();
      await page.keyboard.press('Tab');
    }
  });

  test('aria-busy while working, and the live status announces sign-in and sign-out', async () => {
    const page = await newPage(browser);
    await gallery(page);
    const status = () => page.evaluate(() => {
      const s = document.getElementById('signin').shadowRoot.querySelector('[role=status]');
      return s.textContent;
    });
    assert.equal(await status(), '');
    await signIn(page);
    await waitForEvent(page, 'anypoint-signin');
    await page.waitForFunction(() => document.getElementById('signin').shadowRoot.querySelector('[role=status]').textContent);
    assert.equal(await status(), 'Signed in as Max Mule');
    await page.locator('#signin').getByRole('button', { name: 'Sign out' }).click();
    assert.equal((await waitForEvent(page, 'anypoint-signout')).detail.reason, 'user');
    assert.equal(await status(), 'Signed out.');
    assert.match(await shadowText(page), /Sign in with Anypoint Platform/);
  });

  test('CSS custom properties and ::part() style the inside', async () => {
    const page = await newPage(browser);
    await gallery(page);
    await page.addStyleTag({ content: `
      #signin { --anypoint-signin-bg: rgb(1, 2, 3); --anypoint-signin-color: rgb(250, 250, 250);
        --anypoint-signin-radius: 9px; --anypoint-signin-font-weight: 700; --anypoint-signin-accent: rgb(200, 0, 0); }
      #signin::part(button) { letter-spacing: 2px; }
      #signin::part(status) { position: static; width: auto; height: auto; clip-path: none; }` });
    const style = await page.evaluate(() => {
      const root = document.getElementById('signin').shadowRoot;
      const b = getComputedStyle(root.querySelector('button'));
      return [b.backgroundColor, b.color, b.borderRadius, b.fontWeight, b.letterSpacing,
        getComputedStyle(root.querySelector('.mark circle')).fill, getComputedStyle(root.querySelector('[part=status]')).position];
    });
    assert.deepEqual(style, ['rgb(1, 2, 3)', 'rgb(250, 250, 250)', '9px', '700', '2px', 'rgb(200, 0, 0)', 'static']);
  });

  test('a look attribute with an unknown value is reported like any bad attribute', async () => {
    const page = await newPage(browser);
    await gallery(page);
    await page.evaluate(() => document.getElementById('signin').setAttribute('theme', 'purple'));
    const error = await waitForEvent(page, 'anypoint-signin-error');
    assert.equal(error.detail.code, 'invalid_attribute');
    assert.equal(error.detail.message, 'theme "purple" is not one of light, dark, auto.');
    assert.match(await shadowText(page), /theme "purple" is not one of light, dark, auto/);
    assert.equal(await page.locator('#signin button').isDisabled(), true);
    await page.evaluate(() => document.getElementById('signin').setAttribute('theme', 'dark'));
    await page.waitForFunction(() => !document.getElementById('signin').shadowRoot.querySelector('[role=alert]'));
    assert.equal((await events(page, 'anypoint-signin-error')).length, 1);
  });
});
