// The backend libraries against the real local authorization server (oidc-provider, its confidential client):
// anypoint-signin/server (www/server.js), called with real Request objects, and the Rust crate
// anypoint-signin-server through playground-server's /api/exchange, side by side. Each redeems a real code
// from a sign-in in Chromium (the element's exchangeuri pointing at it), renews with the refresh token that came
// with it, passes the server's own errors through, and refuses what it must with the same answers as the other.
// Only the unreachable and misbehaving token endpoints are not the real server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CONFIDENTIAL_CLIENT, startAuthServer } from '../../playground/oidc-server.mjs';
import { ANYPOINT_US_ISSUER, createExchangeHandler } from '../../www/server.js';
import { PAGES, launch, newPage, open, recordTokenRequests, signIn, site, waitForEvent } from './support.mjs';

const ROOT = join(fileURLToPath(import.meta.url), '../../..');
const SECRET = 'server-test-confidential-secret';
const PAGE = 'backend-offline.html';
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm' };

const listen = (server) => new Promise((ok, fail) => {
  server.once('error', fail);
  server.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${server.address().port}`));
});

// The Node backend as an app would run it: node:http, the handler behind the adapter below at /api/exchange, the
// test page (placeholders filled as playground-server fills them) and the built element.
async function nodeSite() {
  let register;
  const auth = await startAuthServer({ redirectUris: new Promise((ok) => { register = ok; }), confidentialSecret: SECRET });
  const handler = createExchangeHandler({ issuer: auth.issuer, clientId: CONFIDENTIAL_CLIENT, clientSecret: SECRET });
  let origin;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, origin);
    if (url.pathname === '/api/exchange') {
      // The node:http adapter: the request as a Fetch API Request, the Response written back.
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks);
      const answer = await handler(new Request(url, { method: req.method, headers: req.headers, body }));
      res.writeHead(answer.status, Object.fromEntries(answer.headers)).end(Buffer.from(await answer.arrayBuffer()));
      return;
    }
    const file = url.pathname === `/${PAGE}` ? join(PAGES, PAGE)
      : url.pathname.startsWith('/anypoint-signin/') && !url.pathname.includes('..')
        ? join(ROOT, 'www/dist', url.pathname.slice('/anypoint-signin/'.length)) : null;
    const content = file && await readFile(file).catch(() => null);
    if (!content) return res.writeHead(404).end();
    const filled = extname(file) === '.html' ? content.toString().replaceAll('{{ISSUER}}', auth.issuer)
      .replaceAll('{{ORIGIN}}', origin).replaceAll('{{CLIENT_ID}}', CONFIDENTIAL_CLIENT) : content;
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(filled);
  });
  origin = await listen(server);
  register([`${origin}/${PAGE}`]);
  return {
    origin,
    issuer: auth.issuer,
    post: (body, init) => handler(new Request(`${origin}/api/exchange`, { method: 'POST', body, ...init })),
    close: async () => { server.closeAllConnections(); await new Promise((ok) => server.close(ok)); await auth.close(); },
  };
}

// The Rust backend: playground-server (the crate's router) with the test pages, through support.mjs's site().
async function rustSite() {
  const started = await site({ clientSecret: SECRET });
  return {
    ...started,
    post: (body, init) => fetch(`${started.origin}/api/exchange`, { method: 'POST', body, ...init }),
  };
}

let browser;
const backends = {};
before(async () => {
  [browser, backends.node, backends.rust] = await Promise.all([launch(), nodeSite(), rustSite()]);
});
after(async () => {
  await browser?.close();
  await Promise.all(Object.values(backends).map((b) => b.close()));
});

// Status, the headers that matter, and the parsed body; the secret is in no answer.
async function answerOf(response) {
  const text = await response.text();
  assert.ok(!text.includes(SECRET), `the secret leaked: ${text}`);
  return { status: response.status, type: response.headers.get('content-type'),
    cache: response.headers.get('cache-control'), allow: response.headers.get('allow'), body: text && JSON.parse(text) };
}

const postJson = (backend, body) => backend.post(JSON.stringify(body), { headers: { 'content-type': 'application/json' } })
  .then(answerOf);

const oauthError = (status, error, description) => ({ status, type: 'application/json', cache: 'no-store', allow: null,
  body: { error, error_description: description } });

// An answer without its error_description, when only the error code is checked.
const codeOnly = ({ body: { error_description: _, ...body }, ...rest }) => ({ ...rest, body });

for (const name of ['node', 'rust']) {
  describe(`${name}: against the real authorization server`, () => {
    test('redeems the code of a sign-in in Chromium, then renews with its refresh token and the secret', async () => {
      const backend = backends[name];
      const page = await newPage(browser);
      const tokenRequests = recordTokenRequests(page);
      await open(page, `${backend.origin}/${PAGE}`);
      const exchanged = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/exchange', { timeout: 30000 });
      await signIn(page);
      const signin = await waitForEvent(page, 'anypoint-signin');
      assert.equal(signin.detail.profile.name, 'Max Mule');
      assert.deepEqual(tokenRequests, [], 'the browser never called the token endpoint');
      const response = await exchanged;
      const [sent, answer] = [response.request().postDataJSON(), await response.text()];
      assert.deepEqual(Object.keys(sent).sort(), ['client_id', 'code', 'code_verifier', 'redirect_uri']);
      assert.ok(!answer.includes(SECRET));
      const tokens = JSON.parse(answer);
      assert.equal(tokens.access_token, signin.detail.accessToken);
      assert.match(tokens.scope, /\boffline_access\b/);
      assert.ok(tokens.refresh_token, 'offline_access with prompt=consent: a refresh token');
      await page.context().close();

      const renewed = await postJson(backend, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: CONFIDENTIAL_CLIENT });
      assert.equal(renewed.status, 200, JSON.stringify(renewed.body));
      assert.equal(renewed.cache, 'no-store');
      assert.equal(renewed.body.token_type, 'Bearer');
      assert.ok(renewed.body.access_token && renewed.body.access_token !== tokens.access_token, 'a new access token');
      assert.ok(renewed.body.id_token, 'and a new id_token (openid)');

      // The server's own errors, passed through: the code is spent, and this refresh token was never issued.
      const replay = await postJson(backend, sent);
      assert.deepEqual(codeOnly(replay), codeOnly(oauthError(400, 'invalid_grant', '')));
      const forged = await postJson(backend, { grant_type: 'refresh_token', refresh_token: 'never-issued', client_id: CONFIDENTIAL_CLIENT });
      assert.deepEqual(codeOnly(forged), codeOnly(oauthError(400, 'invalid_grant', '')));
    });
  });
}

describe('node and rust refuse alike, before the token endpoint', () => {
  const code = { code: 'c', code_verifier: 'v'.repeat(43), redirect_uri: 'http://127.0.0.1:1/', client_id: CONFIDENTIAL_CLIENT };
  const refresh = { grant_type: 'refresh_token', refresh_token: 'r', client_id: CONFIDENTIAL_CLIENT };
  const badBody = 'the body must be a JSON object of strings: {code, code_verifier, redirect_uri, client_id} '
    + 'or {grant_type: "refresh_token", refresh_token, client_id}';
  const cases = [
    ['another client, code', JSON.stringify({ ...code, client_id: 'anypoint-signin-demo' }),
      oauthError(401, 'invalid_client', 'this backend serves its own connected app only')],
    ['another client, refresh', JSON.stringify({ ...refresh, client_id: 'anypoint-signin-demo' }),
      oauthError(401, 'invalid_client', 'this backend serves its own connected app only')],
    ['not JSON', 'code=c&code_verifier=v', oauthError(400, 'invalid_request', badBody)],
    ['a JSON array', JSON.stringify(Object.values(code)), oauthError(400, 'invalid_request', badBody)],
    ['a number for a field', JSON.stringify({ ...code, code: 7 }), oauthError(400, 'invalid_request', badBody)],
    ['no body', '', oauthError(400, 'invalid_request', badBody)],
    ['fields missing or empty', JSON.stringify({ code: 'c', redirect_uri: '', client_id: null }),
      oauthError(400, 'invalid_request', 'missing code_verifier, redirect_uri, client_id')],
    ['refresh without its token', JSON.stringify({ ...refresh, refresh_token: undefined }),
      oauthError(400, 'invalid_request', 'missing refresh_token')],
    ['another grant', JSON.stringify({ ...refresh, grant_type: 'client_credentials' }),
      oauthError(400, 'unsupported_grant_type', 'grant_type must be absent, authorization_code or refresh_token')],
  ];
  for (const [what, body, expected] of cases) {
    test(what, async () => {
      const [node, rust] = await Promise.all([backends.node.post(body), backends.rust.post(body)].map((a) => a.then(answerOf)));
      assert.deepEqual(node, expected);
      assert.deepEqual(rust, expected);
    });
  }

  test('another method: 405, POST allowed', async () => {
    const node = await createExchangeHandler({ issuer: backends.node.issuer, clientId: 'x', clientSecret: 'y' })(
      new Request(`${backends.node.origin}/api/exchange`));
    const rust = await fetch(`${backends.rust.origin}/api/exchange`);
    for (const answer of [node, rust]) assert.deepEqual([answer.status, answer.headers.get('allow')], [405, 'POST']);
  });
});

describe('node: a token endpoint that fails', () => {
  const refresh = { grant_type: 'refresh_token', refresh_token: 'r', client_id: 'app' };

  test('unreachable: 502 server_error', async () => {
    // A port that was just free: nothing listens there.
    const probe = createServer();
    const closed = await listen(probe);
    await new Promise((ok) => probe.close(ok));
    const handler = createExchangeHandler({ issuer: `${closed}/oauth2`, clientId: 'app', clientSecret: SECRET });
    const answer = await handler(new Request('http://backend.test/', { method: 'POST', body: JSON.stringify(refresh) }));
    assert.deepEqual(await answerOf(answer), oauthError(502, 'server_error', 'the token endpoint could not be reached'));
  });

  test('a 5xx, a redirect (not followed), an echo of the secret: 502 server_error; its 4xx as they are', async () => {
    const answers = { 'r-500': [500, { error: 'oops' }], 'r-401': [401, { error: 'invalid_client', error_description: 'no' }],
      // Followed, it would end in a token response.
      'r-302': [302, {}, { location: '/oauth2/elsewhere' }] };
    const forms = [];
    const endpoint = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      const form = Object.fromEntries(new URLSearchParams(body));
      if (req.url === '/oauth2/token') forms.push({ method: req.method, form });
      const [status, json, headers] = req.url === '/oauth2/elsewhere' ? [200, { access_token: 'at', token_type: 'Bearer' }]
        : answers[form.refresh_token] ?? [400, { error: 'invalid_request', got: form }];
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(json));
    });
    const url = await listen(endpoint);
    const called = [];
    const handler = createExchangeHandler({ issuer: `${url}/oauth2/`, clientId: 'app', clientSecret: SECRET,
      fetch: (input, init) => { called.push(input); return fetch(input, init); } });
    const post = (token) => handler(new Request('http://backend.test/', { method: 'POST',
      body: JSON.stringify({ ...refresh, refresh_token: token }) })).then(answerOf);
    try {
      assert.deepEqual(await post('r-500'), oauthError(502, 'server_error', 'the token endpoint answered HTTP 500'));
      assert.deepEqual(await post('r-302'), oauthError(502, 'server_error', 'the token endpoint answered HTTP 302'));
      assert.deepEqual(await post('r-echo'), oauthError(502, 'server_error', "the token endpoint's answer was refused"));
      assert.deepEqual(await post('r-401'), oauthError(401, 'invalid_client', 'no'));
      assert.deepEqual(forms, ['r-500', 'r-302', 'r-echo', 'r-401'].map((token) => ({ method: 'POST',
        form: { grant_type: 'refresh_token', refresh_token: token, client_id: 'app', client_secret: SECRET } })));
      assert.deepEqual(called, Array(4).fill(`${url}/oauth2/token`), 'the fetch option is the one used');
    } finally {
      endpoint.closeAllConnections();
      await new Promise((ok) => endpoint.close(ok));
    }
  });
});

describe('node: configuration', () => {
  test('the issuer as the element checks it; the app required', () => {
    for (const issuer of [ANYPOINT_US_ISSUER, 'http://127.0.0.1:9000/oauth2', 'http://[::1]/', 'http://localhost:1/']) {
      assert.equal(typeof createExchangeHandler({ issuer, clientId: 'a', clientSecret: 's' }), 'function', issuer);
    }
    for (const issuer of ['http://idp.example.com', 'http://127.0.0.1.evil.com/oauth2', 'http://localhost.evil.com',
      'https://user:pw@idp.example.com', 'idp.example.com', ' https://idp.example.com', undefined]) {
      assert.throws(() => createExchangeHandler({ issuer, clientId: 'a', clientSecret: 's' }),
        (e) => e instanceof TypeError && e.message.startsWith('the issuer'), String(issuer));
    }
    assert.throws(() => createExchangeHandler({ issuer: ANYPOINT_US_ISSUER, clientId: 'a' }), /clientSecret/);
    assert.throws(() => createExchangeHandler({ issuer: ANYPOINT_US_ISSUER, clientId: '', clientSecret: 's' }), /clientId/);
  });

  test('server.d.ts: a correct use type-checks, a wrong one fails (tsc)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'anypoint-signin-server-types-'));
    try {
      const server = JSON.stringify(join(ROOT, 'www/server.js'));
      await writeFile(join(dir, 'ok.ts'), `import { createExchangeHandler, type ExchangeHandler } from ${server};
const exchange: ExchangeHandler = createExchangeHandler({ issuer: 'https://idp.example.com', clientId: 'a', clientSecret: 's',
  fetch: (url, init) => fetch(url, init) });
export const POST: (request: Request) => Promise<Response> = exchange;\n`);
      await writeFile(join(dir, 'wrong.ts'), `import { createExchangeHandler } from ${server};
createExchangeHandler({ issuer: 'https://idp.example.com', clientId: 'a' });
createExchangeHandler({ issuer: 'https://idp.example.com', clientId: 'a', clientSecret: 's' })('not a request');\n`);
      const tsc = (file) => promisify(execFile)(join(ROOT, 'node_modules/.bin/tsc'), ['--noEmit', '--strict', '--target',
        'es2022', '--module', 'esnext', '--moduleResolution', 'bundler', '--lib', 'es2022,dom', '--pretty', 'false', file], { cwd: dir });
      await tsc('ok.ts');
      const failed = await tsc('wrong.ts').then(() => null, (e) => e.stdout);
      assert.deepEqual([...(failed ?? '').matchAll(/^wrong\.ts\((\d+),/gm)].map((m) => m[1]), ['2', '3'], failed);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
