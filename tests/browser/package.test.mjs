// The npm package as a third-party app gets it: `npm pack` of www/, installed from the tarball into a scratch
// app in a temporary folder, then bundled with Vite (build and dev server) and webpack 5, served as a plain
// static folder, used from a React 19 page bundled with esbuild, and from a Vue 3 (Vite), an Angular (its own
// build) and a Next.js (App Router, server-rendered) app. Each signs in for real against the local authorization
// server in Chromium. The types are checked with tsc, vue-tsc and Angular's template type-check (a correct
// consumer passes, misspellings fail) and the Custom Elements Manifest with ajv against its schema and against
// the element's real attributes, parts and events.
//
// Dev dependencies used here (root package.json): vite, webpack, esbuild, react, react-dom, @types/react(-dom),
// typescript (the consumers' tools), ajv + custom-elements-manifest (the manifest's JSON schema). The Vue,
// Angular and Next.js toolchains are tests/browser/frameworks' (TypeScript 5.9 for vue-tsc and Angular).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { copyFile, cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Ajv from 'ajv';
import { build as esbuild } from 'esbuild';
import { createServer as viteDevServer, build as vite } from 'vite';
import webpack from 'webpack';
import { OAUTH_PATH, startAuthServer } from '../../playground/oidc-server.mjs';
import * as meta from '../../www/meta/element.mjs';
import { freePort, launch, newPage, open, shadowText, signIn, site, waitForEvent } from './support.mjs';

const ROOT = join(fileURLToPath(import.meta.url), '../../..');
const FRAMEWORKS = join(ROOT, 'tests/browser/frameworks/node_modules');
const run = promisify(execFile);

let browser, app, tarball;
before(async () => {
  app = await mkdtemp(join(tmpdir(), 'anypoint-signin-consumer-'));
  const packed = await run('npm', ['pack', '--json', '--loglevel=error', '--pack-destination', app], { cwd: join(ROOT, 'www') });
  [tarball] = JSON.parse(packed.stdout);
  await cp(join(ROOT, 'tests/browser/consumer'), app, { recursive: true });
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', `./${tarball.filename}`], { cwd: app });
  // The app's own dependencies come from this repo's node_modules (offline), linked after npm install, which
  // would prune them.
  for (const name of ['react', 'react-dom', '@types/react', '@types/react-dom']) {
    await mkdir(dirname(join(app, 'node_modules', name)), { recursive: true });
    await symlink(join(ROOT, 'node_modules', name), join(app, 'node_modules', name));
  }
  browser = await launch();
});
after(async () => {
  await browser?.close();
  if (app) await rm(app, { recursive: true, force: true });
});

const installed = (path) => join(app, 'node_modules/anypoint-signin', path);
const manifest = async () => JSON.parse(await readFile(installed('dist/custom-elements.json'), 'utf8'));
const elementOf = (m) => m.modules.flatMap((mod) => mod.declarations).find((d) => d.tagName === meta.tagName);
const sorted = (values) => [...new Set(values)].sort();

describe('the tarball', () => {
  test('holds the entry modules, glue, wasm, types, manifest, README, the server handler and nothing else', () => {
    for (const f of tarball.files) console.log(`  ${f.path.padEnd(56)} ${String(f.size).padStart(7)} bytes`);
    console.log(`  ${tarball.filename}: ${tarball.entryCount} files, ${tarball.unpackedSize} bytes, ${tarball.size} packed`);
    const paths = tarball.files.map((f) => f.path);
    assert.deepEqual(sorted(paths), sorted(['package.json', 'README.md', 'dist/custom-elements.json',
      'dist/anypoint-signin.js', 'dist/anypoint-signin-head.js', 'dist/anypoint-signin.css', 'dist/anypoint-signin.d.ts', 'dist/define.js', 'dist/define.d.ts', 'dist/react.js',
      'dist/react.d.ts', 'dist/anypoint_signin.js', 'dist/anypoint_signin_bg.wasm',
      'server.js', 'server.d.ts']));
  });

  test('every path in package.json is in it', async () => {
    const pkg = JSON.parse(await readFile(installed('package.json'), 'utf8'));
    const targets = [pkg.main, pkg.types, pkg.customElements, ...pkg.sideEffects,
      ...Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e)))];
    const files = new Set(tarball.files.map((f) => f.path));
    for (const target of targets) assert.ok(files.has(target.replace(/^\.\//, '')), `${target} is packed`);
  });

  test('importing ./define has no side effects; the default entry has them (esbuild tree-shaking)', async () => {
    const bundle = async (contents) => {
      const out = await esbuild({ stdin: { contents, resolveDir: app }, bundle: true, format: 'esm', write: false });
      return out.outputFiles[0].text;
    };
    assert.doesNotMatch(await bundle("import 'anypoint-signin/define';"), /anypoint_signin_bg\.wasm/);
    assert.doesNotMatch(await bundle("import { define } from 'anypoint-signin/define';"), /anypoint_signin_bg\.wasm/);
    assert.match(await bundle("import { define } from 'anypoint-signin/define'; define('x-y');"), /anypoint_signin_bg\.wasm/);
    assert.match(await bundle("import 'anypoint-signin';"), /anypoint_signin_bg\.wasm/);
  });
});

