// The three engines behind one small interface, for tests/browser/engines.test.mjs: Chromium through
// playwright-core (as the other suites), Firefox (Debian's firefox-esr) through puppeteer-core over WebDriver
// BiDi, and WebKit (WebKitGTK's MiniBrowser, under an Xvfb of its own) through selenium-webdriver and
// WebKitWebDriver. An engine gives profiles, a profile gives tabs (a second tab shares the profile's
// sessionStorage origin, BroadcastChannel and Web Locks), and a tab does what the tests need: go to a page,
// evaluate in it, wait for a condition, click at a point or a selector, type, take a screenshot, follow a popup.
//
// WebKitWebDriver has no BiDi and no init scripts, so what the tests read of a page is recorded by the page
// itself, the same way in every engine: sitePages() serves the test pages with a recorder script first in
// <head> (window.__events, window.__errors, window.__fetches).
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import puppeteer from 'puppeteer-core';
import { Builder, By } from 'selenium-webdriver';
import { EVENTS, freePort, launch as launchChromium, PAGES } from './support.mjs';
import { OAUTH_PATH } from '../../playground/oidc-server.mjs';

const FIREFOX = process.env.FIREFOX ?? '/usr/lib/firefox-esr/firefox-esr';
const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER ?? '/usr/bin/WebKitWebDriver';
const MINIBROWSER = process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const VIEWPORT = { width: 1280, height: 1024 };

// Firefox and WebKit by default: Chromium runs every other suite. ENGINES=chromium,firefox,webkit for all three.
export const ENGINES = (process.env.ENGINES ?? 'firefox,webkit').split(',');

// Runs in each page before its own scripts: every event of the elements (with the address bar at that moment),
// every console.error, uncaught error and CSP violation, and every fetch() (with the address bar when it was made,
// its DPoP proof if it has one, and the `error` of a 400 JSON answer: a DPoP nonce challenge, use_dpop_nonce,
// is sent again with the nonce).
function recorder(names) {
  window.__events = [];
  window.__errors = [];
  window.__fetches = [];
  for (const type of names) {
    document.addEventListener(type, (e) => {
      window.__events.push({ type, target: e.target.id, detail: e.detail, href: location.href, composed: e.composed });
    });
  }
  const error = console.error;
  console.error = (...args) => { window.__errors.push(args.map(String).join(' ')); error.apply(console, args); };
  addEventListener('error', (e) => window.__errors.push(String(e.error ?? e.message)));
  addEventListener('unhandledrejection', (e) => window.__errors.push(String(e.reason)));
  document.addEventListener('securitypolicyviolation', (e) => window.__errors.push(`CSP ${e.violatedDirective}: ${e.blockedURI}`));
  const fetch = window.fetch;
  window.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    let proof = null;
    try { proof = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)).get('dpop'); } catch {}
    const entry = { url: new URL(url, location.href).href, method, href: location.href, at: Date.now(), proof };
    window.__fetches.push(entry);
    return fetch(input, init).then((response) => {
      if (response.status === 400) response.clone().json().then((json) => { entry.error = json?.error; }, () => {});
      return response;
    });
  };
}

// A copy of tests/browser/pages whose every page loads record.js (the recorder) before anything else; close()
// removes it. Pass its `dir` as the site's pages.
export async function sitePages() {
  const dir = await mkdtemp(join(tmpdir(), 'anypoint-signin-engine-pages-'));
  await cp(PAGES, dir, { recursive: true });
  await writeFile(join(dir, 'record.js'), `(${recorder})(${JSON.stringify(EVENTS)});\n`);
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.html'))) {
    const html = await readFile(join(dir, file), 'utf8');
    await writeFile(join(dir, file), html.replace(/<head>/, '<head><script src="/record.js"></script>'));
  }
  return { dir, close: () => rm(dir, { recursive: true, force: true }) };
}

