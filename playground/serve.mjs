// Starts a site: the local authorization server (playground/oidc-server.mjs, in this process) and the Rust
// playground server (playground/server: the pages, the built element and the backend code exchange), with
// every page of the site registered as a redirect URI. The developer playground by default; the browser
// tests pass their own pages.
//
//   node playground/serve.mjs [--port N] [--auth-port N] [--pages DIR]
//
// Pages may use {{ISSUER}}, {{ORIGIN}} and {{CLIENT_ID}} (the confidential app the exchange accepts).
// The server binary is built by scripts/dev.sh and scripts/test.sh (`cargo build -p anypoint-signin-playground`).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIDENTIAL_CLIENT, startAuthServer } from './oidc-server.mjs';

const root = resolve(fileURLToPath(import.meta.url), '../..');
export const SERVER_BIN = process.env.PLAYGROUND_SERVER ?? join(root, 'target/debug/playground-server');

export class PortInUse extends Error {}

// Runs the Rust server; resolves with its origin once it listens.
function startServer({ host, port, issuer, pages, clientSecret, sessionKey }) {
  if (!existsSync(SERVER_BIN)) {
    throw new Error(`${SERVER_BIN} is missing: build it with \`cargo build -p anypoint-signin-playground\``);
  }
  const child = spawn(SERVER_BIN, [], {
    // Its stdin is a pipe from here: when this process ends, however it ends, the server sees EOF and stops.
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, PLAYGROUND_STOP_ON_EOF: '1', PLAYGROUND_ADDR: `${host}:${port}`, ANYPOINT_ISSUER: issuer,
      ANYPOINT_CLIENT_ID: CONFIDENTIAL_CLIENT, ANYPOINT_CLIENT_SECRET: clientSecret,
      // The backend's session cookies are sealed with it: a new one each start, unless given.
      ANYPOINT_SIGNIN_SESSION_KEY: sessionKey ?? process.env.ANYPOINT_SIGNIN_SESSION_KEY ?? randomBytes(32).toString('base64url'),
      PLAYGROUND_PAGES: pages, PLAYGROUND_DIST: join(root, 'www/dist') },
  });
  const errors = [];
  createInterface({ input: child.stderr }).on('line', (line) => { errors.push(line); console.error(line); });
  return new Promise((ok, fail) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const origin = line.match(/^listening on (http:\S+)/)?.[1];
      if (origin) ok({ origin, child });
    });
    child.once('error', fail);
    child.once('exit', (code) => {
      const Failure = code === 3 ? PortInUse : Error;
      fail(new Failure(errors.join('\n') || `playground-server exited with ${code}`));
    });
  });
}

function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => { child.once('exit', ok); child.kill('SIGTERM'); });
}

export async function startSite({ port = 0, host = '127.0.0.1', pages = join(root, 'playground/site'), authPort = 0,
  clientSecret = process.env.ANYPOINT_DEV_CLIENT_SECRET ?? 'dev-confidential-secret', sessionKey, confidentialSeconds } = {}) {
  // The auth server listens first (the site needs the issuer), and takes the site's pages as redirect URIs
  // once the site listens (they need its port).
  let register;
  const redirectUris = new Promise((ok) => { register = ok; });
  const auth = await startAuthServer({ host, port: authPort, redirectUris, confidentialSecret: clientSecret, confidentialSeconds });
  let server;
  try {
    server = await startServer({ host, port, issuer: auth.issuer, pages: resolve(pages), clientSecret, sessionKey });
  } catch (e) {
    await auth.close();
    throw e;
  }
  const { origin, child } = server;
  const files = (await readdir(pages)).filter((f) => f.endsWith('.html'));
  register([`${origin}/`, ...files.map((f) => `${origin}/${f}`)]);
  return {
    origin,
    issuer: auth.issuer,
    exited: new Promise((ok) => child.once('exit', ok)),
    close: async () => { await stop(child); await auth.close(); },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : fallback; };
  const port = Number(arg('--port', process.env.PORT ?? 8080));
  const authPort = Number(arg('--auth-port', 0));
  try {
    const site = await startSite({ port, authPort, pages: arg('--pages', undefined) });
    console.log(`\n  anypoint-signin playground:  ${site.origin}/\n`);
    console.log(`  local authorization server:  ${site.issuer}  (log in with any name and password)`);
    console.log(`  backend code exchange:       ${site.origin}/api/exchange`);
    console.log('\nPress Ctrl-C to stop.');
    let stopping = false;
    const stop = async () => { stopping = true; await site.close(); process.exit(0); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    site.exited.then(async (code) => {
      if (stopping) return;
      console.error(`playground-server stopped unexpectedly (exit ${code})`);
      await site.close();
      process.exit(1);
    });
  } catch (e) {
    if (e.code === 'EADDRINUSE') console.error(`port ${e.port ?? authPort} (the authorization server) is already in use: pass --auth-port N`);
    else if (e instanceof PortInUse) console.error(`port ${port} is already in use: pass --port N (scripts/dev.sh --port N)`);
    else console.error(e.message);
    process.exit(1);
  }
}
