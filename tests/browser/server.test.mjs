// The backend libraries against the real local authorization server (oidc-provider, its confidential client):
// anypoint-signin/server (www/server.js) behind node:http, and the Rust crate anypoint-signin-server through
// playground-server's /api/exchange, side by side. Each redeems a real code from a sign-in in Chromium (the
// element's exchangeuri pointing at it), keeps the refresh token in its cookie, renews and signs out with that
// cookie, and refuses what it must with the same answers, cookies included, as the other. The element's side
// of it is backend-session.test.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CONFIDENTIAL_CLIENT } from '../../playground/oidc-server.mjs';
import { ANYPOINT_US_ISSUER, createExchangeHandler } from '../../www/server.js';
import { SECRET, SESSION_KEY, listen, nodeSite, rustSite, unseal } from './backends.mjs';
import { launch, newPage, open, recordTokenRequests, signIn, waitForEvent } from './support.mjs';

const ROOT = join(fileURLToPath(import.meta.url), '../../..');
const PAGE = 'backend-offline.html';

let browser;
const backends = {};
before(async () => {
  [browser, backends.node, backends.rust] = await Promise.all([launch(), nodeSite(), rustSite()]);
});
after(async () => {
  await browser?.close();
  await Promise.all(Object.values(backends).map((b) => b.close()));
});

// Status, the headers that matter, the parsed body and the cookies set; the secret is in no answer.
async function answerOf(response) {
  const text = await response.text();
  assert.ok(!text.includes(SECRET), `the secret leaked: ${text}`);
  return { status: response.status, type: response.headers.get('content-type'),
    cache: response.headers.get('cache-control'), allow: response.headers.get('allow'), body: text && JSON.parse(text),
    cookies: response.headers.getSetCookie() };
}

// A POST to a backend as a page of its site sends it (its Origin, JSON), `headers` added or (undefined) removed.
const post = (backend, body, headers = {}) => fetch(`${backend.origin}/api/exchange`, { method: 'POST', body,
  headers: Object.fromEntries(Object.entries({ origin: backend.origin, 'content-type': 'application/json', ...headers })
    .filter(([, v]) => v !== undefined)) }).then(answerOf);
const postJson = (backend, body, headers) => post(backend, JSON.stringify(body), headers);

const oauthError = (status, error, description, cookies = []) => ({ status, type: 'application/json', cache: 'no-store',
  allow: null, body: { error, error_description: description }, cookies });

// An answer without its error_description, when only the error code is checked.
const codeOnly = ({ body: { error_description: _, ...body }, ...rest }) => ({ ...rest, body });

const CLEARED = ['anypoint-signin=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0',
  'anypoint-signin-hint=; SameSite=Strict; Path=/; Max-Age=0'];
const REFRESH = { grant_type: 'refresh_token', client_id: CONFIDENTIAL_CLIENT };
const SIGN_OUT = { action: 'sign_out', client_id: CONFIDENTIAL_CLIENT };
// `name=value` of the session cookie an answer sets, and what it holds.
const sessionOf = (answer) => answer.cookies[0].split(';')[0];
const heldIn = (cookie) => unseal(...cookie.split(/=(.*)/s).slice(0, 2));

// The provider's word on a refresh token (RFC 7662), asked with the confidential client's credentials.
async function active(backend, token) {
  const answer = await fetch(`${backend.issuer}/introspect`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, client_id: CONFIDENTIAL_CLIENT, client_secret: SECRET }) });
  return (await answer.json()).active;
}