const until = async (condition, what, timeout = 15000) => {
  for (const deadline = Date.now() + timeout; ;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

// What every tab offers on top of its driver's few primitives (goto, reload, url, evaluate, click, clickAt,
// fill, screenshot, popup, isClosed, close).
function tab(primitives) {
  const t = {
    ...primitives,
    // Polls `fn(arg)` in the page until it is truthy; returns its value. Navigations in between are retried.
    waitFor: (fn, arg, timeout) => until(() => t.evaluate(fn, arg).catch(() => false), String(fn), timeout),
    events: (type) => t.evaluate((ty) => (window.__events ?? []).filter((e) => !ty || e.type === ty), type),
    errors: () => t.evaluate(() => window.__errors ?? []),
    fetches: () => t.evaluate(() => window.__fetches ?? []),
  };
  return t;
}

// --- Chromium: playwright-core, as support.mjs launches it.
async function chromium() {
  const browser = await launchChromium();
  const playwrightTab = (page) => tab({
    goto: (url) => page.goto(url).then(() => {}),
    reload: () => page.reload().then(() => {}),
    url: async () => page.url(),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    click: (selector) => page.click(selector),
    clickAt: ({ x, y }) => page.mouse.click(x, y),
    fill: (selector, value) => page.fill(selector, value),
    screenshot: (path) => page.screenshot({ path, fullPage: true }),
    popup: async (open) => { const [popup] = await Promise.all([page.waitForEvent('popup'), open()]); return playwrightTab(popup); },
    isClosed: async () => page.isClosed(),
    close: () => page.close(),
  });
  return {
    version: `Chromium ${browser.version()}`,
    newProfile: async () => {
      const context = await browser.newContext({ viewport: VIEWPORT });
      return { newTab: async () => playwrightTab(await context.newPage()), close: () => context.close() };
    },
    close: () => browser.close(),
  };
}

// --- Firefox: puppeteer-core over WebDriver BiDi, headless.
async function firefox() {
  if (!existsSync(FIREFOX)) throw new Error(`${FIREFOX} is missing: scripts/setup.sh --browser installs firefox-esr`);
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true,
    defaultViewport: VIEWPORT, protocolTimeout: 30000 });
  const puppeteerTab = (page) => tab({
    goto: (url) => page.goto(url).then(() => {}),
    reload: () => page.reload().then(() => {}),
    url: async () => page.url(),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    click: (selector) => page.click(selector),
    clickAt: ({ x, y }) => page.mouse.click(x, y),
    fill: (selector, value) => page.locator(selector).fill(value),
    screenshot: (path) => page.screenshot({ path, fullPage: true }),
    popup: async (open) => {
      const [popup] = await Promise.all([new Promise((ok) => page.once('popup', ok)), open()]);
      return puppeteerTab(popup);
    },
    isClosed: async () => page.isClosed(),
    close: () => page.close(),
  });
  return {
    version: (await browser.version()).replace(/^firefox\//, 'Firefox '),
    newProfile: async () => {
      const context = await browser.createBrowserContext();
      return { newTab: async () => puppeteerTab(await context.newPage()), close: () => context.close() };
    },
    close: () => browser.close(),
  };
}

// --- WebKit: WebKitGTK's MiniBrowser through WebKitWebDriver (WebDriver classic), under its own Xvfb display.
async function startXvfb() {
  // -displayfd: Xvfb picks a free display and writes its number once it accepts clients.
  const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', `${VIEWPORT.width}x${VIEWPORT.height + 100}x24`, '-nolisten', 'tcp'],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  const display = await new Promise((ok, fail) => {
    let out = '';
    child.stdio[3].on('data', (d) => { out += d; if (out.includes('\n')) ok(`:${out.trim()}`); });
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`Xvfb exited with ${code}`)));
  });
  return { display, stop: () => child.kill() };
}

