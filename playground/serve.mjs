// The demo site: serves a folder of pages with the built element, a backend code-exchange endpoint, and the
// local authorization server (playground/oidc-server.mjs) that every page is registered with.
//
//   node playground/serve.mjs [--port N] [--pages DIR]
//
// Pages may use {{ISSUER}} and {{ORIGIN}}; every page's URL is a registered redirect URI.
import { createServer } from 'node:http';
import { readFile, readdir } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIDENTIAL_CLIENT, startAuthServer } from './oidc-server.mjs';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const DIST = join(root, 'www/dist');

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml' };

function send(res, status, body, type = 'text/plain; charset=utf-8', headers = {}) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(body);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

// The confidential-client exchange a site's backend does: adds the secret the browser never sees.
async function exchange(req, res, { issuer, clientSecret }) {
  let body;
  try { body = JSON.parse(await readBody(req)); } catch { body = null; }
  const fields = ['code', 'code_verifier', 'redirect_uri', 'client_id'];
  if (!body || fields.some((f) => typeof body[f] !== 'string' || !body[f])) {
    return send(res, 400, JSON.stringify({ error: 'invalid_request', error_description: `needs ${fields.join(', ')}` }), TYPES['.json']);
  }
  if (body.client_id !== CONFIDENTIAL_CLIENT) {
    return send(res, 400, JSON.stringify({ error: 'invalid_client', error_description: 'unknown client_id' }), TYPES['.json']);
  }
  const form = new URLSearchParams({ grant_type: 'authorization_code', client_secret: clientSecret });
  for (const f of fields) form.set(f, body[f]);
  const answer = await fetch(`${issuer}/token`, { method: 'POST', body: form });
  send(res, answer.status, await answer.text(), TYPES['.json']);
}

export async function startSite({ port = 0, host = '127.0.0.1', pages = join(root, 'playground'), authPort = 0,
  clientSecret = process.env.ANYPOINT_DEV_CLIENT_SECRET ?? 'dev-confidential-secret' } = {}) {
  const server = createServer();
  await new Promise((ok, fail) => { server.once('error', fail); server.listen(port, host, ok); });
  const origin = `http://${host}:${server.address().port}`;
  const files = (await readdir(pages)).filter((f) => f.endsWith('.html'));
  const redirectUris = [`${origin}/`, ...files.map((f) => `${origin}/${f}`)];
  let auth;
  try {
    auth = await startAuthServer({ host, port: authPort, redirectUris, confidentialSecret: clientSecret });
  } catch (e) {
    server.close();
    throw e;
  }
  server.on('request', async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, origin).pathname);
    try {
      if (req.method === 'POST' && path === '/api/exchange') return await exchange(req, res, { issuer: auth.issuer, clientSecret });
      const [dir, rel] = path.startsWith('/anypoint-signin/')
        ? [DIST, path.slice('/anypoint-signin/'.length)]
        : [pages, path === '/' ? 'index.html' : path.slice(1)];
      const file = normalize(join(dir, rel));
      if (!file.startsWith(dir)) return send(res, 404, 'not found');
      let body = await readFile(file);
      if (extname(file) === '.html') {
        body = body.toString('utf8').replaceAll('{{ISSUER}}', auth.issuer).replaceAll('{{ORIGIN}}', origin);
      }
      send(res, 200, body, TYPES[extname(file)] ?? 'application/octet-stream');
    } catch (e) {
      if (e.code === 'ENOENT' || e.code === 'EISDIR') return send(res, 404, 'not found');
      send(res, 500, String(e));
    }
  });
  return {
    origin,
    issuer: auth.issuer,
    close: async () => { server.closeAllConnections(); await new Promise((ok) => server.close(ok)); await auth.close(); },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : fallback; };
  const port = Number(arg('--port', process.env.PORT ?? 8080));
  try {
    const site = await startSite({ port, authPort: Number(arg('--auth-port', 0)), pages: arg('--pages', undefined) });
    console.log(`anypoint-signin demo:       ${site.origin}/`);
    console.log(`local authorization server: ${site.issuer}`);
    console.log('Press Ctrl-C to stop.');
    const stop = async () => { await site.close(); process.exit(0); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (e) {
    console.error(e.code === 'EADDRINUSE' ? `port ${e.port ?? port} is already in use: pass --port N` : e.message);
    process.exit(1);
  }
}