for (const name of ['node', 'rust']) {
  describe(`${name}: against the real authorization server`, () => {
    test('redeems the code of a sign-in in Chromium into a cookie; renews, rotating it; signs out, revoking it', async () => {
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
      assert.equal(tokens.refresh_token, undefined, 'the refresh token stays in the backend');
      const [cookie] = (await page.context().cookies()).filter((c) => c.name === 'anypoint-signin');
      assert.deepEqual([cookie.httpOnly, cookie.sameSite, cookie.path], [true, 'Strict', '/']);
      const held = unseal(cookie.name, cookie.value);
      assert.deepEqual([held.iss, held.client_id], [backend.issuer, CONFIDENTIAL_CLIENT]);
      assert.equal(await active(backend, held.refresh_token), true, 'the provider issued it (the test can fail)');
      assert.ok(!answer.includes(held.refresh_token));
      await page.context().close();

      const first = `${cookie.name}=${cookie.value}`;
      const renewed = await postJson(backend, REFRESH, { cookie: first });
      assert.equal(renewed.status, 200, JSON.stringify(renewed.body));
      assert.equal(renewed.body.token_type, 'Bearer');
      assert.ok(renewed.body.access_token && renewed.body.access_token !== tokens.access_token, 'a new access token');
      assert.ok(renewed.body.id_token, 'and a new id_token (openid)');
      assert.equal(renewed.body.refresh_token, undefined);
      const rotated = heldIn(sessionOf(renewed)).refresh_token;
      assert.notEqual(rotated, held.refresh_token, 'rotated');
      const again = await postJson(backend, REFRESH, { cookie: sessionOf(renewed) });
      assert.equal(again.status, 200, 'the rotated refresh token is the one used next');

      // Sign-out revokes the cookie's refresh token at the provider; the cookie is of no use after.
      const last = sessionOf(again);
      const lastToken = heldIn(last).refresh_token;
      assert.equal(await active(backend, lastToken), true);
      const out = await postJson(backend, SIGN_OUT, { cookie: last });
      assert.deepEqual([out.status, out.body, out.cookies], [200, { revoked: true }, CLEARED]);
      assert.equal(await active(backend, lastToken), false, 'revoked at the provider');
      const after = await postJson(backend, REFRESH, { cookie: last });
      assert.deepEqual(codeOnly(after), codeOnly(oauthError(400, 'invalid_grant', '', CLEARED)));
      // The cookie from before the rotation, replayed: the provider refuses it, the backend clears the cookie.
      const replayed = await postJson(backend, REFRESH, { cookie: first });
      assert.deepEqual(codeOnly(replayed), codeOnly(oauthError(400, 'invalid_grant', '', CLEARED)));

      // The code is spent: the server's own error, passed through.
      const replay = await postJson(backend, sent);
      assert.deepEqual(codeOnly(replay), codeOnly(oauthError(400, 'invalid_grant', '')));
    });
  });
}

describe('node and rust refuse alike', () => {
  const code = { code: 'c', code_verifier: 'v'.repeat(43), redirect_uri: 'http://127.0.0.1:1/', client_id: CONFIDENTIAL_CLIENT };
  const badBody = 'the body must be a JSON object of strings: {code, code_verifier, redirect_uri, client_id}, '
    + '{grant_type: "refresh_token", client_id} or {action: "sign_out", client_id}';
  const denied = oauthError(403, 'access_denied',
    "only the site's own pages may call this endpoint (Sec-Fetch-Site: same-origin, or an Origin of this site)");
  const json = JSON.stringify(code);
  // [what, body, headers (a function of the backend's origin), expected]
  const cases = [
    ['another client, code', JSON.stringify({ ...code, client_id: 'anypoint-signin-demo' }), {},
      oauthError(401, 'invalid_client', 'this backend serves its own connected app only')],
    ['another client, refresh', JSON.stringify({ ...REFRESH, client_id: 'anypoint-signin-demo' }), {},
      oauthError(401, 'invalid_client', 'this backend serves its own connected app only')],
    ['not JSON', 'code=c&code_verifier=v', {}, oauthError(400, 'invalid_request', badBody)],
    ['a JSON array', JSON.stringify(Object.values(code)), {}, oauthError(400, 'invalid_request', badBody)],
    ['a number for a field', JSON.stringify({ ...code, code: 7 }), {}, oauthError(400, 'invalid_request', badBody)],
    ['no body', '', {}, oauthError(400, 'invalid_request', badBody)],
    ['fields missing or empty', JSON.stringify({ code: 'c', redirect_uri: '', client_id: null }), {},
      oauthError(400, 'invalid_request', 'missing code_verifier, redirect_uri, client_id')],
    ['a refresh token sent by the page', JSON.stringify({ ...REFRESH, refresh_token: 'stolen' }), {},
      oauthError(400, 'invalid_request', 'this backend keeps the refresh token itself, in its cookie: send none')],
    ['another grant', JSON.stringify({ ...REFRESH, grant_type: 'client_credentials' }), {},
      oauthError(400, 'unsupported_grant_type', 'grant_type must be absent, authorization_code or refresh_token')],
    ['another action', JSON.stringify({ ...SIGN_OUT, action: 'delete' }), {}, oauthError(400, 'invalid_request', 'action must be sign_out')],
    ['a renewal without a session', JSON.stringify(REFRESH), {},
      oauthError(400, 'invalid_grant', 'no session at this backend: sign in again', CLEARED)],
    ['a renewal with a forged cookie', JSON.stringify(REFRESH), { cookie: 'anypoint-signin=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==' },
      oauthError(400, 'invalid_grant', 'the session cookie was refused: sign in again', CLEARED)],
    ['a sign-out without a session', JSON.stringify(SIGN_OUT), {},
      { status: 200, type: 'application/json', cache: 'no-store', allow: null, body: { revoked: false }, cookies: CLEARED }],
    ['a cross-site request (Sec-Fetch-Site)', json, { 'sec-fetch-site': 'cross-site' }, denied],
    ['a same-site request of another origin', json, { 'sec-fetch-site': 'same-site' }, denied],
    ['another Origin', json, { origin: 'http://localhost:1' }, denied],
    ['no Origin, no Sec-Fetch-Site', json, { origin: undefined }, denied],
    ['a form post (text/plain)', json, { 'content-type': 'text/plain' },
      oauthError(415, 'invalid_request', 'the body must be JSON (Content-Type: application/json)')],
    ['a body over 16 KB', JSON.stringify({ ...code, code: 'c'.repeat(16384) }), {},
      oauthError(413, 'invalid_request', 'the body is over 16384 bytes')],
  ];
  for (const [what, body, headers, expected] of cases) {
    test(what, async () => {
      const [node, rust] = await Promise.all([backends.node, backends.rust].map((b) => post(b, body, headers)));
      assert.deepEqual(node, expected);
      assert.deepEqual(rust, expected);
    });
  }

  test('another method: 405, POST allowed', async () => {
    for (const backend of Object.values(backends)) {
      const answer = await fetch(`${backend.origin}/api/exchange`);
      assert.deepEqual([answer.status, answer.headers.get('allow')], [405, 'POST']);
    }
  });
});