async function webkit() {
  for (const file of [WEBKIT_DRIVER, MINIBROWSER]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: scripts/setup.sh --browser installs webkit2gtk-driver and libwebkit2gtk-4.1-0`);
  }
  const xvfb = await startXvfb();
  const port = await freePort();
  const driverProcess = spawn(WEBKIT_DRIVER, [`--port=${port}`], { stdio: 'ignore', env: { ...process.env, DISPLAY: xvfb.display } });
  const server = `http://127.0.0.1:${port}`;
  await until(() => fetch(`${server}/status`).then((r) => r.ok, () => false), 'WebKitWebDriver');
  const capabilities = { browserName: 'MiniBrowser',
    'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } };
  const version = (await promisify(execFile)('dpkg-query', ['-W', '-f=${Version}', 'libwebkit2gtk-4.1-0'])).stdout;

  // One WebDriver session is one profile; its windows are its tabs. Each command first selects its window,
  // so commands are queued one after another.
  const newProfile = async () => {
    const driver = await new Builder().usingServer(server).withCapabilities(capabilities).build();
    await driver.manage().window().setRect(VIEWPORT);
    let queue = Promise.resolve();
    const queued = (command) => {
      const run = queue.then(command);
      queue = run.catch(() => {});
      return run;
    };
    const on = (handle, command) => queued(async () => { await driver.switchTo().window(handle); return command(); });
    // The session's windows: asked of the session, whichever window (even a closed one) is current.
    const handles = () => queued(() => driver.getAllWindowHandles());
    const webdriverTab = (handle) => tab({
      goto: (url) => on(handle, () => driver.get(url)),
      reload: () => on(handle, () => driver.navigate().refresh()),
      url: () => on(handle, () => driver.getCurrentUrl()),
      // Execute Script awaits a promise the function returns.
      evaluate: (fn, arg) => on(handle, () => driver.executeScript(`return (${fn})(arguments[0]);`, arg)),
      click: (selector) => on(handle, () => driver.findElement(By.css(selector)).click()),
      clickAt: ({ x, y }) => on(handle, () => driver.actions().move({ origin: 'viewport', x: Math.round(x), y: Math.round(y) })
        .click().perform()),
      fill: (selector, value) => on(handle, async () => {
        const input = await driver.findElement(By.css(selector));
        await input.clear();
        await input.sendKeys(value);
      }),
      // The window, not the full page: WebDriver classic screenshots the viewport.
      screenshot: (path) => on(handle, async () => writeFile(path, await driver.takeScreenshot(), 'base64')),
      popup: async (open) => {
        const before = await handles();
        await open();
        const opened = await until(async () => (await handles()).find((h) => !before.includes(h)), 'a popup');
        return webdriverTab(opened);
      },
      isClosed: async () => !(await handles()).includes(handle),
      close: () => on(handle, () => driver.close()),
    });
    const first = await driver.getWindowHandle();
    let used = false;
    return {
      newTab: async () => {
        if (!used) { used = true; return webdriverTab(first); }
        const { handle } = await on(first, async () => { await driver.switchTo().newWindow('tab'); return { handle: await driver.getWindowHandle() }; });
        return webdriverTab(handle);
      },
      close: () => driver.quit(),
    };
  };
  return {
    version: `WebKitGTK ${version.replace(/-.*/, '')}`,
    newProfile,
    close: async () => { driverProcess.kill(); xvfb.stop(); },
  };
}

export async function startEngine(name) {
  return { chromium, firefox, webkit }[name]();
}

// --- What a person does, in any engine.

// Opens `url` and waits until the element has rendered.
export async function open(t, url, id = 'signin') {
  await t.goto(url);
  await t.waitFor((i) => document.getElementById(i)?.shadowRoot?.childElementCount, id);
}

export const shadowText = (t, id = 'signin') =>
  t.evaluate((i) => document.getElementById(i)?.shadowRoot?.textContent ?? null, id);

export async function waitForEvent(t, type, target) {
  await t.waitFor(([ty, id]) => window.__events?.some((e) => e.type === ty && (!id || e.target === id)), [type, target]);
  return (await t.events(type)).filter((e) => !target || e.target === target).at(-1);
}

// Clicks the element's enabled button (the first, or the one whose text has `hasText`) where it is on the
// screen, as a pointer does: a popup needs that user activation.
export async function clickButton(t, { id = 'signin', hasText = '' } = {}) {
  const point = await t.waitFor(([i, text]) => {
    const button = [...(document.getElementById(i)?.shadowRoot?.querySelectorAll('button') ?? [])]
      .find((b) => !b.disabled && b.textContent.includes(text));
    if (!button) return null;
    button.scrollIntoView({ block: 'center' });
    const box = button.getBoundingClientRect();
    return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
  }, [id, hasText]);
  await t.clickAt(point);
}

// oidc-provider's development login and consent pages, filled in as a person does, until the browser is back
// on `origin` (the site) or the tab is closed (a popup). Call it right after the action that left the page: each step marks its document
// (window.__step) and waits for one without the mark, so no page is taken for the next.
export async function logIn(t, origin, { login = 'max.mule' } = {}) {
  for (;;) {
    const step = await until(async () => ((await t.isClosed()) ? 'back' : t.evaluate(([o, path]) => {
      if (window.__step || document.readyState === 'loading') return null;
      if (location.origin === o) return 'back';
      if (!location.pathname.startsWith(path) || !location.pathname.includes('/interaction/')) return null;
      if (!document.querySelector('button[type="submit"]')) return null;
      return document.querySelector('input[name="login"]') ? 'login' : 'consent';
    }, [origin, OAUTH_PATH]).catch(() => null)), 'the authorization server\'s pages');
    if (step === 'back') return;
    if (step === 'login') {
      await t.fill('input[name="login"]', login);
      await t.fill('input[name="password"]', 'any password');
    }
    await t.evaluate(() => { window.__step = true; });
    await t.click('button[type="submit"]');
  }
}

// Clicks the element's button and goes through the authorization server, back to `origin`.
export async function signIn(t, origin, { id, login, hasText } = {}) {
  await t.evaluate(() => { window.__step = true; });
  await clickButton(t, { id, hasText });
  await logIn(t, origin, { login });
}
