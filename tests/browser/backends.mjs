// The two backend libraries as a site runs them, each with the real local authorization server (its confidential
// client) and the test pages: anypoint-signin/server (www/server.js) behind node:http, and the Rust crate
// anypoint-signin-server inside playground-server (support.mjs's site()). Both take the same session key, so a
// test can open the cookies they set (unseal).
import { createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIDENTIAL_CLIENT, startAuthServer } from '../../playground/oidc-server.mjs';
import { createExchangeHandler } from '../../www/server.js';
import { PAGES, site } from './support.mjs';

const ROOT = join(fileURLToPath(import.meta.url), '../../..');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm' };
export const SECRET = 'server-test-confidential-secret';
export const SESSION_KEY = randomBytes(32).toString('base64url');

export const listen = (server) => new Promise((ok, fail) => {
  server.once('error', fail);
  server.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${server.address().port}`));
});

// The Node backend as an app would run it: node:http, the handler behind the adapter below at /api/exchange, the
// test pages (placeholders filled as playground-server fills them) and the built element.
export async function nodeSite({ confidentialSeconds } = {}) {
  let register;
  const auth = await startAuthServer({ redirectUris: new Promise((ok) => { register = ok; }), confidentialSecret: SECRET,
    confidentialSeconds });
  const handler = createExchangeHandler({ issuer: auth.issuer, clientId: CONFIDENTIAL_CLIENT, clientSecret: SECRET,
    sessionKey: SESSION_KEY });
  let origin;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, origin);
    if (url.pathname === '/api/exchange') {
      // The node:http adapter: the request as a Fetch API Request (its headers included: the same-origin check
      // and the cookie need them), the Response written back with every Set-Cookie.
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks);
      const answer = await handler(new Request(url, { method: req.method, headers: req.headers, body }));
      const headers = [...answer.headers].filter(([name]) => name !== 'set-cookie');
      for (const cookie of answer.headers.getSetCookie()) headers.push(['set-cookie', cookie]);
      res.writeHead(answer.status, headers.flat()).end(Buffer.from(await answer.arrayBuffer()));
      return;
    }
    const name = url.pathname.slice(1);
    const file = /^[\w-]+\.html$/.test(name) ? join(PAGES, name)
      : url.pathname.startsWith('/anypoint-signin/') && !url.pathname.includes('..')
        ? join(ROOT, 'www/dist', url.pathname.slice('/anypoint-signin/'.length)) : null;
    const content = file && await readFile(file).catch(() => null);
    if (!content) return res.writeHead(404).end();
    const filled = extname(file) === '.html' ? content.toString().replaceAll('{{ISSUER}}', auth.issuer)
      .replaceAll('{{ORIGIN}}', origin).replaceAll('{{CLIENT_ID}}', CONFIDENTIAL_CLIENT) : content;
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(filled);
  });
  origin = await listen(server);
  register(['backend-offline.html', 'backend-memory.html'].map((page) => `${origin}/${page}`));
  return {
    origin,
    issuer: auth.issuer,
    close: async () => { server.closeAllConnections(); await new Promise((ok) => server.close(ok)); await auth.close(); },
  };
}

// The Rust backend: playground-server (the crate's router) with the test pages.
export const rustSite = ({ confidentialSeconds } = {}) =>
  site({ clientSecret: SECRET, sessionKey: SESSION_KEY, confidentialSeconds });

// What a session cookie holds, opened here independently of both libraries (node:crypto): the `cookie` crate's
// private jar, HKDF-Expand's second block as the AES-256-GCM key, the cookie's name as additional data.
export function unseal(name, value) {
  const info = Buffer.from('COOKIE;SIGNED:HMAC-SHA256;PRIVATE:AEAD-AES-256-GCM');
  const master = Buffer.from(SESSION_KEY, 'base64url');
  const t1 = createHmac('sha256', master).update(info).update(Buffer.of(1)).digest();
  const key = createHmac('sha256', master).update(t1).update(info).update(Buffer.of(2)).digest();
  const data = Buffer.from(decodeURIComponent(value), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12)).setAAD(Buffer.from(name));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return JSON.parse(Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]).toString());
}
