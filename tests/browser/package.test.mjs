// The npm package as a third-party app gets it: `npm pack` of www/, installed from the tarball into a scratch
// app in a temporary folder, then bundled with Vite (build and dev server) and webpack 5, served as a plain
// static folder, and used from a React 19 page bundled with esbuild. Each signs in for real against the local authorization server in Chromium. The
// types are checked with tsc (a correct consumer passes, misspellings fail) and the Custom Elements Manifest
// with ajv against its schema and against the element's real attributes, parts and events.
//
// Dev dependencies used here (root package.json): vite, webpack, esbuild, react, react-dom, @types/react(-dom),
// typescript (the consumers' tools), ajv + custom-elements-manifest (the manifest's JSON schema).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Ajv from 'ajv';
import { build as esbuild } from 'esbuild';
import { createServer as viteDevServer, build as vite } from 'vite';
import webpack from 'webpack';
import { startAuthServer } from '../../playground/oidc-server.mjs';
import * as meta from '../../www/meta/element.mjs';
import { launch, newPage, open, shadowText, signIn, site, waitForEvent } from './support.mjs';

const ROOT = join(fileURLToPath(import.meta.url), '../../..');
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
    const paths = tarball.files.map((f) => f.path.replace(/snippets\/[^/]+\//, 'snippets/*/'));
    assert.deepEqual(sorted(paths), sorted(['package.json', 'README.md', 'dist/custom-elements.json',
      'dist/anypoint-signin.js', 'dist/anypoint-signin.d.ts', 'dist/define.js', 'dist/define.d.ts', 'dist/react.js',
      'dist/react.d.ts', 'dist/anypoint_signin.js', 'dist/anypoint_signin_bg.wasm', 'dist/__wasm_split.js',
      'dist/split_flows.wasm', 'dist/snippets/*/js/element.js',
      'dist/snippets/*/js/lock.js', 'dist/snippets/*/js/popup.js', 'server.js', 'server.d.ts']));
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

  test('names the events src/events.rs dispatches and the codes core/src/error.rs defines', async () => {
    // The string literals of `pattern` in `file`, from `within` on.
    const strings = async (file, pattern, within = '') => {
      const source = await readFile(join(ROOT, file), 'utf8');
      return [...source.slice(source.indexOf(within)).matchAll(pattern)].map((m) => m[1]);
    };
    const element = elementOf(await manifest());
    assert.deepEqual(sorted(element.events.map((e) => e.name)),
      sorted(await strings('src/events.rs', /pub const \w+: &str = "([^"]+)";/g)));
    assert.deepEqual(sorted(meta.errorCodes),
      sorted(await strings('core/src/error.rs', /Code::\w+ => "([^"]+)",/g, 'pub fn as_str')));
  });
});

describe('TypeScript (tsc --noEmit)', () => {
  const tsc = (project) => run(join(ROOT, 'node_modules/.bin/tsc'), ['--noEmit', '-p', project, '--pretty', 'false'], { cwd: app });

  test('a consumer using the tag map, properties, event details, attributes and JSX type-checks', async () => {
    await tsc('tsconfig.json');
  });

  test('misspelled properties, event detail fields, attributes and values fail, each on its line', async () => {
    const failed = await tsc('tsconfig.misspelled.json').then(() => null, (e) => e);
    assert.ok(failed, 'tsc must fail');
    const reported = sorted([...failed.stdout.matchAll(/^(misspelled\.tsx?)\((\d+),\d+\): error/gm)].map((m) => `${m[1]}:${m[2]}`));
    const marked = [];
    for (const file of ['misspelled.ts', 'misspelled.tsx']) {
      const lines = (await readFile(join(app, file), 'utf8')).split('\n');
      lines.forEach((line, i) => { if (/\/\/ error:/.test(line)) marked.push(`${file}:${i + 1}`); });
    }
    assert.equal(marked.length, 9);
    assert.deepEqual(reported, sorted(marked), failed.stdout);
  });
});

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
      assert.ok(wasm.some((n) => /\/assets\/split_flows-[\w-]+\.wasm$/.test(n)), `the flows' chunk, fingerprinted: ${wasm}`);
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
    for (const wasm of ['anypoint_signin_bg.wasm', 'split_flows.wasm']) await copyFile(installed(`dist/${wasm}`), join(outDir, wasm));
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
