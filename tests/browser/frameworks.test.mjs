// The npm package in framework apps, installed from its tarball (consumer.mjs): a Vue 3 (Vite), an Angular (its
// own build) and a Next.js (App Router, server-rendered) app, each type-checked (vue-tsc, Angular's template
// type-check: typed handlers pass, misspelled ones fail) and signing in for real against the local authorization
// server in Chromium. Their toolchains are tests/browser/frameworks' (TypeScript 5.9 for vue-tsc and Angular).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OAUTH_PATH, startAuthServer } from '../../playground/oidc-server.mjs';
import { freePort, site } from './support.mjs';
import { FRAMEWORKS, failsOnMarkedLines, frameworkApp, handlersSeeTheSignIn, installed, setUp, tearDown, tool, until } from './consumer.mjs';

let browser, app;
before(async () => { ({ app, browser } = await setUp()); });
after(() => tearDown({ app, browser }));

describe('framework apps in Chromium, installed from the tarball', () => {
  test('Vue 3 with Vite (isCustomElement): typed handlers pass vue-tsc, misspelled ones fail; signs in', async () => {
    const dir = await frameworkApp(app, 'vue');
    await tool('vue-tsc', ['--noEmit', '-p', 'tsconfig.json', '--pretty', 'false'], dir);
    assert.equal(await failsOnMarkedLines(tool('vue-tsc', ['--noEmit', '-p', 'tsconfig.misspelled.json', '--pretty', 'false'], dir),
      dir, ['Misspelled.vue']), 1);
    // The app's own vite.config.js, as `vite build` finds it.
    await tool('vite', ['build', '--outDir', 'dist', '--emptyOutDir', '--logLevel', 'warn'], dir);
    const demo = await site({ pages: join(dir, 'dist') });
    try {
      await handlersSeeTheSignIn(browser, `${demo.origin}/`);
    } finally {
      await demo.close();
    }
  });

  test('Angular (application builder, CUSTOM_ELEMENTS_SCHEMA, strictTemplates): $event typed by the package; signs in', async () => {
    const dir = await frameworkApp(app, 'angular');
    assert.equal(await failsOnMarkedLines(tool('ngc', ['-p', 'tsconfig.misspelled.json', '--noEmit'], dir), dir,
      ['src/misspelled.ts']), 2);
    // The site's ports chosen first, so that its origin and issuer can be written into the app's template.
    const [port, authPort] = await Promise.all([freePort(), freePort()]);
    const component = join(dir, 'src/app.ts');
    await writeFile(component, (await readFile(component, 'utf8')).replace('"ISSUER"', `"http://127.0.0.1:${authPort}${OAUTH_PATH}"`)
      .replace('"ORIGIN/"', `"http://127.0.0.1:${port}/"`));
    await tool('ng', ['build'], dir, { NG_CLI_ANALYTICS: 'false' });
    const demo = await site({ pages: join(dir, 'dist/browser'), port, authPort });
    try {
      await handlersSeeTheSignIn(browser, `${demo.origin}/`);
    } finally {
      await demo.close();
    }
  });

  test('Next.js (App Router): the page is server-rendered without touching window, hydrates without a warning, signs in and restores', async (t) => {
    const dir = await frameworkApp(app, 'next');
    await tool('next', ['build'], dir, { NEXT_TELEMETRY_DISABLED: '1' });
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const auth = await startAuthServer({ redirectUris: [`${origin}/`] });
    t.after(auth.close);
    const server = spawn(join(FRAMEWORKS, '.bin/next'), ['start', '-H', '127.0.0.1', '-p', String(port)], { cwd: dir,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ANYPOINT_ISSUER: auth.issuer, SITE_ORIGIN: origin } });
    let log = '';
    for (const stream of [server.stdout, server.stderr]) stream.on('data', (d) => { log += d; });
    t.after(() => new Promise((ok) => { server.once('exit', ok); server.kill(); }));
    await until(() => /Ready in/.test(log), 30000);

    const served = await fetch(`${origin}/`);
    const html = await served.text();
    assert.equal(served.status, 200, log);
    assert.ok(html.includes(`<anypoint-signin id="signin" clientid="anypoint-signin-demo" authority="${auth.issuer}" redirecturi="${origin}/">`),
      'the element is in the server-rendered HTML');
    const page = await handlersSeeTheSignIn(browser, `${origin}/`);
    assert.equal(page.url(), `${origin}/`, 'the callback stays out of the address bar once hydrated');
    await page.reload();
    await page.waitForFunction(() => document.getElementById('who').textContent === 'Max Mule');
    assert.deepEqual(page.consoleErrors, [], 'restored on reload');
    assert.deepEqual(page.consoleWarnings, [], 'no hydration (or other) warning');
    assert.doesNotMatch(log, /error|⨯|window is not defined/i, 'the server render failed nowhere');
  });
});