describe('node: a token endpoint that fails', () => {
  // A code exchange from a page of http://backend.test.
  const request = (code) => new Request('http://backend.test/api/exchange', { method: 'POST',
    headers: { origin: 'http://backend.test', 'content-type': 'application/json' },
    body: JSON.stringify({ code, code_verifier: 'v', redirect_uri: 'http://127.0.0.1:1/', client_id: 'app' }) });
  const handlerAt = (issuer, options) => createExchangeHandler({ issuer, clientId: 'app', clientSecret: SECRET,
    sessionKey: SESSION_KEY, ...options });

  test('unreachable: 502 server_error', async () => {
    // A port that was just free: nothing listens there.
    const probe = createServer();
    const closed = await listen(probe);
    await new Promise((ok) => probe.close(ok));
    const answer = await handlerAt(`${closed}/oauth2`)(request('c'));
    assert.deepEqual(await answerOf(answer), oauthError(502, 'server_error', 'the token endpoint could not be reached'));
  });

  test('a 5xx, a redirect (not followed), an echo of the secret: 502 server_error; its 4xx as they are', async () => {
    const answers = { 'c-500': [500, { error: 'oops' }], 'c-401': [401, { error: 'invalid_client', error_description: 'no' }],
      // Followed, it would end in a token response.
      'c-302': [302, {}, { location: '/oauth2/elsewhere' }] };
    const forms = [];
    const endpoint = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      const form = Object.fromEntries(new URLSearchParams(body));
      if (req.url === '/oauth2/token') forms.push({ method: req.method, form });
      const [status, json, headers] = req.url === '/oauth2/elsewhere' ? [200, { access_token: 'at', token_type: 'Bearer' }]
        : answers[form.code] ?? [400, { error: 'invalid_request', got: form }];
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(json));
    });
    const url = await listen(endpoint);
    const called = [];
    const handler = handlerAt(`${url}/oauth2/`, { fetch: (input, init) => { called.push(input); return fetch(input, init); } });
    const exchange = (code) => handler(request(code)).then(answerOf);
    try {
      assert.deepEqual(await exchange('c-500'), oauthError(502, 'server_error', 'the token endpoint answered HTTP 500'));
      assert.deepEqual(await exchange('c-302'), oauthError(502, 'server_error', 'the token endpoint answered HTTP 302'));
      assert.deepEqual(await exchange('c-echo'), oauthError(502, 'server_error', "the token endpoint's answer was refused"));
      assert.deepEqual(await exchange('c-401'), oauthError(401, 'invalid_client', 'no'));
      assert.deepEqual(forms, ['c-500', 'c-302', 'c-echo', 'c-401'].map((code) => ({ method: 'POST',
        form: { grant_type: 'authorization_code', code, code_verifier: 'v', redirect_uri: 'http://127.0.0.1:1/',
          client_id: 'app', client_secret: SECRET } })));
      assert.deepEqual(called, Array(4).fill(`${url}/oauth2/token`), 'the fetch option is the one used');
    } finally {
      endpoint.closeAllConnections();
      await new Promise((ok) => endpoint.close(ok));
    }
  });
});