describe('the Custom Elements Manifest', () => {
  test('validates against the Custom Elements Manifest schema', async () => {
    const schema = JSON.parse(await readFile(join(ROOT, 'node_modules/custom-elements-manifest/schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const valid = validate(await manifest());
    assert.ok(valid, JSON.stringify(validate.errors, null, 2));
  });

  test('names every event src/events.rs defines (the registry lists them by constant: one left out fails here)', async () => {
    const source = await readFile(join(ROOT, 'src/events.rs'), 'utf8');
    const defined = [...source.matchAll(/pub const \w+: &str = "([^"]+)";/g)].map((m) => m[1]);
    const element = elementOf(await manifest());
    assert.deepEqual(sorted(element.events.map((e) => e.name)), sorted(defined));
  });
});

describe('TypeScript (tsc --noEmit)', () => {
  const tsc = (project) => run(join(ROOT, 'node_modules/.bin/tsc'), ['--noEmit', '-p', project, '--pretty', 'false'], { cwd: app });

  test('a consumer using the tag map, properties, event details, attributes and JSX type-checks', async () => {
    await tsc('tsconfig.json');
  });

  test('misspelled properties, event detail fields, attributes and values fail, each on its line', async () => {
    assert.equal(await failsOnMarkedLines(tsc('tsconfig.misspelled.json'), app, ['misspelled.ts', 'misspelled.tsx']), 9);
  });
});

// A type check that must fail exactly on the lines of `files` (relative to `dir`) marked `// error:` or
// `<!-- error: -->`, as its output reports them (`file(line,col): error` or `file:line:col - error`); returns
// how many lines are marked.
async function failsOnMarkedLines(checking, dir, files) {
  const failed = await checking.then(() => null, (e) => e);
  assert.ok(failed, 'the type check must fail');
  const output = `${failed.stdout}${failed.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
  const reported = sorted([...output.matchAll(/^([\w./-]+?)(?:\((\d+),\d+\): error|:(\d+):\d+ - error)/gm)]
    .map((m) => `${m[1]}:${m[2] ?? m[3]}`));
  const marked = [];
  for (const file of files) {
    const lines = (await readFile(join(dir, file), 'utf8')).split('\n');
    lines.forEach((line, i) => { if (/(\/\/|<!--) error:/.test(line)) marked.push(`${file}:${i + 1}`); });
  }
  assert.deepEqual(reported, sorted(marked), output);
  return marked.length;
}

// The surface the element really has: observed attributes, the CSS parts in its shadow root, and the
// custom properties its styles read.
function surface(page, id = 'signin') {
  return page.evaluate(([i, prefix]) => {
    const element = document.getElementById(i);
    const root = element.shadowRoot;
    const css = [...root.adoptedStyleSheets.flatMap((s) => [...s.cssRules].map((r) => r.cssText)),
      ...[...root.querySelectorAll('style')].map((s) => s.textContent)].join('\n');
    return {
      observed: [...element.constructor.observedAttributes],
      parts: [...root.querySelectorAll('[part]')].flatMap((e) => e.getAttribute('part').split(/\s+/)),
      cssProperties: css.match(new RegExp(`${prefix}[\\w-]+`, 'g')) ?? [],
    };
  }, [id, `--${meta.tagName}-`]);
}

// The anypoint-signin event's detail has the fields its type declares.
function assertTyped(detail) {
  const fields = (type) => meta.types[type].fields;
  for (const f of fields('AnypointSigninDetail')) if (!f.optional) assert.ok(f.name in detail, `detail.${f.name}`);
  assert.deepEqual(Object.keys(detail).filter((k) => !fields('AnypointSigninDetail').some((f) => f.name === k)), []);
  assert.deepEqual(Object.keys(detail.profile).filter((k) => !fields('AnypointProfile').some((f) => f.name === k)), []);
}

async function until(condition, timeout = 15000) {
  for (const deadline = Date.now() + timeout; !condition();) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${condition}`);
    await new Promise((ok) => setTimeout(ok, 25));
  }
}

async function signsIn(url, id = 'signin') {
  const page = await newPage(browser);
  await open(page, url, id);
  assert.match(await shadowText(page, id), /Sign in with Anypoint Platform/);
  const before = await surface(page, id);
  await signIn(page, { id });
  const signin = await waitForEvent(page, 'anypoint-signin', id);
  assert.equal(signin.detail.profile.name, 'Max Mule');
  assertTyped(signin.detail);
  await page.waitForFunction((i) => /Signed in as Max Mule/.test(document.getElementById(i).shadowRoot.textContent), id);
  assert.deepEqual(page.consoleErrors, []);
  return { page, before, after: await surface(page, id) };
}

describe('in Chromium, installed from the tarball', () => {
  test('bundled with Vite: the wasm is emitted as an asset; the button renders and signs in', async () => {
    const outDir = join(app, 'vite-dist');
    await vite({ root: app, configFile: false, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    const demo = await site({ pages: outDir });
    try {
      const { page } = await signsIn(`${demo.origin}/`);
      const wasm = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.wasm')));
      assert.ok(wasm.some((n) => /\/assets\/anypoint_signin_bg-[\w-]+\.wasm$/.test(n)), `the fingerprinted asset Vite emitted: ${wasm}`);
    } finally {
      await demo.close();
    }
  });

  test('on the Vite dev server (dependencies pre-bundled): the wasm still loads; signs in', async () => {
    let origin, issuer;
    // The dev server serves index.html itself: fill in the placeholders the demo site fills in.
    const placeholders = { name: 'placeholders',
      transformIndexHtml: (html) => html.replaceAll('{{ISSUER}}', issuer).replaceAll('{{ORIGIN}}', origin) };
    const server = await viteDevServer({ root: app, configFile: false, logLevel: 'silent', plugins: [placeholders],
      server: { host: '127.0.0.1', port: 0 } });
    let auth;
    try {
      await server.listen();
      origin = new URL(server.resolvedUrls.local[0]).origin;
      auth = await startAuthServer({ redirectUris: [`${origin}/`] });
      issuer = auth.issuer;
      await signsIn(`${origin}/`);
    } finally {
      await server.close();
      await auth?.close();
    }
  });

  test('bundled with webpack 5 (no configuration but the entry): the wasm is emitted as an asset; signs in', async () => {
    const outDir = join(app, 'webpack-dist');
    const compiler = webpack({ mode: 'production', context: app, entry: './main.js', output: { path: outDir } });
    const stats = await new Promise((ok, fail) => compiler.run((error, result) => (error ? fail(error) : ok(result))));
    await new Promise((ok) => compiler.close(ok));
    assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
    await copyFile(join(app, 'webpack.html'), join(outDir, 'webpack.html'));
    const demo = await site({ pages: outDir });
    try {
      const { page } = await signsIn(`${demo.origin}/webpack.html`);
      const wasm = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.wasm')));
      assert.match(wasm.join(), /\/[0-9a-f]{20}\.wasm$/, 'the asset webpack emitted');
    } finally {
      await demo.close();
    }
  });

  test('a plain static folder with <script type="module">: signs in; the manifest matches the element', async () => {
    const demo = await site({ pages: app });
    try {
      const { before, after } = await signsIn(`${demo.origin}/static.html`);

      // ./define: importing it defines nothing and fetches no wasm; define(tag) then works under that tag.
      const page = await newPage(browser);
      await open(page, `${demo.origin}/define.html`);
      assert.deepEqual(await page.evaluate(() => window.__onImport), { defined: [], wasm: 0 });
      assert.equal(await page.evaluate(() => document.getElementById('signin').constructor === customElements.get('my-signin')), true);
      assert.equal((await waitForEvent(page, 'anypoint-signin-error')).detail.code, 'missing_client_id');
      const failed = await surface(page);

      const element = elementOf(await manifest());
      assert.deepEqual(sorted(before.observed), sorted(element.attributes.map((a) => a.name)), 'observed attributes');
      assert.deepEqual(sorted(failed.observed), sorted(before.observed), 'define(tag) observes the same attributes');
      assert.deepEqual(sorted([...before.parts, ...after.parts, ...failed.parts]), sorted(element.cssParts.map((p) => p.name)),
        'CSS parts in the idle, signed-in and failed states');
      assert.deepEqual(sorted([...before.cssProperties, ...after.cssProperties]), sorted(element.cssProperties.map((p) => p.name)),
        'CSS custom properties');
    } finally {
      await demo.close();
    }
  });

  test("under a strict Content-Security-Policy: needs only 'wasm-unsafe-eval' and connect-src", async () => {
    // The same page, without 'wasm-unsafe-eval'.
    const csp = await readFile(join(app, 'csp.html'), 'utf8');
    await writeFile(join(app, 'csp-no-wasm.html'), csp.replace(" 'wasm-unsafe-eval'", '').replace('/csp.html', '/csp-no-wasm.html'));
    const demo = await site({ pages: app });
    // How the signed-out button looks: the same with and without the policy (its stylesheet is not blocked).
    const looks = async (page) => page.evaluate(() => {
      const style = getComputedStyle(document.getElementById('signin').shadowRoot.querySelector('button'));
      return ['display', 'padding', 'border', 'border-radius', 'background-color', 'font'].map((p) => style.getPropertyValue(p));
    });
    try {
      const plain = await newPage(browser);
      await open(plain, `${demo.origin}/static.html`);
      const strict = await newPage(browser);
      await open(strict, `${demo.origin}/csp.html`);
      assert.deepEqual(await looks(strict), await looks(plain));
      // Any violation would be a console error, which signsIn refuses.
      await signsIn(`${demo.origin}/csp.html`);

      const refused = await newPage(browser);
      await refused.goto(`${demo.origin}/csp-no-wasm.html`);
      await until(() => refused.consoleErrors.some((m) => m.includes("script-src needs 'wasm-unsafe-eval'")));
      assert.equal(await refused.evaluate(() => customElements.get('anypoint-signin')), undefined);
    } finally {
      await demo.close();
    }
  });

  test('React 19 (bundled with esbuild, the wasm copied next to the bundle): typed handlers see the sign-in', async () => {
    const outDir = join(app, 'react-dist');
    await esbuild({ entryPoints: [join(app, 'app.tsx')], bundle: true, format: 'esm', outdir: outDir, jsx: 'automatic',
      minify: true, define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'silent' });
    await copyFile(installed('dist/anypoint_signin_bg.wasm'), join(outDir, 'anypoint_signin_bg.wasm'));
    await copyFile(join(app, 'react.html'), join(outDir, 'react.html'));
    const demo = await site({ pages: outDir });
    try {
      const { page } = await signsIn(`${demo.origin}/react.html`);
      await page.waitForFunction(() => document.getElementById('who').textContent === 'Max Mule');
      assert.equal(await page.textContent('#error'), '');
    } finally {
      await demo.close();
    }
  });
});

// A framework app of tests/browser/consumer/ in the scratch app: its node_modules links every package of the
// toolchain folder (tests/browser/frameworks) and the package installed from the tarball.
async function frameworkApp(name) {
  const dir = join(app, name);
  await mkdir(join(dir, 'node_modules'));
  for (const entry of await readdir(FRAMEWORKS)) await symlink(join(FRAMEWORKS, entry), join(dir, 'node_modules', entry));
  await symlink(installed(''), join(dir, 'node_modules/anypoint-signin'));
  return dir;
}
const tool = (name, args, dir, env = {}) => run(join(FRAMEWORKS, '.bin', name), args, { cwd: dir, env: { ...process.env, ...env } });

// Signs in on the app's page; its typed handlers wrote the user's name into #who, and no error into #error.
async function handlersSeeTheSignIn(url) {
  const { page } = await signsIn(url);
  await page.waitForFunction(() => document.getElementById('who').textContent === 'Max Mule');
  assert.equal(await page.textContent('#error'), '');
  return page;
}

describe('framework apps in Chromium, installed from the tarball', () => {
  test('Vue 3 with Vite (isCustomElement): typed handlers pass vue-tsc, misspelled ones fail; signs in', async () => {
    const dir = await frameworkApp('vue');
    await tool('vue-tsc', ['--noEmit', '-p', 'tsconfig.json', '--pretty', 'false'], dir);
    assert.equal(await failsOnMarkedLines(tool('vue-tsc', ['--noEmit', '-p', 'tsconfig.misspelled.json', '--pretty', 'false'], dir),
      dir, ['Misspelled.vue']), 1);
    // The app's own vite.config.js, as `vite build` finds it.
    await tool('vite', ['build', '--outDir', 'dist', '--emptyOutDir', '--logLevel', 'warn'], dir);
    const demo = await site({ pages: join(dir, 'dist') });
    try {
      await handlersSeeTheSignIn(`${demo.origin}/`);
    } finally {
      await demo.close();
    }
  });

  test('Angular (application builder, CUSTOM_ELEMENTS_SCHEMA, strictTemplates): $event typed by the package; signs in', async () => {
    const dir = await frameworkApp('angular');
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
      await handlersSeeTheSignIn(`${demo.origin}/`);
    } finally {
      await demo.close();
    }
  });

  test('Next.js (App Router): the page is server-rendered without touching window, hydrates without a warning, signs in and restores', async (t) => {
    const dir = await frameworkApp('next');
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
    const page = await handlersSeeTheSignIn(`${origin}/`);
    assert.equal(page.url(), `${origin}/`, 'the callback stays out of the address bar once hydrated');
    await page.reload();
    await page.waitForFunction(() => document.getElementById('who').textContent === 'Max Mule');
    assert.deepEqual(page.consoleErrors, [], 'restored on reload');
    assert.deepEqual(page.consoleWarnings, [], 'no hydration (or other) warning');
    assert.doesNotMatch(log, /error|⨯|window is not defined/i, 'the server render failed nowhere');
  });
});
