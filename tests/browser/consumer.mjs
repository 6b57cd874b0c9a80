// The npm package as a third-party app gets it (package.test.mjs, frameworks.test.mjs): `npm pack` of www/,
// installed from the tarball into a scratch app in a temporary folder, and what the tests of that app share.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as meta from '../../www/meta/element.mjs';
import { launch, newPage, open, shadowText, signIn, waitForEvent } from './support.mjs';

export const ROOT = join(fileURLToPath(import.meta.url), '../../..');
export const FRAMEWORKS = join(ROOT, 'tests/browser/frameworks/node_modules');
export const run = promisify(execFile);

// The scratch app with the package installed from its tarball, and a browser: `{ app, tarball, browser }`.
export async function setUp() {
  const app = await mkdtemp(join(tmpdir(), 'anypoint-signin-consumer-'));
  const packed = await run('npm', ['pack', '--json', '--loglevel=error', '--pack-destination', app], { cwd: join(ROOT, 'www') });
  const [tarball] = JSON.parse(packed.stdout);
  await cp(join(ROOT, 'tests/browser/consumer'), app, { recursive: true });
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', `./${tarball.filename}`], { cwd: app });
  // The app's own dependencies come from this repo's node_modules (offline), linked after npm install, which
  // would prune them.
  for (const name of ['react', 'react-dom', '@types/react', '@types/react-dom']) {
    await mkdir(dirname(join(app, 'node_modules', name)), { recursive: true });
    await symlink(join(ROOT, 'node_modules', name), join(app, 'node_modules', name));
  }
  return { app, tarball, browser: await launch() };
}

export async function tearDown({ app, browser } = {}) {
  await browser?.close();
  if (app) await rm(app, { recursive: true, force: true });
}

// A file of the installed package.
export const installed = (app, path) => join(app, 'node_modules/anypoint-signin', path);
export const sorted = (values) => [...new Set(values)].sort();

// A type check that must fail exactly on the lines of `files` (relative to `dir`) marked `// error:` or
// `<!-- error: -->`, as its output reports them (`file(line,col): error` or `file:line:col - error`); returns
// how many lines are marked.
export async function failsOnMarkedLines(checking, dir, files) {
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
export function surface(page, id = 'signin') {
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

export async function until(condition, timeout = 15000) {
  for (const deadline = Date.now() + timeout; !condition();) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${condition}`);
    await new Promise((ok) => setTimeout(ok, 25));
  }
}

// Opens `url` in a new page of `browser`, signs in, and checks what the page saw.
export async function signsIn(browser, url, id = 'signin') {
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

// A framework app of tests/browser/consumer/ in the scratch app: its node_modules links every package of the
// toolchain folder (tests/browser/frameworks) and the package installed from the tarball.
export async function frameworkApp(app, name) {
  const dir = join(app, name);
  await mkdir(join(dir, 'node_modules'));
  for (const entry of await readdir(FRAMEWORKS)) await symlink(join(FRAMEWORKS, entry), join(dir, 'node_modules', entry));
  await symlink(installed(app, ''), join(dir, 'node_modules/anypoint-signin'));
  return dir;
}
export const tool = (name, args, dir, env = {}) => run(join(FRAMEWORKS, '.bin', name), args, { cwd: dir, env: { ...process.env, ...env } });

// Signs in on the app's page; its typed handlers wrote the user's name into #who, and no error into #error.
export async function handlersSeeTheSignIn(browser, url) {
  const { page } = await signsIn(browser, url);
  await page.waitForFunction(() => document.getElementById('who').textContent === 'Max Mule');
  assert.equal(await page.textContent('#error'), '');
  return page;
}
