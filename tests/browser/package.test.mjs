// The npm package as a third-party app gets it (consumer.mjs: `npm pack` of www/, installed from the tarball
// into a scratch app in a temporary folder), then bundled with Vite (build and dev server) and webpack 5, served
// as a plain static folder, used from a React 19 page bundled with esbuild; the framework apps are
// frameworks.test.mjs. Each signs in for real against the local authorization server in Chromium. The types are
// checked with tsc (a correct consumer passes, misspellings fail) and the Custom Elements Manifest with ajv
// against its schema and against the element's real attributes, parts and events.
//
// Dev dependencies used here (root package.json): vite, webpack, esbuild, react, react-dom, @types/react(-dom),
// typescript (the consumers' tools), ajv + custom-elements-manifest (the manifest's JSON schema).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Ajv from 'ajv';
import { build as esbuild } from 'esbuild';
import { createServer as viteDevServer, build as vite } from 'vite';
import webpack from 'webpack';
import { startAuthServer } from '../../playground/oidc-server.mjs';
import { newPage, open, site, waitForEvent } from './support.mjs';
import { ROOT, failsOnMarkedLines, installed, run, setUp, signsIn, sorted, surface, tearDown, until } from './consumer.mjs';
import * as meta from '../../www/meta/element.mjs';

let browser, app, tarball;
before(async () => { ({ app, tarball, browser } = await setUp()); });
after(() => tearDown({ app, browser }));

const manifest = async () => JSON.parse(await readFile(installed(app, 'dist/custom-elements.json'), 'utf8'));
const elementOf = (m) => m.modules.flatMap((mod) => mod.declarations).find((d) => d.tagName === meta.tagName);

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
    const pkg = JSON.parse(await readFile(installed(app, 'package.json'), 'utf8'));
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

describe('in Chromium, installed from the tarball', () => {
  test('bundled with Vite: the wasm is emitted as an asset; the button renders and signs in', async () => {
    const outDir = join(app, 'vite-dist');
    await vite({ root: app, configFile: false, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    const demo = await site({ pages: outDir });
    try {
      const { page } = await signsIn(browser, `${demo.origin}/`);
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
      await signsIn(browser, `${origin}/`);
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
      const { page } = await signsIn(browser, `${demo.origin}/webpack.html`);
      const wasm = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.wasm')));
      assert.match(wasm.join(), /\/[0-9a-f]{20}\.wasm$/, 'the asset webpack emitted');
    } finally {
      await demo.close();
    }
  });

  test('a plain static folder with <script type="module">: signs in; the manifest matches the element', async () => {
    const demo = await site({ pages: app });
    try {
      const { before, after } = await signsIn(browser, `${demo.origin}/static.html`);

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
      await signsIn(browser, `${demo.origin}/csp.html`);

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
    await copyFile(installed(app, 'dist/anypoint_signin_bg.wasm'), join(outDir, 'anypoint_signin_bg.wasm'));
    await copyFile(join(app, 'react.html'), join(outDir, 'react.html'));
    const demo = await site({ pages: outDir });
    try {
      const { page } = await signsIn(browser, `${demo.origin}/react.html`);
      await page.waitForFunction(() => document.getElementById('who').textContent === 'Max Mule');
      assert.equal(await page.textContent('#error'), '');
    } finally {
      await demo.close();
    }
  });
});