describe('node: configuration', () => {
  const sessionKey = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8';

  test('the issuer as the element checks it; the app and the session key required', () => {
    for (const issuer of [ANYPOINT_US_ISSUER, 'http://127.0.0.1:9000/oauth2', 'http://[::1]/', 'http://localhost:1/']) {
      assert.equal(typeof createExchangeHandler({ issuer, clientId: 'a', clientSecret: 's', sessionKey }), 'function', issuer);
    }
    for (const issuer of ['http://idp.example.com', 'http://127.0.0.1.evil.com/oauth2', 'http://localhost.evil.com',
      'https://user:pw@idp.example.com', 'idp.example.com', ' https://idp.example.com', undefined]) {
      assert.throws(() => createExchangeHandler({ issuer, clientId: 'a', clientSecret: 's', sessionKey }),
        (e) => e instanceof TypeError && e.message.startsWith('the issuer'), String(issuer));
    }
    assert.throws(() => createExchangeHandler({ issuer: ANYPOINT_US_ISSUER, clientId: 'a', sessionKey }), /clientSecret/);
    assert.throws(() => createExchangeHandler({ issuer: ANYPOINT_US_ISSUER, clientId: '', clientSecret: 's', sessionKey }), /clientId/);
    assert.throws(() => createExchangeHandler({ issuer: ANYPOINT_US_ISSUER, clientId: 'a', clientSecret: 's' }),
      { name: 'TypeError', message: 'sessionKey must be 32 random bytes, base64url (openssl rand -base64 32)' });
  });

  test('server.d.ts: a correct use type-checks, a wrong one fails (tsc)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'anypoint-signin-server-types-'));
    try {
      const server = JSON.stringify(join(ROOT, 'www/server.js'));
      await writeFile(join(dir, 'ok.ts'), `import { createExchangeHandler, type ExchangeHandler } from ${server};
const exchange: ExchangeHandler = createExchangeHandler({ issuer: 'https://idp.example.com', clientId: 'a', clientSecret: 's',
  sessionKey: 'k', fetch: (url, init) => fetch(url, init) });
createExchangeHandler({ issuer: 'https://idp.example.com', clientId: 'a', clientSecret: 's', sessionKey: ['k1', 'k0'],
  origins: ['https://app.example.com'], timeout: 5000, sessionLifetime: 86400 });
export const POST: (request: Request) => Promise<Response> = exchange;\n`);
      await writeFile(join(dir, 'wrong.ts'), `import { createExchangeHandler } from ${server};
createExchangeHandler({ issuer: 'https://idp.example.com', clientId: 'a', sessionKey: 'k' });
createExchangeHandler({ issuer: 'https://idp.example.com', clientId: 'a', clientSecret: 's', sessionKey: 'k' })('not a request');
createExchangeHandler({ issuer: 'https://idp.example.com', clientId: 'a', clientSecret: 's' });
createExchangeHandler({ issuer: 'https://idp.example.com', clientId: 'a', clientSecret: 's', sessionKey: 'k', origins: 'https://app.example.com' });\n`);
      const tsc = (file) => promisify(execFile)(join(ROOT, 'node_modules/.bin/tsc'), ['--noEmit', '--strict', '--target',
        'es2022', '--module', 'esnext', '--moduleResolution', 'bundler', '--lib', 'es2022,dom', '--pretty', 'false', file], { cwd: dir });
      await tsc('ok.ts');
      const failed = await tsc('wrong.ts').then(() => null, (e) => e.stdout);
      assert.deepEqual([...(failed ?? '').matchAll(/^wrong\.ts\((\d+),/gm)].map((m) => m[1]), ['2', '3', '4', '5'], failed);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
